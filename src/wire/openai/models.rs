//! The model list in OpenAI's shape (`object: list`, `created` in Unix
//! seconds).

use crate::config::Config;
use crate::wire::models::{enabled, quote};

pub fn list(cfg: &Config, created: u64) -> String {
    let entry = |id: &str, owner: &str| {
        format!(
            r#"{{"id":{},"object":"model","created":{created},"owned_by":{}}}"#,
            quote(id),
            quote(owner)
        )
    };
    let mut data = vec![entry(&cfg.auto.model_name, "clawgate")];
    for m in enabled(cfg) {
        let owner = cfg
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
        let v: Value = serde_json::from_str(&list(&pc.global, 7)).unwrap();
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
