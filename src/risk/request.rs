//! Finds every text a model will read in a request body and hands it to a
//! visitor that may rewrite it. Every string at any depth is visited
//! (message contents, tool and function descriptions, parameter and
//! `response_format` schemas, predicted outputs, names, a field added to
//! an API tomorrow) except strings known to carry no model-readable text:
//! ids, enums and base64 media. The walk order is the body's key order, so
//! two walks over the same body visit the same strings in the same order.

use super::turns::{current_turn, Speaker};
use super::ScanScope;
use serde_json::{Map, Value};

pub type Visit<'a> = &'a mut dyn FnMut(&mut String);

/// Where a wire format keeps its conversation, which is all `last_user`
/// needs to know of it (the wire layer supplies one per dialect): the
/// lists of turns, of which only the current turn is read; the lists of
/// turns that may also hold plain strings, all read (a batch of inputs);
/// and the members that stand for the system prompt, skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub turns: &'static [&'static str],
    pub inputs: &'static [&'static str],
    pub system: &'static [&'static str],
}

/// Keys whose string values are ids, enums, the model name, the caller's
/// id or base64 media, and base64 data URLs under any key. Only strings
/// are skipped: an object or array under such a key is still walked (a
/// JSON schema may name a property `type`).
fn skips_string(key: &str, s: &str) -> bool {
    skips_key(key) || is_base64_data_url(s)
}

pub(super) fn skips_key(key: &str) -> bool {
    matches!(
        key,
        "model"
            | "role"
            | "type"
            | "id"
            | "object"
            | "user"
            | "detail"
            | "format"
            | "encoding_format"
            | "voice"
            | "service_tier"
            | "reasoning_effort"
            | "effort"
            | "tool_choice"
            | "modalities"
            | "truncation"
            | "data"
            | "file_data"
            | "b64_json"
            | "media_type"
            | "signature"
    ) || key.ends_with("_id")
}

/// Keys whose object holds a tool's input (Anthropic `tool_use.input`,
/// `arguments` sent as an object): its keys are the tool's, so the skip
/// list, which names the API's own fields, does not apply inside it.
pub(super) fn is_tool_input(key: &str) -> bool {
    matches!(key, "input" | "arguments")
}

/// Keys whose object is the caller's own at any depth, the body's top
/// included: a JSON schema the model reads (`tools[].function.parameters`,
/// `input_schema`, a `response_format` `schema`, where `format`, `id` and
/// `type` are schema words, not the API's) and `metadata`. Inside, as in a
/// tool's input, every string is scanned.
pub(super) fn is_callers_object(key: &str) -> bool {
    matches!(key, "parameters" | "input_schema" | "schema" | "metadata")
}

/// Every string under a tool's input but base64 data URLs.
fn walk_tool_input(v: &mut Value, f: Visit<'_>) {
    match v {
        Value::String(s) if !is_base64_data_url(s) => f(s),
        Value::Array(items) => items.iter_mut().for_each(|it| walk_tool_input(it, f)),
        Value::Object(o) => o.values_mut().for_each(|it| walk_tool_input(it, f)),
        _ => {}
    }
}

/// `data:<mime>;base64,...`: an image, audio clip or file the scan
/// cannot read (it does not decode base64).
pub(super) fn is_base64_data_url(s: &str) -> bool {
    let b = s.as_bytes();
    let head = &b[..b.len().min(256)];
    head.len() > 5
        && head[..5].eq_ignore_ascii_case(b"data:")
        && memchr::memmem::find(head, b";base64,").is_some()
}

/// Visits every string under `v` the skip list lets through; `key` is
/// the key `v` stands under. Anthropic's plain-text document source
/// (`{"type": "text", "data": "..."}`) is text, unlike other `data`.
pub(super) fn walk(key: &str, v: &mut Value, f: Visit<'_>) {
    match v {
        Value::Object(_) if is_callers_object(key) => walk_tool_input(v, f),
        Value::String(s) if !skips_string(key, s) => f(s),
        // Array items take their parent's key (`modalities: ["text"]`).
        Value::Array(items) => {
            for it in items {
                walk(key, it, f);
            }
        }
        Value::Object(o) => {
            let text_source = o.get("type").and_then(Value::as_str) == Some("text");
            for (k, it) in o.iter_mut() {
                match it {
                    Value::String(s) if text_source && k == "data" => f(s),
                    Value::Object(_) | Value::Array(_) if is_tool_input(k) => {
                        walk_tool_input(it, f)
                    }
                    _ => walk(k, it, f),
                }
            }
        }
        _ => {}
    }
}

/// Who an item of `messages` or `input` speaks for (see `turns`).
fn speaker(v: &Value) -> Speaker {
    match v.get("role").and_then(Value::as_str) {
        Some(r) => Speaker::of_role(r),
        None if v
            .get("type")
            .and_then(Value::as_str)
            .is_some_and(Speaker::is_model_item) =>
        {
            Speaker::Model
        }
        None => Speaker::Caller,
    }
}

/// Walks the items of the current turn (`turns::current_turn`); plain
/// strings, when `strings`, whatever their turn (a batch of inputs).
fn walk_turn(key: &str, items: &mut [Value], strings: bool, f: Visit<'_>) {
    let speakers: Vec<Speaker> = items.iter().map(speaker).collect();
    let picked: Vec<bool> = current_turn(&speakers).collect();
    for (it, picked) in items.iter_mut().zip(picked) {
        match it {
            Value::String(s) if strings => f(s),
            _ if picked => walk(key, it, f),
            _ => {}
        }
    }
}

/// Visits the texts of `body` that `scope` selects, in its `layout`.
///
/// `all_messages`: every string the walk does not skip. `last_user`
/// narrows the conversation history only: of a list of turns just the
/// current turn is visited, everything after the model last spoke (user
/// messages, tool results, function outputs) but system messages; plain
/// strings in an inputs list, embeddings batches, are all visited; a
/// system member is skipped like the system message it stands for;
/// tools, schemas, `prompt`, predictions and every other field are
/// visited as with `all_messages`.
pub fn visit_texts(body: &mut Map<String, Value>, scope: ScanScope, layout: &Layout, f: Visit<'_>) {
    let all = scope == ScanScope::AllMessages;
    for (k, v) in body.iter_mut() {
        let key = k.as_str();
        match v {
            Value::Array(items) if !all && layout.turns.contains(&key) => {
                walk_turn(key, items, false, f)
            }
            Value::Array(items) if !all && layout.inputs.contains(&key) => {
                walk_turn(key, items, true, f)
            }
            _ if !all && layout.system.contains(&key) => {}
            v => walk(key, v, f),
        }
    }
}
