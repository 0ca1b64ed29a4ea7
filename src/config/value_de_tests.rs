//! `value_de` must give what serde_path_to_error over serde_json's `Value`
//! gave before it: the same value for a good document, the same path and
//! message for a bad one.

use crate::config::schema::RawConfig;
use crate::config::tests::sample;
use serde_json::{json, Value};

/// The parsed config's Debug text, or the error's (path, message).
type Read = Result<String, (String, String)>;

/// What each reader makes of `v`: ours, then the reference.
fn both(v: &Value) -> (Read, Read) {
    let ours = super::from_value::<RawConfig>(v.clone())
        .map(|c| format!("{c:?}"))
        .map_err(|e| (e.path(), e.message().to_string()));
    let theirs = serde_path_to_error::deserialize::<_, RawConfig>(v.clone())
        .map(|c| format!("{c:?}"))
        .map_err(|e| {
            let path = e.path().to_string();
            let path = if path == "." { String::new() } else { path };
            (path, e.into_inner().to_string())
        });
    (ours, theirs)
}

fn with(pointer: &str, value: Value) -> Value {
    let mut v = sample();
    let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    let slot = if parent.is_empty() {
        &mut v
    } else {
        v.pointer_mut(parent).unwrap()
    };
    match slot {
        Value::Object(m) => {
            m.insert(key.to_string(), value);
        }
        Value::Array(a) => a[key.parse::<usize>().unwrap()] = value,
        _ => panic!("{pointer}"),
    }
    v
}

#[test]
fn good_documents_read_the_same() {
    let mut full = sample();
    full["risk"] = json!({
        "packs": ["pii"], "disable": ["x"], "scan": "last_user", "mode": "shadow",
        "overrides": {"email": {"action": "mask", "severity": "low", "restore": true}},
        "rules": [{"id": "r1", "pattern": "a+b", "keywords": ["ab"], "action": "block"}]
    });
    full["fallback"] = json!({"chain": ["gpt-4o"], "on_status": [429], "max_attempts": 2});
    full["audit"] = json!({"payloads": "full", "batch_max": 10});
    full["budgets"] = json!({"limits": [{"name": "d", "match": "*", "period": "day",
        "max_cost": 1.5, "identity": "instance"}], "when_unknown": "closed"});
    full["metrics"] = json!({"ai_log": "auto", "ai_statistics": "emit", "max_consumers": 3});
    full["auto"] = json!({"strategy": "first", "models": []});
    full["models"][0]["pricing"]["input_per_1m"] = json!(3);
    // the externally tagged form of a unit variant
    let tagged = with("auto", json!({"strategy": {"first": null}}));
    for v in [sample(), full, tagged, json!({})] {
        let (ours, theirs) = both(&v);
        assert!(ours.is_ok(), "{ours:?}");
        assert_eq!(ours, theirs, "{v}");
    }
}

#[test]
fn bad_documents_fail_at_the_same_path_with_the_same_words() {
    let cases = [
        with("providerz", json!([])),
        with("/models/0/pricing/ouput_per_1m", json!(2)),
        with("/models/0/pricing/input_per_1m", json!("cheap")),
        with("/models/0/pricing/input_per_1m", json!(null)),
        with("/models/0/pricing/currency", json!(1.25)),
        with("/models/0/pricing/currency", json!(-7)),
        with("/models/0/pricing/currency", json!(true)),
        with("/models/0/pricing/currency", json!({"a": 1})),
        with("/models/0/pricing/currency", json!([1])),
        with("/models/0/context_window", json!(-1)),
        with("/models/0/context_window", json!(2.5)),
        with("/models/0/context_window", json!(1e300)),
        with("/models/0/aliases/0", json!(3)),
        with("/models/0/aliases", json!("mini")),
        with("/models/2", json!({"provider": "openai"})),
        with("/models/2", json!("m")),
        with(
            "/models/2",
            json!([
                "m",
                "openai",
                null,
                ["a"],
                false,
                true,
                1,
                1,
                false,
                null,
                [],
                null,
                "extra"
            ]),
        ),
        with("/models/2", json!(["m"])),
        with("/providers/0/headers", json!({"x-a": 1})),
        with("/providers/0/headers", json!(["x"])),
        with("/providers/0/protocols", json!("openai")),
        with("/providers/0/timeout_ms", json!("1s")),
        with("fallback", json!({"on_status": [70000]})),
        with("fallback", json!({"on_status": [-1]})),
        with("fallback", json!({"max_attempts": 5_000_000_000u64})),
        with("auto", json!({"strategy": "random"})),
        with("auto", json!({"strategy": 1})),
        with("auto", json!({"strategy": {"first": 1}})),
        with(
            "auto",
            json!({"strategy": {"first": null, "round_robin": null}}),
        ),
        with("auto", json!({"strategy": {"nope": null}})),
        with("auto", json!({"strategy": {}})),
        with("auto", json!(null)),
        with("risk", json!({"overrides": {"email": {"action": "shout"}}})),
        with("risk", json!({"overrides": {"email": {"shadow": "yes"}}})),
        with("risk", json!({"rules": [{"id": "r"}]})),
        with(
            "risk",
            json!({"rules": [{"id": "r", "pattern": "x", "keywords": [1]}]}),
        ),
        with("metrics", json!({"ai_log": "sometimes"})),
        with("metrics", json!({"ai_log": 1})),
        with("metrics", json!({"ai_log": 0.5})),
        with(
            "budgets",
            json!({"limits": [{"name": "d", "match": "*", "period": "year"}]}),
        ),
        with(
            "budgets",
            json!({"limits": [{"name": "d", "match": "*", "period": "day",
            "max_cost": "1"}]}),
        ),
        with("max_body_bytes", json!(-5)),
        with("max_body_bytes", json!(1.0)),
        with("path_prefix", json!(null)),
        with("default_provider", json!(["openai"])),
        json!([1]),
        json!("config"),
        json!(7),
        Value::Null,
    ];
    for v in cases {
        let (ours, theirs) = both(&v);
        assert!(ours.is_err(), "{v}");
        assert_eq!(ours, theirs, "{v}");
    }
}
