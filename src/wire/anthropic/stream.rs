//! What an Anthropic SSE event tells the stream observer: usage
//! (`message_start` carries the input side, `message_delta` the final
//! output count), the end (`message_stop`), and the text deltas.

use super::usage::Counts;
use crate::wire::stream::{Events, Seen, StreamObserver};
use serde_json::Value;

/// Reads Anthropic events, keeping the counts reported so far.
#[derive(Debug, Default)]
pub struct AnthropicEvents(Counts);

/// An observer of a Messages stream (nothing to strip: it always
/// carries usage).
pub fn observer(capture_limit: Option<usize>) -> StreamObserver {
    StreamObserver::new(Box::<AnthropicEvents>::default(), false, capture_limit)
}

impl Events for AnthropicEvents {
    fn observe<'a>(&mut self, v: &'a Value) -> Seen<'a> {
        let seen = observe(&mut self.0, v);
        Seen {
            usage: self.0.usage(),
            ..seen
        }
    }
}

/// Reads one event's JSON data, updating `counts`.
fn observe<'a>(counts: &mut Counts, v: &'a Value) -> Seen<'a> {
    let mut seen = Seen::default();
    match v.get("type").and_then(Value::as_str) {
        // an `error` event inside a 200 stream
        Some("error") => seen.error = true,
        Some("message_start") => {
            if let Some(u) = v.get("message").and_then(|m| m.get("usage")) {
                counts.merge(u);
            }
        }
        Some("message_delta") => {
            if let Some(u) = v.get("usage") {
                counts.merge(u);
            }
        }
        Some("message_stop") => seen.done = true,
        Some("content_block_delta") => {
            // a content block delta: text, thinking or tool input
            seen.content = true;
            let d = v.get("delta");
            seen.text.extend(
                d.and_then(|d| d.get("text").or_else(|| d.get("thinking")))
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty()),
            );
        }
        _ => {}
    }
    seen
}

#[cfg(test)]
pub(crate) mod tests {
    use super::observer;
    use crate::wire::stream::StreamObserver;

    /// A real-shaped Messages stream: ping, a text block with multi-byte
    /// text, a tool_use block, cache reads and writes in `message_start`,
    /// the final output count in `message_delta`.
    pub const STREAM: &str = concat!(
        "event: message_start\n",
        "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude\",\"usage\":{\"input_tokens\":12,\"cache_creation_input_tokens\":30,\"cache_read_input_tokens\":200,\"output_tokens\":1}}}\n\n",
        "event: ping\ndata: {\"type\":\"ping\"}\n\n",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
        "event: content_block_delta\r\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"你好 \"}}\r\n\r\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"world🙂\"}}\n\n",
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"q\\\":1}\"}}\n\n",
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":42}}\n\n",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
    );

    fn run(chunks: &[&[u8]]) -> StreamObserver {
        let mut o = observer(Some(1024));
        for c in chunks {
            assert_eq!(o.feed(c), None, "an Anthropic stream passes unchanged");
        }
        o.finish();
        o
    }

    #[test]
    fn every_split_counts_the_same() {
        let s = STREAM.as_bytes();
        let whole = run(&[s]);
        let u = whole.usage.unwrap();
        assert_eq!(
            (u.prompt, u.completion, u.total, u.cached, u.cache_write),
            (Some(242), Some(42), Some(284), Some(200), Some(30))
        );
        assert!(whole.done && whole.content_seen);
        assert_eq!(whole.garbage(), 0);
        assert_eq!(whole.captured(), Some("你好 world🙂"));
        for i in 0..s.len() {
            let o = run(&[&s[..i], &s[i..]]);
            assert_eq!(
                (o.usage, o.done, o.captured()),
                (whole.usage, true, whole.captured()),
                "split at {i}"
            );
            for j in (i..s.len()).step_by(13) {
                let o = run(&[&s[..i], &s[i..j], &s[j..]]);
                assert_eq!(o.usage, whole.usage, "split at {i},{j}");
            }
        }
    }

    #[test]
    fn a_cut_stream_keeps_what_arrived_and_is_not_done() {
        let s = STREAM.as_bytes();
        let cut = STREAM.find("event: message_delta").unwrap();
        let o = run(&[&s[..cut]]);
        assert!(!o.done);
        let u = o.usage.unwrap();
        assert_eq!((u.prompt, u.completion), (Some(242), Some(1)));
    }
}
