//! `GET /health`, answered by the filter as openclaw-autoproxy answers
//! it: the config in force (its hash), the fallback policy (statuses that
//! switch, attempt limit, global chain) and the models with their
//! providers, protocols and chains. Keys and headers are never listed.
//! Written out rather than through `json!`, which costs the wasm more.

use crate::config::Config;
use std::fmt::Write;

use crate::wire::models::quote as q;

/// A JSON array of the names of these models.
fn names(cfg: &Config, models: &[usize]) -> String {
    let v: Vec<String> = models
        .iter()
        .filter_map(|&i| cfg.catalog.models.get(i).map(|m| q(&m.name)))
        .collect();
    format!("[{}]", v.join(","))
}

pub fn report(cfg: &Config) -> String {
    let mut models = Vec::new();
    for m in &cfg.catalog.models {
        let provider = cfg
            .catalog
            .providers
            .get(m.provider)
            .map_or("", |p| p.name.as_str());
        let protocols: Vec<String> = m.protocols.iter().map(|p| q(p.as_str())).collect();
        models.push(format!(
            r#"{{"name":{},"provider":{},"enabled":{},"secure":{},"protocols":[{}],"fallback":{}}}"#,
            q(&m.name),
            q(provider),
            m.enabled,
            m.secure,
            protocols.join(","),
            names(cfg, &m.fallback)
        ));
    }
    let mut statuses = String::new();
    for (i, s) in cfg.fallback.on_status.iter().enumerate() {
        let _ = write!(statuses, "{}{s}", if i > 0 { "," } else { "" });
    }
    format!(
        r#"{{"status":"ok","config_hash":{},"fallback":{{"on_status":[{statuses}],"max_attempts":{},"chain":{}}},"auto":{{"model_name":{},"models":{}}},"models":[{}]}}"#,
        q(&cfg.hash),
        cfg.fallback.max_attempts,
        names(cfg, &cfg.fallback.chain),
        q(&cfg.routing.auto.model_name),
        names(cfg, &cfg.routing.auto.models),
        models.join(",")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{from_value, tests::sample};
    use serde_json::{json, Value};

    #[test]
    fn lists_hash_fallback_and_models_never_keys() {
        let mut v = sample();
        v["fallback"] = json!({"chain": ["gpt-4o-mini"]});
        v["models"][0]["name"] = json!("mini \"quoted\"");
        v["models"][0]["aliases"] = json!([]);
        v["models"][1]["fallback"] = json!(["mini \"quoted\""]);
        v["fallback"]["chain"] = json!(["gpt-4o"]);
        v["assignments"] = json!(null);
        let pc = from_value(v, "hash1").unwrap();
        let body = report(&pc.global);
        assert!(!body.contains("sk-test"), "no key in {body}");
        let r: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(r["status"], "ok");
        assert_eq!(r["config_hash"], "hash1");
        assert_eq!(
            r["fallback"]["on_status"],
            json!([412, 429, 500, 502, 503, 504])
        );
        assert_eq!(r["fallback"]["max_attempts"], 3);
        assert_eq!(r["fallback"]["chain"], json!(["gpt-4o"]));
        assert_eq!(r["auto"]["models"], json!(["mini \"quoted\"", "gpt-4o"]));
        assert_eq!(r["models"][1]["name"], "gpt-4o");
        assert_eq!(r["models"][1]["provider"], "openai");
        assert_eq!(r["models"][1]["fallback"], json!(["mini \"quoted\""]));
        assert_eq!(r["models"][1]["protocols"], json!(["openai"]));
        assert_eq!(r["models"][2]["enabled"], false);
        assert_eq!(r["models"][3]["secure"], true);
    }
}
