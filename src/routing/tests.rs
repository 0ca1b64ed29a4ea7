use super::*;
use crate::config::from_value;
use crate::config::tests::sample;
use crate::config::Config;
use serde_json::json;

// The whole config's parts, as the pipeline hands them over.
fn resolve(
    c: &Config,
    requested: &str,
    caller: &Caller,
    rr: &mut dyn FnMut() -> u64,
) -> Result<Route, ClientError> {
    super::resolve(&c.catalog, &c.routing, requested, caller, rr)
}
fn to_secure(c: &Config, route: &Route) -> Result<Route, ClientError> {
    super::to_secure(&c.catalog, &c.routing, route)
}

fn cfg(v: serde_json::Value) -> std::rc::Rc<Config> {
    from_value(v, "h").unwrap().global
}

#[test]
fn explicit_alias_predicate_default() {
    let c = cfg(sample());
    let none = Caller::default();
    let r = resolve(&c, "gpt-4o", &none, &mut || 0_u64).unwrap();
    assert_eq!(
        (r.reason, r.upstream_model.as_str()),
        (RouteReason::Explicit, "gpt-4o-2024-08-06")
    );
    let r = resolve(&c, "mini", &none, &mut || 0_u64).unwrap();
    assert_eq!(
        (r.model_name.as_str(), r.reason),
        ("gpt-4o-mini", RouteReason::Explicit)
    );
    let r = resolve(&c, "qwen-max", &none, &mut || 0_u64).unwrap();
    assert_eq!(
        (r.provider, r.reason, r.model),
        (1, RouteReason::Predicate, None)
    );
    assert_eq!(
        resolve(&c, "claude", &none, &mut || 0_u64)
            .unwrap_err()
            .status(),
        404
    );
    assert_eq!(
        resolve(&c, "old", &none, &mut || 0_u64)
            .unwrap_err()
            .code
            .as_str(),
        "model_not_found"
    );

    let mut v = sample();
    v["default_provider"] = json!("openai");
    let c = cfg(v);
    let r = resolve(&c, "claude", &none, &mut || 0_u64).unwrap();
    assert_eq!((r.provider, r.reason), (0, RouteReason::DefaultProvider));
}

#[test]
fn auto_round_robin_and_first() {
    let c = cfg(sample());
    let none = Caller::default();
    let picks: Vec<String> = (0..4)
        .map(|i| {
            resolve(&c, "auto", &none, &mut || i as u64)
                .unwrap()
                .model_name
        })
        .collect();
    assert_eq!(picks, ["gpt-4o-mini", "gpt-4o", "gpt-4o-mini", "gpt-4o"]);
    let mut v = sample();
    v["auto"] = json!({"strategy": "first"});
    let c = cfg(v);
    assert_eq!(
        resolve(&c, "auto", &none, &mut || 7_u64)
            .unwrap()
            .model_name,
        "gpt-4o-mini"
    );
}

#[test]
fn assignments_apply_to_auto_unless_enforced() {
    let c = cfg(sample());
    let mgr = Caller {
        assignee: Some("manager"),
        ..Default::default()
    };
    let wkr = Caller {
        assignee: Some("worker-7"),
        ..Default::default()
    };
    let r = resolve(&c, "auto", &mgr, &mut || 0_u64).unwrap();
    assert_eq!(
        (r.model_name.as_str(), r.reason),
        ("gpt-4o", RouteReason::Assignment)
    );
    assert_eq!(
        resolve(&c, "auto", &wkr, &mut || 1_u64).unwrap().model_name,
        "gpt-4o-mini"
    );
    assert_eq!(
        resolve(&c, "mini", &mgr, &mut || 0_u64).unwrap().reason,
        RouteReason::Explicit
    );
    let mut v = sample();
    v["assignments"]["enforce"] = json!(true);
    let c = cfg(v);
    let r = resolve(&c, "mini", &mgr, &mut || 0_u64).unwrap();
    assert_eq!(
        (r.model_name.as_str(), r.reason),
        ("gpt-4o", RouteReason::Assignment)
    );
}

#[test]
fn secure_switch_fails_closed() {
    let c = cfg(sample());
    let r = resolve(&c, "gpt-4o", &Caller::default(), &mut || 0).unwrap();
    let s = to_secure(&c, &r).unwrap();
    assert_eq!(
        (s.model_name.as_str(), s.reason),
        ("local-qwen", RouteReason::Secure)
    );
    let mut v = sample();
    v["models"][3]["enabled"] = json!(false);
    let c = cfg(v);
    let r = resolve(&c, "gpt-4o", &Caller::default(), &mut || 0).unwrap();
    assert_eq!(
        to_secure(&c, &r).unwrap_err().code,
        crate::wire::ErrorCode::ContentBlocked
    );
}
