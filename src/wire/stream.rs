//! Watches a streamed (SSE) response as it passes: usage (last seen wins),
//! whether it completed, when content first appeared, and optionally the
//! reassembled text. Passes chunks through untouched unless asked to strip
//! the usage-only chunk the gateway requested on the client's behalf.
//! What an event means is the dialect's to say ([`Events`]).

use super::sse::{Event, SseReader};
use super::usage::Usage;
use serde_json::Value;

/// What one event of a stream showed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Seen<'a> {
    /// The stream's own end (`[DONE]` aside): it was not cut.
    pub done: bool,
    /// Content (text, reasoning, a tool call) arrived.
    pub content: bool,
    /// An error event, inside a stream whose status was already 2xx.
    pub error: bool,
    /// Usage so far, when the event told any.
    pub usage: Option<Usage>,
    pub text: Vec<&'a str>,
    /// The usage-only chunk the gateway may have asked for.
    pub usage_only: bool,
}

/// A dialect's reading of its stream events (it may keep counts across
/// them: Anthropic reports usage in two events).
pub trait Events: std::fmt::Debug {
    fn observe<'a>(&mut self, v: &'a Value) -> Seen<'a>;
}

#[derive(Debug)]
pub struct StreamObserver {
    reader: SseReader,
    strip_usage_chunk: bool,
    events: Box<dyn Events>,
    pub usage: Option<Usage>,
    /// `[DONE]` or the dialect's end event arrived: the stream was not cut.
    pub done: bool,
    pub content_seen: bool,
    /// Data events that were not JSON (besides `[DONE]`).
    pub unparsed: u32,
    /// An error event arrived inside the stream (its status was already 2xx).
    pub error: bool,
    capture: Option<(String, usize)>,
    /// Bytes of assistant text relayed, for an estimate when no usage came.
    pub text_bytes: u64,
}

impl StreamObserver {
    /// `capture_limit`: keep up to this many bytes of the assistant text.
    pub fn new(
        events: Box<dyn Events>,
        strip_usage_chunk: bool,
        capture_limit: Option<usize>,
    ) -> Self {
        StreamObserver {
            reader: SseReader::new(strip_usage_chunk),
            strip_usage_chunk,
            events,
            usage: None,
            done: false,
            content_seen: false,
            unparsed: 0,
            error: false,
            capture: capture_limit.map(|l| (String::new(), l)),
            text_bytes: 0,
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
        let Ok(v) = crate::json::strict::lenient(data) else {
            self.unparsed += 1;
            return true;
        };
        let seen = self.events.observe(&v);
        self.done |= seen.done;
        self.error |= seen.error;
        self.content_seen |= seen.content;
        if seen.usage.is_some() {
            self.usage = seen.usage;
        }
        self.capture_text(seen.text.into_iter());
        !(self.strip_usage_chunk && seen.usage_only)
    }

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
