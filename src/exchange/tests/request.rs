//! The request half: classification, header checks, planning, the first
//! attempt's edits, and the builder shared with replays.

use super::*;

fn start(extra: &[(&str, &str)], eos: bool) -> (Exchange, Step) {
    Exchange::start(
        cfg(config()),
        headers(extra),
        eos,
        &Clock::new(&|| 5_000),
        &mut |_| "id".into(),
    )
}

fn error_code(step: &Step) -> (u32, String) {
    let r = reply(&step.effects).expect("a reply");
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    (r.status, v["error"]["code"].as_str().unwrap().to_string())
}

/// Extra client headers, end of stream, the phase after, the error sent.
type HeaderCase<'a> = (
    &'a [(&'a str, &'a str)],
    bool,
    Phase,
    Option<(u32, &'a str)>,
);

#[test]
fn header_checks_table() {
    let big = (50u64 << 20) + 1;
    let big = big.to_string();
    let cases: &[HeaderCase] = &[
        (&[(":path", "/healthz")], false, Phase::Sniffing, None),
        (&[(":path", "/healthz")], true, Phase::Untracked, None),
        (
            &[
                (":path", "/upload"),
                ("content-type", "multipart/form-data; boundary=x"),
            ],
            false,
            Phase::Untracked,
            None,
        ),
        (
            &[(":path", "/v1/%zzchat/completions")],
            false,
            Phase::Refused,
            Some((400, "invalid_path")),
        ),
        (
            &[(":path", "/openai/v1//chat/./completions")],
            false,
            Phase::AwaitingBody,
            None,
        ),
        (
            &[(":method", "GET"), (":path", "/v1/chat/completions")],
            false,
            Phase::Untracked,
            None,
        ),
        (&[], false, Phase::AwaitingBody, None),
        (
            &[("content-type", "text/plain")],
            false,
            Phase::Refused,
            Some((415, "unsupported_media_type")),
        ),
        (&[], true, Phase::Refused, Some((400, "invalid_json"))),
        (
            &[("content-length", big.as_str())],
            false,
            Phase::Refused,
            Some((413, "request_too_large")),
        ),
    ];
    for (extra, eos, phase, err) in cases {
        let (ex, step) = start(extra, *eos);
        assert_eq!(ex.phase(), *phase, "{extra:?}");
        match err {
            Some((status, code)) => {
                assert_eq!(error_code(&step), (*status, code.to_string()), "{extra:?}");
                let r = reply(&step.effects).unwrap();
                assert_eq!(reply_header(r, "x-clawgate-request-id"), Some("id"));
            }
            None => assert!(reply(&step.effects).is_none()),
        }
    }
}

#[test]
fn model_list_is_answered_and_untracked() {
    let (mut ex, step) = start(&[(":method", "GET"), (":path", "/v1/models")], true);
    let r = reply(&step.effects).unwrap();
    assert_eq!((r.status, step.flow), (200, Flow::Pause));
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(v["data"][0]["id"], "auto");
    assert!(
        ex.on_log(
            &Clock::new(&|| 6_000),
            &|_| None,
            true,
            &mut Default::default()
        )
        .is_empty(),
        "no record, no metrics"
    );
}

#[test]
fn client_routing_headers_are_removed_on_any_path() {
    let (_, step) = start(
        &[
            (":method", "GET"),
            (":path", "/other"),
            ("x-clawgate-provider", "local"),
        ],
        false,
    );
    assert_eq!(
        step.effects,
        vec![Effect::RemoveRequestHeader("x-clawgate-provider".into())]
    );
    assert_eq!(step.flow, Flow::Continue);
}

#[test]
fn body_is_held_until_whole_and_capped() {
    let (mut ex, _) = start(&[], false);
    let step = ex.on_request_body(
        10,
        false,
        &Clock::new(&|| panic!("no time needed")),
        &mut || panic!("read early"),
        &mut || 0,
    );
    assert_eq!((step.flow, ex.phase()), (Flow::Pause, Phase::AwaitingBody));
    let mut v = config();
    v["max_body_bytes"] = json!(100);
    let (mut ex, _) = Exchange::start(cfg(v), headers(&[]), false, &Clock::new(&|| 0), &mut |_| {
        "id".into()
    });
    let step = ex.on_request_body(
        101,
        false,
        &Clock::new(&|| 1),
        &mut || panic!("read"),
        &mut || 0,
    );
    assert_eq!(error_code(&step), (413, "request_too_large".into()));
}

#[test]
fn refusals_are_answered_recorded_and_counted() {
    let body =
        json!({"model": "gpt-4o", "messages": [{"role": "user", "content": "the launch codes"}]});
    for (form, status) in [("message", 200), ("error", 400)] {
        let mut v = config();
        v["risk"]["refusal"] = json!(form);
        let mut run = Run::new(v, &[], body.to_string().as_bytes());
        let r = reply(&run.forwarded.effects).expect("answered by the filter");
        assert_eq!(r.status, status, "{form}");
        let text = String::from_utf8(r.body.clone()).unwrap();
        assert!(
            text.contains("nuke") && !text.contains("launch codes"),
            "names the rule, not the text"
        );
        let (m, rec) = run.log();
        assert_eq!(m, vec![(crate::metrics::BLOCKED.to_string(), 1)]);
        let rec = rec.unwrap();
        assert_eq!(
            (rec.status, rec.error.as_deref()),
            (status as u16, Some("content_blocked")),
            "the record says it was refused, whatever the client got"
        );
        assert_eq!(rec.model_requested.as_deref(), Some("gpt-4o"));
        assert_eq!(rec.risk.hits[0].rule, "nuke");
    }

    let mut run = Run::new(config(), &[], &chat("nope", false));
    assert_eq!(error_code(&run.forwarded), (404, "model_not_found".into()));
    assert!(run.log().0.is_empty(), "only blocks count as blocked");
}

