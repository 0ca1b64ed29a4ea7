//! Anthropic Messages through the exchange: the same routing, scan,
//! fallback and accounting as OpenAI calls, in Anthropic's wire format,
//! and never to a model that cannot read it.

use super::*;
use crate::wire::anthropic::stream::tests::STREAM;

/// `claude` (anthropic provider, key in `x-api-key`, cache prices, chain
/// to an OpenAI-only model then `claude-b`), `claude-b`, `gpt` (OpenAI
/// only), a secure model that speaks only OpenAI, and `both` (a Higress
/// ai-proxy that converts, so it speaks both).
fn config() -> Value {
    json!({
        "providers": [
            {"name": "anthropic", "host": "api.anthropic.com", "api_key": "sk-ant",
             "auth_header": "x-api-key", "headers": {"anthropic-version": "2023-06-01"},
             "protocols": ["anthropic"]},
            {"name": "backup", "base_path": "/proxy/v1", "protocols": ["anthropic"]},
            {"name": "openai", "api_key": "sk-oai"},
            {"name": "local", "secure": true},
            {"name": "higress", "protocols": ["openai", "anthropic"]}
        ],
        "models": [
            {"name": "claude", "provider": "anthropic", "upstream_model": "claude-sonnet-4-5",
             "fallback": ["gpt", "claude-b"],
             "pricing": {"input_per_1m": 3, "output_per_1m": 15, "cached_input_per_1m": 0.3,
                         "cache_write_per_1m": 3.75, "currency": "USD"}},
            {"name": "claude-b", "provider": "backup"},
            {"name": "gpt", "provider": "openai"},
            {"name": "local-qwen", "provider": "local"},
            {"name": "both", "provider": "higress"}
        ],
        "risk": {"packs": ["security"], "rules": [
            {"id": "falcon", "category": "company", "pattern": "(?i)project falcon",
             "action": "route_secure_model", "severity": "high"},
            {"id": "mail", "category": "personal", "pattern": "[a-z]+@corp\\.example",
             "action": "mask", "severity": "low"}
        ]},
        "audit": {"payloads": "full"}
    })
}

fn messages(model: &str, stream: bool, content: Value) -> Vec<u8> {
    json!({"model": model, "max_tokens": 64, "stream": stream,
           "messages": [{"role": "user", "content": content}]})
    .to_string()
    .into_bytes()
}

fn anthropic_headers(extra: &[(&str, &str)]) -> ClientHeaders {
    let mut h = vec![
        (":path", "/v1/messages"),
        ("anthropic-version", "2023-06-01"),
        ("x-api-key", "client-key"),
    ];
    h.extend_from_slice(extra);
    headers(&h)
}

fn run(body: &[u8]) -> Run {
    Run::with(cfg(config()), anthropic_headers(&[]), body)
}

/// An Anthropic error body: its `error.type` and clawgate's code.
fn anthropic_error(r: &LocalReply) -> (String, String) {
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(v["type"], "error", "{v}");
    assert!(v["error"]["message"].is_string());
    (
        v["error"]["type"].as_str().unwrap().to_string(),
        v["error"]["code"].as_str().unwrap().to_string(),
    )
}

#[test]
fn a_private_key_in_a_tool_result_is_blocked_in_anthropic_shape() {
    let key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----";
    let body = messages(
        "claude",
        false,
        json!([{"type": "tool_result", "tool_use_id": "t1", "content": [{"type": "text", "text": key}]}]),
    );
    let mut v = config();
    v["risk"]["refusal"] = json!("error");
    let run = Run::with(cfg(v), anthropic_headers(&[]), &body);
    let r = reply(&run.forwarded.effects).expect("refused");
    assert_eq!(
        r.status, 400,
        "never 403: Claude Code reads it as a bad key"
    );
    assert_eq!(
        anthropic_error(r),
        (
            "invalid_request_error".into(),
            "content_policy_violation".into()
        )
    );
    assert!(!String::from_utf8_lossy(&r.body).contains("MIIE"));
    assert_eq!(
        reply_header(r, "x-clawgate-request-id").map(str::len),
        Some(24)
    );
    assert!(
        request_body(&run.forwarded.effects).is_none(),
        "nothing forwarded"
    );
}

