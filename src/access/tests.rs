use crate::config::{from_value, tests::sample, Config};
use crate::pipeline::plan_request;
use crate::routing::{may_use, resolve_for, Caller, RouteReason};
use crate::scope::Subject;
use crate::wire::Endpoint;
use crate::wire::ErrorCode;
use crate::wire::Protocol;
use serde_json::{json, Value};

fn user(u: &str) -> Subject<'_> {
    Subject {
        user: Some(u),
        instance: None,
    }
}

/// Interns may use `qwen-*` pass-through models and secure ones; admins
/// anything; everyone else anything but `gpt-4o`.
fn with_access() -> Config {
    let mut v = sample();
    v["access"] = json!({"rules": [
        {"name": "interns", "match": "intern-*", "models": ["qwen-*", "tag:secure"], "action": "allow"},
        {"name": "interns-else", "match": "intern-*", "models": ["*"], "action": "deny"},
        {"name": "no-4o", "match": "*", "models": ["gpt-4o"], "action": "deny"}
    ]});
    cfg(v)
}

fn cfg(v: Value) -> Config {
    let pc = from_value(v, "h").unwrap();
    std::rc::Rc::try_unwrap(pc.global).unwrap()
}

fn caller<'a>(c: &'a Config, who: Subject<'a>) -> Caller<'a> {
    Caller {
        who,
        access: c.access.as_ref(),
        ..Caller::default()
    }
}

#[allow(clippy::result_large_err)]
fn plan(
    c: &Config,
    who: Subject,
    body: &str,
) -> Result<crate::pipeline::RequestPlan, crate::pipeline::Refusal> {
    plan_request(
        c,
        Endpoint::ChatCompletions,
        body.as_bytes(),
        &caller(c, who),
        &mut || 0,
    )
}

#[test]
fn first_matching_rule_decides_by_name_alias_prefix_and_tag() {
    let c = with_access();
    let m = |n: &str| c.catalog.find_model(n).unwrap();
    assert!(!may_use(
        &c.catalog,
        c.access.as_ref(),
        user("intern-1"),
        m("gpt-4o-mini")
    ));
    assert!(
        may_use(
            &c.catalog,
            c.access.as_ref(),
            user("intern-1"),
            m("local-qwen")
        ),
        "tag:secure"
    );
    assert!(
        may_use(&c.catalog, c.access.as_ref(), user("bob"), m("gpt-4o-mini")),
        "default allow"
    );
    assert!(!may_use(
        &c.catalog,
        c.access.as_ref(),
        user("bob"),
        m("gpt-4o")
    ));
    // an alias names the model too
    let mut v = sample();
    v["access"] = json!({"default": "deny", "rules": [
        {"match": "bob", "models": ["mini"], "action": "allow"}]});
    let c = cfg(v);
    assert!(may_use(
        &c.catalog,
        c.access.as_ref(),
        user("bob"),
        c.catalog.find_model("gpt-4o-mini").unwrap()
    ));
    assert!(
        !may_use(
            &c.catalog,
            c.access.as_ref(),
            user("bob"),
            c.catalog.find_model("gpt-4o").unwrap()
        ),
        "default deny"
    );
    assert!(
        !may_use(&c.catalog, c.access.as_ref(), Subject::default(), 0),
        "no identity: the default"
    );
}

#[test]
fn a_denied_model_is_refused_with_403_naming_the_rule() {
    let c = with_access();
    let body = r#"{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}"#;
    let e = plan(&c, user("bob"), body).unwrap_err();
    assert_eq!(
        (e.error.code, e.error.status()),
        (ErrorCode::ModelNotAllowed, 403)
    );
    assert!(e.error.message.contains("no-4o"), "{}", e.error.message);
    assert_eq!(
        e.access.as_ref().and_then(|d| d.rule.as_deref()),
        Some("no-4o")
    );
    // a pass-through name matches by prefix
    let ok = plan(
        &c,
        user("intern-7"),
        r#"{"model":"qwen-max","messages":[]}"#,
    )
    .unwrap();
    assert_eq!(ok.access.unwrap().rule.as_deref(), Some("interns"));
    let e = plan(
        &c,
        user("intern-7"),
        r#"{"model":"gpt-4o-mini","messages":[]}"#,
    )
    .unwrap_err();
    assert_eq!(e.access.unwrap().rule.as_deref(), Some("interns-else"));
}

#[test]
fn auto_picks_only_allowed_models() {
    let c = with_access();
    for n in 0..4 {
        let r = resolve_for(
            &c.catalog,
            &c.routing,
            "auto",
            &caller(&c, user("bob")),
            &mut || n,
            Protocol::OPENAI,
        )
        .unwrap();
        assert_eq!(r.model_name, "gpt-4o-mini", "round {n}");
    }
    // nothing of auto's is the intern's: 403, not 503
    let e = resolve_for(
        &c.catalog,
        &c.routing,
        "auto",
        &caller(&c, user("intern-1")),
        &mut || 0,
        Protocol::OPENAI,
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::ModelNotAllowed);
}

