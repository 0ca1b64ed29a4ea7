//! What an OpenAI stream event tells the observer: chat and completions
//! chunks (`[DONE]` ends them), Responses events (`response.completed`).

use crate::wire::stream::{Events, Seen, StreamObserver};
use crate::wire::usage::Usage;
use serde_json::Value;

/// Reads OpenAI events; it keeps nothing between them.
#[derive(Debug)]
pub struct OpenaiEvents;

/// An observer of an OpenAI stream; `strip` hides the injected usage chunk.
pub fn observer(strip: bool, capture_limit: Option<usize>) -> StreamObserver {
    StreamObserver::new(Box::new(OpenaiEvents), strip, capture_limit)
}

impl Events for OpenaiEvents {
    fn observe<'a>(&mut self, v: &'a Value) -> Seen<'a> {
        let mut seen = Seen::default();
        match v.get("type").and_then(Value::as_str) {
            Some("response.completed") => seen.done = true,
            Some("error" | "response.failed") => seen.error = true,
            _ => {}
        }
        if v.get("error").is_some_and(|e| e.is_object()) {
            seen.error = true;
        }
        seen.usage = Usage::from_response(v);
        seen.text = delta_text(v);
        seen.content = !seen.text.is_empty() || has_tool_delta(v);
        seen.usage_only = v
            .get("choices")
            .and_then(Value::as_array)
            .is_some_and(|c| c.is_empty())
            && v.get("usage").is_some_and(|u| !u.is_null());
        seen
    }
}

/// Text pieces a chunk adds: chat deltas, completions text, Responses deltas.
fn delta_text(v: &Value) -> Vec<&str> {
    let mut out = Vec::new();
    if let Some(choices) = v.get("choices").and_then(Value::as_array) {
        for c in choices {
            for t in [
                c.get("delta").and_then(|d| d.get("content")),
                c.get("delta").and_then(|d| d.get("reasoning_content")),
                c.get("text"),
            ]
            .into_iter()
            .flatten()
            {
                if let Some(s) = t.as_str().filter(|s| !s.is_empty()) {
                    out.push(s);
                }
            }
        }
    }
    if v.get("type").and_then(Value::as_str) == Some("response.output_text.delta") {
        if let Some(s) = v.get("delta").and_then(Value::as_str) {
            out.push(s);
        }
    }
    out
}

fn has_tool_delta(v: &Value) -> bool {
    v.get("choices")
        .and_then(Value::as_array)
        .is_some_and(|cs| {
            cs.iter()
                .any(|c| c.get("delta").and_then(|d| d.get("tool_calls")).is_some())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHAT: &str = concat!(
        "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n",
        "data: {\"choices\":[{\"delta\":{\"content\":\"你好\"}}]}\n\n",
        "data: {\"choices\":[{\"delta\":{\"content\":\" world\"},\"finish_reason\":\"stop\"}]}\n\n",
        "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4,\"total_tokens\":13}}\n\n",
        "data: [DONE]\n\n"
    );

    fn run(chunks: &[&[u8]], strip: bool) -> (StreamObserver, Vec<u8>) {
        let mut o = observer(strip, Some(1024));
        let mut out = Vec::new();
        for c in chunks {
            match o.feed(c) {
                Some(b) => out.extend(b),
                None => out.extend_from_slice(c),
            }
        }
        if let Some(b) = o.finish() {
            out.extend(b);
        }
        (o, out)
    }

    #[test]
    fn every_split_gives_same_usage_and_text() {
        let s = CHAT.as_bytes();
        let (whole, out) = run(&[s], false);
        assert_eq!(out, s);
        assert_eq!(whole.usage.unwrap().total, Some(13));
        assert!(whole.done && whole.content_seen);
        assert_eq!(whole.captured(), Some("你好 world"));
        for i in 0..s.len() {
            let (o, out) = run(&[&s[..i], &s[i..]], false);
            assert_eq!(
                (o.usage, o.done, o.captured()),
                (whole.usage, true, whole.captured()),
                "split {i}"
            );
            assert_eq!(out, s);
            let (o, out) = run(&[&s[..i], &s[i..]], true);
            assert_eq!(o.usage, whole.usage);
            let text = String::from_utf8(out).unwrap();
            assert!(
                !text.contains("\"usage\""),
                "usage chunk stripped at split {i}"
            );
            assert!(text.ends_with("data: [DONE]\n\n") && text.contains("你好"));
        }
    }

    #[test]
    fn cut_stream_is_not_done() {
        let s = CHAT.as_bytes();
        let (o, _) = run(&[&s[..120]], false);
        assert!(!o.done);
        assert!(o.usage.is_none());
    }

    #[test]
    fn responses_stream_usage() {
        let s = b"event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"Hi\"}\n\nevent: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"usage\":{\"input_tokens\":3,\"output_tokens\":1,\"total_tokens\":4}}}\n\n";
        for i in 0..s.len() {
            let (o, _) = run(&[&s[..i], &s[i..]], false);
            assert!(o.done);
            assert_eq!(o.usage.unwrap().prompt, Some(3));
            assert_eq!(o.captured(), Some("Hi"));
        }
    }

    #[test]
    fn garbage_is_counted_not_fatal() {
        let (o, out) = run(&[b"data: {not json}\n\nrandom\n\ndata: [DONE]\n\n"], false);
        assert_eq!(o.garbage(), 2);
        assert!(o.done);
        assert_eq!(out, b"data: {not json}\n\nrandom\n\ndata: [DONE]\n\n");
    }
}