#[test]
fn masked_spans_stay_masked_in_tool_use_input_and_the_provider_gets_its_wire() {
    let body = json!({"model": "claude", "max_tokens": 8, "messages": [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "t", "name": "mail", "input": {"to": "bob@corp.example"}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t", "content": "sent to bob@corp.example"}]}
    ]})
    .to_string();
    let run = run(body.as_bytes());
    let fx = &run.forwarded.effects;
    let sent = String::from_utf8(request_body(fx).unwrap().to_vec()).unwrap();
    assert!(!sent.contains("bob@corp.example"), "{sent}");
    assert_eq!(sent.matches("[MASKED:mail]").count(), 2, "{sent}");
    assert!(sent.contains("\"model\":\"claude-sonnet-4-5\""));
    assert_eq!(request_header(fx, "x-api-key").as_deref(), Some("sk-ant"));
    assert_eq!(request_header(fx, "authorization"), None);
    assert_eq!(
        request_header(fx, ":path"),
        None,
        "same path: not set again"
    );
}

#[test]
fn the_provider_key_header_replaces_the_client_credentials() {
    let run = Run::with(
        cfg(config()),
        anthropic_headers(&[("authorization", "Bearer gateway-key")]),
        &messages("claude", false, json!("hi")),
    );
    let fx = &run.forwarded.effects;
    assert!(fx.contains(&Effect::RemoveRequestHeader("authorization".into())));
    assert_eq!(request_header(fx, "x-api-key").as_deref(), Some("sk-ant"));
}

#[test]
fn a_stream_is_counted_with_cache_prices_at_every_split() {
    let s = STREAM.as_bytes();
    for i in (0..s.len()).step_by(7) {
        let mut run = run(&messages("claude", true, json!("hi")));
        run.headers(200, true, false);
        for part in [&s[..i], &s[i..]] {
            let step = run.body(part, false);
            assert!(response_body(&step.effects).is_none(), "passes unchanged");
        }
        run.body(b"", true);
        let (m, rec) = run.log();
        let rec = rec.unwrap();
        assert_eq!(
            (
                rec.usage.prompt,
                rec.usage.completion,
                rec.usage.cached,
                rec.usage.cache_write
            ),
            (Some(242), Some(42), Some(200), Some(30)),
            "split {i}"
        );
        assert!(rec.usage_complete);
        // 12*3 + 200*0.3 + 30*3.75 + 42*15 = 36 + 60 + 112.5 + 630 = 838.5 per 1M
        assert_eq!(rec.cost.as_deref(), Some("0.0008385"), "split {i}");
        assert_eq!(metric(&m, "metric.total_token"), Some(284));
        assert_eq!(rec.response_payload.as_deref(), Some("你好 world🙂"));
    }
}

#[test]
fn a_json_answer_gets_usage_headers() {
    let mut run = run(&messages("claude", false, json!("hi")));
    assert_eq!(run.headers(200, false, false).flow, Flow::Pause);
    let body = json!({"type": "message", "content": [{"type": "text", "text": "ok"}],
        "usage": {"input_tokens": 5, "output_tokens": 2, "cache_read_input_tokens": 10}})
    .to_string();
    let step = run.body(body.as_bytes(), true);
    assert_eq!(
        response_header(&step.effects, "x-clawgate-prompt-tokens").as_deref(),
        Some("15")
    );
    assert_eq!(
        response_header(&step.effects, "x-clawgate-cached-tokens").as_deref(),
        Some("10")
    );
}

