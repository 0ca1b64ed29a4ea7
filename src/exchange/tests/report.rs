//! What a finished request reports: metrics and the audit record, with
//! payloads on and off.

use super::*;

#[test]
fn metrics_of_a_routed_json_request() {
    let mut run = Run::new(
        config(),
        &[("x-user", "alice"), ("x-mse-consumer", "team-a")],
        &chat("gpt-4o", false),
    );
    run.headers(200, false, false);
    run.body(&json_usage(1000, 300), true);
    let (m, _) = run.log();
    // ai-statistics' label values: the model sent upstream, the consumer
    // from x-mse-consumer
    let ai = "route.route_name-x.upstream.cluster_name-x.model.gpt-4o-2024-08-06.consumer.team-a.metric.";
    let get = |k: &str| m.iter().find(|(n, _)| n == k).map(|(_, v)| *v);
    assert_eq!(get(&format!("{ai}input_token")), Some(1000));
    assert_eq!(get(&format!("{ai}output_token")), Some(300));
    assert_eq!(get(&format!("{ai}total_token")), Some(1300));
    assert_eq!(
        get(&format!("{ai}llm_service_duration")),
        Some(30),
        "three 10 ms steps"
    );
    assert_eq!(get(&format!("{ai}llm_duration_count")), Some(1));
    assert_eq!(
        get(&format!("{ai}llm_first_token_duration")),
        None,
        "first-token latency is a stream's"
    );
    assert_eq!(get("clawgate.requests.reason.explicit"), Some(1));
    assert_eq!(
        get("clawgate.cost.model.gpt-4o.currency.USD.micros"),
        Some(5500)
    );
    assert!(m.iter().all(|(_, v)| *v > 0), "no zero deltas");
}

#[test]
fn consumers_past_the_cap_share_the_other_label() {
    let mut v = config();
    v["metrics"] = json!({"max_consumers": 2});
    let mut cap = crate::label_cap::Labels::default();
    let mut consumers = Vec::new();
    for u in ["alice", "bob", "carol", "alice", ""] {
        let mut run = Run::new(
            v.clone(),
            &[("x-user", u), ("x-mse-consumer", u)],
            &chat("gpt-4o", false),
        );
        run.headers(200, false, false);
        run.body(&json_usage(1, 1), true);
        let (m, rec, _) = run.log_in("cluster_name-x", None, &mut cap);
        let name = m
            .iter()
            .find_map(|(n, _)| n.strip_suffix(".metric.input_token"));
        consumers.push(name.and_then(|n| n.rsplit('.').next()).map(str::to_string));
        assert_eq!(
            rec.unwrap().user.as_deref(),
            Some(u).filter(|u| !u.is_empty()),
            "the record keeps the name"
        );
    }
    let want = ["alice", "bob", "other", "alice", "none"];
    assert_eq!(consumers, want.map(|c| Some(c.to_string())));
}

