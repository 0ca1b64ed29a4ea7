//! The skip table (`positions`): a string is skipped only where the API
//! puts an id, enum, opaque token or base64 media, by both readers.

use super::test_support::*;
use super::*;
use crate::test_rng::Rng;
use serde_json::{json, Map, Value};

const A: &str = "a@acme.io";

fn personal() -> Engine {
    Engine::compile(&cfg(json!({"packs": ["personal"]}))).unwrap()
}

fn chat(content: Value) -> Value {
    json!({"model": "m", "messages": [{"role": "user", "content": content}]})
}

fn anthropic(content: Value) -> Value {
    json!({"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": content}]})
}

fn responses(items: Value) -> Value {
    json!({"model": "m", "input": items})
}

#[test]
fn names_the_api_uses_elsewhere_are_scanned_where_it_does_not() {
    let e = personal();
    let openai = [
        // chat content parts: no `format`, `data` or `…_id` there
        chat(json!([{"type": "text", "text": "hi", "format": A}])),
        chat(json!([{"type": "text", "text": "hi", "data": A}])),
        chat(json!([{"type": "text", "text": "hi", "x_id": A}])),
        chat(json!([{"type": "text", "text": "hi", "user": A}])),
        chat(
            json!([{"type": "image_url", "image_url": {"url": "https://x.test/a.png", "type": A}}]),
        ),
        chat(
            json!([{"type": "image_url", "image_url": {"url": "https://x.test/a.png", "format": A}}]),
        ),
        // a chat message has a role and a tool_call_id, not a type or an id
        json!({"messages": [{"role": "user", "type": A, "content": "hi"}]}),
        json!({"messages": [{"role": "user", "id": A, "content": "hi"}]}),
        json!({"messages": [{"role": "user", "signature": A, "content": "hi"}]}),
        // a file's data is a data URL; raw text there is read
        chat(json!([{"type": "file", "file": {"file_data": A}}])),
        // a data URL in text is text
        chat(json!(format!("data:text/plain;base64,{A}"))),
        chat(json!([{"type": "text", "text": format!("data:image/png;base64,{A}")}])),
        // Responses items and their parts
        responses(json!([{"type": "message", "role": "user", "content": [
            {"type": "input_text", "text": "hi", "format": A}]}])),
        responses(
            json!([{"type": "function_call_output", "call_id": "c", "output": "ok", "x_id": A}]),
        ),
        responses(
            json!([{"type": "function_call_output", "call_id": "c", "output": "ok", "data": A}]),
        ),
        responses(json!([{"type": "message", "role": "user", "content": [
            {"type": "input_text", "text": "hi", "signature": A}]}])),
        // encrypted_content only in a reasoning or compaction item
        responses(
            json!([{"type": "message", "role": "user", "content": "hi", "encrypted_content": A}]),
        ),
        // the body's own members: no top-level `id`, `type`, `format`, `data`
        json!({"model": "m", "messages": [], "data": A}),
        json!({"model": "m", "messages": [], "format": A}),
        json!({"model": "m", "messages": [], "type": A}),
        json!({"model": "m", "messages": [], "session_id": A}),
        // a field no API has
        json!({"model": "m", "messages": [], "extra": {"id": A, "role": "x"}}),
    ];
    for b in openai {
        assert_eq!(hits_both(&e, b.clone(), Shape::Openai), 1, "{b}");
    }
    let blocks = [
        anthropic(json!([{"type": "text", "text": "hi", "format": A}])),
        anthropic(json!([{"type": "text", "text": "hi", "data": A}])),
        anthropic(json!([{"type": "text", "text": "hi", "x_id": A}])),
        // `data` is media only in a base64 source or a redacted_thinking block
        anthropic(
            json!([{"type": "image", "source": {"type": "url", "url": "https://x.test/a.png", "data": A}}]),
        ),
        anthropic(
            json!([{"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": A}}]),
        ),
        anthropic(
            json!([{"type": "document", "source": {"type": "text", "media_type": "text/plain",
            "data": format!("data:x;base64,{A}")}}]),
        ),
        // `signature` is opaque only on a thinking block
        anthropic(json!([{"type": "text", "text": "hi", "signature": A}])),
        anthropic(
            json!([{"type": "image", "source": {"type": "base64", "media_type": "image/png",
            "data": "AAAA", "format": A}}]),
        ),
        anthropic(
            json!([{"type": "tool_result", "tool_use_id": "t", "content": [
            {"type": "text", "text": "ok", "media_type": A}]}]),
        ),
    ];
    for b in blocks {
        assert_eq!(hits_both(&e, b.clone(), Shape::Anthropic), 1, "{b}");
    }
}

