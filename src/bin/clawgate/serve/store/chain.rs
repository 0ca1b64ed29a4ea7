//! The hash chain over stored records: how a link's hash is made, how
//! `verify` walks it (content, columns and linkage), and how payloads are
//! purged without breaking it.
//!
//! Version 1 links (written before migration 3) hash
//! `sha256(prev || record_json)`. Version 2 links hash
//! `sha256(prev || sha256(meta) || payload_digest)`, where `meta` is the
//! record without its two payload fields and `payload_digest` is
//! `sha256` of those two fields: a purge drops the payloads, keeps their
//! digest in the row, and every field people read stays chained.

use super::{Result, StoreError};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// Hash of the record before the first one.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The chain version new links are written with.
pub const CHAIN_V: i64 = 2;

/// The record fields a purge removes.
pub(super) const PAYLOADS: [&str; 2] = ["request_payload", "response_payload"];

/// Lowercase hex, written straight into one string (a digest a record is
/// hashed several times on ingest; `format!` per byte was a tenth of it).
pub(super) fn hex(d: impl AsRef<[u8]>) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(d.as_ref().len() * 2);
    for &b in d.as_ref() {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

pub(super) fn sha(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    hex(h.finalize())
}

/// Version 1: the stored JSON as is.
pub fn chain_hash(prev: &str, json: &str) -> String {
    sha(&[prev.as_bytes(), json.as_bytes()])
}

/// The record split into what stays (`meta`) and its payloads, both as
/// the JSON text they hash as. The stored text is parsed as a JSON value
/// (not as `AuditRecord`), so a field added to the record later cannot
/// change how an old link hashes.
fn split(json: &str) -> Result<(String, Map<String, Value>)> {
    let mut v: Map<String, Value> = serde_json::from_str(json)
        .map_err(|e| StoreError::Other(format!("record is not a JSON object: {e}")))?;
    let mut payloads = Map::new();
    for k in PAYLOADS {
        payloads.insert(k.to_string(), v.shift_remove(k).unwrap_or(Value::Null));
    }
    let meta = serde_json::to_string(&v).map_err(|e| StoreError::Other(e.to_string()))?;
    Ok((meta, payloads))
}

pub(super) fn payload_digest(payloads: &Map<String, Value>) -> String {
    sha(&[Value::Object(payloads.clone()).to_string().as_bytes()])
}

/// What a version 2 link hashes after `prev`.
pub(super) fn content(meta: &str, payload_digest: &str) -> String {
    let mut c = sha(&[meta.as_bytes()]);
    c.push_str(payload_digest);
    c
}

/// A link's hash for its version; `purged` is the digest kept when the
/// payloads were removed.
pub fn link_hash(v: i64, prev: &str, json: &str, purged: Option<&str>) -> Result<String> {
    if v < 2 {
        return Ok(chain_hash(prev, json));
    }
    let (meta, payloads) = split(json)?;
    let digest = match purged {
        Some(d) => d.to_string(),
        None => payload_digest(&payloads),
    };
    Ok(chain_hash(prev, &content(&meta, &digest)))
}

/// A purged record's new JSON (payloads null) and the digest to keep.
pub fn purge(json: &str) -> Result<(String, String)> {
    let mut v: Map<String, Value> = serde_json::from_str(json)
        .map_err(|e| StoreError::Other(format!("record is not a JSON object: {e}")))?;
    let (_, payloads) = split(json)?;
    for k in PAYLOADS {
        if let Some(slot) = v.get_mut(k) {
            *slot = Value::Null;
        }
    }
    let out = serde_json::to_string(&v).map_err(|e| StoreError::Other(e.to_string()))?;
    Ok((out, payload_digest(&payloads)))
}

/// Whether a record still carries a payload worth purging.
pub fn has_payload(json: &str) -> bool {
    split(json).is_ok_and(|(_, p)| p.values().any(|v| !v.is_null()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_two_lowercase_digits_a_byte() {
        let all: Vec<u8> = (0..=255).collect();
        let want: String = all.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex(&all), want);
        assert_eq!(hex([]), "");
    }

    #[test]
    fn a_purge_keeps_the_link_hash() {
        let json = r#"{"request_id":"a","status":200,"request_payload":"secret prompt","response_payload":"answer"}"#;
        let h = link_hash(2, GENESIS, json, None).unwrap();
        let (purged, digest) = purge(json).unwrap();
        assert!(!purged.contains("secret") && !has_payload(&purged));
        assert_eq!(link_hash(2, GENESIS, &purged, Some(&digest)).unwrap(), h);
        // the metadata is still bound
        let edited = purged.replace("200", "500");
        assert_ne!(link_hash(2, GENESIS, &edited, Some(&digest)).unwrap(), h);
        // and so are the payloads before a purge
        let swapped = json.replace("answer", "other");
        assert_ne!(link_hash(2, GENESIS, &swapped, None).unwrap(), h);
    }
}
