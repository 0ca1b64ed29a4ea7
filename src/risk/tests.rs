use super::*;
use regex_lite::Regex;
use serde_json::{json, Map, Value};
use std::collections::HashSet;

fn engine() -> Engine {
    Engine::compile(&RiskConfig::default()).unwrap()
}

fn cfg(v: Value) -> RiskConfig {
    serde_json::from_value(v).unwrap()
}

fn ids(e: &Engine, text: &str) -> Vec<String> {
    let mut v: Vec<String> = e.scan_str(text).hits.into_iter().map(|h| h.rule).collect();
    v.sort();
    v
}

fn body(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => panic!("not an object"),
    }
}

#[test]
fn builtins_compile_31_rules_in_6_packs() {
    let e = engine();
    assert_eq!(e.rules().len(), 31);
    let mut ids = HashSet::new();
    for r in e.rules() {
        assert!(PACKS.contains(&r.category.as_str()), "{}", r.id);
        assert!(ids.insert(r.id.clone()), "duplicate {}", r.id);
        assert!(!r.description.is_empty());
    }
    for p in PACKS {
        assert!(e.rules().any(|r| r.category == *p), "empty pack {p}");
    }
}

#[test]
fn every_anchor_is_lowercase_and_nonempty() {
    for b in packs::BUILTINS {
        assert!(!b.all_anchors().is_empty(), "{} has no anchor", b.id);
        for a in b.all_anchors() {
            if let builtin::Anchor::Lit { text, .. } = a {
                assert!(!text.is_empty(), "{}", b.id);
            }
        }
        for a in b.anchors {
            assert_eq!(*a, a.to_ascii_lowercase(), "{}", b.id);
        }
    }
}

#[test]
fn config_errors_name_their_path() {
    let errs = Engine::compile(&cfg(json!({
        "packs": ["security", "nope"],
        "disable": ["email_address", "no_such_rule"],
        "overrides": {"ghost": {"action": "audit"}, "email_address": {"action": "mask"}},
        "rules": [
            {"id": "a", "pattern": "x"},
            {"id": "a", "pattern": "y"},
            {"id": "b", "pattern": "(unclosed"},
            {"id": "email_address", "pattern": "z"},
            {"id": "c", "pattern": "a*"},
        ]
    })))
    .unwrap_err();
    let paths: Vec<&str> = errs.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "packs[1]",
            "disable[1]",
            "overrides.ghost",
            "rules[1].id",
            "rules[2].pattern",
            "rules[3].id",
            "rules[4].pattern"
        ]
    );
    assert!(
        errs[4].message.contains("invalid regex: found open group"),
        "{}",
        errs[4].message
    );
}

#[test]
fn packs_disable_and_overrides() {
    let e = Engine::compile(&cfg(json!({
        "packs": ["personal"],
        "disable": ["cn_mobile_number"],
        "overrides": {"email_address": {"action": "audit", "severity": "low"}}
    })))
    .unwrap();
    assert_eq!(e.rules().len(), 6);
    let o = e.scan_str("mail a@example.com or 13812345678, salary");
    assert_eq!(o.action, Some(Action::Audit));
    assert_eq!(o.hits.len(), 1);
    assert_eq!(o.hits[0].severity, Severity::Low);
}

#[test]
fn custom_rules_with_and_without_keywords() {
    let e = Engine::compile(&cfg(json!({
        "packs": [],
        "rules": [
            {"id": "falcon", "category": "company", "pattern": "(?i)project falcon", "keywords": ["falcon"]},
            {"id": "secret_word", "pattern": "绝密|xyzzy", "action": "block"},
        ]
    })))
    .unwrap();
    assert_eq!(ids(&e, "about Project FALCON today"), ["falcon"]);
    assert_eq!(ids(&e, "这是绝密文件"), ["secret_word"]);
    assert_eq!(e.scan_str("xyzzy").action, Some(Action::Block));
    assert!(ids(&e, "a falcon flew by").is_empty());
}

#[test]
fn strongest_action_wins_and_hits_are_counted() {
    let e = engine();
    let o = e.scan_str("a@example.com b@example.com -----BEGIN RSA PRIVATE KEY-----");
    assert_eq!(o.action, Some(Action::Block));
    let email = o.hits.iter().find(|h| h.rule == "email_address").unwrap();
    assert_eq!(email.count, 2);
    assert_eq!(email.category, "personal");
}

