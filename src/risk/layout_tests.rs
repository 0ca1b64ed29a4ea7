//! The walk over an Anthropic Messages body (`/v1/messages`,
//! `count_tokens`) in its layout: `system` (a string or text blocks),
//! message content (a string or blocks: `text`, `thinking`, every string
//! of a `tool_use` input, `tool_result` content, text documents), tool
//! names, descriptions and input schemas — never images or base64
//! documents.

use super::request::visit_texts;
use super::ScanScope;
use crate::wire::anthropic::DIALECT;
use serde_json::{json, Value};

fn texts(body: Value, scope: ScanScope) -> Vec<String> {
    let Value::Object(mut m) = body else {
        unreachable!()
    };
    let mut out = Vec::new();
    visit_texts(&mut m, scope, &DIALECT.layout, &mut |s: &mut String| {
        out.push(s.clone())
    });
    out
}

fn body() -> Value {
    json!({
        "model": "claude",
        "system": [{"type": "text", "text": "sys block"}],
        "messages": [
            {"role": "user", "content": "plain user"},
            {"role": "assistant", "content": [
                {"type": "thinking", "thinking": "thought", "signature": "sig"},
                {"type": "text", "text": "answer"},
                {"type": "tool_use", "id": "t1", "name": "run", "input": {"cmd": "ls", "args": ["-l", {"deep": "x"}], "n": 3}}
            ]},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "t1", "content": "tool out"},
                {"type": "tool_result", "tool_use_id": "t2", "content": [{"type": "text", "text": "tool block"}, {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}}]},
                {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "AAAA"}},
                {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBERi0="}},
                {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "doc text"}},
                {"type": "text", "text": "last"}
            ]}
        ]
    })
}

#[test]
fn every_text_the_model_reads_and_no_binary() {
    assert_eq!(
        texts(body(), ScanScope::AllMessages),
        [
            "sys block",
            "plain user",
            "thought",
            "answer",
            "run",
            "ls",
            "-l",
            "x",
            "tool out",
            "tool block",
            "doc text",
            "last"
        ]
    );
    assert_eq!(
        texts(
            json!({"system": "sys", "messages": []}),
            ScanScope::AllMessages
        ),
        ["sys"]
    );
    // tools are read by the model too, whatever the scope; a schema's
    // words are the caller's (`type` there is no API enum)
    let tools = json!({"tools": [{"name": "deploy", "description": "uses key K",
        "input_schema": {"type": "object", "properties": {"env": {"type": "string", "description": "prod"}}}}],
        "messages": []});
    for scope in [ScanScope::AllMessages, ScanScope::LastUser] {
        assert_eq!(
            texts(tools.clone(), scope),
            ["deploy", "uses key K", "object", "string", "prod"]
        );
    }
}

#[test]
fn last_user_is_the_last_user_message() {
    assert_eq!(
        texts(body(), ScanScope::LastUser),
        ["tool out", "tool block", "doc text", "last"]
    );
}
