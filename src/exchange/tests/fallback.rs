//! Fallback: which statuses switch, chains, refused dispatches, the
//! answer the client gets and what is held meanwhile.

use super::*;

fn pinned() -> Run {
    Run::new(config(), &[], &chat("gpt-4o", false))
}

#[test]
fn each_fallback_status_switches_and_others_relay() {
    for status in [412, 429, 500, 502, 503, 504] {
        let mut run = pinned();
        let step = run.headers(status, false, false);
        assert_eq!(
            (step.flow, run.ex.phase()),
            (Flow::Pause, Phase::FallingBack),
            "{status}"
        );
        assert!(step.effects.is_empty(), "nothing set on a held failure");
        assert_eq!(run.up.sent.len(), 1);
    }
    for status in [200, 400, 401, 404] {
        let mut run = pinned();
        let step = run.headers(status, false, false);
        assert!(run.up.sent.is_empty(), "{status}");
        assert_eq!(
            response_header(&step.effects, "x-gateway-switched").as_deref(),
            Some("0")
        );
    }
}

#[test]
fn replay_success_is_answered_with_notice_and_headers() {
    let mut run = pinned();
    run.headers(503, false, false);
    let (replay, _) = &run.up.sent[0];
    let v: Value = serde_json::from_slice(&replay.body).unwrap();
    assert_eq!(
        (replay.cluster.as_str(), v["model"].as_str()),
        ("openai", Some("mini"))
    );
    // the failed body is held and never read
    assert_eq!(run.body_unread(40, false).flow, Flow::Pause);
    assert_eq!(run.body_unread(0, true).flow, Flow::Pause);
    let effects = run.call(200, Some("application/json"), &json_usage(10, 5));
    assert_eq!(effects.last(), Some(&Effect::ResumeResponse));
    let r = reply(&effects).unwrap();
    assert_eq!(r.status, 200);
    for (k, want) in [
        ("x-gateway-model-used", "mini"),
        ("x-gateway-attempt-count", "2"),
        ("x-gateway-switched", "1"),
        ("x-clawgate-route-reason", "explicit"),
        ("x-clawgate-prompt-tokens", "10"),
        ("x-clawgate-currency", "USD"),
    ] {
        assert_eq!(reply_header(r, k), Some(want), "{k}");
    }
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(
        v["gateway_notice"],
        json!({"fromModel": "gpt-4o", "toModel": "mini", "triggerStatus": 503, "attempts": 2})
    );
    assert_eq!(run.ex.phase(), Phase::AnsweredLocally);
    // our own answer passes back through the response callbacks untouched
    assert_eq!(run.headers(200, false, false), Step::go_on());
    assert_eq!(run.body_unread(10, true), Step::go_on());
    let (m, rec) = run.log();
    let rec = rec.unwrap();
    let statuses: Vec<u16> = rec.attempts.iter().map(|a| a.status).collect();
    assert_eq!(statuses, [503, 200], "the local answer is not an attempt");
    assert_eq!((rec.model_used.as_deref(), rec.status), (Some("mini"), 200));
    assert_eq!(rec.usage.prompt, Some(10));
    assert_eq!(metric(&m, "fallback.from.gpt-4o.to.mini"), Some(1));
}

#[test]
fn chain_ends_on_third_and_all_failing_gives_the_last_error() {
    let mut run = pinned();
    run.headers(500, false, false);
    assert!(
        run.call(429, Some("application/json"), b"{}").is_empty(),
        "next replay"
    );
    let names: Vec<&str> = run
        .up
        .sent
        .iter()
        .map(|(r, _)| r.cluster.as_str())
        .collect();
    assert_eq!(names, ["openai", "backup"]);
    assert_eq!(
        run.up.sent[1].0.path, "/compat/v1/chat/completions",
        "base path on replays too"
    );
    let effects = run.call(502, Some("text/plain"), b"bad gateway");
    let r = reply(&effects).unwrap();
    assert_eq!((r.status, r.body.as_slice()), (502, &b"bad gateway"[..]));
    assert_eq!(reply_header(r, "content-type"), Some("text/plain"));
    assert_eq!(reply_header(r, "x-gateway-attempt-count"), Some("3"));
    let (_, rec) = run.log();
    let rec = rec.unwrap();
    assert_eq!(
        (rec.status, rec.error.as_deref()),
        (502, Some("upstream_error"))
    );
    assert_eq!(rec.attempts.len(), 3);
}

