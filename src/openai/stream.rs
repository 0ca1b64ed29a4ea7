//! Watches a streamed (SSE) response as it passes: usage (last seen wins),
//! whether it completed, when content first appeared, and optionally the
//! reassembled text. Passes chunks through untouched unless asked to strip
//! the usage-only chunk the gateway requested on the client's behalf.

use super::sse::{Event, SseReader};
use super::usage::Usage;
use serde_json::Value;

#[derive(Debug)]
pub struct StreamObserver {
    reader: SseReader,
    strip_usage_chunk: bool,
    pub usage: Option<Usage>,
    /// `[DONE]` or `response.completed` arrived: the stream was not cut.
    pub done: bool,
    pub content_seen: bool,
    /// Data events that were not JSON (besides `[DONE]`).
    pub unparsed: u32,
    /// An error event arrived inside the stream (its status was already 2xx).
    pub error: bool,
    capture: Option<(String, usize)>,
    /// Bytes of assistant text relayed, for an estimate when no usage came.
    pub text_bytes: u64,
    /// Set for an Anthropic stream: its counts, reported in two events.
    anthropic: Option<Box<crate::anthropic::usage::Counts>>,
}

impl StreamObserver {
    /// `capture_limit`: keep up to this many bytes of the assistant text.
    pub fn new(strip_usage_chunk: bool, capture_limit: Option<usize>) -> Self {
        StreamObserver {
            reader: SseReader::new(strip_usage_chunk),
            strip_usage_chunk,
            usage: None,
            done: false,
            content_seen: false,
            unparsed: 0,
            error: false,
            capture: capture_limit.map(|l| (String::new(), l)),
            text_bytes: 0,
            anthropic: None,
        }
    }

    /// An Anthropic Messages stream (nothing to strip: it always carries
    /// usage).
    pub fn anthropic(capture_limit: Option<usize>) -> Self {
        StreamObserver {
            anthropic: Some(Default::default()),
            ..Self::new(false, capture_limit)
        }
    }

    /// Observes a chunk. `None`: forward it unchanged. `Some(bytes)`: forward
    /// these instead (strip mode; an event is held until it is complete).
    pub fn feed(&mut self, chunk: &[u8]) -> Option<Vec<u8>> {
        let mut out = self.strip_usage_chunk.then(Vec::new);
        let mut reader = std::mem::take(&mut self.reader);
        reader.feed(chunk, &mut |e| self.on_event(e, out.as_mut()));
        self.reader = reader;
        out
    }

    /// End of stream: flushes a held partial event (strip mode).
    pub fn finish(&mut self) -> Option<Vec<u8>> {
        let tail = self.reader.take_raw_tail();
        let mut reader = std::mem::take(&mut self.reader);
        reader.finish(&mut |e| self.on_event(e, None));
        self.reader = reader;
        self.strip_usage_chunk.then_some(tail)
    }

    pub fn garbage(&self) -> u32 {
        self.reader.garbage + self.unparsed
    }

    pub fn captured(&self) -> Option<&str> {
        self.capture.as_ref().map(|(s, _)| s.as_str())
    }

    fn on_event(&mut self, e: &Event, out: Option<&mut Vec<u8>>) {
        let keep = self.observe(e.data);
        if let Some(out) = out {
            if keep {
                out.extend_from_slice(e.raw);
            }
        }
    }

    /// Returns false for the usage-only chunk when stripping.
    fn observe(&mut self, data: &[u8]) -> bool {
        if data.trim_ascii() == b"[DONE]" {
            self.done = true;
            return true;
        }
        let Ok(v) = super::strict_json::lenient(data) else {
            self.unparsed += 1;
            return true;
        };
        if let Some(counts) = &mut self.anthropic {
            // an `error` event inside a 200 stream
            if v.get("type").and_then(Value::as_str) == Some("error") {
                self.error = true;
            }
            let seen = crate::anthropic::stream::observe(counts, &v);
            self.done |= seen.done;
            self.content_seen |= seen.content;
            self.usage = counts.usage();
            self.capture_text(seen.text.into_iter());
            return true;
        }
        match v.get("type").and_then(Value::as_str) {
            Some("response.completed") => self.done = true,
            Some("error" | "response.failed") => self.error = true,
            _ => {}
        }
        if v.get("error").is_some_and(|e| e.is_object()) {
            self.error = true;
        }
        if let Some(u) = Usage::from_response(&v) {
            self.usage = Some(u);
        }
        let text = delta_text(&v);
        if !text.is_empty() || has_tool_delta(&v) {
            self.content_seen = true;
        }
        self.capture_text(text.into_iter());
        let usage_only = v
            .get("choices")
            .and_then(Value::as_array)
            .is_some_and(|c| c.is_empty())
            && v.get("usage").is_some_and(|u| !u.is_null());
        !(self.strip_usage_chunk && usage_only)
    }
}

impl StreamObserver {
    /// Keeps text up to the capture limit, cut on a character boundary.
    fn capture_text<'a>(&mut self, text: impl Iterator<Item = &'a str>) {
        let Some((buf, limit)) = &mut self.capture else {
            self.text_bytes += text.map(|t| t.len() as u64).sum::<u64>();
            return;
        };
        for t in text {
            self.text_bytes += t.len() as u64;
            let room = limit.saturating_sub(buf.len());
            let mut cut = t.len().min(room);
            while !t.is_char_boundary(cut) {
                cut -= 1;
            }
            buf.push_str(&t[..cut]);
        }
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
        let mut o = StreamObserver::new(strip, Some(1024));
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
