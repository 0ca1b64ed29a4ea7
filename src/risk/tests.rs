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
fn builtins_compile_36_rules_in_6_packs() {
    let e = engine();
    assert_eq!(e.rules().len(), 36);
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
    assert_eq!(e.rules().len(), 9);
    let o = e.scan_str("mail a@acme.io or 13812345678, salary");
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
    let o = e.scan_str("a@acme.io b@acme.io -----BEGIN RSA PRIVATE KEY-----");
    assert_eq!(o.action, Some(Action::Block));
    let email = o.hits.iter().find(|h| h.rule == "email_address").unwrap();
    assert_eq!(email.count, 2);
    assert_eq!(email.category, "personal");
}

#[test]
fn scan_request_covers_every_text_a_model_reads() {
    let e = Engine::compile(&cfg(json!({"packs": ["personal"]}))).unwrap();
    let cases = [
        json!({"messages": [{"role": "user", "content": "x a@acme.io"}]}),
        json!({"messages": [{"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,a@acme.io"}},
            {"type": "text", "text": "mail a@acme.io"}]}]}),
        json!({"messages": [{"role": "assistant", "content": null, "tool_calls": [
            {"id": "1", "type": "function", "function": {"name": "send", "arguments": "{\"to\":\"a@acme.io\"}"}}]}]}),
        json!({"messages": [{"role": "assistant", "function_call": {"name": "f", "arguments": "a@acme.io"}}]}),
        json!({"input": "a@acme.io"}),
        json!({"input": [{"role": "user", "content": [{"type": "input_text", "text": "a@acme.io"}]}]}),
        json!({"input": [{"type": "function_call_output", "call_id": "1", "output": "a@acme.io"}]}),
        json!({"input": "hi", "instructions": "reply to a@acme.io"}),
        json!({"prompt": "a@acme.io"}),
        json!({"prompt": ["hi", "a@acme.io"]}),
        json!({"input": ["hi", "a@acme.io"]}),
    ];
    for c in cases {
        let o = e.scan_request(&mut body(c.clone()));
        assert_eq!(o.hits.len(), 1, "{c}");
    }
    let skipped = [
        json!({"messages": [{"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,YUBleGFtcGxlLmNvbQ==", "detail": "a@acme.io"}}]}]}),
        json!({"input": [{"role": "user", "content": [
            {"type": "input_image", "image_url": "data:image/jpeg;base64,a@acme.io"}]}]}),
        json!({"messages": [{"role": "user", "content": [
            {"type": "input_audio", "input_audio": {"data": "a@acme.io", "format": "wav"}}]}]}),
        json!({"model": "a@acme.io", "user": "a@acme.io", "input": [1, 2, 3]}),
        json!({"messages": [{"role": "tool", "tool_call_id": "a@acme.io", "content": "ok"}],
               "previous_response_id": "a@acme.io"}),
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
            "description": "mails a@acme.io", "parameters": {"type": "object"}}}]}),
        json!({"tools": [{"type": "function", "function": {"name": "send",
            "parameters": {"type": "object", "properties": {"to": {"type": "string",
                "description": "defaults to a@acme.io"}}}}}]}),
        json!({"tools": [{"type": "function", "function": {"name": "send",
            "parameters": {"properties": {"to": {"enum": ["a@acme.io"]}}}}}]}),
        json!({"functions": [{"name": "f", "description": "a@acme.io"}]}),
        json!({"response_format": {"type": "json_schema", "json_schema": {"name": "r",
            "schema": {"properties": {"x": {"description": "a@acme.io"}}}}}}),
        json!({"text": {"format": {"type": "json_schema", "schema": {"description": "a@acme.io"}}}}),
        json!({"prediction": {"type": "content", "content": "a@acme.io"}}),
        json!({"messages": [{"role": "user", "name": "a@acme.io", "content": "hi"}]}),
        json!({"messages": [{"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": "https://x.test/img.png a@acme.io"}}]}]}),
        json!({"metadata": {"note": "a@acme.io"}}),
        json!({"a_field_added_tomorrow": [{"deep": {"deeper": "a@acme.io"}}]}),
        json!({"stop": ["a@acme.io"]}),
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
        "tools": [{"type": "function", "function": {"name": "send", "description": "to a@acme.io",
            "parameters": {"properties": {"to": {"enum": ["b@acme.io"]}}}}}],
        "prediction": {"type": "content", "content": "c@acme.io"},
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
        {"role": "system", "content": "a@acme.io"},
        {"role": "user", "content": "b@acme.io"},
        {"role": "assistant", "content": "c@acme.io"},
        {"role": "user", "content": "nothing here"},
    ]}));
    assert!(e.scan_request(&mut b).hits.is_empty());
    let mut b = body(json!({"messages": [
        {"role": "user", "content": "nothing"},
        {"role": "user", "content": "b@acme.io"},
    ]}));
    assert_eq!(e.scan_request(&mut b).hits.len(), 1);
    let mut b = body(json!({"instructions": "a@acme.io", "input": [
        {"role": "user", "content": "b@acme.io"},
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
        {"role": "user", "content": [{"type": "text", "text": "mail 张三 at zs@acme.io 或 13812345678。"}]},
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
        {"role": "user", "content": "zs@acme.io -----BEGIN PRIVATE KEY-----"}]}));
    let o = e.scan_request(&mut b);
    assert_eq!(o.action, Some(Action::Block));
    assert!(!o.masked);
    assert!(b["messages"][0]["content"]
        .as_str()
        .unwrap()
        .contains("zs@acme.io"));

    let mut b = body(json!({"messages": [
        {"role": "user", "content": "zs@acme.io salary: $120,000"}]}));
    let o = e.scan_request(&mut b);
    assert_eq!(o.action, Some(Action::RouteSecureModel));
    assert!(o.masked);
    assert_eq!(
        b["messages"][0]["content"],
        "[MASKED:email_address] salary: $120,000"
    );
}