#[test]
fn a_secure_reroute_is_always_allowed() {
    let mut v = sample();
    v["access"] = json!({"default": "deny", "rules": [
        {"match": "bob", "models": ["gpt-4o-mini"], "action": "allow"}]});
    let c = cfg(v);
    let body = r#"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"my id card is 110101199003074514"}]}"#;
    let p = plan(&c, user("bob"), body);
    let p = match p {
        Ok(p) => p,
        Err(r) => panic!("refused: {:?}", r.error),
    };
    if p.route.reason == RouteReason::Secure {
        assert_eq!(
            p.route.model_name, "local-qwen",
            "denied to bob, reached anyway"
        );
    } else {
        panic!(
            "expected a secure reroute, got {:?} ({:?})",
            p.route.reason, p.risk.action
        );
    }
}

#[test]
fn a_budget_downgrade_goes_only_to_an_allowed_model() {
    use crate::budget::{Check, LimitState, Snapshot, Spend, Verdict};
    let mut v = sample();
    v["audit"] = json!({"cluster": "a"});
    v["budgets"] = json!({"limits": [{"name": "l", "match": "*", "period": "day",
        "max_tokens": 1, "models": ["gpt-4o"], "action": "downgrade", "downgrade_to": "gpt-4o-mini"}]});
    v["access"] =
        json!({"rules": [{"match": "carol", "models": ["gpt-4o-mini"], "action": "deny"}]});
    let c = cfg(v);
    let snap = |who: &str| Snapshot {
        fetched_ms: 10,
        limits: vec![LimitState {
            name: "l".into(),
            period_start_ms: 0,
            reset_ms: 1_000_000,
            spend: [(
                who.to_string(),
                Spend {
                    tokens: 5,
                    cost_micros: 0,
                },
            )]
            .into(),
        }],
    };
    let body = br#"{"model":"gpt-4o","messages":[]}"#;
    for (who, downgraded) in [("dave", true), ("carol", false)] {
        let s = snap(who);
        let caller = Caller {
            who: user(who),
            access: c.access.as_ref(),
            budget: Some(Check {
                subject: user(who),
                snapshot: Some(&s),
                now_ms: 20,
            }),
            ..Caller::default()
        };
        let r = plan_request(&c, Endpoint::ChatCompletions, body, &caller, &mut || 0);
        match (r, downgraded) {
            (Ok(p), true) => assert!(matches!(p.budget, Verdict::Downgrade { .. })),
            (Err(e), false) => assert_eq!(e.error.code, ErrorCode::BudgetExceeded),
            (r, _) => panic!(
                "{who}: {:?}",
                r.map(|p| p.route.model_name).map_err(|e| e.error)
            ),
        }
    }
}

#[test]
fn models_list_shows_only_what_the_caller_may_use() {
    let c = with_access();
    let ids = |who: Subject| -> Vec<String> {
        let may = |m| may_use(&c.catalog, c.access.as_ref(), who, m);
        let v: Value =
            serde_json::from_str(&crate::wire::openai::models::list(&c, 0, &may)).unwrap();
        v["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(user("bob")), ["auto", "gpt-4o-mini", "local-qwen"]);
    assert_eq!(
        ids(user("intern-2")),
        ["local-qwen"],
        "auto has nothing of theirs"
    );
}

#[test]
fn mistakes_name_their_key_path() {
    let mut v = sample();
    v["access"] = json!({"rules": [{"match": "", "models": ["tag:cheap"], "action": "allow"},
        {"match": "a", "models": [], "action": "deny"}]});
    let errs = from_value(v, "h").unwrap_err();
    let paths: Vec<&str> = errs.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "access.rules[0].match",
            "access.rules[0].models[0]",
            "access.rules[1].models"
        ]
    );
    let mut v = sample();
    v["access"] = json!({"rules": [{"match": "a", "models": ["x"], "action": "maybe"}]});
    assert!(from_value(v, "h").is_err());
}

// the schema types exist natively only (`clawgate schema`)
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn the_schema_names_the_keys_the_reader_reads() {
    use super::settings::{RawAccess, KEYS, RULE_KEYS};
    use crate::section::assert_schema_keys;
    let s = serde_json::to_value(schemars::schema_for!(RawAccess)).unwrap();
    assert_schema_keys(&s, KEYS);
    assert_schema_keys(&s["definitions"]["RawRule"], RULE_KEYS);
}

#[test]
fn unknown_keys_and_wrong_types_are_errors_with_paths() {
    let mut v = sample();
    v["access"] = json!({"rulez": [], "default": "maybe", "rules": [
        {"match": "a", "models": "x", "action": "allow", "colour": 1}]});
    let errs = from_value(v, "h").unwrap_err();
    let mut paths: Vec<&str> = errs.iter().map(|e| e.path.as_str()).collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "access.default",
            "access.rules[0].colour",
            "access.rules[0].models",
            "access.rules[0].models",
            "access.rulez"
        ]
    );
}
