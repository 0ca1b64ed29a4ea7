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

fn errors(v: Value) -> Vec<ConfigError> {
    from_value(v, "h").err().unwrap_or_default()
}

#[test]
fn sample_parses_and_resolves_names() {
    let pc = from_value(sample(), "h").unwrap();
    let c = &pc.global;
    assert_eq!(c.providers[0].cluster, "openai");
    assert_eq!(c.providers[1].cluster, "dashscope");
    assert_eq!(c.providers[1].host, "dashscope");
    assert_eq!(c.models[1].fallback, vec![0]);
    assert_eq!(c.models[1].upstream_model, "gpt-4o-2024-08-06");
    assert!(
        c.models[3].secure,
        "a secure provider makes its models secure"
    );
    assert_eq!(c.secure_model, Some(3));
    assert_eq!(c.auto.models, vec![0, 1], "auto: enabled non-secure models");
    assert_eq!(c.models[0].pricing.as_ref().unwrap().input_per_1m, 150_000);
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
    assert_eq!(strict.default_provider, Some(0));
    assert_eq!(strict.models.len(), 4, "rule inherits global keys");
    let other = pc.select(&RequestAttrs {
        route_name: Some("x"),
        ..Default::default()
    });
    assert_eq!(other.default_provider, None);
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
fn budgets_resolve_models_and_name_their_mistakes() {
    let mut v = sample();
    v["audit"] = json!({"cluster": "clawgate_audit"});
    v["budgets"] = json!({
        "time_zone": "+08:00",
        "limits": [
            {"name": "workers", "match": "worker-*", "period": "day", "max_tokens": 1000,
             "action": "downgrade", "downgrade_to": "gpt-4o-mini", "models": ["gpt-4o"], "soft_at": 0.8},
            {"name": "team", "match": "*", "shared": true, "period": "month", "max_cost": 12.5, "currency": "USD"}
        ]
    });
    let pc = from_value(v.clone(), "h").unwrap();
    let b = pc.global.budgets.as_ref().unwrap();
    assert_eq!((b.offset_min, b.stale_after_ms), (480, 50_000));
    assert_eq!(b.limits[0].models, vec![1]);
    assert_eq!(b.limits[0].on_over, crate::budget::OnOver::Downgrade(0));
    assert_eq!(b.limits[1].max_cost_micros, Some(12_500_000));

    v["budgets"] = json!({
        "time_zone": "Asia/Shanghai",
        "limits": [
            {"name": "a", "match": "w*x*", "period": "day"},
            {"name": "b", "match": "*", "period": "week", "max_cost": 5, "action": "downgrade",
             "downgrade_to": "nope", "soft_at": 1.5},
            {"name": "c", "match": "*", "period": "day", "max_tokens": 1, "models": ["gpt-4o"],
             "action": "downgrade", "downgrade_to": "gpt-4o"}
        ]
    });
    let paths: Vec<String> = errors(v.clone()).into_iter().map(|e| e.path).collect();
    for want in [
        "budgets.time_zone",
        "budgets.limits[0].match",
        "budgets.limits[0]",
        "budgets.limits[1].currency",
        "budgets.limits[1].soft_at",
        "budgets.limits[1].downgrade_to",
        "budgets.limits[2].downgrade_to",
    ] {
        assert!(
            paths.iter().any(|p| p == want),
            "{want} missing from {paths:?}"
        );
    }
    v.as_object_mut().unwrap().remove("audit");
    v["budgets"] = json!({"limits": []});
    let paths: Vec<String> = errors(v).into_iter().map(|e| e.path).collect();
    assert_eq!(paths, ["budgets"], "needs the audit sidecar");
}

#[test]
fn provider_wire_details_and_protocols() {
    let mut v = sample();
    v["providers"][0]["api_key"] = json!(null);
    v["providers"][0]["api_key_env"] = json!("OPENAI_KEY");
    v["providers"][1]["auth_header"] = json!("X-Api-Key");
    v["providers"][1]["headers"] = json!({"Anthropic-Version": "2023-06-01"});
    v["providers"][1]["protocols"] = json!(["anthropic", "openai"]);
    v["models"][0]["protocols"] = json!(["anthropic"]);
    let env = |k: &str| (k == "OPENAI_KEY").then(|| "sk-env".to_string());
    let pc = from_value_env(v.clone(), "h", Some(&env)).unwrap();
    let c = &pc.global;
    assert_eq!(c.providers[0].api_key.as_deref(), Some("sk-env"));
    assert_eq!(
        (
            c.providers[0].auth_header.as_str(),
            c.providers[0].auth_prefix.as_str()
        ),
        ("authorization", "Bearer ")
    );
    assert_eq!(
        (
            c.providers[1].auth_header.as_str(),
            c.providers[1].auth_prefix.as_str()
        ),
        ("x-api-key", "")
    );
    assert_eq!(
        c.providers[1].headers,
        vec![("anthropic-version".to_string(), "2023-06-01".to_string())]
    );
    use crate::wire::Protocol;
    assert!(c.models[0].speaks(Protocol::Anthropic) && !c.models[0].speaks(Protocol::Openai));
    assert!(
        c.models[1].speaks(Protocol::Openai),
        "default: the provider's"
    );

    // without a VM (check-config) the variable is not looked up
    assert!(from_value(v.clone(), "h").is_ok());
    let none = |_: &str| None;
    let e = from_value_env(v, "h", Some(&none)).err().unwrap();
    assert_eq!(e[0].path, "providers[0].api_key_env");
    assert!(!e[0].message.contains("sk-"), "{e:?}");
}

#[test]
fn wire_mistakes_name_their_path() {
    let mut v = sample();
    v["providers"][0]["api_key_env"] = json!("K");
    v["providers"][1]["headers"] = json!({"content-length": "1", "bad header": "x"});
    v["providers"][2]["protocols"] = json!([]);
    v["fallback"] = json!({"chain": ["nope"]});
    v["passthrough_paths"] = json!(["relative"]);
    let mut paths: Vec<String> = errors(v).into_iter().map(|e| e.path).collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "fallback.chain[0]",
            "passthrough_paths[0]",
            "providers[0].api_key_env",
            "providers[1].headers.bad header",
            "providers[1].headers.content-length",
            "providers[2].protocols",
        ]
    );
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