#[test]
fn keyword_hits_say_which_evidence_made_them_act_never_the_text() {
    let e = engine();
    let o = e.scan_str("What is EBITDA?");
    assert_eq!(o.action, Some(Action::Audit));
    assert_eq!(o.hits[0].evidence, Vec::<&str>::new());
    let o = e.scan_str("Kevin's salary is $145,000 from 2026-01-01");
    assert_eq!(o.action, Some(Action::RouteSecureModel));
    let h = &o.hits[0];
    assert_eq!(h.evidence, ["amount", "date", "person"]);
    let json = serde_json::to_string(&o.hits).unwrap();
    assert!(!json.contains("145") && !json.contains("Kevin"), "{json}");
}

#[test]
fn shadow_rules_record_the_would_be_action_and_do_nothing() {
    let e = Engine::compile(&cfg(json!({"mode": "shadow",
        "overrides": {"email_address": {"action": "mask"}}})))
    .unwrap();
    let mut b = body(json!({"messages": [{"role": "user",
        "content": "zs@acme.io -----BEGIN PRIVATE KEY-----"}]}));
    let o = e.scan_request(&mut b);
    assert_eq!(o.action, None);
    assert_eq!(o.shadow_action, Some(Action::Block));
    assert!(!o.masked && o.hits.iter().all(|h| h.shadow));
    assert!(b["messages"][0]["content"]
        .as_str()
        .unwrap()
        .contains("zs@acme.io"));

    // one rule in shadow, the others enforced
    let e = Engine::compile(&cfg(json!({
        "overrides": {"private_key_marker": {"shadow": true}}})))
    .unwrap();
    let o = e.scan_str("zs@acme.io -----BEGIN PRIVATE KEY-----");
    assert_eq!(o.action, Some(Action::RouteSecureModel));
    assert_eq!(o.shadow_action, Some(Action::Block));
}

