//! Each section's compile step seen through the whole document: its
//! mistakes named by key path, its defaults filled in.

use super::tests::{errors, sample};
use super::*;
use serde_json::json;

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
    assert_eq!(b.limits[0].scope.models, vec![1]);
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
    assert_eq!(c.catalog.providers[0].api_key.as_deref(), Some("sk-env"));
    assert_eq!(
        (
            c.catalog.providers[0].auth_header.as_str(),
            c.catalog.providers[0].auth_prefix.as_str()
        ),
        ("authorization", "Bearer ")
    );
    assert_eq!(
        (
            c.catalog.providers[1].auth_header.as_str(),
            c.catalog.providers[1].auth_prefix.as_str()
        ),
        ("x-api-key", "")
    );
    assert_eq!(
        c.catalog.providers[1].headers,
        vec![("anthropic-version".to_string(), "2023-06-01".to_string())]
    );
    use crate::wire::Protocol;
    assert!(
        c.catalog.models[0].speaks(Protocol::ANTHROPIC)
            && !c.catalog.models[0].speaks(Protocol::OPENAI)
    );
    assert!(
        c.catalog.models[1].speaks(Protocol::OPENAI),
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
    use crate::metrics::AiLog;
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
        assert_eq!(pc.global.metrics.ai_log, want, "{v:?}");
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