#[test]
fn audit_token_from_the_vm_environment() {
    let mut v = sample();
    v["audit"] = json!({"token_env": "CLAWGATE_AUDIT_TOKEN"});
    let pc = from_value(v, "h").unwrap();
    let a = pc.audit().unwrap();
    let env = |k: &str| (k == "CLAWGATE_AUDIT_TOKEN").then(|| "s3cret".to_string());
    assert_eq!(a.resolve_token(&env), Ok(Some("s3cret".to_string())));
    let err = a.resolve_token(&|_| None).unwrap_err();
    assert!(
        err.contains("CLAWGATE_AUDIT_TOKEN") && err.contains("vmConfig.env"),
        "{err}"
    );
    let mut v = sample();
    v["audit"] = json!({"token": "a", "token_env": "B"});
    assert_eq!(errors(v)[0].path, "audit.token_env");
}

#[test]
fn ai_log_is_a_flag_or_auto() {
    use crate::config::schema::AiLog;
    for (v, want) in [
        (None, AiLog::Auto),
        (Some(json!("auto")), AiLog::Auto),
        (Some(json!(true)), AiLog::On),
        (Some(json!(false)), AiLog::Off),
    ] {
        let mut c = sample();
        if let Some(v) = v.clone() {
            c["metrics"] = json!({ "ai_log": v });
        }
        let pc = from_value(c, "h").unwrap();
        assert_eq!(pc.global.ai_log, want, "{v:?}");
    }
    let mut c = sample();
    c["metrics"] = json!({"ai_log": "yes"});
    let e = errors(c);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(format!("{e:?}").contains("metrics.ai_log"), "{e:?}");
    assert!(AiLog::Auto.writes(&|| "outbound|443||x.dns".into()));
    assert!(!AiLog::Auto.writes(&|| "openai".into()));
    assert!(!AiLog::Off.writes(&|| panic!("off reads no cluster")));
    assert!(AiLog::On.writes(&|| panic!("on reads no cluster")));
}
