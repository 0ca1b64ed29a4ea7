//! Finds every text a model will read in an Anthropic Messages body
//! (`/v1/messages`, `count_tokens`): `system` (a string or text blocks),
//! message content (a string or blocks: `text`, `thinking`, every string
//! of a `tool_use` input, `tool_result` content, text documents), never
//! images or base64 documents. The walk order is fixed, so the mask pass
//! visits the same strings as the scan.

use super::request::Visit;
use super::{Engine, Outcome, ScanScope};
use serde_json::{Map, Value};

/// Every string inside a JSON value (a tool's input is free-form).
fn visit_all(v: &mut Value, f: Visit<'_>) {
    match v {
        Value::String(s) => f(s),
        Value::Array(a) => a.iter_mut().for_each(|x| visit_all(x, f)),
        Value::Object(o) => o.values_mut().for_each(|x| visit_all(x, f)),
        _ => {}
    }
}

fn visit_text_field(o: &mut Map<String, Value>, key: &str, f: Visit<'_>) {
    if let Some(Value::String(s)) = o.get_mut(key) {
        f(s);
    }
}

/// A content block; binary sources (base64, URLs to images/files) are
/// skipped.
fn visit_block(b: &mut Value, f: Visit<'_>) {
    let Value::Object(o) = b else { return };
    match o.get("type").and_then(Value::as_str) {
        Some("text") | None => visit_text_field(o, "text", f),
        Some("thinking") => visit_text_field(o, "thinking", f),
        Some("tool_use") | Some("server_tool_use") => {
            if let Some(input) = o.get_mut("input") {
                visit_all(input, f);
            }
        }
        Some("tool_result") => {
            if let Some(c) = o.get_mut("content") {
                visit_content(c, f);
            }
        }
        Some("document") => {
            // A plain-text document is read as text; base64 PDFs are not.
            if let Some(Value::Object(src)) = o.get_mut("source") {
                match src.get("type").and_then(Value::as_str) {
                    Some("text") => visit_text_field(src, "data", f),
                    Some("content") => {
                        if let Some(c) = src.get_mut("content") {
                            visit_content(c, f);
                        }
                    }
                    _ => {}
                }
            }
            visit_text_field(o, "context", f);
        }
        _ => {}
    }
}

fn visit_content(c: &mut Value, f: Visit<'_>) {
    match c {
        Value::String(s) => f(s),
        Value::Array(blocks) => blocks.iter_mut().for_each(|b| visit_block(b, f)),
        _ => {}
    }
}

fn visit_message(m: &mut Value, f: Visit<'_>) {
    if let Some(c) = m.get_mut("content") {
        visit_content(c, f);
    }
}

/// Visits the texts `scope` selects: everything, or only the last user
/// message (tool results are user messages).
pub fn visit_texts(body: &mut Map<String, Value>, scope: ScanScope, f: Visit<'_>) {
    let all = scope == ScanScope::AllMessages;
    if all {
        if let Some(s) = body.get_mut("system") {
            visit_content(s, f);
        }
    }
    if let Some(Value::Array(msgs)) = body.get_mut("messages") {
        if all {
            msgs.iter_mut().for_each(|m| visit_message(m, f));
        } else if let Some(m) = msgs
            .iter_mut()
            .rev()
            .find(|m| m.get("role").and_then(Value::as_str) == Some("user"))
        {
            visit_message(m, f);
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
    }

    #[test]
    fn last_user_is_the_last_user_message() {
        assert_eq!(
            texts(body(), ScanScope::LastUser),
            ["tool out", "tool block", "doc text", "last"]
        );
    }
}
