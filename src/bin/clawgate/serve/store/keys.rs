//! Keyed links. A link's hash proves the chain is whole, but anyone who can
//! write the table can compute one: a forged record with the right
//! `prev_hash` and digest verified. So each link a keyed sidecar writes
//! also carries `mac` = HMAC-SHA256(key, writer, hash) and the id of the key
//! (`key_id`); only the holder of the checkpoint key can extend a chain,
//! and `verify` with the key names a link nobody with it wrote.
//!
//! Rotation: a key's id is derived from the key, so old links keep naming
//! theirs; the sidecar and `verify` are given the old keys beside the new.

use super::chain::{hex, GENESIS};
use super::{Result, StoreError};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// HMAC-SHA256 (RFC 2104), hex.
pub fn hmac(key: &[u8], msg: &[u8]) -> String {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let pad = |b: u8| k.iter().map(|x| x ^ b).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(msg)
        .finalize();
    hex(Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize())
}

/// One key: its secret and the id links name it by (a MAC of a fixed
/// text, so the id says nothing of the key but is the same wherever it is
/// computed).
#[derive(Clone)]
pub struct Key {
    pub id: String,
    secret: Vec<u8>,
}

impl Key {
    pub fn new(secret: &[u8]) -> Key {
        let mut id = hmac(secret, b"clawgate key id");
        id.truncate(16);
        Key {
            id,
            secret: secret.to_vec(),
        }
    }

    fn link_mac(&self, writer: &str, hash: &str) -> String {
        hmac(
            &self.secret,
            format!("clawgate link\n{writer}\n{hash}").as_bytes(),
        )
    }
}

/// The key new links are signed with and the older ones still accepted.
#[derive(Clone, Default)]
pub struct Keys {
    pub current: Option<Key>,
    pub old: Vec<Key>,
}

/// What a link's MAC says about it.
#[derive(Debug, PartialEq, Eq)]
pub enum Auth {
    /// Written without a key (before keying, or by a keyless sidecar).
    Unkeyed,
    Valid,
    /// Names a key given, and does not match it.
    Forged,
    /// Names a key nobody gave.
    UnknownKey(String),
}