#[test]
fn under_higress_the_token_family_is_left_to_ai_statistics() {
    let higress = "outbound|443||llm-openai.internal.dns";
    let mut run = Run::new(config(), &[], &chat("gpt-4o", false));
    run.headers(200, false, false);
    run.body(&json_usage(1000, 300), true);
    let (m, _, props) = run.log_in(
        higress,
        Some(r#"{\"input_token\":1000}"#),
        &mut Default::default(),
    );
    assert!(!m.iter().any(|(n, _)| n.starts_with("route.")), "{m:?}");
    assert_eq!(metric(&m, "requests.reason.explicit"), Some(1));
    let ai_log = props
        .iter()
        .find(|(k, _)| k == "ai_log")
        .map(|(_, v)| String::from_utf8_lossy(v).into_owned());
    let ai_log = ai_log.expect("ai_log written");
    assert!(
        ai_log.contains(r#"\"input_token\":1000"#),
        "ai-statistics' keys kept: {ai_log}"
    );
    assert!(
        ai_log.contains(r#"\"clawgate_route_reason\":\"explicit\""#),
        "{ai_log}"
    );
    assert!(props
        .iter()
        .any(|(k, v)| k == "trace_span_tag.clawgate.route_reason" && v == b"explicit"));

    let mut cfg = config();
    cfg["metrics"] = json!({"ai_statistics": "emit"});
    let mut run = Run::new(cfg, &[], &chat("gpt-4o", false));
    run.headers(200, false, false);
    run.body(&json_usage(1000, 300), true);
    let (m, _, _) = run.log_in(higress, None, &mut Default::default());
    assert!(
        m.iter()
            .any(|(n, v)| n.ends_with("metric.input_token") && *v == 1000),
        "{m:?}"
    );
}

#[test]
fn unparsed_answer_is_counted() {
    let mut run = Run::new(config(), &[], &chat("gpt-4o", false));
    run.headers(200, false, false);
    run.body(b"<html>", true);
    let (m, rec) = run.log();
    assert_eq!(metric(&m, "accounting.unparsed"), Some(1));
    assert_eq!(rec.unwrap().usage.total, None, "unknown, not zero");
}

#[test]
fn full_payloads_are_clipped_and_off_means_none() {
    let long =
        json!({"model": "gpt-4o", "messages": [{"role": "user", "content": "é".repeat(100)}]});
    let mut run = Run::new(config(), &[], long.to_string().as_bytes());
    run.headers(200, false, false);
    run.body(&json_usage(1, 1), true);
    let (_, rec) = run.log();
    let rec = rec.unwrap();
    let req = rec.request_payload.unwrap();
    assert!(
        req.len() <= 64 && req.contains("gpt-4o-2024-08-06"),
        "the forwarded body: {req}"
    );
    assert!(rec.response_payload.unwrap().starts_with("{\"id\":\"x\""));

    let mut v = config();
    v["audit"] = json!({"payloads": "metadata"});
    let mut run = Run::new(v, &[], &chat("gpt-4o", false));
    run.headers(200, false, false);
    run.body(&json_usage(1, 1), true);
    let (_, rec) = run.log();
    let rec = rec.unwrap();
    assert_eq!((rec.request_payload, rec.response_payload), (None, None));
}

#[test]
fn streamed_payload_is_the_reassembled_text() {
    let mut run = Run::new(config(), &[], &chat("gpt-4o", true));
    run.headers(200, true, false);
    run.body(b"data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\n\ndata: [DONE]\n\n", true);
    let (_, rec) = run.log();
    assert_eq!(rec.unwrap().response_payload.as_deref(), Some("Hello"));
}

#[test]
fn record_fields_of_a_routed_request() {
    let mut run = Run::new(
        config(),
        &[("x-user", "bob")],
        json!({"model": "auto", "user": "sess-1", "messages": []})
            .to_string()
            .as_bytes(),
    );
    run.headers(200, false, false);
    run.body(&json_usage(2, 2), true);
    let (_, rec) = run.log();
    let r = rec.unwrap();
    assert_eq!(r.request_id, "ridridridridridridridrid");
    assert_eq!(
        (r.user.as_deref(), r.session_id.as_deref()),
        (Some("bob"), Some("sess-1"))
    );
    assert_eq!(
        (r.model_requested.as_deref(), r.model_used.as_deref()),
        (Some("auto"), Some("mini"))
    );
    assert_eq!(
        (r.provider.as_deref(), r.route_reason.as_deref()),
        (Some("openai"), Some("auto"))
    );
    assert_eq!((r.status, r.error, r.secure), (200, None, false));
    assert_eq!(
        (r.started_ms, r.duration_ms, r.config_hash.as_str()),
        (1_000, 30, "cfghash")
    );
    assert_eq!(r.cost.as_deref(), Some("0.0000015"));
}

#[test]
fn no_record_without_a_sidecar_and_nothing_for_untracked() {
    let mut run = Run::new(config(), &[], &chat("gpt-4o", false));
    run.headers(200, false, true);
    let effects = run.ex.on_log(
        &Clock::new(&|| 2_000),
        &|_| None,
        false,
        &mut Default::default(),
    );
    assert!(
        matches!(effects.first(), Some(Effect::Metrics(m)) if !m.is_empty()),
        "metrics: {effects:?}"
    );
    assert!(
        effects[1..]
            .iter()
            .all(|e| matches!(e, Effect::SetProperty(..))),
        "ai_log and span tags, and no record without a sidecar: {effects:?}"
    );
    let (mut ex, _) = Exchange::start(
        cfg(config()),
        headers(&[(":path", "/x")]),
        true,
        &Clock::new(&|| panic!("untracked: no time needed")),
        &mut |_| "id".into(),
    );
    let no_time = Clock::new(&|| panic!("untracked: no time needed"));
    assert!(ex
        .on_log(&no_time, &|_| None, true, &mut Default::default())
        .is_empty());
}

#[test]
fn a_refusal_writes_its_decision_to_ai_log_but_never_the_text() {
    let body =
        json!({"model": "gpt-4o", "messages": [{"role": "user", "content": "the launch codes"}]});
    let higress = "outbound|443||llm-openai.internal.dns";
    let mut run = Run::new(config(), &[], body.to_string().as_bytes());
    let (_, _, props) = run.log_in(higress, None, &mut Default::default());
    let ai_log = props
        .iter()
        .find(|(k, _)| k == "ai_log")
        .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
        .expect("ai_log written");
    for want in [
        r#"\"clawgate_risk_action\":\"block\""#,
        r#"\"clawgate_risk_rules\":\"nuke\""#,
        r#"\"clawgate_error\":\"content_blocked\""#,
    ] {
        assert!(ai_log.contains(want), "{want} in {ai_log}");
    }
    assert!(!ai_log.contains("launch"), "never the matched text");

    for (mode, cluster, written) in [
        (json!("auto"), "openai", false),
        (json!(false), higress, false),
        (json!(true), "openai", true),
        (json!("auto"), higress, true),
    ] {
        let mut c = config();
        c["metrics"] = json!({ "ai_log": mode });
        let mut run = Run::new(c, &[], body.to_string().as_bytes());
        let (_, rec, props) = run.log_in(cluster, None, &mut Default::default());
        assert!(rec.is_some());
        assert_eq!(
            props.iter().any(|(k, _)| k == "ai_log"),
            written,
            "metrics.ai_log: {mode} upstream of {cluster}"
        );
        assert_eq!(
            props.iter().any(|(k, _)| k.starts_with("trace_span_tag.")),
            written
        );
    }
}

#[test]
fn ai_log_auto_reads_nothing_it_does_not_need() {
    // plain Envoy, no sidecar: a refusal logs its counter and reads only
    // the cluster name (which says "not Higress")
    let body =
        json!({"model": "gpt-4o", "messages": [{"role": "user", "content": "the launch codes"}]});
    let mut run = Run::new(config(), &[], body.to_string().as_bytes());
    let asked = std::cell::RefCell::new(Vec::new());
    let effects = run.ex.on_log(
        &Clock::new(&|| 2_000),
        &|a| {
            asked.borrow_mut().push(a);
            Some("openai".to_string())
        },
        false,
        &mut Default::default(),
    );
    assert_eq!(asked.into_inner(), vec![Attr::ClusterName]);
    assert!(
        matches!(effects.as_slice(), [Effect::Metrics(_)]),
        "{effects:?}"
    );
}

#[test]
fn log_reads_each_attribute_once() {
    // ai-statistics family and ai_log both want the cluster name
    let mut c = config();
    c["metrics"] = json!({"ai_log": true, "ai_statistics": "emit"});
    let mut run = Run::new(c, &[], &chat("gpt-4o", false));
    run.headers(200, false, false);
    run.body(&json_usage(10, 5), true);
    let asked = std::cell::RefCell::new(Vec::new());
    let effects = run.ex.on_log(
        &Clock::new(&|| 2_000),
        &|a| {
            asked.borrow_mut().push(a);
            Some("openai".to_string())
        },
        true,
        &mut Default::default(),
    );
    assert!(effects.iter().any(|e| matches!(e, Effect::SetProperty(..))));
    let mut asked = asked.into_inner();
    let n = asked.len();
    asked.dedup();
    asked.sort_by_key(|a| format!("{a:?}"));
    asked.dedup();
    assert_eq!(asked.len(), n, "each once: {asked:?}");
    assert!(asked.contains(&Attr::ClusterName) && asked.contains(&Attr::RouteName));
}

#[test]
fn only_a_forwarded_request_waits_for_upstream_headers() {
    let mut run = Run::new(config(), &[], &chat("gpt-4o", false));
    assert!(run.ex.awaits_response());
    run.headers(200, false, false);
    assert!(!run.ex.awaits_response(), "seen once");
    let body =
        json!({"model": "gpt-4o", "messages": [{"role": "user", "content": "the launch codes"}]});
    let refused = Run::new(config(), &[], body.to_string().as_bytes());
    assert!(!refused.ex.awaits_response(), "the filter's own answer");
    let (untracked, _) = Exchange::start(
        cfg(config()),
        headers(&[(":path", "/x"), (":method", "GET")]),
        true,
        &Clock::new(&|| 0),
        &mut |_| "id".into(),
    );
    assert!(!untracked.awaits_response());
}
