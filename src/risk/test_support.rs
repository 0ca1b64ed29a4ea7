//! Helpers shared by the risk engine's test files (one file per rule
//! family: `engine_tests`, `request_tests`, `credential_tests`, …).

use super::*;
use serde_json::{Map, Value};

pub fn engine() -> Engine {
    Engine::compile(&RiskConfig::default()).unwrap()
}

pub fn cfg(v: Value) -> RiskConfig {
    serde_json::from_value(v).unwrap()
}

/// Ids of the rules that hit `text`, sorted.
pub fn ids(e: &Engine, text: &str) -> Vec<String> {
    let mut v: Vec<String> = e.scan_str(text).hits.into_iter().map(|h| h.rule).collect();
    v.sort();
    v
}

pub fn body(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => panic!("not an object"),
    }
}

/// The tests' bodies are OpenAI's unless they say otherwise.
pub trait ScanRequest {
    fn scan_request(&self, body: &mut Map<String, Value>) -> Outcome;
    fn scan_anthropic(&self, body: &mut Map<String, Value>) -> Outcome;
}

impl ScanRequest for Engine {
    fn scan_request(&self, body: &mut Map<String, Value>) -> Outcome {
        self.scan_value(body, &crate::wire::openai::DIALECT.layout)
    }
    fn scan_anthropic(&self, body: &mut Map<String, Value>) -> Outcome {
        self.scan_value(body, &crate::wire::anthropic::DIALECT.layout)
    }
}

/// Which dialect's layout a body is read in.
#[derive(Clone, Copy)]
pub enum Shape {
    Openai,
    Anthropic,
}

impl Shape {
    pub fn layout(self) -> &'static Layout {
        match self {
            Shape::Openai => &crate::wire::openai::DIALECT.layout,
            Shape::Anthropic => &crate::wire::anthropic::DIALECT.layout,
        }
    }
}

/// Hits counted by both readers: the byte reader the filter runs and
/// the value walk the rule tester and the reference use.
pub fn hits_both(e: &Engine, b: Value, shape: Shape) -> u32 {
    let bytes = serde_json::to_vec(&b).unwrap();
    let (doc, scan) = e.read_body(&bytes).unwrap();
    let fast: u32 = e
        .outcome(&doc, &scan, shape.layout(), &[])
        .0
        .hits
        .iter()
        .map(|h| h.count)
        .sum();
    let mut m = body(b);
    let slow = match shape {
        Shape::Openai => e.scan_request(&mut m),
        Shape::Anthropic => e.scan_anthropic(&mut m),
    };
    assert_eq!(fast, slow.hits.iter().map(|h| h.count).sum::<u32>());
    fast
}

/// Does `rule` hit `text`? Asserts first that the filter's windowed scan
/// and the whole-text reference scan agree on it (an anchor list that
/// misses a way the pattern matches shows up here).
pub fn hits_rule(e: &Engine, rule: &str, text: &str) -> bool {
    let naive = e
        .scan_text_naive(text)
        .iter()
        .any(|m| e.rules().nth(m.rule).is_some_and(|r| r.id == rule));
    let got = ids(e, text).iter().any(|r| r == rule);
    assert_eq!(got, naive, "{rule}: engine and naive differ on {text:?}");
    got
}

/// Does `rule` act on `text` (any action above `audit`)?
pub fn rule_acts(e: &Engine, rule: &str, text: &str) -> bool {
    e.scan_str(text)
        .hits
        .iter()
        .any(|h| h.rule == rule && h.action > Action::Audit)
}

/// `rule` acts on `text`, and the prefilter's windows find what the naive
/// scan finds ([`hits_rule`] asserts that).
pub fn found_and_acts(e: &Engine, rule: &str, text: &str) -> bool {
    hits_rule(e, rule, text) && rule_acts(e, rule, text)
}

/// A vendor's made-up key, placed in each of `syntaxes`: `acts` takes it
/// and the prefilter's windows find what the naive scan finds.
pub fn keys_act_in(
    e: &Engine,
    keys: &[(&str, &str)],
    syntaxes: &[fn(&str) -> String],
    acts: fn(&Engine, &str) -> bool,
) {
    for (vendor, key) in keys {
        for place in syntaxes {
            let t = place(key);
            assert!(acts(e, &t), "{vendor}: {t}");
            assert_eq!(
                e.scan_text(&t),
                e.scan_text_naive(&t),
                "{vendor}: windows miss"
            );
        }
    }
}

/// Cut to two thirds, a key is no key, but for the formats in `open`
/// (only a minimum length, or a range the cut stays in).
pub fn cut_keys_do_not_act(
    e: &Engine,
    keys: &[(&str, &str)],
    open: &[&str],
    acts: fn(&Engine, &str) -> bool,
) {
    for (vendor, key) in keys.iter().filter(|(v, _)| !open.contains(v)) {
        let cut = &key[..key.len() * 2 / 3];
        assert!(!acts(e, &format!("see {cut} ok")), "{vendor}");
    }
}

/// Each case's valid value is taken as its kind; the same value with a
/// wrong check, a wrong shape or cut short is not.
pub fn each_kind_takes_its_valid_value_only(cases: &[(ids_world::Kinds, &str, &str, &str, &str)]) {
    for &(k, good, bad_check, bad_shape, short) in cases {
        assert!(ids_world::valid_any(k, good.as_bytes()), "{good}");
        for bad in [bad_check, bad_shape, short] {
            assert!(
                !ids_world::valid_any(k, bad.as_bytes()),
                "{bad} taken as kind {k}"
            );
        }
    }
}