#[test]
fn scan_request_covers_every_text_a_model_reads() {
    let e = Engine::compile(&cfg(json!({"packs": ["personal"]}))).unwrap();
    let cases = [
        json!({"messages": [{"role": "user", "content": "x a@example.com"}]}),
        json!({"messages": [{"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,a@example.com"}},
            {"type": "text", "text": "mail a@example.com"}]}]}),
        json!({"messages": [{"role": "assistant", "content": null, "tool_calls": [
            {"id": "1", "type": "function", "function": {"name": "send", "arguments": "{\"to\":\"a@example.com\"}"}}]}]}),
        json!({"messages": [{"role": "assistant", "function_call": {"name": "f", "arguments": "a@example.com"}}]}),
        json!({"input": "a@example.com"}),
        json!({"input": [{"role": "user", "content": [{"type": "input_text", "text": "a@example.com"}]}]}),
        json!({"input": [{"type": "function_call_output", "call_id": "1", "output": "a@example.com"}]}),
        json!({"input": "hi", "instructions": "reply to a@example.com"}),
        json!({"prompt": "a@example.com"}),
        json!({"prompt": ["hi", "a@example.com"]}),
        json!({"input": ["hi", "a@example.com"]}),
    ];
    for c in cases {
        let o = e.scan_request(&mut body(c.clone()));
        assert_eq!(o.hits.len(), 1, "{c}");
    }
    let skipped = [
        json!({"messages": [{"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,YUBleGFtcGxlLmNvbQ==", "detail": "a@example.com"}}]}]}),
        json!({"input": [{"role": "user", "content": [
            {"type": "input_image", "image_url": "data:image/jpeg;base64,a@example.com"}]}]}),
        json!({"messages": [{"role": "user", "content": [
            {"type": "input_audio", "input_audio": {"data": "a@example.com", "format": "wav"}}]}]}),
        json!({"model": "a@example.com", "user": "a@example.com", "input": [1, 2, 3]}),
        json!({"messages": [{"role": "tool", "tool_call_id": "a@example.com", "content": "ok"}],
               "previous_response_id": "a@example.com"}),
    ];
    for c in skipped {
        assert!(e.scan_request(&mut body(c.clone())).hits.is_empty(), "{c}");
    }
}

/// Text the model reads outside messages: tools, schemas, predictions,
/// names, URLs the provider fetches, and fields no walk knows about.
#[test]
fn scan_request_covers_every_other_string() {
    let e = Engine::compile(&cfg(json!({"packs": ["personal"]}))).unwrap();
    let cases = [
        json!({"tools": [{"type": "function", "function": {"name": "send",
            "description": "mails a@example.com", "parameters": {"type": "object"}}}]}),
        json!({"tools": [{"type": "function", "function": {"name": "send",
            "parameters": {"type": "object", "properties": {"to": {"type": "string",
                "description": "defaults to a@example.com"}}}}}]}),
        json!({"tools": [{"type": "function", "function": {"name": "send",
            "parameters": {"properties": {"to": {"enum": ["a@example.com"]}}}}}]}),
        json!({"functions": [{"name": "f", "description": "a@example.com"}]}),
        json!({"response_format": {"type": "json_schema", "json_schema": {"name": "r",
            "schema": {"properties": {"x": {"description": "a@example.com"}}}}}}),
        json!({"text": {"format": {"type": "json_schema", "schema": {"description": "a@example.com"}}}}),
        json!({"prediction": {"type": "content", "content": "a@example.com"}}),
        json!({"messages": [{"role": "user", "name": "a@example.com", "content": "hi"}]}),
        json!({"messages": [{"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": "https://x.test/img.png a@example.com"}}]}]}),
        json!({"metadata": {"note": "a@example.com"}}),
        json!({"a_field_added_tomorrow": [{"deep": {"deeper": "a@example.com"}}]}),
        json!({"stop": ["a@example.com"]}),
    ];
    for c in cases {
        let o = e.scan_request(&mut body(c.clone()));
        assert_eq!(o.hits.len(), 1, "{c}");
    }
}

#[test]
fn mask_reaches_tools_and_schemas() {
    let e = Engine::compile(&cfg(json!({
        "packs": ["personal"], "overrides": {"email_address": {"action": "mask"}}
    })))
    .unwrap();
    let mut b = body(json!({
        "messages": [{"role": "user", "content": "hi"}],
        "tools": [{"type": "function", "function": {"name": "send", "description": "to a@example.com",
            "parameters": {"properties": {"to": {"enum": ["b@example.com"]}}}}}],
        "prediction": {"type": "content", "content": "c@example.com"},
    }));
    let o = e.scan_request(&mut b);
    assert!(o.masked);
    let text = Value::Object(b).to_string();
    assert!(!text.contains("example.com"), "{text}");
    assert_eq!(text.matches("[MASKED:email_address]").count(), 3, "{text}");
}

