//! `GET /health`, answered by the filter as openclaw-autoproxy answers
//! it: the config in force (its hash), the fallback policy (statuses that
//! switch, attempt limit, global chain) and the models with their
//! providers, protocols and chains. Keys and headers are never listed.

use crate::config::Config;
use serde_json::{json, Value};

pub fn report(cfg: &Config) -> String {
    let name = |i: &usize| cfg.models.get(*i).map(|m| m.name.clone());
    let models: Vec<Value> = cfg
        .models
        .iter()
        .map(|m| {
            json!({
                "name": m.name,
                "provider": cfg.providers.get(m.provider).map(|p| p.name.as_str()),
                "enabled": m.enabled,
                "secure": m.secure,
                "protocols": m.protocols.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
                "fallback": m.fallback.iter().filter_map(name).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "status": "ok",
        "config_hash": cfg.hash,
        "fallback": {
            "on_status": cfg.fallback.on_status,
            "max_attempts": cfg.fallback.max_attempts,
            "chain": cfg.fallback.chain.iter().filter_map(name).collect::<Vec<_>>(),
        },
        "auto": {
            "model_name": cfg.auto.model_name,
            "models": cfg.auto.models.iter().filter_map(name).collect::<Vec<_>>(),
        },
        "models": models,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{from_value, tests::sample};

    #[test]
    fn lists_hash_fallback_and_models_never_keys() {
        let mut v = sample();
        v["fallback"] = json!({"chain": ["gpt-4o-mini"]});
        let pc = from_value(v, "hash1").unwrap();
        let body = report(&pc.global);
        assert!(!body.contains("sk-test"), "no key in {body}");
        let r: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(r["config_hash"], "hash1");
        assert_eq!(
            r["fallback"]["on_status"],
            json!([412, 429, 500, 502, 503, 504])
        );
        assert_eq!(r["fallback"]["chain"], json!(["gpt-4o-mini"]));
        assert_eq!(r["models"][1]["name"], "gpt-4o");
        assert_eq!(r["models"][1]["fallback"], json!(["gpt-4o-mini"]));
        assert_eq!(r["models"][1]["protocols"], json!(["openai"]));
    }
}
