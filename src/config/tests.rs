use super::*;
use serde_json::json;

pub fn sample() -> Value {
    json!({
        "providers": [
            {"name": "openai", "cluster": "openai", "host": "api.openai.com", "api_key": "sk-test"},
            {"name": "dashscope", "base_path": "/compatible-mode/v1"},
            {"name": "local", "secure": true}
        ],
        "models": [
            {"name": "gpt-4o-mini", "provider": "openai", "aliases": ["mini"],
             "pricing": {"input_per_1m": 0.15, "output_per_1m": 0.6}},
            {"name": "gpt-4o", "provider": "openai", "upstream_model": "gpt-4o-2024-08-06", "fallback": ["mini"]},
            {"name": "old", "provider": "openai", "enabled": false},
            {"name": "local-qwen", "provider": "local"}
        ],
        "predicates": [{"prefix": "qwen-", "provider": "dashscope"}],
        "assignments": {"map": {"manager": "gpt-4o", "worker-*": "gpt-4o-mini"}}
    })
}

pub(super) fn errors(v: Value) -> Vec<ConfigError> {
    from_value(v, "h").err().unwrap_or_default()
}

#[test]
fn sample_parses_and_resolves_names() {
    let pc = from_value(sample(), "h").unwrap();
    let c = &pc.global;
    assert_eq!(c.catalog.providers[0].cluster, "openai");
    assert_eq!(c.catalog.providers[1].cluster, "dashscope");
    assert_eq!(c.catalog.providers[1].host, "dashscope");
    assert_eq!(c.catalog.models[1].fallback, vec![0]);
    assert_eq!(c.catalog.models[1].upstream_model, "gpt-4o-2024-08-06");
    assert!(
        c.catalog.models[3].secure,
        "a secure provider makes its models secure"
    );
    assert_eq!(c.routing.secure_model, Some(3));
    assert_eq!(
        c.routing.auto.models,
        vec![0, 1],
        "auto: enabled non-secure models"
    );
    assert_eq!(
        c.catalog.models[0].pricing.as_ref().unwrap().input_per_1m,
        150_000
    );
    assert_eq!(c.max_body_bytes, schema::DEFAULT_MAX_BODY_BYTES);
}

#[test]
fn unknown_keys_name_their_path() {
    let mut v = sample();
    v["models"][1]["pricing"] = json!({"input_per_1m": 1, "ouput_per_1m": 2});
    let e = errors(v);
    assert_eq!(e.len(), 1);
    assert!(e[0].path.starts_with("models[1].pricing"), "{:?}", e);
    assert!(e[0].message.contains("ouput_per_1m"), "{:?}", e);

    let e = errors(json!({"providerz": []}));
    assert!(e[0].message.contains("providerz"), "{:?}", e);
}

#[test]
fn bad_values_name_their_path() {
    let mut v = sample();
    v["models"][0]["provider"] = json!("nope");
    v["predicates"][0]["regex"] = json!("(");
    v["fallback"] = json!({"max_attempts": 0});
    let e = errors(v);
    let paths: Vec<&str> = e.iter().map(|e| e.path.as_str()).collect();
    assert!(paths.contains(&"models[0].provider"), "{paths:?}");
    assert!(paths.contains(&"predicates[0]"), "{paths:?}");
    assert!(paths.contains(&"fallback.max_attempts"), "{paths:?}");

    let mut v = sample();
    v["auto"] = json!({"strategy": "random"});
    let e = errors(v);
    assert_eq!(e[0].path, "auto.strategy", "{e:?}");

    let mut v = sample();
    v["models"][0]["aliases"] = json!(["gpt-4o"]);
    assert_eq!(
        errors(v)[0].path,
        "models[1].name",
        "the later duplicate is reported"
    );

    let mut v = sample();
    v["risk"] = json!({"secure_model": "gpt-4o"});
    assert_eq!(errors(v)[0].path, "risk.secure_model");

    let mut v = sample();
    v["risk"] = json!({"refusal": "403"});
    let e = &errors(v)[0];
    assert_eq!(
        (e.path.as_str(), e.message.contains("`error`")),
        ("risk.refusal", true)
    );
}

#[test]
fn rules_override_and_match() {
    let mut v = sample();
    v["_rules_"] = json!([
        {"_match_route_": ["r-strict"], "default_provider": "openai"},
        {"_match_domain_": ["*.corp.io"], "max_body_bytes": 10}
    ]);
    let pc = from_value(v, "h").unwrap();
    assert_eq!(pc.rules.len(), 2);
    let strict = pc.select(&RequestAttrs {
        route_name: Some("r-strict"),
        ..Default::default()
    });
    assert_eq!(strict.routing.default_provider, Some(0));
    assert_eq!(strict.catalog.models.len(), 4, "rule inherits global keys");
    let other = pc.select(&RequestAttrs {
        route_name: Some("x"),
        ..Default::default()
    });
    assert_eq!(other.routing.default_provider, None);
    let dom = pc.select(&RequestAttrs {
        host: Some("a.corp.io"),
        ..Default::default()
    });
    assert_eq!(dom.max_body_bytes, 10);
    // the rule sets share one worker's piece-cache budget
    let budgets: usize = std::iter::once(&pc.global)
        .chain(pc.rules.iter().map(|(_, c)| c))
        .map(|c| c.risk.cache_budget())
        .sum();
    assert!(budgets <= crate::risk::cache::DEFAULT_BUDGET, "{budgets}");
    assert_eq!(
        pc.global.risk.cache_budget(),
        crate::risk::cache::DEFAULT_BUDGET / 3
    );
}

