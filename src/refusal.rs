//! A content refusal as the model's answer (`risk.refusal: message`): 200,
//! one assistant message in the caller's wire format, streamed when the
//! request streamed, with zero usage (no model read anything). Agents show
//! it like any answer, where an error may read as a bad key or be retried
//! (docs/refusals.md). Endpoints with no message to answer with
//! (embeddings, images, token counts, legacy completions) get the error
//! form instead.
//!
//! The bodies are templates, filled by one small function: a `format!`
//! per body cost the wasm 6.7 KB. A stream ends as the format's streams
//! end (`[DONE]`, `response.completed`, `message_stop`) so clients take a
//! finished turn, not a dropped connection. `finish_reason` is `stop` and
//! `stop_reason` is `end_turn`, not `content_filter` or `refusal`: a
//! client shows a stopped answer's text, but may replace a filtered or
//! refused one with a notice of its own.

use crate::wire::Endpoint;

/// What the answer says, and as whom.
pub struct Answer<'a> {
    /// The request id: the answer's own ids derive from it.
    pub id: &'a str,
    /// The model the caller asked for, echoed as providers do.
    pub model: &'a str,
    pub created_s: u64,
    pub text: &'a str,
}

/// The body, or `None` for an endpoint with no message form.
pub fn body(endpoint: Endpoint, a: &Answer, stream: bool) -> Option<Vec<u8>> {
    let template = match (endpoint, stream) {
        (Endpoint::ChatCompletions, false) => CHAT,
        (Endpoint::ChatCompletions, true) => CHAT_STREAM,
        (Endpoint::Responses, false) => "$R",
        (Endpoint::Responses, true) => RESPONSE_STREAM,
        (Endpoint::Messages, false) => MESSAGE,
        (Endpoint::Messages, true) => MESSAGE_STREAM,
        // legacy completions too: no agent speaks it, and each template
        // costs the wasm its length
        (
            Endpoint::Completions
            | Endpoint::Embeddings
            | Endpoint::ImagesGenerations
            | Endpoint::CountTokens,
            _,
        ) => return None,
    };
    let quoted_id = quoted(a.id);
    let values = Values {
        // the id goes inside a string next to a prefix (`chatcmpl-…`)
        id: quoted_id.get(1..quoted_id.len() - 1).unwrap_or_default(),
        model: &quoted(a.model),
        text: &quoted(a.text),
        created: &a.created_s.to_string(),
    };
    let mut out = String::with_capacity(template.len() * 2 + 4 * a.text.len());
    fill(template, &values, &mut out);
    Some(out.into_bytes())
}

struct Values<'a> {
    id: &'a str,
    model: &'a str,
    text: &'a str,
    created: &'a str,
}

/// Writes `template` with each `$X` replaced: `$I` id, `$M` model, `$T`
/// text, `$C` created, and the repeated pieces `$U`, `$H`, `$A`, `$P`,
/// `$O`, `$R` (templates below).
fn fill(template: &str, v: &Values, out: &mut String) {
    let mut parts = template.split('$');
    out.push_str(parts.next().unwrap_or_default());
    for p in parts {
        match p.as_bytes().first() {
            Some(b'I') => out.push_str(v.id),
            Some(b'M') => out.push_str(v.model),
            Some(b'T') => out.push_str(v.text),
            Some(b'C') => out.push_str(v.created),
            Some(b'U') => out.push_str(CHAT_USAGE),
            Some(b'H') => fill(CHUNK, v, out),
            Some(b'A') => fill(AT, v, out),
            Some(b'P') => fill(PART, v, out),
            Some(b'O') => fill(ITEM, v, out),
            Some(b'R') => fill(RESPONSE, v, out),
            _ => out.push('$'),
        }
        out.push_str(p.get(1..).unwrap_or_default());
    }
}

/// A JSON string literal (quotes included).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

const CHAT_USAGE: &str = r#"{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}"#;

const CHAT: &str = r#"{"id":"chatcmpl-$I","object":"chat.completion","created":$C,"model":$M,"choices":[{"index":0,"message":{"role":"assistant","content":$T},"logprobs":null,"finish_reason":"stop"}],"usage":$U}"#;

