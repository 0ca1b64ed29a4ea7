//! Relaying: JSON held for accounting headers or copied, SSE observed and
//! optionally stripped of the injected usage chunk, streams cut mid-way.

use super::*;

const SSE: &str = concat!(
    "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n",
    "data: {\"choices\":[{\"delta\":{\"content\":\"Hello\"}}]}\n\n",
    "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4,\"total_tokens\":13}}\n\n",
    "data: [DONE]\n\n"
);

fn strip() -> Value {
    let mut v = config();
    v["accounting"] = json!({"strip_injected_usage": true});
    v
}

#[test]
fn json_is_held_then_gets_accounting_headers() {
    let mut run = Run::new(config(), &[], &chat("gpt-4o", false));
    let step = run.headers(200, false, false);
    assert_eq!((step.flow, run.ex.phase()), (Flow::Pause, Phase::Holding));
    assert_eq!(
        response_header(&step.effects, "x-gateway-model-used").as_deref(),
        Some("gpt-4o")
    );
    assert_eq!(
        run.body_unread(100, false).flow,
        Flow::Pause,
        "Envoy buffers; nothing read"
    );
    let step = run.body(&json_usage(1000, 300), true);
    assert_eq!(step.flow, Flow::Continue);
    let e = &step.effects;
    assert_eq!(
        response_header(e, "x-clawgate-prompt-tokens").as_deref(),
        Some("1000")
    );
    assert_eq!(
        response_header(e, "x-clawgate-total-tokens").as_deref(),
        Some("1300")
    );
    // 1000 * 2.5 + 300 * 10 per 1M
    assert_eq!(
        response_header(e, "x-clawgate-cost").as_deref(),
        Some("0.0055")
    );
    assert_eq!(run.ex.phase(), Phase::Answered);
}

#[test]
fn json_with_accounting_headers_off_is_copied_not_held() {
    let mut v = config();
    v["accounting"] = json!({"headers": false});
    let mut run = Run::new(v, &[], &chat("gpt-4o", false));
    assert_eq!(run.headers(200, false, false).flow, Flow::Continue);
    let body = json_usage(7, 3);
    let (a, b) = body.split_at(11);
    assert_eq!(run.body(a, false), Step::go_on());
    assert_eq!(run.body(b, true), Step::go_on(), "no headers added");
    let (m, rec) = run.log();
    assert_eq!(rec.unwrap().usage.total, Some(10));
    assert_eq!(metric(&m, "metric.input_token"), Some(7));
}

#[test]
fn headers_only_answer_is_complete() {
    let mut run = Run::new(config(), &[], &chat("gpt-4o", false));
    assert_eq!(run.headers(204, false, true).flow, Flow::Continue);
    assert_eq!(run.ex.phase(), Phase::Answered);
    let (_, rec) = run.log();
    let rec = rec.unwrap();
    assert!(rec.usage_complete && rec.usage.total.is_none());
}

/// Feeds `SSE` split at `at` and returns what the client received.
fn stream(config: Value, body: &[u8], at: usize) -> (Run, Vec<u8>, Vec<Effect>) {
    let mut run = Run::new(config, &[], body);
    let head = run.headers(200, true, false);
    assert_eq!(head.flow, Flow::Continue, "streams are never held");
    let mut out = Vec::new();
    let s = SSE.as_bytes();
    for (chunk, eos) in [(&s[..at], false), (&s[at..], true)] {
        let step = run.body(chunk, eos);
        out.extend_from_slice(response_body(&step.effects).unwrap_or(chunk));
    }
    (run, out, head.effects)
}

#[test]
fn injected_usage_chunk_is_stripped_at_every_split() {
    let client_body = chat("gpt-4o", true); // the gateway injects include_usage
    for at in 0..=SSE.len() {
        let (mut run, out, head) = stream(strip(), &client_body, at);
        assert!(head.contains(&Effect::RemoveResponseHeader("content-length")));
        let text = String::from_utf8(out).unwrap();
        assert!(
            !text.contains("usage") && text.contains("Hello") && text.ends_with("[DONE]\n\n"),
            "split {at}"
        );
        let (m, rec) = run.log();
        assert_eq!(rec.unwrap().usage.total, Some(13), "split {at}");
        assert_eq!(metric(&m, "incomplete"), None);
    }
}

