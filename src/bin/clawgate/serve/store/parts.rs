//! A new record's stored JSON and what its version 2 link hashes, from one
//! serialization. The content is `sha256(meta) || sha256(payloads)` where
//! `meta` is the record's JSON without its two payload fields and
//! `payloads` is `{"request_payload":…,"response_payload":…}`
//! (`chain::link_hash`). Both are pieces of the record's own JSON text, so
//! they are hashed where they lie instead of building a `serde_json::Value`
//! and writing it out twice more (that was a third of the sidecar's CPU a
//! record).

use super::chain::{content, hex, payload_digest, PAYLOADS};
use super::{Result, StoreError};
use clawgate::audit::AuditRecord;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::ops::Range;

/// The record's JSON and its version 2 content (before `prev`).
pub fn insert_parts(r: &AuditRecord) -> Result<(String, String)> {
    // the filter's writer: byte for byte serde's (a property test holds
    // them equal) without serde's visitor a field and regrown buffer
    let json = r.to_json();
    let b = json.as_bytes();
    // the span opens with the comma that separated it from `head`
    let pieces = payload_span(&json).and_then(|s| {
        Some((
            b.get(..s.start)?,
            b.get(s.start + 1..s.end)?,
            b.get(s.end..)?,
        ))
    });
    let Some((head, fields, tail)) = pieces else {
        // not the shape serde writes the record in: take the long way
        let content = by_value(r)?;
        return Ok((json, content));
    };
    let mut meta = Sha256::new();
    meta.update(head);
    meta.update(tail);
    let mut payloads = Sha256::new();
    payloads.update(b"{");
    payloads.update(fields);
    payloads.update(b"}");
    let mut content = hex(meta.finalize());
    content.push_str(&hex(payloads.finalize()));
    Ok((json, content))
}

/// Where `,"request_payload":X,"response_payload":Y` lies in the record's
/// JSON (X and Y each `null` or a string). Found by its text: a `"` inside
/// a JSON string is always written `\"`, so `,"` with a bare quote only
/// ever starts a field, and no nested object of the record has fields of
/// these names, so the first match is the record's own. Anything else
/// gives `None`.
fn payload_span(json: &str) -> Option<Range<usize>> {
    let [request, response] = FIELDS;
    let b = json.as_bytes();
    let start = memchr::memmem::find(b, request.as_bytes())?;
    let at = value_end(b, start + request.len())?;
    if !b.get(at..)?.starts_with(response.as_bytes()) {
        return None;
    }
    Some(start..value_end(b, at + response.len())?)
}

/// `PAYLOADS` as they open in the record's JSON: `,"name":`.
const FIELDS: [&str; 2] = [",\"request_payload\":", ",\"response_payload\":"];

/// The end of a `null` or a JSON string starting at `at`.
fn value_end(b: &[u8], at: usize) -> Option<usize> {
    let rest = b.get(at..)?;
    if rest.starts_with(b"null") {
        return Some(at + 4);
    }
    if rest.first() != Some(&b'"') {
        return None;
    }
    let mut i = 1;
    while let Some(&c) = rest.get(i) {
        match c {
            b'\\' => i += 2,
            b'"' => return Some(at + i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The same content through `serde_json::Value`, as `chain::link_hash`
/// splits a stored record.
fn by_value(r: &AuditRecord) -> Result<String> {
    let bad = |e: serde_json::Error| StoreError::Other(e.to_string());
    let Value::Object(mut m) = serde_json::to_value(r).map_err(bad)? else {
        return Err(StoreError::Other("record is not an object".into()));
    };
    let mut payloads = Map::new();
    for k in PAYLOADS {
        payloads.insert(k.to_string(), m.shift_remove(k).unwrap_or(Value::Null));
    }
    let meta = serde_json::to_string(&m).map_err(bad)?;
    Ok(content(&meta, &payload_digest(&payloads)))
}

#[cfg(test)]
#[path = "parts_tests.rs"]
mod tests;
