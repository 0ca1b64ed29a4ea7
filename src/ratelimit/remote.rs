//! Rate limits across gateways, shared the way budgets are: through the
//! sidecar. Every `SYNC_MS` each worker sends the sidecar this gateway's
//! counts (read from shared data) for the limit keys it counted, and the
//! sidecar answers with what every *other* gateway on its store counted in
//! the same minute, summed per limit and key. A request is then admitted
//! only while this gateway's own (exact) count plus the others' last
//! reported one is under the limit.
//!
//! The counts sent are absolute (this gateway's whole window, not a
//! delta), so a retried or repeated report counts once: the sidecar keeps
//! the largest it has seen per gateway, limit, key and minute. Within a
//! minute counts only grow, so an old answer only under-counts the others:
//! a sidecar that stops answering leaves each gateway counting alone (the
//! limit is never closed by a broken link).

use super::Window;

/// The sidecar path of the sync call.
pub const SYNC_PATH: &str = "/v1/ratelimits/sync";
/// How often a worker syncs (it also bounds how stale the others' counts
/// are: see docs/access.md's overshoot bound).
pub const SYNC_MS: u64 = 1000;
/// Shared-data keys of the counts: `clawgate.rl.<limit>.<identity or *>`.
pub const KEY_PREFIX: &str = "clawgate.rl.";
/// Shared-data key of this gateway's id (one per Envoy, all workers).
pub const GATEWAY_KEY: &str = "clawgate.gateway";

/// The shared-data key of one limit's count for one identity (or `*`).
pub fn shared_key(limit: &str, id: &str) -> String {
    format!("{KEY_PREFIX}{limit}.{id}")
}

/// (limit, identity) from a shared-data key; limit names hold no `.`.
pub fn split_key(key: &str) -> Option<(&str, &str)> {
    key.strip_prefix(KEY_PREFIX)?.split_once('.')
}

/// What the other gateways counted in one minute, by shared-data key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Remote {
    pub minute: u64,
    /// (shared-data key, requests, tokens), sorted by key (a sorted list
    /// costs the wasm less than another map type).
    pub counts: Vec<(String, u64, u64)>,
}

impl Remote {
    /// The others' (requests, tokens) under `key` in `minute`; nothing
    /// when the answer is of another minute.
    pub fn get(&self, key: &str, minute: u64) -> (u64, u64) {
        if self.minute != minute {
            return (0, 0);
        }
        match self.counts.binary_search_by(|(k, ..)| k.as_str().cmp(key)) {
            Ok(i) => (self.counts[i].1, self.counts[i].2),
            Err(_) => (0, 0),
        }
    }

    /// Adds the others' count under `key` (test and parse helper).
    pub fn insert(&mut self, key: String, requests: u64, tokens: u64) {
        match self.counts.binary_search_by(|(k, ..)| k.as_str().cmp(&key)) {
            Ok(i) => self.counts[i] = (key, requests, tokens),
            Err(i) => self.counts.insert(i, (key, requests, tokens)),
        }
    }

    /// The sidecar's answer: `{"minute": M, "usage": [{"limit", "key",
    /// "requests", "tokens"}]}`; `None` for anything else.
    pub fn from_answer(body: &[u8]) -> Option<Remote> {
        let v: serde_json::Value = serde_json::from_slice(body).ok()?;
        let minute = v.get("minute")?.as_u64()?;
        let mut r = Remote {
            minute,
            counts: Vec::new(),
        };
        for u in v.get("usage")?.as_array()? {
            let n = |k: &str| u.get(k).and_then(serde_json::Value::as_u64).unwrap_or(0);
            let limit = u.get("limit")?.as_str()?;
            let key = u.get("key")?.as_str()?;
            r.insert(shared_key(limit, key), n("requests"), n("tokens"));
        }
        Some(r)
    }
}

/// The sync call's body: this gateway's id, the minute it asks about, and
/// its counts under the keys given (each a window of that minute).
pub fn sync_body(gateway: &str, minute: u64, windows: &[(String, Window)]) -> Vec<u8> {
    let usage: Vec<serde_json::Value> = windows
        .iter()
        .filter_map(|(k, w)| {
            let (limit, key) = split_key(k)?;
            Some(serde_json::json!({
                "limit": limit,
                "key": key,
                "minute": w.minute,
                "requests": w.requests,
                "tokens": w.tokens,
            }))
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "gateway": gateway,
        "minute": minute,
        "usage": usage,
    }))
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_split_at_the_limit_name() {
        let k = shared_key("tpm", "alice.example");
        assert_eq!(split_key(&k), Some(("tpm", "alice.example")));
        assert_eq!(split_key("clawgate.budget.x"), None);
    }

    #[test]
    fn the_answer_counts_only_in_its_minute() {
        let r = Remote::from_answer(
            br#"{"minute": 7, "usage": [{"limit": "tpm", "key": "*", "requests": 3, "tokens": 90}]}"#,
        )
        .unwrap();
        assert_eq!(r.get("clawgate.rl.tpm.*", 7), (3, 90));
        assert_eq!(r.get("clawgate.rl.tpm.*", 8), (0, 0));
        assert_eq!(r.get("clawgate.rl.tpm.bob", 7), (0, 0));
        assert_eq!(Remote::from_answer(b"nope"), None);
        assert_eq!(Remote::from_answer(br#"{"minute": 7}"#), None);
    }

    #[test]
    fn the_body_names_each_limit_and_key() {
        let w = Window {
            minute: 7,
            requests: 2,
            tokens: 36,
        };
        let b = sync_body("gw-1", 7, &[(shared_key("tpm", "alice"), w)]);
        let v: serde_json::Value = serde_json::from_slice(&b).unwrap();
        assert_eq!(v["gateway"], "gw-1");
        assert_eq!(v["minute"], 7);
        assert_eq!(v["usage"][0]["limit"], "tpm");
        assert_eq!(v["usage"][0]["key"], "alice");
        assert_eq!(v["usage"][0]["tokens"], 36);
    }
}
