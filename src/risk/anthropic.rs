//! Finds every text a model will read in an Anthropic Messages body
//! (`/v1/messages`, `count_tokens`): `system` (a string or text blocks),
//! message content (a string or blocks: `text`, `thinking`, every string
//! of a `tool_use` input, `tool_result` content, text documents), tool
//! names, descriptions and input schemas — never images or base64
//! documents. The walk order is the body's, so the mask pass visits the
//! same strings as the scan.

use super::request::{walk, walk_turn, Visit};
use super::{Engine, Outcome, ScanScope};
use serde_json::{Map, Value};

/// Visits the texts `scope` selects with the walk every request shape
/// shares (every string but ids, enums and base64: tool descriptions and
/// input schemas included): everything, or, with `last_user`, the current
/// turn (the messages after the last assistant message: tool results are
/// user messages) instead of the whole conversation and `system`.
pub fn visit_texts(body: &mut Map<String, Value>, scope: ScanScope, f: Visit<'_>) {
    let all = scope == ScanScope::AllMessages;
    for (k, v) in body.iter_mut() {
        match (k.as_str(), v) {
            ("messages", Value::Array(msgs)) if !all => walk_turn(k, msgs, false, f),
            ("system", _) if !all => {}
            (_, v) => walk(k, v, f),
        }
    }
}

impl Engine {
    /// `scan_request` for an Anthropic Messages body: hits, and masks
    /// in place unless the request is blocked anyway.
    pub fn scan_anthropic(&self, body: &mut Map<String, Value>) -> Outcome {
        self.scan_with(body, visit_texts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn texts(body: Value, scope: ScanScope) -> Vec<String> {
        let Value::Object(mut m) = body else {
            unreachable!()
        };
        let mut out = Vec::new();
        visit_texts(&mut m, scope, &mut |s: &mut String| out.push(s.clone()));
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
}
