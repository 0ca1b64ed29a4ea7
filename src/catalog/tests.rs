use super::settings::{RawModel, RawProvider};
use super::*;
use crate::settings_error::ConfigError;

fn raw<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> Vec<T> {
    serde_json::from_value(v).unwrap()
}

fn build(
    providers: serde_json::Value,
    models: serde_json::Value,
    base: &str,
) -> (Catalog, Vec<ConfigError>) {
    let (providers, models): (Vec<RawProvider>, Vec<RawModel>) = (raw(providers), raw(models));
    let mut errs = Vec::new();
    let ctx = Ctx {
        auto_name: "auto",
        env: None,
    };
    let raw = Raw {
        providers: &providers,
        models: &models,
    };
    (compile(&raw, base, &ctx, &mut errs), errs)
}

#[test]
fn names_resolve_to_indexes_without_the_rest_of_the_config() {
    let (cat, errs) = build(
        serde_json::json!([{"name": "a"}, {"name": "local", "secure": true, "protocols": ["anthropic"]}]),
        serde_json::json!([
            {"name": "m1", "provider": "a", "aliases": ["one"], "fallback": ["m2"]},
            {"name": "m2", "provider": "local"}
        ]),
        "",
    );
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(cat.find_model("one"), Some(0));
    assert_eq!(cat.models[0].fallback, vec![1]);
    assert!(
        cat.models[1].secure,
        "a secure provider's models are secure"
    );
    assert_eq!(cat.provider_of(1).map(|p| p.name.as_str()), Some("local"));
    assert!(cat.route_speaks(Some(1), 0, Protocol::ANTHROPIC));
    assert!(!cat.route_speaks(None, 0, Protocol::ANTHROPIC));
}

#[test]
fn mistakes_name_their_path_under_the_document() {
    let (_, errs) = build(
        serde_json::json!([{"name": "a"}]),
        serde_json::json!([
            {"name": "auto", "provider": "nope"},
            {"name": "m", "provider": "a", "fallback": ["m", "gone"]}
        ]),
        "_rules_[1]",
    );
    let paths: Vec<&str> = errs.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "_rules_[1].models[0].name",
            "_rules_[1].models[0].provider",
            "_rules_[1].models[1].fallback[0]",
            "_rules_[1].models[1].fallback[1]",
        ]
    );
}
