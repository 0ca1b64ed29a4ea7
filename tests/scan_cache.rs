//! The piece cache never changes a decision: over random agent sessions
//! (a conversation resent and grown every turn, sometimes with an earlier
//! message edited), a request read with a warm cache gives exactly what a
//! cold read gives (outcome, masks, placeholders, the bytes forwarded),
//! and both agree with the reference walk over a parsed `serde_json`
//! document. Sessions whose messages all open alike (an agent's reminder
//! prepended to every user turn, tool results with one header) are read
//! the same way, and each resent message is found in the cache, however
//! many share its opening.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use clawgate::json::splice;
use clawgate::risk::{Engine, Outcome, RiskConfig};
use clawgate::wire::{request, Endpoint};
use serde_json::{json, Map, Value};
use support::Rng;

const SNIPPETS: &[&str] = &[
    "zhang.san@acme-mail.cn",
    "联系人邮箱 li.si@huawei-partner.com.cn",
    "call me at 13812345678",
    "+86 138-1234-5678",
    "server 10.0.3.4 and 192.168.1.20",
    "password=Hunter2024!",
    "token: ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
    "AWS key AKIAIOSFODNN7EXAMPLE2 secret",
    "身份证号：11010519491231002X",
    "银行卡号 4111111111111111",
    "机密 合同金额 300万元 2024年3月1日",
    "CONFIDENTIAL: Q3 revenue $4.2M, board date 2024-03-01",
    "a \"quoted\" word, a tab\t and a newline\n",
    "unicode é 世界 \u{1F600}",
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==",
];

const PROSE: &str = "The migration plan moves the billing service to the new cluster next week; \
    we measure p99 latency before and after, and roll back if error rates rise. 会议纪要：下周完成迁移。 ";

fn text(r: &mut Rng) -> String {
    let mut t = String::new();
    for _ in 0..r.below(4) + 1 {
        for _ in 0..r.below(3) {
            t.push_str(PROSE);
        }
        if r.chance(35) {
            t.push_str(SNIPPETS[r.below(SNIPPETS.len())]);
            t.push(' ');
        }
    }
    t
}

