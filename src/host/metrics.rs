//! Envoy counters from the filter. Requests add to per-worker pending
//! deltas (no hostcall); `flush`, from `on_tick`, defines a counter once
//! per name (a hostcall with a string copy) and increments each changed
//! counter once.

use super::abi;
use crate::metrics::Pending;
use std::collections::HashMap;

#[derive(Default)]
pub struct Metrics {
    ids: HashMap<String, u32>,
    pending: Pending,
}

impl Metrics {
    pub fn add(&mut self, name: &str, n: u64) {
        self.pending.add(name, n);
    }

    pub fn flush(&mut self) {
        let ids = &mut self.ids;
        self.pending.flush(&mut |name, n| {
            let id = match ids.get(name) {
                Some(id) => *id,
                None => match abi::define_counter(name) {
                    Ok(id) => {
                        ids.insert(name.to_string(), id);
                        id
                    }
                    Err(_) => return,
                },
            };
            let _ = abi::increment_metric(id, i64::try_from(n).unwrap_or(i64::MAX));
        });
    }
}
