//! Envoy stats from the filter: metric ids are defined once per name and
//! cached per worker (defining is a hostcall with a string copy).

use proxy_wasm::hostcalls;
use proxy_wasm::types::MetricType;
use std::collections::HashMap;

#[derive(Default)]
pub struct Metrics {
    ids: HashMap<(String, u8), u32>,
}

impl Metrics {
    fn id(&mut self, kind: MetricType, name: &str) -> Option<u32> {
        let key = (name.to_string(), kind as u8);
        if let Some(id) = self.ids.get(&key) {
            return Some(*id);
        }
        let id = hostcalls::define_metric(kind, name).ok()?;
        self.ids.insert(key, id);
        Some(id)
    }

    pub fn add(&mut self, name: &str, n: u64) {
        if n == 0 {
            return;
        }
        if let Some(id) = self.id(MetricType::Counter, name) {
            let _ = hostcalls::increment_metric(id, i64::try_from(n).unwrap_or(i64::MAX));
        }
    }
}
