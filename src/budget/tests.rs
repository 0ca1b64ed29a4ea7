use super::*;
use std::collections::BTreeMap;
use std::rc::Rc;

fn limit(name: &str, pattern: &str) -> Limit {
    Limit {
        name: name.into(),
        scope: crate::scope::Scope {
            who: Who::User,
            pattern: pattern.into(),
            shared: false,
            models: vec![],
            model_names: vec![],
        },
        period: Period::Day,
        max_tokens: Some(1000),
        max_cost_micros: None,
        currency: None,
        on_over: OnOver::Block,
        soft_at: Some(0.8),
    }
}

fn budgets(limits: Vec<Limit>) -> Budgets {
    Budgets {
        limits,
        pull_interval_ms: 1000,
        stale_after_ms: 10_000,
        when_unknown: WhenUnknown::Open,
        offset_min: 0,
        path: "/v1/budgets/state".into(),
    }
}

fn snap(name: &str, who: &str, tokens: u64, cost: u64) -> Snapshot {
    let mut spend = BTreeMap::new();
    spend.insert(
        who.to_string(),
        Spend {
            tokens,
            cost_micros: cost,
        },
    );
    Snapshot {
        fetched_ms: 100_000,
        limits: vec![LimitState {
            name: name.into(),
            period_start_ms: 0,
            reset_ms: 200_000,
            spend,
        }],
    }
}

fn alice() -> Subject<'static> {
    Subject {
        user: Some("worker-alice"),
        instance: None,
    }
}

#[test]
fn under_soft_over() {
    let b = budgets(vec![limit("daily", "worker-*")]);
    let at = |tokens| {
        decide(
            &b,
            Some(&snap("daily", "worker-alice", tokens, 0)),
            alice(),
            None,
            100_500,
        )
    };
    assert_eq!(at(100), Verdict::Allow);
    assert_eq!(
        at(850),
        Verdict::Soft {
            limit: "daily".into(),
            percent: 85
        }
    );
    let Verdict::Block(over) = at(1000) else {
        panic!("over the limit")
    };
    assert_eq!(over.spent, "1000 of 1000 tokens");
    assert_eq!(over.retry_after_s(100_500), 100);
    assert!(
        over.message().contains("resets at 1970-01-01T00:03:20Z"),
        "{}",
        over.message()
    );
}

#[test]
fn who_and_which_model() {
    let mut l = limit("daily", "worker-*");
    l.scope.models = vec![3];
    let b = budgets(vec![l]);
    let s = snap("daily", "worker-alice", 5000, 0);
    assert!(matches!(
        decide(&b, Some(&s), alice(), Some(3), 100_500),
        Verdict::Block(_)
    ));
    assert_eq!(
        decide(&b, Some(&s), alice(), Some(4), 100_500),
        Verdict::Allow,
        "other model"
    );
    let boss = Subject {
        user: Some("boss"),
        instance: None,
    };
    assert_eq!(
        decide(&b, Some(&s), boss, Some(3), 100_500),
        Verdict::Allow,
        "pattern"
    );
    assert_eq!(
        decide(&b, Some(&s), Subject::default(), Some(3), 100_500),
        Verdict::Allow,
        "no identity, no budget"
    );
}

#[test]
fn shared_budgets_use_one_key() {
    let mut l = limit("pool", "worker-*");
    l.scope.shared = true;
    let b = budgets(vec![l]);
    let s = snap("pool", "*", 2000, 0);
    assert!(matches!(
        decide(&b, Some(&s), alice(), None, 100_500),
        Verdict::Block(_)
    ));
}

