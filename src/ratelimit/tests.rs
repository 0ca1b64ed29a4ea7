use super::*;
use crate::config::{from_value, tests::sample};
use serde_json::json;
use std::cell::RefCell;
use std::collections::HashMap;

/// A map for the shared data, updated as the host does (no concurrency
/// here: each update is atomic by construction).
#[derive(Default)]
struct Map(RefCell<HashMap<String, Vec<u8>>>);

impl Store for Map {
    fn update(&self, key: &str, f: crate::ratelimit::Change) -> bool {
        let old = self.0.borrow().get(key).cloned();
        match f(old.as_deref()) {
            Some(v) => {
                self.0.borrow_mut().insert(key.to_string(), v);
                true
            }
            None => false,
        }
    }
}

fn limits(v: serde_json::Value) -> RateLimits {
    let mut c = sample();
    c["rate_limits"] = json!({ "limits": v });
    let pc = from_value(c, "h").unwrap();
    pc.global.rate_limits.clone().unwrap()
}

fn user(u: &str) -> Subject<'_> {
    Subject {
        user: Some(u),
        instance: None,
    }
}

const T0: u64 = 1_800_000_000_000; // a minute's start

#[test]
fn requests_per_minute_are_exact_and_reset_with_the_minute() {
    let rl = limits(json!([{"name": "rpm", "match": "*", "requests_per_minute": 3}]));
    let s = Map::default();
    for i in 0..3 {
        assert!(
            rl.admit(user("a"), Some(0), T0 + i, &s, None).is_ok(),
            "request {i}"
        );
    }
    let over = rl
        .admit(user("a"), Some(0), T0 + 10_000, &s, None)
        .unwrap_err();
    assert_eq!((over.limit.as_str(), over.requests_left), ("rpm", 0));
    assert_eq!(over.retry_after_s(T0 + 10_000), 50);
    assert!(
        rl.admit(user("b"), Some(0), T0, &s, None).is_ok(),
        "one count per identity"
    );
    assert!(
        rl.admit(user("a"), Some(0), T0 + 60_000, &s, None).is_ok(),
        "a new minute"
    );
}

#[test]
fn shared_limits_count_everyone_together_and_models_narrow_them() {
    let rl = limits(json!([{"name": "team", "match": "w-*", "shared": true,
        "models": ["gpt-4o"], "requests_per_minute": 2}]));
    let s = Map::default();
    let gpt4o = Some(1);
    assert!(rl.admit(user("w-1"), gpt4o, T0, &s, None).is_ok());
    assert!(rl.admit(user("w-2"), gpt4o, T0, &s, None).is_ok());
    assert!(rl.admit(user("w-3"), gpt4o, T0, &s, None).is_err());
    assert!(
        rl.admit(user("w-3"), Some(0), T0, &s, None).is_ok(),
        "another model"
    );
    assert!(
        rl.admit(user("boss"), gpt4o, T0, &s, None).is_ok(),
        "not matched"
    );
    assert!(
        rl.admit(Subject::default(), gpt4o, T0, &s, None).is_ok(),
        "no identity"
    );
}

#[test]
fn tokens_are_charged_when_known_and_refuse_the_next_request() {
    let rl = limits(json!([{"name": "tpm", "match": "*", "tokens_per_minute": 100}]));
    let s = Map::default();
    let held = rl.admit(user("a"), Some(0), T0, &s, None).unwrap();
    let held2 = rl.admit(user("a"), Some(0), T0, &s, None).unwrap();
    rl.charge(&held, 60, T0 + 1, &s);
    assert!(
        rl.admit(user("a"), Some(0), T0 + 2, &s, None).is_ok(),
        "60 of 100"
    );
    rl.charge(&held2, 60, T0 + 3, &s); // in flight when the first was charged: overshoot
    let over = rl.admit(user("a"), Some(0), T0 + 4, &s, None).unwrap_err();
    assert_eq!((over.tokens_left, over.tpm), (0, Some(100)));
    assert!(over.message().contains("100 tokens per minute"));
}

#[test]
fn a_refusal_gives_back_what_earlier_limits_took() {
    let rl = limits(json!([
        {"name": "loose", "match": "*", "requests_per_minute": 10},
        {"name": "tight", "match": "a", "requests_per_minute": 1}]));
    let s = Map::default();
    assert!(rl.admit(user("a"), None, T0, &s, None).is_ok());
    for _ in 0..5 {
        assert_eq!(
            rl.admit(user("a"), None, T0, &s, None).unwrap_err().limit,
            "tight"
        );
    }
    let w = Window::at(
        s.0.borrow().get("clawgate.rl.loose.a").map(Vec::as_slice),
        T0 / 60_000,
    );
    assert_eq!(w.requests, 1, "refused requests are not counted");
}

