//! Fallback policy: when to retry, which models to try next, and how the
//! replayed request looks. The host only dispatches what this decides.

mod compile;
pub mod settings;

pub use compile::compile;
pub use settings::FallbackConfig;

use crate::catalog::Catalog;
use crate::json::{self, splice, Edit};
use crate::routing::{self, Route, RouteReason, Routing};
use crate::wire::Protocol;

/// Does this upstream status (or Envoy's own local reply) trigger a switch?
pub fn triggers(fb: &FallbackConfig, status: u32) -> bool {
    fb.on_status.iter().any(|s| u32::from(*s) == status)
}

/// Models to try after `route` failed, in order, capped so the total number
/// of attempts stays within `max_attempts`. Empty: no fallback.
pub fn candidates(
    cat: &Catalog,
    rt: &Routing,
    fb: &FallbackConfig,
    route: &Route,
    requested_auto: bool,
    protocol: Protocol,
) -> Vec<usize> {
    let Some(current) = route.model else {
        return Vec::new(); // predicate/default routes have no chain
    };
    let secure_only = route.reason == RouteReason::Secure || route.secure(cat);
    let mut out: Vec<usize> = if secure_only {
        let chain = &cat.models[current].fallback;
        let mut v: Vec<usize> = chain
            .iter()
            .copied()
            .filter(|&m| cat.models[m].secure)
            .collect();
        if v.is_empty() {
            // a secure request may use any other secure model, never an external one
            v = (0..cat.models.len())
                .filter(|&m| m != current && cat.models[m].secure)
                .collect();
        }
        v
    } else if requested_auto {
        let all = routing::auto_candidates(cat, rt);
        match all.iter().position(|&m| m == current) {
            Some(i) => all[i + 1..]
                .iter()
                .chain(all[..i].iter())
                .copied()
                .collect(),
            None => all,
        }
    } else if cat.models[current].fallback.is_empty() {
        fb.chain.clone()
    } else {
        cat.models[current].fallback.clone()
    };
    // A model that cannot read the request is never sent it.
    out.retain(|&m| m != current && cat.models[m].enabled && cat.models[m].speaks(protocol));
    let mut seen = Vec::new();
    out.retain(|m| {
        let fresh = !seen.contains(m);
        seen.push(*m);
        fresh
    });
    out.truncate(fb.max_attempts.saturating_sub(1) as usize);
    if secure_only {
        out.retain(|&m| cat.models[m].secure);
    }
    out
}

/// The forwarded body with `model` set to the candidate's upstream name,
/// spliced in place: every other byte is the one first forwarded.
pub fn body_for(forwarded: &[u8], upstream_model: &str) -> Option<Vec<u8>> {
    let doc = json::outline(forwarded).ok()?;
    let name = splice::quoted(upstream_model);
    let edit = match doc.get("model") {
        Some(m) => Edit {
            start: m.value.start,
            end: m.value.end,
            with: name,
        },
        None => {
            let sep: &[u8] = if doc.members.is_empty() { b"" } else { b"," };
            Edit::insert(doc.close, [sep, b"\"model\":", &name].concat())
        }
    };
    Some(splice::apply(forwarded, vec![edit]))
}

