//! The stub that stands in for a record the sidecar refused on its own
//! (a 4xx for a batch of one): without it, the record was retried at the
//! front of the queue forever and the worker's trail stalled behind it.
//!
//! The stub keeps only what the filter itself wrote: the request id, the
//! times, the status, the config hash and the spend (so budgets still
//! count it). Every client-supplied string is left out, since any of them
//! may be what the sidecar could not store.

use super::record::{AuditRecord, UsageRecord};
use serde_json::Value;

/// Longest filter-made string kept (a config hash, a currency, a cost).
const SHORT: usize = 80;

/// The stub for `record_json` (a record as the filter wrote it), refused
/// with `status`. A record that does not parse (it cannot: the filter
/// wrote it) gives a stub without an id, which the sidecar refuses too
/// and the queue then counts as dropped.
pub fn stub(record_json: &str, status: u32) -> String {
    let v: Value = serde_json::from_str(record_json).unwrap_or(Value::Null);
    let num = |k: &str| v.get(k).and_then(Value::as_u64);
    let short = |k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .filter(|s| s.len() <= SHORT)
            .map(str::to_string)
    };
    let usage = |k: &str| {
        v.get("usage")
            .and_then(|u| u.get(k))
            .and_then(Value::as_u64)
    };
    AuditRecord {
        request_id: v
            .get("request_id")
            .and_then(Value::as_str)
            .filter(|s| s.len() <= SHORT)
            .unwrap_or_default()
            .to_string(),
        started_ms: num("started_ms").unwrap_or(0),
        finished_ms: num("finished_ms").unwrap_or(0),
        duration_ms: num("duration_ms").unwrap_or(0),
        status: num("status")
            .and_then(|s| u16::try_from(s).ok())
            .unwrap_or(0),
        usage: UsageRecord {
            prompt: usage("prompt"),
            completion: usage("completion"),
            total: usage("total"),
            cached: usage("cached"),
            cache_write: usage("cache_write"),
            reasoning: usage("reasoning"),
        },
        usage_complete: v.get("usage_complete").and_then(Value::as_bool) == Some(true),
        cost: short("cost"),
        cost_micros: num("cost_micros"),
        currency: short("currency"),
        config_hash: short("config_hash").unwrap_or_default(),
        quarantined: true,
        quarantine_reason: Some(format!("sidecar refused the record (status {status})")),
        ..AuditRecord::default()
    }
    .to_json()
}

#[cfg(test)]
mod tests {
    use super::*;

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
