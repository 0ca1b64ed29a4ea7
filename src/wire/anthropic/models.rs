//! The model list in Anthropic's shape, for an Anthropic client.

use crate::catalog::Model;
use crate::config::Config;
use crate::wire::models::{auto_listed, enabled, quote, May};
use crate::wire::protocol::Protocol;

/// The list in Anthropic's shape, for an Anthropic client: one page with
/// `has_more: false`, `created_at` as RFC 3339. Only models that speak
/// Anthropic Messages are listed (`auto` when one of its models does).
pub fn list(cfg: &Config, created: u64, may: May) -> String {
    let at = crate::budget::period::iso_utc(i64::try_from(created).unwrap_or(0) * 1000);
    let anthropic = |m: &&Model| m.speaks(Protocol::ANTHROPIC);
    let auto =
        auto_listed(cfg, may, |m| anthropic(&m)).then_some(cfg.routing.auto.model_name.as_str());
    let ids: Vec<&str> = auto
        .into_iter()
        .chain(enabled(cfg, may).filter(anthropic).map(|m| m.name.as_str()))
        .collect();
    let data: Vec<String> = ids
        .iter()
        .map(|id| {
            let q = quote(id);
            format!(r#"{{"type":"model","id":{q},"display_name":{q},"created_at":"{at}"}}"#)
        })
        .collect();
    let end = |id: Option<&&str>| id.map_or("null".to_string(), |s| quote(s));
    format!(
        r#"{{"data":[{}],"has_more":false,"first_id":{},"last_id":{}}}"#,
        data.join(","),
        end(ids.first()),
        end(ids.last())
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{from_value, tests::sample};
    use serde_json::Value;

    #[test]
    fn anthropic_clients_get_anthropics_shape() {
        let mut v = sample();
        v["models"][1]["protocols"] = serde_json::json!(["anthropic"]);
        let pc = from_value(v, "h").unwrap();
        let v: Value = serde_json::from_str(&list(&pc.global, 86_400, &|_| true)).unwrap();
        assert_eq!(v["has_more"], false);
        let data = v["data"].as_array().unwrap();
        let ids: Vec<&str> = data.iter().map(|m| m["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["auto", "gpt-4o"], "only models that speak Messages");
        assert_eq!(
            (v["first_id"].as_str(), v["last_id"].as_str()),
            (Some("auto"), Some("gpt-4o"))
        );
        assert_eq!(data[1]["type"], "model");
        assert_eq!(data[1]["display_name"], "gpt-4o");
        assert_eq!(data[1]["created_at"], "1970-01-02T00:00:00Z");
        assert!(data[1].get("object").is_none());
    }
}
