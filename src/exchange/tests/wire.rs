//! Wire details: the provider is asked for an uncompressed answer, a
//! compressed one anyway is relayed uncounted, replays carry the client's
//! headers, the model list answers in the caller's protocol, and the
//! session comes from the agents' own fields.

use super::*;

/// Headers as Claude Code and Codex send them (values made up).
const AGENT: [(&str, &str); 9] = [
    ("accept-encoding", "gzip, deflate, br, zstd"),
    ("user-agent", "claude-cli/2.1.332 (external, sdk-cli)"),
    (
        "traceparent",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    ),
    ("x-claude-code-session-id", "cc-session"),
    ("anthropic-beta", "claude-code-20250219"),
    ("authorization", "Bearer client-key"),
    ("content-length", "77"),
    ("x-envoy-upstream-rq-timeout-ms", "1"),
    ("connection", "keep-alive"),
];

fn replay_header<'a>(req: &'a UpstreamRequest, name: &str) -> Option<&'a str> {
    let mut found = req.headers.iter().filter(|(k, _)| k == name);
    let v = found.next().map(|(_, v)| v.as_str());
    assert!(found.next().is_none(), "{name} set twice");
    v
}

#[test]
fn the_provider_is_asked_for_an_uncompressed_answer() {
    let mut run = Run::new(config(), &AGENT, &chat("gpt-4o", false));
    assert_eq!(
        request_header(&run.forwarded.effects, "accept-encoding").as_deref(),
        Some("identity")
    );
    run.headers(503, false, false);
    let (replay, _) = &run.up.sent[0];
    assert_eq!(replay_header(replay, "accept-encoding"), Some("identity"));
}

#[test]
fn replays_carry_the_clients_headers_but_not_clawgates() {
    let mut extra = AGENT.to_vec();
    extra.push(("x-clawgate-provider", "local"));
    extra.push(("session-id", "codex-session"));
    let mut run = Run::new(config(), &extra, &chat("gpt-4o", false));
    run.headers(503, false, false);
    let (replay, _) = &run.up.sent[0];
    for (k, want) in [
        ("user-agent", AGENT[1].1),
        ("traceparent", AGENT[2].1),
        ("x-claude-code-session-id", "cc-session"),
        ("anthropic-beta", "claude-code-20250219"),
        ("session-id", "codex-session"),
        // the provider's key, not the client's
        ("authorization", "Bearer sk-test"),
        ("x-clawgate-provider", "openai"),
        ("x-higress-llm-model", "mini"),
    ] {
        assert_eq!(replay_header(replay, k), Some(want), "{k}");
    }
    for k in [
        "content-length",
        "x-envoy-upstream-rq-timeout-ms",
        "connection",
        ":path",
    ] {
        assert_eq!(replay_header(replay, k), None, "{k}");
    }
}

#[test]
fn a_compressed_answer_is_relayed_untouched_and_uncounted() {
    let mut run = Run::new(config(), &[], &chat("gpt-4o", false));
    let step = run.headers_coded(200, false, true, false);
    assert_eq!(step.flow, Flow::Continue, "not held: nothing to add");
    assert_eq!(
        response_header(&step.effects, "x-gateway-model-used").as_deref(),
        Some("gpt-4o")
    );
    let step = run.body_unread(30, true);
    assert_eq!(step, Step::go_on());
    assert!(response_header(&step.effects, "x-clawgate-prompt-tokens").is_none());
    let (m, rec) = run.log();
    let rec = rec.unwrap();
    assert_eq!((rec.status, rec.usage.prompt), (200, None));
    assert!(!rec.usage_complete, "usage unknown, not zero");
    assert!(rec.cost.is_none());
    assert_eq!(metric(&m, "accounting.unparsed"), Some(1));
}

#[test]
fn a_compressed_stream_is_not_parsed() {
    let mut run = Run::new(config(), &[], &chat("gpt-4o", true));
    run.headers_coded(200, true, true, false);
    assert_eq!(run.body_unread(30, false), Step::go_on());
    assert_eq!(run.body_unread(0, true), Step::go_on());
    let (_, rec) = run.log();
    let rec = rec.unwrap();
    assert!(rec.usage.prompt.is_none() && !rec.usage_complete);
    assert!(rec.response_payload.is_none());
}

#[test]
fn a_compressed_replay_answer_keeps_its_coding() {
    let mut run = Run::new(config(), &[], &chat("gpt-4o", false));
    run.headers(503, false, false);
    let gz = [0x1f, 0x8b, 8, 0, 1, 2, 3];
    let effects = run.call_coded(200, Some("application/json"), Some("gzip"), &gz);
    let r = reply(&effects).unwrap();
    assert_eq!(r.body, gz, "bytes untouched (no notice spliced in)");
    assert_eq!(reply_header(r, "content-encoding"), Some("gzip"));
    assert_eq!(reply_header(r, "x-gateway-switched"), Some("1"));
    assert_eq!(reply_header(r, "x-clawgate-prompt-tokens"), None);
    let (_, rec) = run.log();
    let rec = rec.unwrap();
    assert_eq!((rec.status, rec.usage.prompt), (200, None));
    assert!(!rec.usage_complete);
}

fn models_reply(extra: &[(&str, &str)]) -> Value {
    let mut h = vec![(":method", "GET"), (":path", "/v1/models")];
    h.extend_from_slice(extra);
    let (_, step) = Exchange::start(
        cfg(config()),
        headers(&h),
        true,
        &Clock::new(&|| 5_000),
        &mut |_| "id".into(),
    );
    serde_json::from_slice(&reply(&step.effects).unwrap().body).unwrap()
}

#[test]
fn the_model_list_answers_in_the_callers_protocol() {
    let openai = models_reply(&[("authorization", "Bearer k")]);
    assert_eq!(openai["object"], "list");
    let anthropic = models_reply(&[("anthropic-version", "2023-06-01"), ("x-api-key", "k")]);
    assert_eq!(anthropic["has_more"], false);
    assert!(anthropic.get("object").is_none());
    // `x-api-key` alone does not make a caller Anthropic's
    assert_eq!(models_reply(&[("x-api-key", "k")])["object"], "list");
}

#[test]
fn the_session_is_the_agents_not_the_device() {
    let body = json!({"model": "mini", "messages": [],
        "metadata": {"user_id": "{\"device_id\":\"d3v1ce\",\"account_uuid\":\"\",\"session_id\":\"s-42\"}"}});
    let mut c = config();
    c["models"][1]["protocols"] = json!(["openai", "anthropic"]);
    let h = headers(&[
        (":path", "/v1/messages"),
        ("anthropic-version", "2023-06-01"),
    ]);
    let mut run = Run::with(cfg(c), h, body.to_string().as_bytes());
    run.headers(200, false, true);
    let rec = run.log().1.unwrap();
    assert_eq!(rec.session_id.as_deref(), Some("s-42"));
    let mut run = Run::new(config(), &[("session-id", "codex-1")], &chat("mini", false));
    run.headers(200, false, true);
    assert_eq!(run.log().1.unwrap().session_id.as_deref(), Some("codex-1"));
}