#[test]
fn last_user_scope() {
    let e = Engine::compile(&cfg(json!({"packs": ["personal"], "scan": "last_user"}))).unwrap();
    let mut b = body(json!({"messages": [
        {"role": "system", "content": "a@example.com"},
        {"role": "user", "content": "b@example.com"},
        {"role": "assistant", "content": "c@example.com"},
        {"role": "user", "content": "nothing here"},
    ]}));
    assert!(e.scan_request(&mut b).hits.is_empty());
    let mut b = body(json!({"messages": [
        {"role": "user", "content": "nothing"},
        {"role": "user", "content": "b@example.com"},
    ]}));
    assert_eq!(e.scan_request(&mut b).hits.len(), 1);
    let mut b = body(json!({"instructions": "a@example.com", "input": [
        {"role": "user", "content": "b@example.com"},
        {"role": "assistant", "content": "ok"},
    ]}));
    assert_eq!(e.scan_request(&mut b).hits[0].count, 1);
}

#[test]
fn mask_rewrites_body_unless_blocked() {
    let e = Engine::compile(&cfg(json!({
        "overrides": {"email_address": {"action": "mask"}, "cn_mobile_number": {"action": "mask"}}
    })))
    .unwrap();
    let mut b = body(json!({"messages": [
        {"role": "user", "content": [{"type": "text", "text": "mail 张三 at zs@example.com 或 13812345678。"}]},
        {"role": "user", "content": "plain"},
    ]}));
    let o = e.scan_request(&mut b);
    assert_eq!(o.action, Some(Action::Mask));
    assert!(o.masked);
    assert_eq!(
        b["messages"][0]["content"][0]["text"],
        "mail 张三 at [MASKED:email_address] 或 [MASKED:cn_mobile_number]。"
    );
    assert_eq!(b["messages"][1]["content"], "plain");

    let mut b = body(json!({"messages": [
        {"role": "user", "content": "zs@example.com -----BEGIN PRIVATE KEY-----"}]}));
    let o = e.scan_request(&mut b);
    assert_eq!(o.action, Some(Action::Block));
    assert!(!o.masked);
    assert!(b["messages"][0]["content"]
        .as_str()
        .unwrap()
        .contains("zs@example.com"));

    let mut b = body(json!({"messages": [
        {"role": "user", "content": "zs@example.com salary"}]}));
    let o = e.scan_request(&mut b);
    assert_eq!(o.action, Some(Action::RouteSecureModel));
    assert!(o.masked);
    assert_eq!(b["messages"][0]["content"], "[MASKED:email_address] salary");
}

#[test]
fn validators() {
    use validators::*;
    assert!(cn_id_checksum(b"11010519491231002X"));
    assert!(!cn_id_checksum(b"110105194912310021"));
    assert!(luhn(&[4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]));
    assert!(!luhn(&[4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]));
    assert!(digit_bounds(b"a123b", 1, 4));
    assert!(!digit_bounds(b"01234", 1, 4));
}

#[test]
fn empty_and_unicode_edges() {
    let e = engine();
    assert!(e.scan_text("").is_empty());
    assert!(e.scan_text("号").is_empty());
    assert!(e.scan_text("1").is_empty());
    // windows never split a UTF-8 character
    let s = "密码".repeat(50) + "密码是hunter2222" + &"路号".repeat(100);
    assert_eq!(e.scan_text(&s), e.scan_text_naive(&s));
}

#[test]
fn regex_lite_limits_documented_on_custom_rule_hold() {
    let m = |p: &str, t: &str| Regex::new(p).unwrap().is_match(t);
    assert!(m(r"\bsalary\b", "发送salary数据"));
    assert!(!m(r"\d", "１２３"));
    assert!(!m(r"\w", "机"));
    assert!(!m(r"\s", "\u{3000}"));
    assert!(m(r"[\x{4e00}-\x{9fff}]{2}", "机密"));
    assert!(!m(r"(?i)é", "É"));
    assert!(Regex::new(r"\p{Han}").is_err());
    assert!(Regex::new(r"a(?=b)").is_err());
}

#[test]
fn unix_ms_timestamp_in_a_request_is_not_a_mobile_number() {
    let e = engine();
    let mut b = body(
        json!({"messages": [{"role": "tool", "content": "{\"ts\":1700000000000,\"phone\":\"n/a\"}"}]}),
    );
    assert!(e.scan_request(&mut b).hits.is_empty());
}
