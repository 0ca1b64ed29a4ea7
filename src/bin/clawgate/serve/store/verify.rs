//! `verify`: walks each writer's chain and reports what does not hold —
//! linkage, the content against its hash, payloads against their digest,
//! every stored column against the record, the links' MACs against the
//! keys given, the checkpoints against the links they saw, and every
//! stored configuration against its hash.

use super::chain::{has_payload, link_hash, GENESIS};
use super::keys::{hmac, Auth, Keys, DEFAULT_WRITER};
use super::sql::{Row, SqlArg};
use super::{Result, Store, StoreError};
use clawgate::audit::AuditRecord;

/// One link of the chain, for `verify`.
pub struct Link {
    pub seq: i64,
    pub writer: String,
    pub request_id: String,
    pub json: String,
    pub prev_hash: String,
    pub hash: String,
    pub chain_v: i64,
    pub payload_digest: Option<String>,
    pub mac: Option<String>,
    pub key_id: Option<String>,
    /// The stored query columns, in `stored()` order.
    pub columns: Vec<SqlArg>,
}

/// The first finding of a keyless `verify_all` (the store tests' view).
#[cfg(test)]
#[derive(Debug, PartialEq, Eq)]
pub enum Verify {
    Ok(u64),
    Broken {
        seq: i64,
        request_id: String,
        reason: String,
    },
}

/// A head seen earlier and kept outside the store (`serve
/// --checkpoint-log`): the chain must still hold that link.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Checkpoint {
    /// The writer whose chain it saw (absent: `default`, as before writers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub writer: Option<String>,
    pub seq: i64,
    pub hash: String,
    pub at_ms: i64,
    /// HMAC-SHA256 over `[writer:]seq:hash:at_ms` with the checkpoint key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sig: Option<String>,
}

impl Checkpoint {
    fn message(&self) -> String {
        match &self.writer {
            Some(w) => format!("{w}:{}:{}:{}", self.seq, self.hash, self.at_ms),
            None => format!("{}:{}:{}", self.seq, self.hash, self.at_ms),
        }
    }

    pub fn signed(
        writer: Option<&str>,
        seq: i64,
        hash: String,
        at_ms: i64,
        key: Option<&[u8]>,
    ) -> Checkpoint {
        let mut c = Checkpoint {
            writer: writer.map(str::to_string),
            seq,
            hash,
            at_ms,
            sig: None,
        };
        c.sig = key.map(|k| hmac(k, c.message().as_bytes()));
        c
    }

    pub fn sig_ok(&self, key: &[u8]) -> bool {
        self.sig
            .as_deref()
            .is_some_and(|s| s == hmac(key, self.message().as_bytes()))
    }

    fn writer(&self) -> &str {
        self.writer.as_deref().unwrap_or(DEFAULT_WRITER)
    }
}

/// What `verify_all` checks against.
#[derive(Default)]
pub struct Options<'a> {
    pub checkpoints: &'a [Checkpoint],
    /// With keys, each keyed link's MAC is checked and an unkeyed link
    /// after a keyed one (in its writer's chain) is a forgery.
    pub keys: Keys,
    /// Only this writer's chain (and its checkpoints).
    pub writer: Option<String>,
    /// Every link must be keyed (no chain from before keys is expected).
    pub require_keyed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub writer: String,
    pub seq: i64,
    pub request_id: String,
    pub reason: String,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Links verified per writer, in writer order.
    pub writers: Vec<(String, u64)>,
    pub keyed: u64,
    pub unkeyed: u64,
    pub configs: u64,
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn links(&self) -> u64 {
        self.writers.iter().map(|w| w.1).sum()
    }
}

/// One writer's walk so far.
struct Walk<'a> {
    writer: String,
    prev: String,
    n: u64,
    last_seq: i64,
    keyed: bool,
    /// Stopped at a broken link: the rest of this chain is not counted.
    dead: bool,
    pending: std::iter::Peekable<std::vec::IntoIter<&'a Checkpoint>>,
}