#[test]
fn restore_masks_use_stable_placeholders() {
    let e = Engine::compile(&cfg(json!({
        "overrides": {"email_address": {"action": "mask", "restore": true},
                      "cn_mobile_number": {"action": "mask"}}})))
    .unwrap();
    let mut b = body(json!({"messages": [
        {"role": "user", "content": "a@acme.io, b@acme.io, a@acme.io, 13812345678"},
        {"role": "user", "content": "again b@acme.io"}]}));
    let o = e.scan_request(&mut b);
    assert_eq!(o.action, Some(Action::Mask));
    assert_eq!(
        b["messages"][0]["content"],
        "[EMAIL_1], [EMAIL_2], [EMAIL_1], [MASKED:cn_mobile_number]"
    );
    assert_eq!(b["messages"][1]["content"], "again [EMAIL_2]");
    assert_eq!(o.restore.len(), 2);
    assert_eq!(o.restore.restore("to [EMAIL_2]"), "to b@acme.io");
    // `risk.restore` turns it on for every mask rule
    let e = Engine::compile(&cfg(json!({"restore": true,
        "overrides": {"cn_mobile_number": {"action": "mask"}}})))
    .unwrap();
    let mut b = body(json!({"messages": [{"role": "user", "content": "call 13812345678"}]}));
    e.scan_request(&mut b);
    assert_eq!(b["messages"][0]["content"], "call [PHONE_1]");
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

#[test]
fn code_paths_are_not_credential_assignments() {
    // A keyword inside a longer identifier, then `::` or `.`: code, not a
    // secret (found in an agent conversation's `cargo test` log).
    let e = engine();
    let cred = |t: &str| {
        let naive = e.scan_text_naive(t).iter().any(|m| {
            e.rules()
                .nth(m.rule)
                .is_some_and(|r| r.id == "credential_assignment")
        });
        let got = ids(&e, t).iter().any(|r| r == "credential_assignment");
        assert_eq!(got, naive, "engine and naive differ on {t:?}");
        got
    };
    let mut bad = Vec::new();
    for t in [
        "test tokenizer::tests::evict_scheduler_0 ... ok",
        "test tokenizer::tests::roundtrip_unicode_42 ... ok\ntest tokenizer::bpe::merge_rank_7 ... ok",
        "use argon2::password_hash::verify;",
        "let ok = password_hash::verify(&hash, b\"x\");",
        "failures:\n    secret_store::tests::load_v2_keyring ... FAILED",
        "self.token_count = self.token_count + n;",
        "let n = tokenizer::count_tokens(text); // password::hash_v2::derive_key_42",
        "token_budget::refill_bucket_v3(&mut state)",
        "    tokenizer::Tokenizer::from_file(path)?",
    ] {
        if cred(t) {
            bad.push(t);
        }
    }
    for t in [
        "token: ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        "password=Hunter2024!",
        "api_key = \"sk-live-4f9a8b7c6d5e4f3a\"",
        "TOKEN=abc123def456",
        "密码：Xa9k2mQ7",
        "password: Hunter2024!",
        "db_password:Hunter2024!",
        "access_token=Zx81kQp2Lm07",
        "Config::PASSWORD = \"Hunter2024!\"",
        "api::token: ghp_16C7e42F292c6912E7710c838347Ae178B4a",
    ] {
        if !cred(t) {
            bad.push(t);
        }
    }
    assert!(bad.is_empty(), "wrong: {bad:#?}");
}

#[test]
fn a_credential_name_ending_in_pwd_is_found_as_the_pattern_finds_it() {
    // The pattern takes `pwd` after a name (`dbpwd=`); the prefilter once
    // took every short anchor only at a word's start and missed these
    // (found by the risk_mask fuzz target). `sk` inside `task` stays out.
    let e = engine();
    for t in [
        "dbpwd=Zq7rT9wLk2",
        "ssapword=Hunter`ummy pA\0\0\0respwdum4:5432/db",
        "export MYSQLPWD: s3cr3tVal",
    ] {
        let rules = |ms: Vec<Match>| ms.into_iter().map(|m| m.rule).collect::<HashSet<_>>();
        let found = rules(e.scan_text(t));
        assert_eq!(found, rules(e.scan_text_naive(t)), "{t:?}");
        assert!(
            ids(&e, t).contains(&"credential_assignment".to_string()),
            "{t:?}"
        );
    }
    assert!(ids(&e, "the task is Hx!vpn2024x").is_empty());
}

// Text the agents add to every turn themselves (issue #32): a vendor's
// no-reply trailer, a made-up host in an example, a session's UUID.
// Each must leave the default packs silent, and the same data written as
// data must still hit.
#[test]
fn no_reply_sender_is_not_personal_data() {
    let e = engine();
    let trailer = "- End git commit messages with:\nCo-Authored-By: Claude Sonnet 4.5 <noreply@anthropic.com>\n";
    assert_eq!(ids(&e, trailer), Vec::<String>::new());
    assert_eq!(
        ids(&e, "sent by no-reply@accounts.google.com"),
        Vec::<String>::new()
    );
    for personal in [
        "Co-Authored-By: Jane Doe <jane.doe@anthropic.com>",
        "write to noreply+jane.doe@acme.io",
        "Co-authored-by: jdoe <12345+jdoe@users.noreply.github.com>",
    ] {
        assert_eq!(ids(&e, personal), ["email_address"], "{personal}");
    }
}

#[test]
fn example_host_in_an_example_element_is_not_company_data() {
    let e = engine();
    let example = "<examples>\n    user: the Grafana board at grafana.internal/d/api-latency is what oncall watches\n    assistant: [saves reference memory: grafana.internal/d/api-latency is the oncall latency dashboard]\n    </examples>";
    assert_eq!(ids(&e, example), Vec::<String>::new());
    // a pasted host, or an example that carries a secret or an address
    assert_eq!(
        ids(&e, "our board is at grafana.internal/d/api-latency"),
        ["internal_domain_name"]
    );
    let wrapped = "<example>grafana.internal admin: ops@acme.io password=Tr0ub4dor&3x</example>";
    assert_eq!(
        ids(&e, wrapped),
        ["credential_assignment", "email_address"],
        "only host names are examples"
    );
    assert_eq!(
        ids(
            &e,
            "<example>x</example> api.payments.svc.cluster.local is down"
        ),
        ["kubernetes_service_dns"]
    );
}

#[test]
fn session_uuid_field_is_not_a_session_cookie() {
    let e = engine();
    let openclaw = "Runtime: agent=main | session=agent:main:explicit:f3f4cbf8-0e14-4a6c-ae65-92c0fc53580a | sessionId=f3f4cbf8-0e14-4a6c-ae65-92c0fc53580a | host=vm";
    assert_eq!(ids(&e, openclaw), Vec::<String>::new());
    assert_eq!(ids(&e, "session_id=42 user=7"), Vec::<String>::new());
    for cookie in [
        "Cookie: theme=dark; sessionId=f3f4cbf8-0e14-4a6c-ae65-92c0fc53580a",
        "sessionid=8f14e45fceea167a5a36dedd4bea2543",
        "PHPSESSID=el4ukv0kqbvoirg7nkp4dncpk3",
        "JSESSIONID=f3f4cbf8-0e14-4a6c-ae65-92c0fc53580a",
        "session_id=Q2hhbmdlTWVQbGVhc2U-x9",
    ] {
        assert_eq!(ids(&e, cookie), ["cookie_session_like"], "{cookie}");
    }
}

/// Hits counted by both readers: the byte reader the filter runs and
/// the value walk the rule tester and the reference use.
fn hits_both(e: &Engine, b: Value, shape: Shape) -> u32 {
    let bytes = serde_json::to_vec(&b).unwrap();
    let (doc, scan) = e.read_body(&bytes).unwrap();
    let fast: u32 = e
        .outcome(&doc, &scan, shape, &[])
        .0
        .hits
        .iter()
        .map(|h| h.count)
        .sum();
    let mut m = body(b);
    let slow = match shape {
        Shape::Openai => e.scan_request(&mut m),
        Shape::Anthropic => e.scan_anthropic(&mut m),
    };
    assert_eq!(fast, slow.hits.iter().map(|h| h.count).sum::<u32>());
    fast
}

#[test]
fn last_user_reads_the_whole_current_turn_in_every_format() {
    let e = Engine::compile(&cfg(json!({"packs": ["personal"], "scan": "last_user"}))).unwrap();
    let chat = json!({"messages": [
        {"role": "system", "content": "a@acme.io"},
        {"role": "user", "content": "b@acme.io"},
        {"role": "assistant", "content": null, "tool_calls": [{"id": "1", "type": "function",
            "function": {"name": "read", "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "1", "content": "c@acme.io"},
        {"role": "tool", "tool_call_id": "2", "content": "d@acme.io"},
    ]});
    assert_eq!(hits_both(&e, chat, Shape::Openai), 2, "both tool results");
    let responses = json!({"instructions": "a@acme.io", "input": [
        {"role": "user", "content": "b@acme.io"},
        {"type": "reasoning", "summary": []},
        {"type": "function_call", "call_id": "1", "name": "read", "arguments": "{}"},
        {"type": "function_call_output", "call_id": "1", "output": "c@acme.io"},
    ]});
    assert_eq!(hits_both(&e, responses, Shape::Openai), 1);
    let anthropic = json!({"system": "a@acme.io", "messages": [
        {"role": "user", "content": "b@acme.io"},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "t", "name": "read", "input": {}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t", "content": "c@acme.io"}]},
        {"role": "user", "content": [{"type": "text", "text": "d@acme.io"}]},
    ]});
    assert_eq!(hits_both(&e, anthropic, Shape::Anthropic), 2);
    // a prefill after the turn is the caller's text too; history is not read
    let prefill = json!({"messages": [
        {"role": "user", "content": "b@acme.io"},
        {"role": "assistant", "content": "ok"},
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "c@acme.io"},
    ]});
    assert_eq!(hits_both(&e, prefill, Shape::Anthropic), 1);
}

#[test]
fn skip_listed_names_inside_a_tool_input_are_the_tools_own() {
    let e = Engine::compile(&cfg(json!({"packs": ["personal"]}))).unwrap();
    for key in ["data", "format", "user", "upload_id", "type", "id"] {
        let anthropic = json!({"messages": [{"role": "assistant", "content": [
            {"type": "tool_use", "id": "t", "name": "write", "input": {"deep": [{key: "a@acme.io"}]}}]}]});
        assert_eq!(hits_both(&e, anthropic, Shape::Anthropic), 1, "{key}");
        let flat = json!({"messages": [{"role": "assistant", "content": [
            {"type": "tool_use", "id": "t", "name": "write", "input": {key: "a@acme.io"}}]}]});
        assert_eq!(hits_both(&e, flat, Shape::Anthropic), 1, "{key}");
        let object_args = json!({"messages": [{"role": "assistant", "tool_calls": [{"id": "1",
            "type": "function", "function": {"name": "w", "arguments": {key: "a@acme.io"}}}]}]});
        assert_eq!(hits_both(&e, object_args, Shape::Openai), 1, "{key}");
    }
    // the API's own fields around it stay skipped
    let ids = json!({"messages": [{"role": "assistant", "content": [
        {"type": "tool_use", "id": "a@acme.io", "name": "w", "input": {"x": "data:image/png;base64,a@acme.io"}}]}]});
    assert_eq!(hits_both(&e, ids, Shape::Anthropic), 0);
}

/// A value after a name and spaces only needs a digit in both scans: the
/// prefilter asked for one and the reference scan did not, so `secret
/// masTercardtokEn` (and a fuzzed `paSs\t\x01…`) hit in one and not the
/// other.
#[test]
fn spaced_values_need_a_digit_in_the_filter_and_the_reference_alike() {
    let e = Engine::compile(&RiskConfig::default()).unwrap();
    let fired = |t: &str, naive: bool| {
        let ms = if naive {
            e.scan_text_naive(t)
        } else {
            e.scan_text(t)
        };
        ms.iter().any(|m| {
            e.rules()
                .nth(m.rule)
                .is_some_and(|r| r.id == "credential_assignment")
        })
    };
    for (t, hit) in [
        ("secret masTercardtokEn", false),
        ("paSs\t\u{1}\0\0CHom sswgr s", false),
        ("the wifi pass Hx!vpn2024 ok", true),
        ("db secret is Zq7rT9wLk2", true),
        (
            "pass\tAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA:zg*CHom",
            false,
        ),
        ("curl -u admin:Secret!pw https://x", true),
        ("password=Zq!rTwLkQ", true),
        ("Authorization: Bearer abcdefghijklmnopqrstuvwx", true),
    ] {
        assert_eq!(fired(t, false), hit, "filter: {t:?}");
        assert_eq!(fired(t, true), hit, "reference: {t:?}");
    }
}