#[test]
fn usage_the_client_asked_for_or_strip_off_is_never_touched() {
    let asked = json!({"model": "gpt-4o", "stream": true, "stream_options": {"include_usage": true},
                       "messages": []});
    for (cfg, body) in [
        (strip(), asked.to_string().into_bytes()),
        (config(), chat("gpt-4o", true)),
    ] {
        for at in [0, 17, SSE.len()] {
            let (_, out, head) = stream(cfg.clone(), &body, at);
            assert_eq!(out, SSE.as_bytes());
            assert!(!head.contains(&Effect::RemoveResponseHeader("content-length")));
        }
    }
}

#[test]
fn cut_stream_counts_what_arrived_and_is_incomplete() {
    let mut run = Run::new(config(), &[], &chat("gpt-4o", true));
    run.headers(200, true, false);
    let cut = SSE.find("data: {\"choices\":[],").unwrap();
    run.body(&SSE.as_bytes()[..cut], false);
    // the client hangs up: no end of stream, straight to log
    let (m, rec) = run.log();
    let rec = rec.unwrap();
    assert!(!rec.usage_complete);
    assert!(rec.first_token_ms.is_some(), "content arrived");
    assert_eq!(metric(&m, "incomplete"), Some(1));
}

#[test]
fn usage_of_a_stream_logged_before_its_last_callback_still_counts() {
    let mut run = Run::new(config(), &[], &chat("gpt-4o", true));
    run.headers(200, true, false);
    run.body(SSE.as_bytes(), false); // [DONE] seen, end of stream not yet
    let (m, rec) = run.log();
    assert_eq!(rec.unwrap().usage.total, Some(13));
    assert_eq!(metric(&m, "incomplete"), None);
}

#[test]
fn stream_chunks_after_the_first_token_do_not_read_the_clock() {
    let mut run = Run::new(config(), &[], &chat("gpt-4o", true));
    run.headers(200, true, false);
    let s = SSE.as_bytes();
    let usage = SSE.find("data: {\"choices\":[],").unwrap();
    run.body(&s[..usage], false); // the first token: its time is read
    let no_time = Clock::new(&|| panic!("clock read for a later chunk"));
    let rest = &s[usage..s.len() - 5];
    let step = run
        .ex
        .on_response_body(rest.len(), false, &no_time, &mut || rest.to_vec());
    assert_eq!(step, Step::go_on());
    run.body(&s[s.len() - 5..], true);
    assert_eq!(run.log().1.unwrap().usage.total, Some(13));
}

#[test]
fn held_answer_replaced_by_envoy_is_recorded_as_sent() {
    // headers, then the upstream stalls past its timeout: Envoy sends its
    // own 504 straight to the client and the held body never completes
    let mut run = Run::new(config(), &[], &chat("gpt-4o", false));
    run.headers(200, false, false);
    run.body_unread(0, false);
    run.sent_status = Some(504);
    let (_, rec) = run.log();
    let rec = rec.unwrap();
    assert_eq!(
        (rec.status, rec.error.as_deref()),
        (504, Some("upstream_error"))
    );
    assert_eq!(rec.attempts[0].status, 504);
    assert!(!rec.usage_complete);
}

#[test]
fn an_error_event_inside_a_200_stream_is_recorded() {
    let mut run = Run::new(config(), &[], &chat("gpt-4o", true));
    run.headers(200, true, false);
    let sse = "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n\
               data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n";
    assert_eq!(
        run.body(sse.as_bytes(), true),
        Step::go_on(),
        "passed through"
    );
    let rec = run.log().1.unwrap();
    assert_eq!(
        (rec.status, rec.error.as_deref()),
        (200, Some("upstream_stream_error")),
        "the status the client got, and what went wrong"
    );
    assert!(!rec.usage_complete);
}
