//! The one-serialization content against the `Value` route and against
//! what `verify` recomputes, on records whose strings hold every escape
//! and the payload fields' own text.

use super::super::chain::{chain_hash, link_hash, GENESIS};
use super::*;
use clawgate::audit::record::{AttemptRecord, Risk, RiskHit, UsageRecord};

/// xorshift64*: enough to vary records, the same run every time.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn text(r: &mut Rng) -> String {
    const PIECES: &[&str] = &[
        "a",
        " ",
        "\"",
        "\\",
        "\\\"",
        ",",
        ":",
        "\n",
        "\u{0}",
        "\u{1f}",
        "é",
        "😀",
        "null",
        "}",
        ",\"request_payload\":",
        ",\"response_payload\":null",
        "\",\"request_payload\":\"",
        "response_payload",
    ];
    (0..r.below(10))
        .map(|_| PIECES[r.below(PIECES.len())])
        .collect()
}

fn opt(r: &mut Rng) -> Option<String> {
    (r.below(3) > 0).then(|| text(r))
}

fn record(r: &mut Rng) -> AuditRecord {
    AuditRecord {
        request_id: text(r),
        user: opt(r),
        session_id: opt(r),
        trace_id: opt(r),
        path: text(r),
        model_used: opt(r),
        error: opt(r),
        risk: Risk {
            action: opt(r),
            hits: (0..r.below(3))
                .map(|_| RiskHit {
                    rule: text(r),
                    evidence: (0..r.below(3)).map(|_| text(r)).collect(),
                    ..Default::default()
                })
                .collect(),
            shadow_action: opt(r),
        },
        attempts: (0..r.below(3))
            .map(|_| AttemptRecord {
                model: text(r),
                ..Default::default()
            })
            .collect(),
        usage: UsageRecord {
            prompt: (r.below(2) == 0).then(|| r.next()),
            ..Default::default()
        },
        rate_limit: opt(r),
        request_payload: opt(r),
        response_payload: opt(r),
        clipped: (0..r.below(3)).map(|_| text(r)).collect(),
        quarantined: r.below(2) == 0,
        quarantine_reason: opt(r),
        ..Default::default()
    }
}

#[test]
fn the_fields_are_the_payloads() {
    for (f, name) in FIELDS.iter().zip(PAYLOADS) {
        assert_eq!(*f, format!(",\"{name}\":"));
    }
}

#[test]
fn hashes_as_the_value_route_and_verify_do() {
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    for case in 0..3000 {
        let rec = record(&mut r);
        let (json, content) = insert_parts(&rec).unwrap();
        assert_eq!(json, serde_json::to_string(&rec).unwrap(), "case {case}");
        assert!(payload_span(&json).is_some(), "case {case}: {json}");
        assert_eq!(content, by_value(&rec).unwrap(), "case {case}: {json}");
        assert_eq!(
            chain_hash(GENESIS, &content),
            link_hash(2, GENESIS, &json, None).unwrap(),
            "case {case}"
        );
    }
}

#[test]
fn the_span_is_the_records_own_fields() {
    let rec = AuditRecord {
        request_id: "a".into(),
        user: Some(",\"request_payload\":null,\"response_payload\":null".into()),
        request_payload: Some("p \\\" \"q\"".into()),
        ..Default::default()
    };
    let (json, _) = insert_parts(&rec).unwrap();
    let span = payload_span(&json).unwrap();
    assert_eq!(
        &json[span],
        r#","request_payload":"p \\\" \"q\"","response_payload":null"#
    );
}

#[test]
fn another_shape_finds_no_span() {
    for json in [
        r#"{"a":1}"#,
        r#"{"a":1,"request_payload":"open"#,
        r#"{"a":1,"request_payload":7,"response_payload":null}"#,
        r#"{"a":1,"request_payload":null,"other":null}"#,
        r#"{"a":1,"request_payload":null,"response_payload":"\"#,
    ] {
        assert_eq!(payload_span(json), None, "{json}");
    }
}