#[test]
fn cost_limits_and_downgrades() {
    let mut l = limit("money", "*");
    l.max_tokens = None;
    l.max_cost_micros = Some(5_000_000);
    l.currency = Some("USD".into());
    l.on_over = OnOver::Downgrade(7);
    let b = budgets(vec![l]);
    let s = snap("money", "worker-alice", 0, 5_200_000);
    match decide(&b, Some(&s), alice(), Some(1), 100_500) {
        Verdict::Downgrade { over, to } => {
            assert_eq!((over.spent.as_str(), to), ("5.2 of 5 USD", 7));
        }
        v => panic!("{v:?}"),
    }
    assert_eq!(
        decide(&b, Some(&s), alice(), Some(7), 100_500),
        Verdict::Allow,
        "the cheaper model itself is served"
    );
}

#[test]
fn strongest_limit_wins() {
    let soft = limit("soft", "*");
    let mut hard = limit("hard", "worker-*");
    hard.max_tokens = Some(10);
    let b = budgets(vec![soft, hard]);
    let mut s = snap("soft", "worker-alice", 900, 0);
    s.limits
        .push(snap("hard", "worker-alice", 11, 0).limits.remove(0));
    let Verdict::Block(over) = decide(&b, Some(&s), alice(), None, 100_500) else {
        panic!()
    };
    assert_eq!(over.limit, "hard");
}

#[test]
fn stale_unknown_and_reset() {
    let b = budgets(vec![limit("daily", "*")]);
    let s = snap("daily", "worker-alice", 5000, 0);
    // past the period's end the spend is from the old period
    assert_eq!(decide(&b, Some(&s), alice(), None, 200_000), Verdict::Allow);
    // older than stale_after_ms: unknown
    assert_eq!(
        decide(&b, Some(&s), alice(), None, 110_001),
        Verdict::Allow,
        "open"
    );
    let mut closed = b.clone();
    closed.when_unknown = WhenUnknown::Closed;
    assert_eq!(
        decide(&closed, Some(&s), alice(), None, 110_001),
        Verdict::Unknown
    );
    assert_eq!(
        decide(&closed, None, alice(), None, 1),
        Verdict::Unknown,
        "never pulled"
    );
    assert!(matches!(
        decide(&closed, Some(&s), alice(), None, 100_001),
        Verdict::Block(_)
    ));
}

const ANSWER: &[u8] =
    br#"{"fetched_ms":0,"limits":[{"name":"d","period_start_ms":0,"reset_ms":200000,
    "spend":{"x":{"tokens":2,"cost_micros":3}}}]}"#;

#[test]
fn the_sidecar_answer_and_the_newest_state() {
    let s = Snapshot::from_sidecar(ANSWER, 5).unwrap();
    assert_eq!(s.fetched_ms, 5);
    assert_eq!(
        s.limits[0].spend["x"],
        Spend {
            tokens: 2,
            cost_micros: 3
        }
    );
    assert_eq!(s.limits[0].reset_ms, 200_000);
    let mine = Rc::new(s.clone());
    let newer = Snapshot::shared_bytes(ANSWER, 6);
    assert_eq!(
        Snapshot::newer(Some(&mine), &newer).map(|s| s.fetched_ms),
        Some(6)
    );
    let same = Snapshot::shared_bytes(ANSWER, 5);
    assert_eq!(Snapshot::newer(Some(&mine), &same), None);
    assert_eq!(Snapshot::newer(None, b"garbage"), None);
    assert_eq!(Snapshot::from_sidecar(b"{\"limits\":[{}]}", 1), None);
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn the_sidecar_parses_the_query_the_filter_sends() {
    let mut l = limit("d", "worker-*");
    l.scope.model_names = vec!["big".into()];
    let b = budgets(vec![l]);
    let q: Query = serde_json::from_value(b.query()).unwrap();
    assert_eq!(q.limits[0].pattern, "worker-*");
    assert_eq!(
        (q.limits[0].who, q.limits[0].period),
        (Who::User, Period::Day)
    );
    assert_eq!(q.limits[0].models, ["big"]);
    // and the filter reads what the sidecar writes
    let st = Snapshot::from_sidecar(ANSWER, 0).unwrap();
    let back = serde_json::to_vec(&st).unwrap();
    assert_eq!(Snapshot::from_sidecar(&back, 0), Some(st));
}