#[test]
fn fallback_skips_models_that_cannot_read_the_request() {
    let mut run = run(&messages("claude", true, json!("hi")));
    run.headers(529, true, false);
    assert!(run.up.sent.is_empty(), "529 is not a fallback status");
    let mut run = self::run(&messages("claude", true, json!("hi")));
    run.headers(503, true, false);
    let (replay, _) = run.up.sent.last().unwrap();
    assert_eq!(
        replay.cluster, "backup",
        "not `gpt`, which speaks only OpenAI"
    );
    assert_eq!(replay.path, "/proxy/v1/messages");
    let h = |n: &str| {
        replay
            .headers
            .iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(h("anthropic-version"), Some("2023-06-01"));
    assert_eq!(
        h("x-api-key"),
        Some("client-key"),
        "no provider key: the client's"
    );
    let sse = STREAM.to_string();
    let effects = run.call(200, Some("text/event-stream"), sse.as_bytes());
    let r = reply(&effects).unwrap();
    let text = String::from_utf8(r.body.clone()).unwrap();
    assert!(
        text.starts_with("event: ping\ndata: {\"type\":\"ping\",\"gateway_notice\":{\"fromModel\":\"claude\",\"toModel\":\"claude-b\""),
        "{text}"
    );
    assert!(text.ends_with(&sse));
    let (_, rec) = run.log();
    let rec = rec.unwrap();
    assert_eq!(rec.model_used.as_deref(), Some("claude-b"));
    assert_eq!(rec.usage.total, Some(284));
}

#[test]
fn all_fallbacks_failing_answer_in_anthropic_shape() {
    let mut run = run(&messages("claude", false, json!("hi")));
    run.headers(503, false, false);
    let effects = run.call(0, None, b"");
    let r = reply(&effects).unwrap();
    assert_eq!(r.status, 504);
    assert_eq!(
        anthropic_error(r),
        ("timeout_error".into(), "upstream_unavailable".into())
    );
}

#[test]
fn protocol_mismatches_fail_closed() {
    // explicitly named OpenAI-only model
    let run = run(&messages("gpt", false, json!("hi")));
    let r = reply(&run.forwarded.effects).unwrap();
    assert_eq!(r.status, 400);
    assert_eq!(anthropic_error(r).1, "protocol_mismatch");
    // a secure reroute to a secure model that cannot read the request
    let run = self::run(&messages("claude", false, json!("about project falcon")));
    let r = reply(&run.forwarded.effects).unwrap();
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(
        (r.status, v["type"].as_str()),
        (200, Some("message")),
        "refused as the model's answer"
    );
    let text = v["content"][0]["text"].as_str().unwrap();
    assert!(
        text.contains("falcon") && text.contains("secure model") && !text.contains("project"),
        "{text}"
    );
    // `auto` picks only among models that speak the protocol
    let run = self::run(&messages("auto", false, json!("hi")));
    assert_eq!(
        request_header(&run.forwarded.effects, "x-clawgate-provider").as_deref(),
        Some("anthropic")
    );
    // an OpenAI request to an Anthropic-only model
    let run = Run::new(config(), &[], &chat("claude", false));
    let r = reply(&run.forwarded.effects).unwrap();
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(
        v["error"]["code"], "protocol_mismatch",
        "OpenAI shape on an OpenAI path"
    );
}

#[test]
fn count_tokens_is_routed_scanned_and_recorded_without_usage() {
    let mut run = Run::with(
        cfg(config()),
        anthropic_headers(&[(":path", "/anthropic/v1/messages/count_tokens")]),
        &messages("both", false, json!("hi bob@corp.example")),
    );
    let fx = &run.forwarded.effects;
    assert!(!String::from_utf8_lossy(request_body(fx).unwrap()).contains("bob@"));
    assert_eq!(
        request_header(fx, "x-clawgate-provider").as_deref(),
        Some("higress")
    );
    run.headers(200, false, false);
    run.body(br#"{"input_tokens":12}"#, true);
    let (_, rec) = run.log();
    let rec = rec.unwrap();
    assert_eq!(rec.path, "/anthropic/v1/messages/count_tokens");
    assert_eq!(rec.usage.prompt, None, "nothing generated, nothing counted");
    assert_eq!(rec.status, 200);
}