#[test]
fn an_unreadable_store_fails_open() {
    struct Broken;
    impl Store for Broken {
        fn update(&self, _: &str, _: &mut dyn FnMut(Option<&[u8]>) -> Option<Vec<u8>>) -> bool {
            false
        }
    }
    let rl = limits(json!([{"name": "rpm", "match": "*", "requests_per_minute": 1}]));
    for _ in 0..3 {
        assert!(rl.admit(user("a"), None, T0, &Broken, None).is_ok());
    }
}

#[test]
fn headers_speak_both_sdks() {
    let rl = limits(
        json!([{"name": "rpm", "match": "*", "requests_per_minute": 1,
        "tokens_per_minute": 50}]),
    );
    let s = Map::default();
    rl.admit(user("a"), None, T0, &s, None).unwrap();
    let over = rl
        .admit(user("a"), None, T0 + 59_500, &s, None)
        .unwrap_err();
    let h: HashMap<_, _> = headers::for_over(&over, T0 + 59_500).into_iter().collect();
    assert_eq!(h["retry-after"], "1");
    assert_eq!(h["x-ratelimit-limit-requests"], "1");
    assert_eq!(h["x-ratelimit-remaining-requests"], "0");
    assert_eq!(h["x-ratelimit-reset-requests"], "1s");
    assert_eq!(h["x-ratelimit-remaining-tokens"], "50");
    assert_eq!(h["anthropic-ratelimit-requests-remaining"], "0");
    assert!(
        h["anthropic-ratelimit-requests-reset"].ends_with(":00Z"),
        "{}",
        h["anthropic-ratelimit-requests-reset"]
    );
}

#[test]
fn mistakes_name_their_key_path() {
    let mut c = sample();
    c["rate_limits"] = json!({"limits": [
        {"name": "a b", "match": "*", "requests_per_minute": 1},
        {"name": "x", "match": "*", "models": ["nope"]},
        {"name": "x", "match": "", "tokens_per_minute": -1}]});
    let errs = from_value(c, "h").unwrap_err();
    let paths: Vec<&str> = errs.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "rate_limits.limits[0].name",
            "rate_limits.limits[1].models[0]",
            "rate_limits.limits[1]",
            "rate_limits.limits[2].name",
            "rate_limits.limits[2].match",
            "rate_limits.limits[2].tokens_per_minute",
            "rate_limits.limits[2]",
        ]
    );
}

// the schema types exist natively only (`clawgate schema`)
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn the_schema_names_the_keys_the_reader_reads() {
    use super::settings::{RawRateLimits, KEYS, LIMIT_KEYS};
    use crate::section::assert_schema_keys;
    let s = serde_json::to_value(schemars::schema_for!(RawRateLimits)).unwrap();
    assert_schema_keys(&s, KEYS);
    assert_schema_keys(&s["definitions"]["RawRateLimit"], LIMIT_KEYS);
}

#[test]
fn other_gateways_counts_add_to_this_ones_in_their_minute() {
    let rl = limits(json!([
        {"name": "tpm", "match": "*", "shared": true, "tokens_per_minute": 100},
        {"name": "rpm", "match": "*", "requests_per_minute": 3}]));
    let s = Map::default();
    let minute = T0 / 60_000;
    let mut remote = Remote {
        minute,
        ..Remote::default()
    };
    remote.insert("clawgate.rl.rpm.a".into(), 2, 0);
    let held = rl.admit(user("a"), None, T0, &s, Some(&remote)).unwrap();
    let over = rl
        .admit(user("a"), None, T0, &s, Some(&remote))
        .unwrap_err();
    assert_eq!(
        (over.limit.as_str(), over.requests_left),
        ("rpm", 0),
        "1 here + 2 elsewhere"
    );
    assert!(
        rl.admit(user("b"), None, T0, &s, Some(&remote)).is_ok(),
        "b's own count"
    );
    rl.charge(&held, 40, T0, &s);
    remote.insert("clawgate.rl.tpm.*".into(), 0, 60);
    let over = rl
        .admit(user("c"), None, T0, &s, Some(&remote))
        .unwrap_err();
    assert_eq!(
        (over.limit.as_str(), over.tokens_left),
        ("tpm", 0),
        "40 here + 60 elsewhere"
    );
    // an answer of the last minute says nothing of this one
    assert!(rl
        .admit(user("c"), None, T0 + 60_000, &s, Some(&remote))
        .is_ok());
}
