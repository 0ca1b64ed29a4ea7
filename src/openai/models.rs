//! `GET /v1/models` answered from the config: enabled models plus `auto`.
//! Written out rather than through `json!`, which costs the wasm more.

use crate::config::Config;

/// A JSON string.
pub(crate) fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// Which configured models the caller may use (`access`).
pub type May<'a> = &'a dyn Fn(usize) -> bool;

/// The list in OpenAI's shape (`object: list`, `created` in Unix seconds):
/// `auto` when one of its models is the caller's to use, and the enabled
/// models the caller may use.
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

/// The list in Anthropic's shape, for an Anthropic client: one page with
/// `has_more: false`, `created_at` as RFC 3339. Only models that speak
/// Anthropic Messages are listed (`auto` when one of its models does).
pub fn list_anthropic(cfg: &Config, created: u64, may: May) -> String {
    let at = crate::budget::period::iso_utc(i64::try_from(created).unwrap_or(0) * 1000);
    let anthropic = |m: &&crate::catalog::Model| m.speaks(crate::protocol::Protocol::Anthropic);
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

fn enabled<'a>(cfg: &'a Config, may: May<'a>) -> impl Iterator<Item = &'a crate::catalog::Model> {
    cfg.catalog
        .models
        .iter()
        .enumerate()
        .filter(move |(i, m)| m.enabled && may(*i))
        .map(|(_, m)| m)
}

/// Whether `auto` is listed: with no `access` section as before (always
/// for OpenAI clients, when one of its models `fits` for Anthropic's);
/// with one, only when it could pick a model the caller may use.
fn auto_listed(cfg: &Config, may: May, fits: impl Fn(&crate::catalog::Model) -> bool) -> bool {
    let mut models = cfg
        .routing
        .auto
        .models
        .iter()
        .filter_map(|&i| Some((i, cfg.catalog.models.get(i)?)));
    if cfg.access.is_some() {
        models.any(|(i, m)| m.enabled && fits(m) && may(i))
    } else {
        models.any(|(_, m)| fits(m))
    }
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

    #[test]
    fn anthropic_clients_get_anthropics_shape() {
        let mut v = sample();
        v["models"][1]["protocols"] = serde_json::json!(["anthropic"]);
        let pc = from_value(v, "h").unwrap();
        let v: Value =
            serde_json::from_str(&list_anthropic(&pc.global, 86_400, &|_| true)).unwrap();
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
