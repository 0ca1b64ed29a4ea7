//! The model list in OpenAI's shape (`object: list`, `created` in Unix
//! seconds).

use crate::config::Config;
use crate::wire::models::{auto_listed, enabled, quote, May};

/// `auto` is always listed without `access` (OpenAI clients may ask for it
/// even with no model behind it, and get 503).
pub fn list(cfg: &Config, created: u64, may: May) -> String {
    let entry = |id: &str, owner: &str| {
        format!(
            r#"{{"id":{},"object":"model","created":{created},"owned_by":{}}}"#,
            quote(id),
            quote(owner)
        )
    };
    let mut data = Vec::new();
    if cfg.access.is_none() || auto_listed(cfg, may, |_| true) {
        data.push(entry(&cfg.routing.auto.model_name, "clawgate"));
    }
    for m in enabled(cfg, may) {
        let owner = cfg
            .catalog
            .providers
            .get(m.provider)
            .map_or("", |p| p.name.as_str());
        data.push(entry(&m.name, owner));
    }
    format!(r#"{{"object":"list","data":[{}]}}"#, data.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{from_value, tests::sample};
    use serde_json::Value;

    #[test]
    fn lists_auto_and_enabled_models() {
        let pc = from_value(sample(), "h").unwrap();
        let v: Value = serde_json::from_str(&list(&pc.global, 7, &|_| true)).unwrap();
        assert_eq!(v["object"], "list");
        let ids: Vec<&str> = v["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["auto", "gpt-4o-mini", "gpt-4o", "local-qwen"]);
        assert_eq!(v["data"][1]["owned_by"], "openai");
        assert_eq!(v["data"][1]["created"], 7);
        assert_eq!(v["data"][0]["object"], "model");
    }
}
