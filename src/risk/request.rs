//! Finds every text a model will read in an OpenAI-compatible request body
//! (chat completions, Responses API, completions, embeddings) and hands it
//! to a visitor that may rewrite it. Images, audio, files and other binary
//! parts are skipped. The walk order is fixed, so two walks over the same
//! body visit the same strings in the same order.

use super::ScanScope;
use serde_json::{Map, Value};

pub type Visit<'a> = &'a mut dyn FnMut(&mut String);

/// A wire format's walk over the texts of a body.
pub type Walk = fn(&mut Map<String, Value>, ScanScope, Visit<'_>);

fn visit_str(v: &mut Value, f: Visit<'_>) {
    if let Value::String(s) = v {
        f(s);
    }
}

/// Text parts of a `content` array: chat `text`, Responses `input_text`,
/// `output_text`; anything else (images, audio, files) is skipped.
fn visit_content(content: &mut Value, f: Visit<'_>) {
    match content {
        Value::String(s) => f(s),
        Value::Array(parts) => {
            for p in parts {
                let Value::Object(o) = p else { continue };
                let is_text = matches!(
                    o.get("type").and_then(Value::as_str),
                    Some("text") | Some("input_text") | Some("output_text") | None
                );
                if is_text {
                    if let Some(t) = o.get_mut("text") {
                        visit_str(t, f);
                    }
                }
            }
        }
        _ => {}
    }
}

fn visit_arguments(call: &mut Value, f: Visit<'_>) {
    if let Some(a) = call.get_mut("arguments") {
        visit_str(a, f);
    }
}

/// A chat message: content, tool-call arguments, legacy function_call.
fn visit_message(m: &mut Value, f: Visit<'_>) {
    let Value::Object(o) = m else { return };
    if let Some(c) = o.get_mut("content") {
        visit_content(c, f);
    }
    if let Some(Value::Array(calls)) = o.get_mut("tool_calls") {
        for c in calls {
            if let Some(func) = c.get_mut("function") {
                visit_arguments(func, f);
            }
        }
    }
    if let Some(fc) = o.get_mut("function_call") {
        visit_arguments(fc, f);
    }
}

/// A Responses API input item: messages, function calls and their outputs.
fn visit_input_item(item: &mut Value, f: Visit<'_>) {
    match item {
        Value::String(s) => f(s),
        Value::Object(o) => {
            if let Some(c) = o.get_mut("content") {
                visit_content(c, f);
            }
            if let Some(a) = o.get_mut("arguments") {
                visit_str(a, f);
            }
            if let Some(out) = o.get_mut("output") {
                visit_str(out, f);
            }
        }
        _ => {}
    }
}

fn is_user(v: &Value) -> bool {
    v.get("role").and_then(Value::as_str) == Some("user")
}

/// Visits the texts of `body` that `scope` selects.
///
/// `all_messages`: every message, tool-call argument, Responses `input`
/// item and `instructions`, completions `prompt`, embeddings `input`.
/// `last_user`: only the last `role: user` chat message and the last user
/// item of a Responses `input` (or a plain string `input`); completions
/// `prompt` and embeddings inputs have no roles and are always scanned.
pub fn visit_texts(body: &mut Map<String, Value>, scope: ScanScope, f: Visit<'_>) {
    let all = scope == ScanScope::AllMessages;
    if let Some(Value::Array(msgs)) = body.get_mut("messages") {
        if all {
            for m in msgs.iter_mut() {
                visit_message(m, f);
            }
        } else if let Some(m) = msgs.iter_mut().rev().find(|m| is_user(m)) {
            visit_message(m, f);
        }
    }
    if let Some(input) = body.get_mut("input") {
        match input {
            Value::String(s) => f(s),
            Value::Array(items) => {
                // Embedding batches (strings) are always scanned.
                for it in items.iter_mut() {
                    if let Value::String(s) = it {
                        f(s);
                    }
                }
                if all {
                    for it in items.iter_mut().filter(|i| i.is_object()) {
                        visit_input_item(it, f);
                    }
                } else if let Some(it) = items.iter_mut().rev().find(|i| is_user(i)) {
                    visit_input_item(it, f);
                }
            }
            _ => {}
        }
    }
    if all {
        if let Some(i) = body.get_mut("instructions") {
            visit_str(i, f);
        }
    }
    match body.get_mut("prompt") {
        Some(Value::String(s)) => f(s),
        Some(Value::Array(items)) => {
            for it in items {
                visit_str(it, f);
            }
        }
        _ => {}
    }
}