#[test]
fn replay_timeout_ends_in_upstream_unavailable() {
    let mut run = pinned();
    run.headers(503, false, false);
    run.call(0, None, b"");
    let effects = run.call(0, None, b"");
    let r = reply(&effects).unwrap();
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(
        (r.status, v["error"]["code"].as_str()),
        (504, Some("upstream_unavailable"))
    );
}

#[test]
fn refused_dispatch_is_a_failed_attempt_and_the_next_is_tried() {
    let mut run = pinned();
    run.up.refuse = vec!["openai"];
    assert_eq!(run.headers(503, false, false).flow, Flow::Pause);
    assert_eq!(run.up.sent[0].0.cluster, "backup");
    let effects = run.call(200, Some("application/json"), &json_usage(1, 1));
    let r = reply(&effects).unwrap();
    assert_eq!(reply_header(r, "x-gateway-model-used"), Some("b"));
    let (_, rec) = run.log();
    let statuses: Vec<u16> = rec.unwrap().attempts.iter().map(|a| a.status).collect();
    assert_eq!(statuses, [503, 0, 200]);
}

#[test]
fn nothing_dispatchable_relays_the_failure_without_holding_it() {
    let mut run = pinned();
    run.up.refuse = vec!["openai", "backup"];
    let step = run.headers(503, false, false);
    assert_eq!(
        run.ex.phase(),
        Phase::Holding,
        "held for accounting headers, like any JSON answer"
    );
    assert_eq!(
        response_header(&step.effects, "x-gateway-attempt-count").as_deref(),
        Some("3")
    );
    assert_eq!(
        response_header(&step.effects, "x-gateway-switched").as_deref(),
        Some("0")
    );
    assert_eq!(run.body(b"{\"error\":{}}", true).flow, Flow::Continue);
    assert_eq!(run.ex.phase(), Phase::Answered);
}

#[test]
fn pinned_model_without_chain_and_predicates_do_not_switch() {
    for model in ["mini", "qwen-x"] {
        let mut v = config();
        v["predicates"] = json!([{"prefix": "qwen-", "provider": "backup"}]);
        let mut run = Run::new(v, &[], &chat(model, false));
        run.headers(503, false, false);
        assert!(run.up.sent.is_empty(), "{model}");
        assert_eq!(run.ex.phase(), Phase::Holding);
    }
}

#[test]
fn auto_rotates_to_the_next_auto_model() {
    let mut run = Run::new(config(), &[], &chat("auto", false));
    run.headers(503, false, false);
    let v: Value = serde_json::from_slice(&run.up.sent[0].0.body).unwrap();
    assert_eq!(v["model"], "b");
}

#[test]
fn secure_requests_fall_back_only_to_secure_models() {
    let body = json!({"model": "gpt-4o", "messages": [{"role": "user", "content": "Project Falcon plan"}]});
    let mut run = Run::new(config(), &[], body.to_string().as_bytes());
    assert_eq!(
        request_header(&run.forwarded.effects, "x-clawgate-provider").as_deref(),
        Some("local")
    );
    run.headers(503, false, false);
    assert_eq!(run.up.sent.len(), 1);
    let (replay, timeout) = &run.up.sent[0];
    assert_eq!(
        (replay.cluster.as_str(), *timeout),
        ("vault", 700),
        "provider bound is shorter"
    );
    assert_eq!(
        request_header(&run.forwarded.effects, "authorization"),
        None
    );
    let effects = run.call(503, None, b"");
    assert_eq!(reply(&effects).unwrap().status, 503);
    assert_eq!(
        run.up.sent.len(),
        1,
        "never the external `mini` from the chain"
    );
}

#[test]
fn sse_fallback_prefixes_the_notice_event_and_counts_usage() {
    let mut run = Run::new(config(), &[], &chat("gpt-4o", true));
    run.headers(503, true, false);
    let sse = concat!(
        "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n",
        "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}\n\n",
        "data: [DONE]\n\n"
    );
    let effects = run.call(200, Some("text/event-stream"), sse.as_bytes());
    let r = reply(&effects).unwrap();
    let text = String::from_utf8(r.body.clone()).unwrap();
    assert!(text.starts_with("event: gateway_notice\ndata: {\"fromModel\":\"gpt-4o\""));
    assert!(text.ends_with(sse));
    assert_eq!(
        reply_header(r, "x-clawgate-prompt-tokens"),
        None,
        "streams get no usage headers"
    );
    let (m, rec) = run.log();
    assert_eq!(rec.unwrap().usage.total, Some(5));
    assert_eq!(metric(&m, "metric.total_token"), Some(5));
    assert_eq!(metric(&m, "incomplete"), None);
}
