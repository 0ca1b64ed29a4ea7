//! Content refusals in every wire format, both forms (`risk.refusal`),
//! streamed and not: never an authentication or permission error; as an
//! answer, a finished turn the clawgate readers themselves parse as one,
//! with zero usage and the refusal marked.

use super::*;

const BLOCKED: &str = "the launch codes are 0000";

/// The client's path, its body for a blocked prompt, and its protocol.
fn request(endpoint: &str, stream: bool) -> (&'static str, Vec<u8>) {
    let (path, body) = match endpoint {
        "chat" => (
            "/v1/chat/completions",
            json!({"model": "gpt-4o", "stream": stream,
                   "messages": [{"role": "user", "content": BLOCKED}]}),
        ),
        "completions" => (
            "/v1/completions",
            json!({"model": "gpt-4o", "stream": stream, "prompt": BLOCKED}),
        ),
        "responses" => (
            "/v1/responses",
            json!({"model": "gpt-4o", "stream": stream,
                   "input": [{"role": "user", "content": [{"type": "input_text", "text": BLOCKED}]}]}),
        ),
        "messages" => (
            "/v1/messages",
            json!({"model": "gpt-4o", "max_tokens": 64, "stream": stream,
                   "messages": [{"role": "user", "content": BLOCKED}]}),
        ),
        "embeddings" => (
            "/v1/embeddings",
            json!({"model": "gpt-4o", "input": BLOCKED}),
        ),
        other => panic!("no endpoint {other}"),
    };
    (path, body.to_string().into_bytes())
}

/// `gpt-4o` speaks both formats here so every endpoint reaches the scan.
fn refused(endpoint: &str, form: &str, stream: bool) -> Run {
    let mut v = config();
    v["models"][0]["protocols"] = json!(["openai", "anthropic"]);
    if !form.is_empty() {
        v["risk"]["refusal"] = json!(form);
    }
    let (path, body) = request(endpoint, stream);
    Run::new(v, &[(":path", path)], &body)
}

/// The text a client shows, read back from the answer as a client would.
fn answer_text(endpoint: &str, stream: bool, body: &[u8]) -> String {
    if stream {
        let mut text = String::new();
        crate::wire::sse::SseFramer::new(false).feed(body, &mut |e| {
            if !e.dispatch {
                return;
            }
            let Ok(v) = serde_json::from_slice::<Value>(e.data) else {
                return;
            };
            let piece = match endpoint {
                "chat" => &v["choices"][0]["delta"]["content"],
                "responses" => &v["delta"],
                _ => &v["delta"]["text"],
            };
            text.push_str(piece.as_str().unwrap_or_default());
        });
        return text;
    }
    let v: Value = serde_json::from_slice(body).unwrap();
    let t = match endpoint {
        "chat" => &v["choices"][0]["message"]["content"],
        "responses" => &v["output"][0]["content"][0]["text"],
        _ => &v["content"][0]["text"],
    };
    t.as_str().unwrap().to_string()
}

const ANSWERING: [&str; 3] = ["chat", "responses", "messages"];

#[test]
fn the_message_form_is_a_finished_answer_in_the_callers_format() {
    for endpoint in ANSWERING {
        for stream in [false, true] {
            let case = format!("{endpoint} stream={stream}");
            // the default form is `message`
            let mut run = refused(endpoint, "", stream);
            let r = reply(&run.forwarded.effects).expect("answered by the filter");
            assert_eq!(r.status, 200, "{case}");
            assert_eq!(
                reply_header(r, "x-clawgate-refusal"),
                Some("content_blocked"),
                "{case}"
            );
            let ct = if stream {
                "text/event-stream"
            } else {
                "application/json"
            };
            assert_eq!(reply_header(r, "content-type"), Some(ct), "{case}");
            let text = answer_text(endpoint, stream, &r.body);
            assert!(
                text.contains("rule nuke") && text.contains("send the request again"),
                "{case}: names the rule and what to do: {text}"
            );
            assert!(!text.contains("launch"), "{case}: never the text");
            assert!(
                request_body(&run.forwarded.effects).is_none(),
                "nothing forwarded"
            );

            // the clawgate readers take it as a complete answer of zero tokens
            let zero = if stream {
                let mut obs = if endpoint == "messages" {
                    crate::wire::anthropic::stream::observer(None)
                } else {
                    crate::wire::openai::stream::observer(false, None)
                };
                obs.feed(&r.body);
                obs.finish();
                assert!(obs.done, "{case}: the stream ends properly");
                assert_eq!((obs.garbage(), obs.error), (0, false), "{case}");
                obs.usage
            } else if endpoint == "messages" {
                crate::wire::anthropic::usage::from_json_body(&r.body)
            } else {
                crate::wire::Usage::from_json_body(&r.body)
            }
            .unwrap_or_else(|| panic!("{case}: usage is readable"));
            assert_eq!((zero.prompt, zero.completion), (Some(0), Some(0)), "{case}");

            let (m, rec) = run.log();
            assert_eq!(m, vec![(crate::metrics::BLOCKED.to_string(), 1)]);
            let rec = rec.unwrap();
            assert_eq!(
                (rec.status, rec.error.as_deref(), rec.stream),
                (200, Some("content_blocked"), stream),
                "{case}: recorded as refused"
            );
        }
    }
}

