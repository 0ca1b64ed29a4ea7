//! The stub that stands in for a record the sidecar refused on its own
//! (a 4xx for a batch of one): without it, the record was retried at the
//! front of the queue forever and the worker's trail stalled behind it.
//!
//! The stub keeps only what the filter itself wrote: the request id, the
//! times, the status, the config hash and the spend (so budgets still
//! count it). Every client-supplied string is left out, since any of them
//! may be what the sidecar could not store.

use crate::json;

/// The record's members a stub keeps, all written by the filter itself.
const KEPT: [&str; 11] = [
    "request_id",
    "started_ms",
    "finished_ms",
    "duration_ms",
    "status",
    "usage",
    "usage_complete",
    "cost",
    "cost_micros",
    "currency",
    "config_hash",
];

/// Longest member kept, as written (the usage object is about 120 bytes).
const MEMBER_MAX: usize = 256;

/// The stub for `record_json` (a record as the filter wrote it), refused
/// with `status`: the kept members copied as written (the filter wrote
/// and escaped them), then `quarantined` and `quarantine_reason`. A
/// record that does not outline (it cannot: the filter wrote it) gives a
/// stub without an id, which the sidecar refuses too and the queue then
/// counts as dropped.
pub fn stub(record_json: &str, status: u32) -> String {
    let b = record_json.as_bytes();
    let mut out = String::with_capacity(512);
    out.push('{');
    if let Ok(doc) = json::outline(b) {
        for m in &doc.members {
            let raw = b.get(m.value.start..m.value.end).unwrap_or_default();
            if KEPT.contains(&m.key.as_ref()) && raw.len() <= MEMBER_MAX {
                out.push('"');
                out.push_str(&m.key);
                out.push_str("\":");
                out.push_str(std::str::from_utf8(raw).unwrap_or("null"));
                out.push(',');
            }
        }
    }
    out.push_str(
        "\"quarantined\":true,\"quarantine_reason\":\"sidecar refused the record (status ",
    );
    out.push_str(&status.to_string());
    out.push_str(")\"}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::record::{AuditRecord, UsageRecord};

    #[test]
    fn a_stub_keeps_the_filters_own_fields_and_drops_the_clients() {
        let rec = AuditRecord {
            request_id: "r1".into(),
            user: Some("mallory\u{1}".into()),
            session_id: Some("s".repeat(300)),
            model_requested: Some("m".into()),
            path: "/v1/chat/completions".into(),
            started_ms: 10,
            finished_ms: 30,
            duration_ms: 20,
            status: 200,
            usage: UsageRecord {
                prompt: Some(3),
                completion: Some(4),
                total: Some(7),
                ..Default::default()
            },
            usage_complete: true,
            cost: Some("0.000007".into()),
            cost_micros: Some(7),
            currency: Some("USD".into()),
            config_hash: "abc".into(),
            request_payload: Some("x".repeat(1 << 16)),
            ..Default::default()
        };
        let s: AuditRecord = serde_json::from_str(&stub(&rec.to_json(), 413)).unwrap();
        let want = AuditRecord {
            request_id: "r1".into(),
            started_ms: 10,
            finished_ms: 30,
            duration_ms: 20,
            status: 200,
            usage: rec.usage,
            usage_complete: true,
            cost: rec.cost.clone(),
            cost_micros: Some(7),
            currency: rec.currency.clone(),
            config_hash: "abc".into(),
            quarantined: true,
            quarantine_reason: Some("sidecar refused the record (status 413)".into()),
            ..Default::default()
        };
        assert_eq!(s, want);
    }

    #[test]
    fn a_record_that_does_not_parse_gives_a_stub_without_an_id() {
        let s: AuditRecord = serde_json::from_str(&stub("{\"request_id\":", 400)).unwrap();
        assert!(s.request_id.is_empty() && s.quarantined);
    }
}