impl<'a> Walk<'a> {
    fn new(writer: &str, cps: &'a [Checkpoint]) -> Walk<'a> {
        // a checkpoint of the empty chain holds for any chain
        let mut pending: Vec<&Checkpoint> = cps
            .iter()
            .filter(|c| c.seq > 0 && c.writer() == writer)
            .collect();
        pending.sort_by_key(|c| c.seq);
        Walk {
            writer: writer.to_string(),
            prev: GENESIS.to_string(),
            n: 0,
            last_seq: 0,
            keyed: false,
            dead: false,
            pending: pending.into_iter().peekable(),
        }
    }

    /// Checkpoints past the chain's end: records were deleted.
    fn finish(mut self, r: &mut Report) {
        if !self.dead {
            if let Some(cp) = self.pending.next() {
                r.findings.push(Finding {
                    writer: self.writer.clone(),
                    seq: cp.seq,
                    request_id: String::new(),
                    reason: format!(
                        "records deleted: the checkpoint of {} saw seq {}, the chain ends at seq {}",
                        cp.at_ms, cp.seq, self.last_seq
                    ),
                });
            }
        }
        r.writers.push((self.writer, self.n));
    }
}

/// Every writer's chain and every stored configuration.
pub fn verify_all(store: &dyn Store, o: &Options) -> Result<Report> {
    let mut r = Report::default();
    let mut walk: Option<Walk> = None;
    store.chain(o.writer.as_deref(), &mut |l| {
        if walk.as_ref().is_none_or(|w| w.writer != l.writer) {
            if let Some(w) = walk.take() {
                w.finish(&mut r);
            }
            walk = Some(Walk::new(&l.writer, o.checkpoints));
        }
        if let Some(w) = walk.as_mut() {
            step(w, &l, o, &mut r);
        }
        true
    })?;
    if let Some(w) = walk.take() {
        w.finish(&mut r);
    }
    // checkpoints of a writer with no link left at all
    let mut gone: Vec<&str> = o
        .checkpoints
        .iter()
        .map(Checkpoint::writer)
        .filter(|w| o.writer.as_deref().is_none_or(|only| only == *w))
        .collect();
    gone.sort_unstable();
    gone.dedup();
    for w in gone {
        if !r.writers.iter().any(|(x, _)| x == w) {
            let walk = Walk::new(w, o.checkpoints);
            walk.finish(&mut r);
        }
    }
    r.writers.retain(|(_, n)| *n > 0 || o.writer.is_some());
    for c in store.configs()? {
        r.configs += 1;
        if let Err(StoreError::Other(m)) = store.config(&c.hash) {
            r.findings.push(Finding {
                writer: String::new(),
                seq: 0,
                request_id: String::new(),
                reason: m,
            });
        }
    }
    Ok(r)
}

fn step(w: &mut Walk, l: &Link, o: &Options, r: &mut Report) {
    if w.dead {
        return;
    }
    let forged = |reason: String, r: &mut Report| {
        r.findings.push(Finding {
            writer: l.writer.clone(),
            seq: l.seq,
            request_id: l.request_id.clone(),
            reason,
        })
    };
    if !o.keys.is_empty() || o.require_keyed {
        let auth = o
            .keys
            .check(&l.writer, &l.hash, l.mac.as_deref(), l.key_id.as_deref());
        // a forged link is left out, and the chain is followed past it:
        // the sidecar chains its next link onto the last authentic one
        let reason = match &auth {
            Auth::Valid => None,
            Auth::Unkeyed if o.require_keyed => Some("forged: the link is not keyed".to_string()),
            Auth::Unkeyed if w.keyed => Some(
                "forged: an unkeyed link after keyed ones (no sidecar with the key wrote it)"
                    .to_string(),
            ),
            Auth::Unkeyed => None,
            Auth::Forged => Some("forged: its MAC does not match the key it names".to_string()),
            Auth::UnknownKey(id) if o.keys.is_empty() => Some(format!(
                "keyed with key id `{id}`: give its key to verify it"
            )),
            Auth::UnknownKey(id) => Some(format!(
                "forged, or keyed with a key not given: key id `{id}`"
            )),
        };
        if let Some(reason) = reason {
            forged(reason, r);
            return;
        }
        if auth == Auth::Valid {
            w.keyed = true;
            r.keyed += 1;
        } else {
            r.unkeyed += 1;
        }
    } else {
        r.unkeyed += 1;
    }
    let mut reason = check(l, &w.prev);
    while let Some(cp) = w.pending.next_if(|c| c.seq <= l.seq) {
        // the checkpoint's link is gone: one below this link was deleted
        if reason.is_none() && (cp.seq != l.seq || cp.hash != l.hash) {
            reason = Some(format!(
                "differs from the checkpoint of {} (seq {}, hash {})",
                cp.at_ms, cp.seq, cp.hash
            ));
        }
    }
    if let Some(reason) = reason {
        forged(reason, r);
        w.dead = true;
        return;
    }
    w.prev = l.hash.clone();
    w.last_seq = l.seq;
    w.n += 1;
}

/// Walks the chain with no keys and reports the first broken link.
#[cfg(test)]
pub fn verify(store: &dyn Store, checkpoints: &[Checkpoint]) -> Result<Verify> {
    let r = verify_all(
        store,
        &Options {
            checkpoints,
            ..Default::default()
        },
    )?;
    Ok(match r.findings.into_iter().next() {
        None => Verify::Ok(r.writers.iter().map(|w| w.1).sum()),
        Some(f) => Verify::Broken {
            seq: f.seq,
            request_id: f.request_id,
            reason: f.reason,
        },
    })
}

fn check(l: &Link, prev: &str) -> Option<String> {
    if l.prev_hash != prev {
        return Some("prev_hash does not match the previous record".into());
    }
    // a kept digest stands for payloads that are gone: a payload beside
    // it (planted into a purged record, or rewritten with the old digest
    // copied in) is not what the digest was taken of
    if l.payload_digest.is_some() && has_payload(&l.json) {
        return Some("payload present beside a purge digest (rewritten or planted)".into());
    }
    match link_hash(
        l.chain_v,
        &l.prev_hash,
        &l.json,
        l.payload_digest.as_deref(),
    ) {
        Ok(h) if h == l.hash => {}
        _ => return Some("record content does not match its hash".into()),
    }
    let record: AuditRecord = match serde_json::from_str(&l.json) {
        Ok(r) => r,
        Err(_) => return Some("record is not an audit record".into()),
    };
    let want = Row::from_record(&record).ok()?;
    let names = super::columns::stored().map(|c| c.name);
    for ((name, got), want) in names.zip(&l.columns).zip(&want.values) {
        if got != want {
            return Some(format!("column `{name}` does not match the record"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoint_signatures() {
        let c = Checkpoint::signed(None, 3, "ab".into(), 9, Some(b"k"));
        assert!(c.sig_ok(b"k") && !c.sig_ok(b"other"));
        let forged = Checkpoint {
            seq: 2,
            ..c.clone()
        };
        assert!(!forged.sig_ok(b"k"));
        let moved = Checkpoint {
            writer: Some("gw-b".into()),
            ..c.clone()
        };
        assert!(!moved.sig_ok(b"k"), "the writer is signed");
        assert!(Checkpoint::signed(Some("gw-b"), 3, "ab".into(), 9, Some(b"k")).sig_ok(b"k"));
        assert!(!Checkpoint::signed(None, 3, "ab".into(), 9, None).sig_ok(b"k"));
    }
}