#[test]
fn the_apis_own_positions_stay_skipped() {
    let e = personal();
    let openai = [
        json!({"model": A, "user": A, "service_tier": A, "previous_response_id": A, "messages": []}),
        json!({"messages": [{"role": A, "content": "hi"}, {"role": "tool", "tool_call_id": A, "content": "ok"}]}),
        json!({"messages": [{"role": "assistant", "tool_calls": [{"id": A, "type": A,
            "function": {"name": "f", "arguments": "{}"}}], "audio": {"id": A}}]}),
        chat(json!([{"type": A, "text": "hi"}])),
        chat(
            json!([{"type": "image_url", "image_url": {"url": format!("data:image/png;base64,{A}"), "detail": A}}]),
        ),
        chat(json!([{"type": "input_audio", "input_audio": {"data": A, "format": A}}])),
        chat(
            json!([{"type": "file", "file": {"file_data": format!("data:application/pdf;base64,{A}"), "file_id": A}}]),
        ),
        responses(json!([
            {"type": "reasoning", "id": A, "summary": [{"type": "summary_text", "text": "t"}], "encrypted_content": A},
            {"type": "compaction", "encrypted_content": A},
            {"type": "function_call", "id": A, "call_id": A, "name": "f", "arguments": "{}"},
            {"type": "message", "role": "user", "content": [
                {"type": "input_image", "image_url": format!("data:image/png;base64,{A}"), "detail": A, "file_id": A},
                {"type": "input_file", "file_data": format!("data:application/pdf;base64,{A}"), "file_id": A}]},
            {"type": "item_reference", "id": A}])),
        json!({"input": [], "reasoning": {"effort": A}, "text": {"format": {"type": A}},
            "audio": {"voice": A, "format": A}, "tools": [{"type": A}], "tool_choice": {"type": A},
            "prompt": {"id": A}}),
    ];
    for b in openai {
        assert_eq!(hits_both(&e, b.clone(), Shape::Openai), 0, "{b}");
    }
    let blocks = [
        anthropic(json!([
            {"type": "image", "source": {"type": "base64", "media_type": A, "data": A}},
            {"type": "document", "source": {"type": "file", "file_id": A}},
            {"type": "tool_result", "tool_use_id": A, "content": [
                {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": A}}]},
            {"type": "text", "text": "hi", "cache_control": {"type": A}}])),
        json!({"messages": [{"role": "assistant", "content": [
            {"type": "thinking", "thinking": "t", "signature": A},
            {"type": "redacted_thinking", "data": A},
            {"type": "tool_use", "id": A, "name": "f", "input": {}},
            {"type": "web_search_tool_result", "tool_use_id": A, "content": [
                {"type": "web_search_result", "url": "https://x.test", "title": "t", "encrypted_content": A}]}]}],
            "thinking": {"type": A}, "output_config": {"effort": A}}),
    ];
    for b in blocks {
        assert_eq!(hits_both(&e, b.clone(), Shape::Anthropic), 0, "{b}");
    }
}

/// Names and `type` values the table knows, so random bodies meet its
/// positions often, beside some it does not.
const KEYS: &[&str] = &[
    "messages",
    "input",
    "content",
    "source",
    "image_url",
    "input_audio",
    "file",
    "tool_calls",
    "tools",
    "text",
    "format",
    "data",
    "type",
    "id",
    "x_id",
    "role",
    "signature",
    "encrypted_content",
    "url",
    "file_data",
    "media_type",
    "summary",
    "output",
    "cache_control",
    "system",
    "input_schema",
    "metadata",
    "audio",
    "detail",
    "zz",
];
const TYPES: &[&str] = &[
    "base64",
    "text",
    "thinking",
    "redacted_thinking",
    "reasoning",
    "compaction",
    "web_search_result",
    "image",
];

fn string(r: &mut Rng) -> Value {
    match r.below(4) {
        0 => json!(A),
        1 => json!(format!("data:image/png;base64,{A}")),
        2 => json!(TYPES[r.below(TYPES.len())]),
        _ => json!("plain"),
    }
}

fn value(r: &mut Rng, depth: usize) -> Value {
    match r.below(if depth > 4 { 2 } else { 5 }) {
        0 | 1 => string(r),
        2 => Value::Array((0..r.below(3)).map(|_| value(r, depth + 1)).collect()),
        _ => Value::Object(object(r, depth + 1)),
    }
}

fn object(r: &mut Rng, depth: usize) -> Map<String, Value> {
    let mut m = Map::new();
    if r.below(2) == 0 {
        m.insert("type".into(), json!(TYPES[r.below(TYPES.len())]));
    }
    for _ in 0..r.below(4) + 1 {
        m.insert(KEYS[r.below(KEYS.len())].into(), value(r, depth));
    }
    m
}

#[test]
fn the_byte_reader_and_the_value_walk_skip_the_same_strings() {
    let e = personal();
    let mut r = Rng(0x05EE_D0F7_AB1E);
    for _ in 0..4000 {
        let b = Value::Object(object(&mut r, 0));
        for shape in [Shape::Openai, Shape::Anthropic] {
            // `hits_both` asserts that both readers count the same hits
            hits_both(&e, b.clone(), shape);
        }
    }
}