fn openai_message(r: &mut Rng, role: &str) -> Value {
    match r.below(4) {
        0 => json!({"role": role, "content": [{"type": "text", "text": text(r)},
                    {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA", "detail": "low"}}]}),
        1 if role == "assistant" => {
            json!({"role": role, "content": null, "tool_calls": [{"id": "call_1", "type": "function",
                    "function": {"name": "run", "arguments": json!({"cmd": text(r)}).to_string()}}]})
        }
        _ => {
            json!({"role": role, "content": text(r), "name": if r.chance(20) { "bob" } else { "al" }})
        }
    }
}

fn anthropic_message(r: &mut Rng, role: &str) -> Value {
    match r.below(4) {
        0 => json!({"role": role, "content": [{"type": "text", "text": text(r)},
                    {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": text(r)}}]}),
        1 if role == "user" => {
            json!({"role": role, "content": [{"type": "tool_result", "tool_use_id": "t1",
                    "content": [{"type": "text", "text": text(r)}]}]})
        }
        1 => {
            json!({"role": role, "content": [{"type": "tool_use", "id": "t1", "name": "run", "input": {"cmd": text(r), "n": 3}}]})
        }
        _ => json!({"role": role, "content": text(r)}),
    }
}

/// One session: the body of every turn, each resending the history.
fn session(r: &mut Rng, anthropic: bool, turns: usize) -> Vec<Vec<u8>> {
    let tools = json!([{"type": "function", "function": {"name": "search", "description": text(r),
        "parameters": {"type": "object", "properties": {"q": {"type": "string", "description": text(r)}}}}}]);
    let mut msgs: Vec<Value> = Vec::new();
    if !anthropic {
        msgs.push(json!({"role": "system", "content": text(r)}));
    }
    let mut out = Vec::new();
    for turn in 0..turns {
        let msg = |r: &mut Rng, role| {
            if anthropic {
                anthropic_message(r, role)
            } else {
                openai_message(r, role)
            }
        };
        if turn > 0 {
            msgs.push(msg(r, "assistant"));
        }
        msgs.push(msg(r, "user"));
        if r.chance(10) && msgs.len() > 2 {
            // the agent rewrote its history (a compaction, an edit)
            let i = r.below(msgs.len());
            msgs[i] = msg(
                r,
                if i.is_multiple_of(2) {
                    "user"
                } else {
                    "assistant"
                },
            );
        }
        let mut body = Map::new();
        body.insert("model".into(), json!("gpt-4o"));
        if anthropic {
            body.insert("system".into(), json!([{"type": "text", "text": text(r)}]));
            body.insert("max_tokens".into(), json!(256));
        }
        body.insert("messages".into(), Value::Array(msgs.clone()));
        if r.chance(60) {
            body.insert("tools".into(), tools.clone());
        }
        body.insert("stream".into(), json!(r.chance(50)));
        let bytes = if r.chance(30) {
            serde_json::to_vec_pretty(&body).unwrap()
        } else {
            serde_json::to_vec(&body).unwrap()
        };
        out.push(bytes);
    }
    out
}

fn engine(v: Value) -> Engine {
    let cfg: RiskConfig = serde_json::from_value(v).unwrap();
    Engine::compile(&cfg).unwrap()
}

/// Every built-in rule masking (some with restore placeholders), so the
/// mask edits and their numbering are exercised, not only the verdict.
fn masking(scope: &str) -> Value {
    let ids: Map<String, Value> = Engine::builtin_rules()
        .iter()
        .enumerate()
        .map(|(i, r)| {
            (
                r.id.clone(),
                json!({"action": "mask", "restore": i % 2 == 0}),
            )
        })
        .collect();
    json!({"overrides": ids, "scan": scope})
}

fn read(e: &Engine, endpoint: Endpoint, body: &[u8]) -> (Outcome, Option<Vec<u8>>) {
    let (req, scan) = request::parse(body, |b| e.read_body(b)).unwrap();
    let layout = &endpoint.protocol().dialect().layout;
    let (o, edits) = e.outcome(&req.doc, &scan, layout, &[]);
    (o, (!edits.is_empty()).then(|| splice::apply(body, edits)))
}

/// The reference: the walk over a parsed document, masking in place.
fn reference(e: &Engine, endpoint: Endpoint, body: &[u8]) -> (Outcome, Value) {
    let Value::Object(mut m) = serde_json::from_slice(body).unwrap() else {
        unreachable!()
    };
    let o = e.scan_value(&mut m, &endpoint.protocol().dialect().layout);
    (o, Value::Object(m))
}

#[test]
fn a_warm_cache_decides_exactly_as_a_cold_read_and_the_reference() {
    let configs = [json!({}), masking("all_messages"), masking("last_user")];
    let mut checked = 0;
    for cfg in &configs {
        let warm = engine(cfg.clone());
        let cold = engine(cfg.clone());
        for seed in 1..=30u64 {
            let mut r = Rng(seed);
            let anthropic = seed % 3 == 0;
            let endpoint = if anthropic {
                Endpoint::Messages
            } else {
                Endpoint::ChatCompletions
            };
            for (turn, body) in session(&mut r, anthropic, 10).iter().enumerate() {
                cold.reset_cache(clawgate::risk::cache::DEFAULT_BUDGET);
                let got = read(&warm, endpoint, body);
                let want = read(&cold, endpoint, body);
                assert_eq!(got, want, "config {cfg}, seed {seed}, turn {turn}");
                let (ro, rv) = reference(&cold, endpoint, body);
                assert_eq!(
                    got.0, ro,
                    "reference outcome: config {cfg}, seed {seed}, turn {turn}"
                );
                let fwd: Value = serde_json::from_slice(got.1.as_deref().unwrap_or(body)).unwrap();
                assert_eq!(
                    fwd, rv,
                    "reference body: config {cfg}, seed {seed}, turn {turn}"
                );
                checked += usize::from(got.0.masked);
            }
        }
        let (hits, misses) = warm.cache_stats();
        assert!(
            hits > misses,
            "the sessions resend history: {hits} hits, {misses} misses"
        );
    }
    assert!(
        checked > 50,
        "only {checked} masked requests: the test would not see a masking bug"
    );
}

/// What Claude Code prepends to user turns; longer than the cache's
/// 128-byte opening, so every message below opens with the same bytes.
const REMINDER: &str = "<system-reminder>\nAs you answer the user's questions, you can use the \
    following context: the user opened src/billing/mod.rs in the IDE. This may or may not be related \
    to the current task.\n</system-reminder>\n";
const HEADER: &str =
    "     1\t//! The billing module: invoices, payment runs and the ledger they post to.\n     2\t\
    use std::collections::HashMap;\n     3\t\n";

/// A session where every user turn opens with `REMINDER` and every tool
/// result with `HEADER`; what differs (and the secrets) comes after.
fn reminded_session(r: &mut Rng, anthropic: bool, turns: usize) -> Vec<Vec<u8>> {
    let mut msgs: Vec<Value> = Vec::new();
    let mut out = Vec::new();
    for turn in 0..turns {
        if turn > 0 {
            let result = format!("{HEADER}{}", text(r));
            if anthropic {
                msgs.push(
                    json!({"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1",
                    "name": "Read", "input": {"file_path": "src/billing/mod.rs"}}]}),
                );
                msgs.push(json!({"role": "user", "content": [{"type": "tool_result",
                    "tool_use_id": "toolu_1", "content": result}]}));
            } else {
                msgs.push(
                    json!({"role": "assistant", "content": null, "tool_calls": [{"id": "call_1",
                    "type": "function", "function": {"name": "read", "arguments": "{}"}}]}),
                );
                msgs.push(json!({"role": "tool", "tool_call_id": "call_1", "content": result}));
            }
        }
        let ask = text(r);
        msgs.push(if anthropic {
            json!({"role": "user", "content": [{"type": "text", "text": REMINDER}, {"type": "text", "text": ask}]})
        } else {
            json!({"role": "user", "content": format!("{REMINDER}{ask}")})
        });
        let body = json!({"model": "gpt-4o", "max_tokens": 256, "messages": msgs});
        out.push(serde_json::to_vec(&body).unwrap());
    }
    out
}

#[test]
fn sessions_whose_messages_open_alike_are_read_as_cold_and_never_rescanned() {
    let configs = [json!({}), masking("all_messages"), masking("last_user")];
    let mut checked = 0;
    for cfg in &configs {
        let warm = engine(cfg.clone());
        let cold = engine(cfg.clone());
        for seed in 1..=4u64 {
            let mut r = Rng(seed);
            let anthropic = seed % 2 == 0;
            let endpoint = if anthropic {
                Endpoint::Messages
            } else {
                Endpoint::ChatCompletions
            };
            let bodies = reminded_session(&mut r, anthropic, 24);
            for (turn, body) in bodies.iter().enumerate() {
                cold.reset_cache(clawgate::risk::cache::DEFAULT_BUDGET);
                let got = read(&warm, endpoint, body);
                assert_eq!(
                    got,
                    read(&cold, endpoint, body),
                    "config {cfg}, seed {seed}, turn {turn}"
                );
                let (ro, rv) = reference(&cold, endpoint, body);
                assert_eq!(
                    got.0, ro,
                    "reference: config {cfg}, seed {seed}, turn {turn}"
                );
                let fwd: Value = serde_json::from_slice(got.1.as_deref().unwrap_or(body)).unwrap();
                assert_eq!(
                    fwd, rv,
                    "reference body: config {cfg}, seed {seed}, turn {turn}"
                );
                checked += usize::from(got.0.masked);
            }
            // the whole session again: every message is found, none rescanned
            let last = bodies.last().unwrap();
            let messages = turn_count(last);
            let (h0, _) = warm.cache_stats();
            assert_eq!(read(&warm, endpoint, last), read(&cold, endpoint, last));
            let (h1, _) = warm.cache_stats();
            assert!(
                h1 - h0 >= messages,
                "config {cfg}, seed {seed}: {} of {messages} messages found",
                h1 - h0
            );
        }
    }
    assert!(checked > 20, "only {checked} masked requests");
}

fn turn_count(body: &[u8]) -> u64 {
    let v: Value = serde_json::from_slice(body).unwrap();
    v["messages"].as_array().map_or(0, |m| m.len() as u64)
}

#[test]
fn a_cache_holding_the_other_rule_set_is_never_consulted() {
    // Two engines over the same bodies: each has its own cache, so a rule
    // set that blocks is not answered from one that only audits.
    let audit = engine(masking("all_messages"));
    let block = engine(json!({}));
    let body = serde_json::to_vec(&json!({"model": "m", "messages": [{"role": "user",
        "content": format!("{PROSE}{PROSE} token: ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789")}]}))
    .unwrap();
    let a = read(&audit, Endpoint::ChatCompletions, &body);
    let b = read(&block, Endpoint::ChatCompletions, &body);
    assert!(a.0.masked);
    assert_ne!(a.0.action, b.0.action);
    assert_eq!(
        b,
        read(&engine(json!({})), Endpoint::ChatCompletions, &body)
    );
}
