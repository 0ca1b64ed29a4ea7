//! State every HTTP context of one Envoy worker shares through an `Rc`
//! (each worker has its own VM; what workers share lives in shared data).

use super::abi;
use super::metrics::Metrics;
use crate::label_cap::Labels;
use crate::request_id::IdGen;
use crate::sidecar::Link;

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
pub struct SharedCounters;

impl crate::ratelimit::Store for SharedCounters {
    fn update(&self, key: &str, f: crate::ratelimit::Change) -> bool {
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