const CHUNK: &str = r#"{"id":"chatcmpl-$I","object":"chat.completion.chunk","created":$C,"model":$M,"choices":[{"index":0,"#;

/// The text, then the finish with the usage on it (not on a chunk with no
/// choices, which some clients index into), then `[DONE]`.
const CHAT_STREAM: &str = r#"data: $H"delta":{"role":"assistant","content":$T},"finish_reason":null}]}

data: $H"delta":{},"finish_reason":"stop"}],"usage":$U}

data: [DONE]

"#;

/// Where a Responses text event writes.
const AT: &str = r#""item_id":"msg_$I","output_index":0,"content_index":0"#;

const PART: &str = r#"{"type":"output_text","text":$T,"annotations":[]}"#;

const ITEM: &str =
    r#"{"type":"message","id":"msg_$I","status":"completed","role":"assistant","content":[$P]}"#;

const RESPONSE: &str = r#"{"id":"resp_$I","object":"response","created_at":$C,"status":"completed","error":null,"incomplete_details":null,"model":$M,"output":[$O],"usage":{"input_tokens":0,"input_tokens_details":{"cached_tokens":0},"output_tokens":0,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":0}}"#;

/// The events of a Responses stream of one text message, in order.
const RESPONSE_STREAM: &str = r#"event: response.created
data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_$I","object":"response","created_at":$C,"status":"in_progress","error":null,"incomplete_details":null,"model":$M,"output":[],"usage":null}}

event: response.output_item.added
data: {"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"type":"message","id":"msg_$I","status":"in_progress","role":"assistant","content":[]}}

event: response.content_part.added
data: {"type":"response.content_part.added","sequence_number":2,$A,"part":{"type":"output_text","text":"","annotations":[]}}

event: response.output_text.delta
data: {"type":"response.output_text.delta","sequence_number":3,$A,"delta":$T}

event: response.output_text.done
data: {"type":"response.output_text.done","sequence_number":4,$A,"text":$T}

event: response.content_part.done
data: {"type":"response.content_part.done","sequence_number":5,$A,"part":$P}

event: response.output_item.done
data: {"type":"response.output_item.done","sequence_number":6,"output_index":0,"item":$O}

event: response.completed
data: {"type":"response.completed","sequence_number":7,"response":$R}

"#;

const MESSAGE: &str = r#"{"id":"msg_$I","type":"message","role":"assistant","model":$M,"content":[{"type":"text","text":$T}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0}}"#;

const MESSAGE_STREAM: &str = r#"event: message_start
data: {"type":"message_start","message":{"id":"msg_$I","type":"message","role":"assistant","model":$M,"content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":$T}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":0}}

event: message_stop
data: {"type":"message_stop"}

"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_text_and_model_stay_valid_json_and_sse() {
        let a = Answer {
            id: "r\"1",
            model: "m\"\\\n",
            created_s: 7,
            text: "line \"one\"\nzwei\u{0}\u{2028}三\r\n\ndata: [DONE]",
        };
        for e in [
            Endpoint::ChatCompletions,
            Endpoint::Responses,
            Endpoint::Messages,
        ] {
            let json = body(e, &a, false).unwrap();
            let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
            assert!(v.to_string().contains("zwei"), "{e:?}");
            // every data line of the stream is one JSON value (or [DONE]),
            // whatever newlines the text holds
            let sse = String::from_utf8(body(e, &a, true).unwrap()).unwrap();
            let data: Vec<&str> = sse
                .lines()
                .filter_map(|l| l.strip_prefix("data: "))
                .collect();
            assert!(data.len() >= 2, "{e:?}");
            for d in data {
                assert!(
                    d == "[DONE]" || serde_json::from_str::<serde_json::Value>(d).is_ok(),
                    "{e:?}: {d}"
                );
            }
            assert!(sse
                .lines()
                .all(|l| l.is_empty() || l.starts_with("data: ") || l.starts_with("event: ")));
        }
        assert!(body(Endpoint::Embeddings, &a, false).is_none());
    }
}
