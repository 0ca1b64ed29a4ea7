//! State every HTTP context of one Envoy worker shares through an `Rc`
//! (each worker has its own VM; what workers share lives in shared data).

use super::abi;
use super::metrics::Metrics;
use crate::label_cap::Labels;
use crate::ratelimit::{remote, Window};
use crate::request_id::IdGen;
use crate::sidecar::Link;
use std::cell::RefCell;
use std::rc::Rc;

#[derive(Default)]
pub struct Worker {
    pub ids: IdGen,
    pub metrics: Metrics,
    /// Consumers and pass-through models this worker names in stats; the
    /// rest are `other`.
    pub labels: Labels,
    /// The link to the sidecar: this worker's audit queue (each ships
    /// its own) and the newest budget state any worker pulled.
    pub link: Link,
    /// Rate-limit keys this worker counted under, for the sync with the
    /// sidecar (each worker reports what it touched; the counts are the
    /// gateway's, from shared data).
    pub rate_keys: Rc<RefCell<Vec<String>>>,
}

impl Worker {
    /// This gateway's counts under the keys this worker counted, in
    /// `minute`; keys whose count is of an older minute are forgotten.
    pub fn rate_windows(&self, minute: u64) -> Vec<(String, Window)> {
        let mut keys = self.rate_keys.borrow_mut();
        let mut out = Vec::new();
        keys.retain(|k| {
            let Ok((data, _)) = abi::shared_data(k) else {
                return false;
            };
            let w = Window::at(data.as_deref(), minute);
            let live = w.requests > 0 || w.tokens > 0;
            if live {
                out.push((k.clone(), w));
            }
            live
        });
        out
    }
}

/// This gateway's id, the same for all its workers: the first worker to
/// look writes one (drawn from its id generator); if two race, the last
/// write wins and every worker reads that one from then on.
pub fn gateway_id(ids: &mut IdGen, now_ms: u64) -> String {
    if let Ok((Some(b), _)) = abi::shared_data(remote::GATEWAY_KEY) {
        if let Ok(s) = String::from_utf8(b) {
            return s;
        }
    }
    let id = ids.next(u128::from(now_ms) * 1_000_000);
    let _ = abi::set_shared_data(remote::GATEWAY_KEY, id.as_bytes(), 0);
    // a worker that wrote at the same moment may have won: take what is
    // stored (workers look every tick, long before there is traffic)
    match abi::shared_data(remote::GATEWAY_KEY) {
        Ok((Some(b), _)) => String::from_utf8(b).unwrap_or(id),
        _ => id,
    }
}

/// The shared round-robin counter: one sequence across all workers,
/// advanced with compare-and-swap on Envoy shared data.
pub fn next_round_robin(config_hash: &str) -> u64 {
    let key = format!("clawgate.rr.{config_hash}");
    for _ in 0..16 {
        let Ok((data, cas)) = abi::shared_data(&key) else {
            return 0;
        };
        let cur = data
            .and_then(|b| <[u8; 8]>::try_from(b.as_slice()).ok())
            .map_or(0, u64::from_le_bytes);
        let next = cur.wrapping_add(1).to_le_bytes();
        if abi::set_shared_data(&key, &next, cas).is_ok() {
            return cur;
        }
    }
    0
}

/// Rate-limit counts in Envoy shared data: one value per limit and
/// identity, changed only by compare-and-swap, so every worker's requests
/// count once.
pub struct SharedCounters {
    /// The worker's record of the keys it counted under.
    pub touched: Rc<RefCell<Vec<String>>>,
}

impl crate::ratelimit::Store for SharedCounters {
    fn update(&self, key: &str, f: crate::ratelimit::Change) -> bool {
        if let Ok(mut t) = self.touched.try_borrow_mut() {
            // a few keys per worker and minute: a list is enough
            if !t.iter().any(|k| k == key) {
                t.push(key.to_string());
            }
        }
        // A swap lost to another worker is retried with its value; a store
        // that cannot be read leaves the limit open (never a trap).
        for _ in 0..32 {
            let Ok((data, cas)) = abi::shared_data(key) else {
                return false;
            };
            let Some(new) = f(data.as_deref()) else {
                return false;
            };
            match abi::set_shared_data(key, &new, cas) {
                Ok(()) => return true,
                Err(abi::Status(8)) => continue,
                Err(_) => return false,
            }
        }
        false
    }
}
