//! Envoy counters from the filter: a metric id is defined once per name
//! and cached per worker (defining is a hostcall with a string copy); the
//! lookup borrows the name, so a known counter costs no allocation.

use proxy_wasm::hostcalls;
use proxy_wasm::types::MetricType;
use std::collections::HashMap;

#[derive(Default)]
pub struct Metrics {
    counters: HashMap<String, u32>,
}

impl Metrics {
    pub fn add(&mut self, name: &str, n: u64) {
        if n == 0 {
            return;
        }
        let id = match self.counters.get(name) {
            Some(id) => *id,
            None => match hostcalls::define_metric(MetricType::Counter, name) {
                Ok(id) => {
                    self.counters.insert(name.to_string(), id);
                    id
                }
                Err(_) => return,
            },
        };
        let _ = hostcalls::increment_metric(id, i64::try_from(n).unwrap_or(i64::MAX));
    }
}
