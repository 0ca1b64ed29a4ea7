//! Which texts of a request are scanned (every wire format, scopes,
//! tools and schemas) and how masks rewrite them.

use super::test_support::*;
use super::*;
use serde_json::{json, Value};

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
fn unix_ms_timestamp_in_a_request_is_not_a_mobile_number() {
    let e = engine();
    let mut b = body(
        json!({"messages": [{"role": "tool", "content": "{\"ts\":1700000000000,\"phone\":\"n/a\"}"}]}),
    );
    assert!(e.scan_request(&mut b).hits.is_empty());
}

/// After `+` come a country code and its number: `+1 555…` is North
/// American (the phone rule's), a mainland mobile in E.164 is `+86 1…`.
#[test]
fn a_north_american_number_is_not_a_mainland_mobile() {
    let e = engine();
    for text in ["signal +14255550173", "allowFrom: [\"+13905550199\"]"] {
        assert!(!hits_rule(&e, "cn_mobile_number", text), "{text}");
    }
    for text in ["+8613812345678", "+86 138-1234-5678", "tel 13812345678"] {
        assert!(hits_rule(&e, "cn_mobile_number", text), "{text}");
    }
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
        {"type": "tool_use", "id": "a@acme.io", "name": "w", "input": {}}]}]});
    assert_eq!(hits_both(&e, ids, Shape::Anthropic), 0);
    // a data URL in a tool's input is text the model reads, not media
    let url = json!({"messages": [{"role": "assistant", "content": [
        {"type": "tool_use", "id": "t", "name": "w", "input": {"x": "data:image/png;base64,a@acme.io"}}]}]});
    assert_eq!(hits_both(&e, url, Shape::Anthropic), 1);
}

#[test]
fn schema_words_and_metadata_names_are_the_callers_own() {
    let e = Engine::compile(&cfg(json!({"packs": ["personal"]}))).unwrap();
    for key in ["format", "id", "type", "data", "user_id"] {
        let schema = json!({"type": "object", "properties": {"x": {key: "a@acme.io"}}});
        let chat = json!({"messages": [{"role": "user", "content": "hi"}],
            "tools": [{"type": "function", "function": {"name": "f", "parameters": schema}}],
            "response_format": {"type": "json_schema", "json_schema": {"name": "s", "schema": schema}}});
        assert_eq!(hits_both(&e, chat, Shape::Openai), 2, "{key}");
        let anthropic = json!({"messages": [{"role": "user", "content": "hi"}],
            "tools": [{"name": "f", "input_schema": schema}], "metadata": {key: "b@acme.io"}});
        assert_eq!(hits_both(&e, anthropic, Shape::Anthropic), 2, "{key}");
    }
    // a tool's own `type` beside its schema is still the API's enum
    let tool = json!({"messages": [], "tools": [{"type": "a@acme.io", "parameters": {}}]});
    assert_eq!(hits_both(&e, tool, Shape::Openai), 0);
}