#[test]
fn the_error_form_is_a_content_policy_400_never_401_or_403() {
    for endpoint in ANSWERING {
        for stream in [false, true] {
            let case = format!("{endpoint} stream={stream}");
            let mut run = refused(endpoint, "error", stream);
            let r = reply(&run.forwarded.effects).expect("answered by the filter");
            assert_eq!(r.status, 400, "{case}");
            assert_eq!(
                reply_header(r, "content-type"),
                Some("application/json"),
                "{case}: an error is JSON even to a stream request"
            );
            assert_eq!(reply_header(r, "x-clawgate-refusal"), None, "{case}");
            let v: Value = serde_json::from_slice(&r.body).unwrap();
            let message = if endpoint == "messages" {
                assert_eq!(v["type"], "error", "{case}");
                v["error"]["message"].as_str().unwrap()
            } else {
                assert_eq!(v["error"]["code"], "content_policy_violation", "{case}");
                v["error"]["message"].as_str().unwrap()
            };
            assert_eq!(v["error"]["type"], "invalid_request_error", "{case}");
            assert!(
                message.contains("rule nuke") && !message.contains("launch"),
                "{case}: {message}"
            );
            let rec = run.log().1.unwrap();
            assert_eq!(
                (rec.status, rec.error.as_deref()),
                (400, Some("content_blocked")),
                "{case}"
            );
        }
    }
}

#[test]
fn an_endpoint_with_no_message_gets_the_error_form() {
    for endpoint in ["embeddings", "completions"] {
        let run = refused(endpoint, "message", true);
        let r = reply(&run.forwarded.effects).unwrap();
        let v: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(
            (r.status, v["error"]["code"].as_str()),
            (400, Some("content_policy_violation")),
            "{endpoint}"
        );
    }
}

#[test]
fn only_content_refusals_become_answers() {
    // an unknown model stays an error
    let run = Run::new(config(), &[], &chat("nope", true));
    let r = reply(&run.forwarded.effects).unwrap();
    assert_eq!(r.status, 404);
    assert_eq!(reply_header(r, "x-clawgate-refusal"), None);

    // a spent budget stays 429 with retry-after: the client may come back
    let mut v = config();
    v["budgets"] = json!({"limits": [{"name": "l", "match": "*", "period": "day",
        "max_tokens": 1, "action": "block"}]});
    let spend = [(
        "u".to_string(),
        crate::budget::Spend {
            tokens: 5,
            cost_micros: 0,
        },
    )];
    let snapshot = crate::budget::Snapshot {
        fetched_ms: 1_000,
        limits: vec![crate::budget::LimitState {
            name: "l".into(),
            period_start_ms: 0,
            reset_ms: 61_000,
            spend: spend.into_iter().collect(),
        }],
    };
    let body = chat("gpt-4o", true);
    let clock = Clock::new(&|| 1_000);
    let (mut ex, _) = Exchange::start(
        cfg(v),
        headers(&[("x-user", "u")]),
        false,
        &clock,
        &mut |_| "rid".into(),
    );
    ex.set_budget(Some(Rc::new(snapshot)));
    let step = ex.on_request_body(body.len(), true, &clock, &mut || body.clone(), &mut || 0);
    let r = reply(&step.effects).unwrap();
    assert_eq!(
        (r.status, reply_header(r, "retry-after")),
        (429, Some("60"))
    );
    assert_eq!(reply_header(r, "x-clawgate-refusal"), None);
}

#[test]
fn a_secure_reroute_with_no_secure_model_is_the_same_refusal() {
    let mut v = config();
    v["risk"]["secure_model"] = Value::Null;
    for p in v["providers"].as_array_mut().unwrap() {
        p["secure"] = json!(false);
    }
    let body = json!({"model": "gpt-4o", "stream": true,
                      "messages": [{"role": "user", "content": "about Project Falcon"}]});
    let run = Run::new(v, &[], body.to_string().as_bytes());
    let r = reply(&run.forwarded.effects).unwrap();
    assert_eq!(r.status, 200);
    let text = answer_text("chat", true, &r.body);
    assert!(
        text.contains("rule falcon") && text.contains("secure model") && !text.contains("Project"),
        "{text}"
    );
}
