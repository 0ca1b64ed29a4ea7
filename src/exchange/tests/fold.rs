//! Header edits folded into one map replacement (`headers::fold`).

use super::super::headers::{fold, Side, FOLD_MIN};
use super::*;

fn map(pairs: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
        .collect()
}

fn upstream() -> Vec<(String, Vec<u8>)> {
    map(&[
        (":status", "200"),
        ("content-type", "application/json"),
        ("content-length", "42"),
        ("set-cookie", "a=1"),
        ("set-cookie", "b=2"),
        ("x-gateway-switched", "stale"),
    ])
}

#[test]
fn few_edits_stay_single_hostcalls() {
    let edits: Vec<Effect> = (0..FOLD_MIN - 1)
        .map(|_| Effect::SetResponseHeader("x-a", "1".into()))
        .collect();
    assert_eq!(fold(Side::Response, &upstream(), edits.clone()), edits);
}

#[test]
fn several_edits_become_one_map_with_every_other_header_kept() {
    let edits = vec![
        Effect::ResumeResponse,
        Effect::SetResponseHeader("x-gateway-switched", "0".into()),
        Effect::RemoveResponseHeader("content-length"),
        Effect::SetResponseHeader("x-clawgate-cost", "0.1".into()),
        Effect::ReplaceResponseBody(b"x".to_vec()),
        // request edits are another map's
        Effect::SetRequestHeader("x-r".into(), "1".into()),
    ];
    let out = fold(Side::Response, &upstream(), edits);
    assert_eq!(out.len(), 4, "{out:?}");
    assert_eq!(out[0], Effect::ResumeResponse);
    assert_eq!(
        out[1],
        Effect::ReplaceResponseHeaders(map(&[
            (":status", "200"),
            ("content-type", "application/json"),
            ("set-cookie", "a=1"),
            ("set-cookie", "b=2"),
            ("x-gateway-switched", "0"),
            ("x-clawgate-cost", "0.1"),
        ])),
        "where the first edit stood; repeated headers kept, an edited one replaced"
    );
    assert_eq!(out[2], Effect::ReplaceResponseBody(b"x".to_vec()));
    assert_eq!(out[3], Effect::SetRequestHeader("x-r".into(), "1".into()));
}

#[test]
fn request_pseudo_headers_survive_and_names_are_lowercased() {
    let client = map(&[
        (":method", "POST"),
        (":path", "/v1/chat/completions"),
        (":authority", "gw"),
        ("authorization", "Bearer x"),
    ]);
    let edits = vec![
        Effect::RemoveRequestHeader("authorization".into()),
        Effect::SetRequestHeader(":path".into(), "/compat/v1/chat/completions".into()),
        Effect::SetRequestHeader("X-Tenant".into(), "t1".into()),
    ];
    let out = fold(Side::Request, &client, edits);
    assert_eq!(
        out,
        vec![Effect::ReplaceRequestHeaders(map(&[
            (":method", "POST"),
            (":authority", "gw"),
            (":path", "/compat/v1/chat/completions"),
            ("x-tenant", "t1"),
        ]))]
    );
}

#[test]
fn a_forwarded_request_edits_its_headers_in_one_call() {
    let run = Run::new(config(), &[], &chat("gpt-4o", false));
    let whole: Vec<&Effect> = run
        .forwarded
        .effects
        .iter()
        .filter(|e| matches!(e, Effect::ReplaceRequestHeaders(_)))
        .collect();
    assert_eq!(whole.len(), 1, "{:?}", run.forwarded.effects);
    assert!(!run.forwarded.effects.iter().any(|e| matches!(
        e,
        Effect::SetRequestHeader(..) | Effect::RemoveRequestHeader(_)
    )));
    let h = run.forwarded_headers();
    for (k, v) in [
        (":method", "POST"),
        (":path", "/v1/chat/completions"),
        (":authority", "gateway"),
        ("x-clawgate-provider", "openai"),
        ("x-higress-llm-model", "gpt-4o-2024-08-06"),
    ] {
        assert!(h.contains(&(k.into(), v.into())), "{k} in {h:?}");
    }
}

#[test]
fn a_held_answer_gets_routing_and_accounting_headers_in_one_call() {
    let mut run = Run::new(config(), &[], &chat("gpt-4o", false));
    assert!(run.headers(200, false, false).effects.is_empty());
    let body = br#"{"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}}"#;
    let end = run.body(body, true);
    let [Effect::ReplaceResponseHeaders(h)] = end.effects.as_slice() else {
        panic!("one map replacement: {:?}", end.effects);
    };
    let names: Vec<&str> = h.iter().map(|(k, _)| k.as_str()).collect();
    for want in [
        ":status",
        "content-type",
        "content-length",
        "x-gateway-model-used",
        "x-clawgate-request-id",
        "x-clawgate-total-tokens",
        "x-clawgate-cost",
    ] {
        assert!(names.contains(&want), "{want} in {names:?}");
    }
    assert_eq!(names.iter().filter(|n| **n == "set-cookie").count(), 2);
}
