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