#[test]
fn first_attempt_edits_only_what_differs() {
    let run = Run::new(
        config(),
        &[("x-request-id", "client-rid")],
        &chat("gpt-4o", false),
    );
    let e = &run.forwarded.effects;
    assert_eq!(run.forwarded.flow, Flow::Continue);
    assert_eq!(
        request_header(e, "x-clawgate-provider").as_deref(),
        Some("openai")
    );
    assert_eq!(
        request_header(e, "x-higress-llm-model").as_deref(),
        Some("gpt-4o-2024-08-06")
    );
    assert_eq!(
        request_header(e, "authorization").as_deref(),
        Some("Bearer sk-test")
    );
    assert_eq!(
        request_header(e, "x-request-id"),
        None,
        "the client's id stays"
    );
    assert_eq!(request_header(e, ":path"), None, "no base path");
    assert_eq!(request_header(e, "content-type"), None, "already JSON");
    let v: Value = serde_json::from_slice(request_body(e).unwrap()).unwrap();
    assert_eq!(v["model"], "gpt-4o-2024-08-06");
    let len = request_header(e, "content-length").unwrap();
    assert_eq!(len, v.to_string().len().to_string());

    // unchanged body, no key, base path, no client id
    let run = Run::new(
        config(),
        &[("authorization", "Bearer client")],
        &chat("b", false),
    );
    let e = &run.forwarded.effects;
    assert_eq!(
        request_header(e, ":path").as_deref(),
        Some("/compat/v1/chat/completions")
    );
    assert_eq!(
        request_header(e, "authorization"),
        None,
        "the client's key goes on"
    );
    assert_eq!(
        request_header(e, "x-request-id").as_deref(),
        Some("ridridridridridridridrid")
    );
    assert_eq!(request_body(e), None);
}

/// Applies the first attempt's edits to the client's request, as Envoy
/// would forward it.
fn as_forwarded(
    client: &[(&str, &str)],
    body: &[u8],
    step: &Step,
) -> (String, Vec<(String, String)>, Vec<u8>) {
    let mut h: Vec<(String, String)> = client
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    for e in &step.effects {
        if let Effect::SetRequestHeader(k, v) = e {
            h.retain(|(n, _)| n != k);
            h.push((k.to_string(), v.clone()));
        }
    }
    let body = request_body(&step.effects).unwrap_or(body).to_vec();
    let path = h
        .iter()
        .find(|(k, _)| k == ":path")
        .map(|(_, v)| v.clone())
        .unwrap();
    h.retain(|(k, _)| !k.starts_with(':') && k != "content-length");
    h.sort();
    (path, h, body)
}

#[test]
fn first_attempt_and_replay_to_the_same_model_are_identical() {
    // `twin` asks the same provider for the same upstream model as gpt-4o
    let mut v = config();
    v["models"][0]["fallback"] = json!(["twin"]);
    let client = [
        (":method", "POST"),
        (":path", "/v1/chat/completions"),
        (":authority", "gateway"),
        ("content-type", "application/json"),
        ("authorization", "Bearer client"),
    ];
    for stream in [false, true] {
        let body = chat("gpt-4o", stream);
        let mut run = Run::with(cfg(v.clone()), headers(&client[4..]), &body);
        let first = as_forwarded(&client, &body, &run.forwarded);
        run.headers(503, false, false);
        let (replay, timeout) = run.up.sent.pop().expect("a replay");
        let mut h: Vec<(String, String)> = replay
            .headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        h.sort();
        assert_eq!(
            first,
            (replay.path.clone(), h, replay.body.clone()),
            "stream={stream}"
        );
        assert_eq!(
            (replay.cluster.as_str(), replay.authority.as_str()),
            ("openai", "api.openai.com")
        );
        assert_eq!(timeout, 30_000);
    }
}

#[test]
fn a_refused_request_is_marked_and_refused_again_after_a_redirect() {
    let body =
        json!({"model": "gpt-4o", "messages": [{"role": "user", "content": "the launch codes"}]});
    let run = Run::new(config(), &[], body.to_string().as_bytes());
    assert_eq!(
        request_header(&run.forwarded.effects, "x-clawgate-refused").as_deref(),
        Some("content_blocked"),
        "Envoy keeps it across an internal redirect"
    );
    // Higress's AI-route fallback redirects a 4xx: the chain runs again,
    // on a route whose config might let the request through.
    let (ex, step) = Exchange::start(
        cfg(config()),
        headers(&[("x-clawgate-refused", "model_not_found")]),
        false,
        &Clock::new(&|| 5),
        &mut |_| "rid".repeat(8),
    );
    assert_eq!(error_code(&step), (404, "model_not_found".into()));
    assert_eq!(ex.phase(), Phase::Refused, "never forwarded");
    let (_, step) = Exchange::start(
        cfg(config()),
        headers(&[
            ("x-clawgate-refused", "garbage"),
            (":method", "GET"),
            (":path", "/anything"),
        ]),
        false,
        &Clock::new(&|| 5),
        &mut |_| "rid".repeat(8),
    );
    assert_eq!(
        error_code(&step),
        (400, "content_policy_violation".into()),
        "an unknown mark, any path, still refuses"
    );
}