impl Keys {
    pub fn new(current: Option<&[u8]>, old: &[Vec<u8>]) -> Keys {
        Keys {
            current: current.filter(|k| !k.is_empty()).map(Key::new),
            old: old
                .iter()
                .filter(|k| !k.is_empty())
                .map(|k| Key::new(k))
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.current.is_none() && self.old.is_empty()
    }

    /// Every key's secret, the current one first (checkpoint signatures).
    pub fn secrets(&self) -> impl Iterator<Item = &[u8]> {
        self.current
            .iter()
            .chain(&self.old)
            .map(|k| k.secret.as_slice())
    }

    fn find(&self, id: &str) -> Option<&Key> {
        self.current.iter().chain(&self.old).find(|k| k.id == id)
    }

    /// (mac, key_id) for a new link, when the sidecar has a key.
    pub fn sign(&self, writer: &str, hash: &str) -> Option<(String, String)> {
        let k = self.current.as_ref()?;
        Some((k.link_mac(writer, hash), k.id.clone()))
    }

    pub fn check(&self, writer: &str, hash: &str, mac: Option<&str>, key_id: Option<&str>) -> Auth {
        let Some(mac) = mac else {
            return Auth::Unkeyed;
        };
        let id = key_id.unwrap_or("");
        match self.find(id) {
            Some(k) if k.link_mac(writer, hash) == mac => Auth::Valid,
            Some(_) => Auth::Forged,
            None => Auth::UnknownKey(id.to_string()),
        }
    }
}

/// The sidecar's identity in a shared store: its chain's name and keys.
/// Forged links it has already reported are remembered, so each is logged
/// once, not once a batch.
#[derive(Default)]
pub struct Writer {
    pub id: String,
    pub keys: Keys,
    reported: Mutex<HashSet<i64>>,
    pub forged_seen: AtomicU64,
}

/// The writer id of records stored before writers existed, and of a
/// sidecar not given one.
pub const DEFAULT_WRITER: &str = "default";

impl Writer {
    pub fn new(id: &str, keys: Keys) -> Writer {
        Writer {
            id: if id.is_empty() { DEFAULT_WRITER } else { id }.to_string(),
            keys,
            ..Default::default()
        }
    }
}

/// One of a writer's newest links, as the head search reads it.
pub struct Recent {
    pub seq: i64,
    pub request_id: String,
    pub hash: String,
    pub mac: Option<String>,
    pub key_id: Option<String>,
}

/// Links read when the newest is not the writer's own.
pub const RECENT: i64 = 64;

/// The link (seq, hash) a writer's next link chains onto: its newest link when that is
/// authentic; past forged ones (logged loudly, once each) to the newest
/// one this writer's key signed, so a forgery never becomes the prev of a
/// real record and `verify` names it. `recent` is newest first;
/// `any_keyed` says whether the chain holds a keyed link further down.
/// Refuses (an error: the batch is retried) when no authentic link is in
/// reach but the chain has keyed ones.
pub fn chain_onto(
    w: &Writer,
    recent: &[Recent],
    any_keyed: &mut dyn FnMut() -> Result<bool>,
) -> Result<(i64, String)> {
    let Some(newest) = recent.first() else {
        return Ok((0, GENESIS.to_string()));
    };
    if w.keys.is_empty() {
        return Ok((newest.seq, newest.hash.clone()));
    }
    let mut forged = Vec::new();
    let mut found = None;
    for r in recent {
        match w
            .keys
            .check(&w.id, &r.hash, r.mac.as_deref(), r.key_id.as_deref())
        {
            Auth::Valid => {
                found = Some((r.seq, r.hash.clone()));
                break;
            }
            Auth::Unkeyed | Auth::Forged | Auth::UnknownKey(_) => forged.push(r),
        }
    }
    let head = match found {
        Some(h) => h,
        // never keyed: a chain from before keys, the first keyed link
        // follows its newest
        None if recent.iter().all(|r| r.mac.is_none()) && !any_keyed()? => {
            return Ok((newest.seq, newest.hash.clone()));
        }
        None => {
            return Err(StoreError::Other(format!(
                "writer `{}`: none of its newest {} links is signed by its keys (forged, or written \
                 with a key this sidecar was not given); refusing to append: run `clawgate audit verify`",
                w.id,
                recent.len()
            )))
        }
    };
    if let Ok(mut seen) = w.reported.lock() {
        for r in forged {
            if seen.insert(r.seq) {
                w.forged_seen.fetch_add(1, Ordering::Relaxed);
                eprintln!(
                    "clawgate serve: ALERT: forged audit link at seq {} (request_id {}) in writer `{}`: \
                     not signed by this writer's key; the chain goes on from the last authentic link, \
                     and `clawgate audit verify` will name it",
                    r.seq,
                    r.request_id.escape_debug(),
                    w.id
                );
            }
        }
    }
    Ok(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        assert_eq!(
            hmac(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    fn link(seq: i64, hash: &str, keys: Option<&Keys>, w: &str) -> Recent {
        let signed = keys.and_then(|k| k.sign(w, hash));
        Recent {
            seq,
            request_id: format!("r{seq}"),
            hash: hash.into(),
            mac: signed.as_ref().map(|s| s.0.clone()),
            key_id: signed.map(|s| s.1),
        }
    }

    #[test]
    fn the_head_skips_links_the_key_did_not_sign() {
        let keys = Keys::new(Some(b"k2"), &[b"k1".to_vec()]);
        let old = Keys::new(Some(b"k1"), &[]);
        let w = Writer::new("gw-a", keys.clone());
        let mut never = || -> Result<bool> { Ok(false) };
        // the newest is authentic
        let r = [
            link(3, "h3", Some(&keys), "gw-a"),
            link(2, "h2", None, "gw-a"),
        ];
        assert_eq!(chain_onto(&w, &r, &mut never).unwrap().1, "h3");
        // a rotated key still vouches for its links
        let r = [link(3, "h3", Some(&old), "gw-a")];
        assert_eq!(chain_onto(&w, &r, &mut never).unwrap().1, "h3");
        // a forged head (no mac, another key, another writer's mac) is skipped
        let other = Keys::new(Some(b"nope"), &[]);
        let r = [
            link(9, "h9", None, "gw-a"),
            link(8, "h8", Some(&other), "gw-a"),
            link(7, "h7", Some(&keys), "gw-b"),
            link(6, "h6", Some(&keys), "gw-a"),
        ];
        assert_eq!(chain_onto(&w, &r, &mut never).unwrap().1, "h6");
        assert_eq!(w.forged_seen.load(Ordering::Relaxed), 3);
        chain_onto(&w, &r, &mut never).unwrap();
        assert_eq!(w.forged_seen.load(Ordering::Relaxed), 3, "reported once");
        // nothing authentic in reach: refused
        assert!(chain_onto(&w, &r[..3], &mut never).is_err());
        // an unkeyed chain is extended, unless it was keyed further down
        let r = [link(2, "h2", None, "gw-a")];
        assert_eq!(chain_onto(&w, &r, &mut never).unwrap().1, "h2");
        assert!(chain_onto(&w, &r, &mut || Ok(true)).is_err());
        assert_eq!(chain_onto(&w, &[], &mut never).unwrap().1, GENESIS);
        // a keyless sidecar chains onto whatever is newest
        let keyless = Writer::new("", Keys::default());
        assert_eq!(keyless.id, DEFAULT_WRITER);
        let r = [link(9, "h9", Some(&other), "default")];
        assert_eq!(chain_onto(&keyless, &r, &mut never).unwrap().1, "h9");
    }

    #[test]
    fn key_ids_name_keys_without_showing_them() {
        let a = Key::new(b"secret-a");
        assert_eq!(a.id.len(), 16);
        assert_eq!(a.id, Key::new(b"secret-a").id);
        assert_ne!(a.id, Key::new(b"secret-b").id);
        assert!(!a.id.contains("secret"));
    }
}
