//! The hand-written audit writer against serde on random records.

use super::super::record::AccessRecord;
use super::*;
use crate::test_rng::Rng;

/// Strings that exercise every escape: quotes, backslashes, each
/// control character, DEL, non-ASCII of every width.
fn text(r: &mut Rng) -> String {
    const PIECES: &[&str] = &[
        "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{8}", "\u{c}", "\u{0}", "\u{1}",
        "\u{1f}", "\u{7f}", "é", "机密", "😀", "\u{2028}", "sk-abc", "}", "[",
    ];
    (0..r.below(12))
        .map(|_| PIECES[r.below(PIECES.len())])
        .collect()
}

fn opt<T>(r: &mut Rng, f: impl FnOnce(&mut Rng) -> T) -> Option<T> {
    (r.below(3) > 0).then(|| f(r))
}

fn num(r: &mut Rng) -> u64 {
    match r.below(4) {
        0 => 0,
        1 => u64::MAX,
        2 => r.next() % 1000,
        _ => r.next(),
    }
}

fn record(r: &mut Rng) -> AuditRecord {
    AuditRecord {
        request_id: text(r),
        trace_id: opt(r, text),
        session_id: opt(r, text),
        user: opt(r, text),
        instance: opt(r, text),
        started_ms: num(r),
        finished_ms: num(r),
        duration_ms: num(r),
        first_token_ms: opt(r, num),
        path: text(r),
        stream: r.below(2) == 0,
        model_requested: opt(r, text),
        model_used: opt(r, text),
        provider: opt(r, text),
        secure: r.below(2) == 0,
        route_reason: opt(r, text),
        risk: Risk {
            action: opt(r, text),
            hits: (0..r.below(4))
                .map(|_| RiskHit {
                    rule: text(r),
                    category: text(r),
                    severity: text(r),
                    action: text(r),
                    count: r.next() as u32,
                    evidence: (0..r.below(3)).map(|_| text(r)).collect(),
                    shadow: r.below(2) == 0,
                })
                .collect(),
            shadow_action: opt(r, text),
        },
        attempts: (0..r.below(4))
            .map(|_| AttemptRecord {
                model: text(r),
                provider: text(r),
                status: r.next() as u16,
                duration_ms: num(r),
            })
            .collect(),
        status: r.next() as u16,
        error: opt(r, text),
        usage: UsageRecord {
            prompt: opt(r, num),
            completion: opt(r, num),
            total: opt(r, num),
            cached: opt(r, num),
            cache_write: opt(r, num),
            reasoning: opt(r, num),
        },
        usage_complete: r.below(2) == 0,
        usage_estimated: r.below(2) == 0,
        cost: opt(r, text),
        cost_micros: opt(r, num),
        currency: opt(r, text),
        config_hash: text(r),
        budget: opt(r, |r| BudgetRecord {
            limit: text(r),
            outcome: text(r),
        }),
        access: opt(r, |r| AccessRecord {
            rule: text(r),
            outcome: text(r),
            skipped: if r.below(2) == 0 { 0 } else { r.next() as u32 },
        }),
        rate_limit: opt(r, text),
        request_payload: opt(r, text),
        response_payload: opt(r, text),
        clipped: (0..r.below(3)).map(|_| text(r)).collect(),
        quarantined: r.below(2) == 0,
        quarantine_reason: opt(r, text),
    }
}

#[test]
fn writes_what_serde_writes() {
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    for case in 0..5000 {
        let rec = record(&mut r);
        let serde = serde_json::to_string(&rec).unwrap_or_default();
        assert_eq!(rec.to_json(), serde, "case {case}");
    }
    let empty = AuditRecord::default();
    assert_eq!(
        empty.to_json(),
        serde_json::to_string(&empty).unwrap_or_default()
    );
}

#[test]
fn every_control_character_is_escaped_as_serde_does() {
    for b in 0u8..=0x7f {
        let s = char::from(b).to_string();
        let mut w = Writer(String::new());
        w.string(&s);
        assert_eq!(w.0, serde_json::to_string(&s).unwrap_or_default(), "{b:#x}");
    }
}