#[test]
fn rule_errors_name_the_rule() {
    let mut v = sample();
    v["_rules_"] = json!([{"_match_route_": ["a"], "_match_domain_": ["b"]}]);
    assert_eq!(errors(v)[0].path, "_rules_[0]");
    let mut v = sample();
    v["_rules_"] = json!([{"_match_route_": ["a"], "modelz": []}]);
    let e = errors(v);
    assert!(e[0].path.starts_with("_rules_[0]"), "{e:?}");
    let mut v = sample();
    v["_rules_"] = json!([{"default_provider": "openai"}]);
    assert!(errors(v)[0].message.contains("matcher"));
}

#[test]
fn empty_config_is_valid() {
    assert!(parse_json(b"").is_ok());
    assert!(parse_json(b"{}").is_ok());
    assert!(parse_json(b"[]").is_err());
    assert!(parse_json(b"{").is_err());
}

#[test]
fn select_with_reads_attributes_only_for_rules() {
    let pc = from_value(sample(), "h").unwrap();
    let c = pc.select_with(None, None, &|_| panic!("no rules: no attribute read"));
    assert!(Rc::ptr_eq(c, &pc.global));
    let mut v = sample();
    v["_rules_"] = json!([{"_match_route_": ["r1"], "default_provider": "local"}]);
    let pc = from_value(v, "h").unwrap();
    let route = |n: &str| (n == "route_name").then(|| "r1".to_string());
    assert!(!Rc::ptr_eq(pc.select_with(None, None, &route), &pc.global));
    assert!(Rc::ptr_eq(
        pc.select_with(None, None, &|_| None),
        &pc.global
    ));
}

#[test]
fn the_hash_leaves_secrets_out() {
    let hash = |v: &Value| hash_of(v);
    let mut other_keys = sample();
    other_keys["providers"][0]["api_key"] = json!("sk-rotated");
    other_keys["audit"] = json!({"cluster": "a", "token": "t2"});
    let mut base = sample();
    base["audit"] = json!({"cluster": "a", "token": "t1"});
    assert_eq!(
        hash(&base),
        hash(&other_keys),
        "keys and tokens are not hashed"
    );
    let mut changed = base.clone();
    changed["audit"]["cluster"] = json!("b");
    assert_ne!(hash(&base), hash(&changed), "everything else is");
}

/// What Higress sends for `defaultConfigDisable: true`: no global keys,
/// only `_rules_` (with the names Higress generates).
#[test]
fn default_config_disable_governs_only_matched_routes() {
    let mut rule = sample();
    rule["_match_route_"] = json!(["ai-route-openai.internal"]);
    let mut by_service = sample();
    by_service["_match_service_"] = json!(["llm-openai.internal.dns:443"]);
    let pc = from_value(json!({"_rules_": [rule, by_service]}), "h").unwrap();
    assert!(pc.default_disabled);
    let attrs = |route: &'static str, cluster: &'static str| {
        move |n: &str| match n {
            "route_name" => Some(route.to_string()),
            "cluster_name" => Some(cluster.to_string()),
            _ => None,
        }
    };
    let table = [
        (
            "ai-route-openai.internal",
            "outbound|443||llm-openai.internal.dns",
            true,
        ),
        (
            "ai-route-other.internal",
            "outbound|443||llm-openai.internal.dns",
            true,
        ),
        (
            "ai-route-other.internal",
            "outbound|80||llm-openai.internal.dns",
            false,
        ),
        (
            "ai-route-other.internal",
            "outbound|443||llm-x.internal.dns",
            false,
        ),
        (
            "default",
            "outbound|80||web.default.svc.cluster.local",
            false,
        ),
    ];
    for (route, cluster, governed) in table {
        let got = pc.governing(None, None, &attrs(route, cluster));
        assert_eq!(got.is_some(), governed, "{route} {cluster}");
    }
    // a global config is still applied where no rule matches
    let mut v = sample();
    v["_rules_"] =
        json!([{"_match_route_": ["ai-route-openai.internal"], "default_provider": "local"}]);
    let pc = from_value(v, "h").unwrap();
    assert!(!pc.default_disabled);
    assert!(pc.governing(None, None, &attrs("default", "x")).is_some());
}