/// One upstream attempt, kept for headers, metrics and the audit record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub model: String,
    pub provider: String,
    /// HTTP status, or 0 when no response arrived (dispatch failed).
    pub status: u32,
    pub duration_ms: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{from_value, tests::sample, Config};
    use crate::routing::Caller;
    use serde_json::json;

    // The whole config's parts, as the exchange hands them over.
    fn resolve(
        c: &Config,
        m: &str,
        who: &Caller,
        rr: &mut dyn FnMut() -> u64,
    ) -> Result<Route, crate::wire::ClientError> {
        routing::resolve(&c.catalog, &c.routing, m, who, rr)
    }
    fn candidates(c: &Config, r: &Route, auto: bool, p: Protocol) -> Vec<usize> {
        super::candidates(&c.catalog, &c.routing, &c.fallback, r, auto, p)
    }
    fn triggers(c: &Config, status: u32) -> bool {
        super::triggers(&c.fallback, status)
    }

    fn names(cfg: &Config, v: &[usize]) -> Vec<String> {
        v.iter()
            .map(|&m| cfg.catalog.models[m].name.clone())
            .collect()
    }

    #[test]
    fn auto_rotates_after_the_failed_one() {
        let mut v = sample();
        v["models"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "m3", "provider": "openai"}));
        v["fallback"] = json!({"max_attempts": 5});
        let pc = from_value(v, "h").unwrap();
        let c = &pc.global;
        let r = resolve(c, "auto", &Caller::default(), &mut || 1).unwrap();
        assert_eq!(r.model_name, "gpt-4o");
        assert_eq!(
            names(c, &candidates(c, &r, true, Protocol::OPENAI)),
            ["m3", "gpt-4o-mini"]
        );
    }

    #[test]
    fn pinned_uses_chain_and_caps_attempts() {
        let mut v = sample();
        v["models"][1]["fallback"] = json!(["mini", "local-qwen"]);
        v["fallback"] = json!({"max_attempts": 2});
        let pc = from_value(v, "h").unwrap();
        let c = &pc.global;
        let r = resolve(c, "gpt-4o", &Caller::default(), &mut || 0).unwrap();
        assert_eq!(
            names(c, &candidates(c, &r, false, Protocol::OPENAI)),
            ["gpt-4o-mini"]
        );
        let r = resolve(c, "mini", &Caller::default(), &mut || 0).unwrap();
        assert!(
            candidates(c, &r, false, Protocol::OPENAI).is_empty(),
            "no chain, no fallback"
        );
        let r = resolve(c, "qwen-x", &Caller::default(), &mut || 0).unwrap();
        assert!(candidates(c, &r, false, Protocol::OPENAI).is_empty());
    }

    #[test]
    fn secure_routes_only_fall_back_to_secure_models() {
        let mut v = sample();
        v["providers"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "local2", "secure": true}));
        v["models"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "local-b", "provider": "local2"}));
        v["models"][3]["fallback"] = json!(["gpt-4o"]);
        let pc = from_value(v, "h").unwrap();
        let c = &pc.global;
        let r = resolve(c, "gpt-4o", &Caller::default(), &mut || 0).unwrap();
        let s = routing::to_secure(&c.catalog, &c.routing, &r).unwrap();
        assert_eq!(
            names(c, &candidates(c, &s, false, Protocol::OPENAI)),
            ["local-b"]
        );
        assert_eq!(
            names(c, &candidates(c, &s, true, Protocol::OPENAI)),
            ["local-b"]
        );
    }

    #[test]
    fn triggers_and_body() {
        let pc = from_value(sample(), "h").unwrap();
        for s in [412, 429, 500, 502, 503, 504] {
            assert!(triggers(&pc.global, s));
        }
        for s in [200, 400, 401, 404] {
            assert!(!triggers(&pc.global, s));
        }
        let b = body_for(br#"{"model":"a","messages":[1]}"#, "b").unwrap();
        assert_eq!(b, br#"{"model":"b","messages":[1]}"#);
        assert!(body_for(b"[1]", "b").is_none());
    }

    #[test]
    fn a_replay_changes_only_the_model() {
        let b = br#"{ "messages": [{"content": "caf\u00e9"}], "model" : "a" }"#;
        assert_eq!(
            body_for(b, "b\"x").unwrap(),
            br#"{ "messages": [{"content": "caf\u00e9"}], "model" : "b\"x" }"#
        );
        assert_eq!(
            body_for(br#"{"n":1}"#, "b").unwrap(),
            br#"{"n":1,"model":"b"}"#
        );
        assert_eq!(body_for(b"{ }", "b").unwrap(), br#"{ "model":"b"}"#);
    }
}
