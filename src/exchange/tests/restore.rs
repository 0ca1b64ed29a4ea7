//! Masks that come back, through the exchange: the upstream gets
//! placeholders, the client the originals (JSON held whole, SSE at every
//! split), the audit payloads keep the placeholders; shadow rules forward
//! unchanged with the would-be action in a header, metrics and the record.

use super::*;

fn restoring() -> Value {
    let mut c = config();
    c["risk"] = json!({"overrides": {"email_address": {"action": "mask", "restore": true}},
        "secure_model": "local-qwen"});
    c
}

fn ask(stream: bool) -> Vec<u8> {
    json!({"model": "mini", "stream": stream, "messages": [{"role": "user",
        "content": "write to zs@acme.io and cc zs@acme.io"}]})
    .to_string()
    .into_bytes()
}

fn forwarded_body(r: &Run) -> String {
    r.forwarded
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::ReplaceRequestBody(b) => Some(String::from_utf8(b.clone()).unwrap()),
            _ => None,
        })
        .unwrap()
}

fn replaced(effects: &[Effect]) -> Option<Vec<u8>> {
    effects.iter().find_map(|e| match e {
        Effect::ReplaceResponseBody(b) => Some(b.clone()),
        _ => None,
    })
}

#[test]
fn json_answer_gets_the_originals_back_upstream_and_audit_never_see_them() {
    let mut r = Run::new(restoring(), &[], &ask(false));
    let up = forwarded_body(&r);
    assert!(
        up.contains("[EMAIL_1] and cc [EMAIL_1]") && !up.contains("acme"),
        "{up}"
    );
    let h = r.headers(200, false, false);
    assert_eq!(h.flow, Flow::Pause, "held whole");
    assert!(h
        .effects
        .contains(&Effect::RemoveResponseHeader("content-length")));
    let answer = br#"{"choices":[{"message":{"role":"assistant","content":"Sent to [EMAIL_1]."}}],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}"#;
    r.body_unread(10, false);
    let step = r.body(answer, true);
    let out = replaced(&step.effects).unwrap();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["choices"][0]["message"]["content"], "Sent to zs@acme.io.");
    let (_, rec) = r.log();
    let rec = rec.unwrap();
    let payloads = format!("{:?}{:?}", rec.request_payload, rec.response_payload);
    assert!(!payloads.contains("acme"), "{payloads}");
    assert_eq!(rec.usage.total, Some(5));
}

#[test]
fn sse_answer_is_restored_at_every_split() {
    let mut s = String::new();
    for tok in ["Sent to [EM", "AIL_1", "]", " ok"] {
        let v =
            json!({"choices": [{"index": 0, "delta": {"content": tok}, "finish_reason": null}]});
        s += &format!("data: {v}\n\n");
    }
    s += "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}}\n\ndata: [DONE]\n\n";
    let s = s.into_bytes();
    for cut in 0..=s.len() {
        let mut r = Run::new(restoring(), &[], &ask(true));
        let h = r.headers(200, true, false);
        assert_eq!(h.flow, Flow::Continue, "streams are not held");
        let mut out = replaced(&r.body(&s[..cut], false).effects).unwrap_or_default();
        out.extend(replaced(&r.body(&s[cut..], true).effects).unwrap_or_default());
        let text = String::from_utf8(out).unwrap();
        let content: String = text
            .split("\n\n")
            .filter_map(|e| e.strip_prefix("data: "))
            .filter(|d| *d != "[DONE]")
            .filter_map(|d| serde_json::from_str::<Value>(d).ok())
            .filter_map(|v| {
                v["choices"][0]["delta"]["content"]
                    .as_str()
                    .map(String::from)
            })
            .collect();
        assert_eq!(content, "Sent to zs@acme.io ok", "cut {cut}");
        let (_, rec) = r.log();
        assert_eq!(rec.unwrap().usage.total, Some(7), "cut {cut}");
    }
}

#[test]
fn shadow_forwards_unchanged_and_records_the_would_be_action() {
    let mut c = config();
    c["risk"] = json!({"mode": "shadow", "secure_model": "local-qwen"});
    let body = json!({"model": "mini", "messages": [{"role": "user",
        "content": "key -----BEGIN RSA PRIVATE KEY-----"}]})
    .to_string();
    let mut r = Run::new(c, &[], body.as_bytes());
    assert!(
        !r.forwarded
            .effects
            .iter()
            .any(|e| matches!(e, Effect::ReplaceRequestBody(_))),
        "body forwarded as sent"
    );
    let h = r.headers(200, false, true);
    assert_eq!(
        response_header(&h.effects, "x-clawgate-risk-shadow").as_deref(),
        Some("block")
    );
    assert_eq!(response_header(&h.effects, "x-clawgate-risk-action"), None);
    assert_eq!(
        response_header(&h.effects, "x-gateway-model-used").as_deref(),
        Some("mini")
    );
    let (m, rec) = r.log();
    let rec = rec.unwrap();
    assert_eq!(rec.risk.action, None);
    assert_eq!(rec.risk.shadow_action.as_deref(), Some("block"));
    assert!(rec.risk.hits.iter().all(|h| h.shadow));
    assert!(
        m.iter()
            .any(|(k, _)| k == "clawgate.risk.rule.private_key_marker.action.shadow_block.hits"),
        "{m:?}"
    );
}
