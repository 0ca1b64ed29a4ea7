//! The transform chain of a streamed (SSE) response: each chunk is framed
//! once ([`SseFramer`]) and every event goes through observe usage ->
//! strip the injected usage chunk -> an optional [`Rewrite`] (restoring
//! masks). The observer keeps usage (last seen wins), whether the stream
//! completed, when content first appeared, and optionally the
//! reassembled text. Chunks pass through untouched unless something is
//! stripped or rewritten. What an event means is the dialect's to say
//! ([`Events`]).

use super::sse::{Block, SseFramer};
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

/// What an event's data was, handed to a [`Rewrite`].
pub enum Data {
    /// `[DONE]`.
    Done,
    /// JSON (as the observer parsed it; the rewrite may take it).
    Json(Value),
    /// Anything else.
    Other,
}

/// A transform of a stream's events after the observer saw them (the
/// audit keeps what the upstream sent).
pub trait Rewrite {
    /// One complete event: writes anything to send before it to `out`
    /// and says whether the event's own bytes follow as received (false:
    /// what it wrote replaces them).
    fn event(&mut self, name: Option<&str>, data: Data, out: &mut Vec<u8>) -> bool;
    /// End of the stream: anything still held.
    fn finish(&mut self, out: &mut Vec<u8>);
}

pub struct StreamObserver {
    framer: SseFramer,
    strip_usage_chunk: bool,
    rewrite: Option<Box<dyn Rewrite>>,
    /// The last block's bytes went out as received (its CRLF's LF may
    /// arrive in the next chunk).
    last_passed: bool,
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

impl std::fmt::Debug for StreamObserver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamObserver")
            .field("events", &self.events)
            .field("strip", &self.strip_usage_chunk)
            .field("rewrite", &self.rewrite.is_some())
            .field("usage", &self.usage)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl StreamObserver {
    /// `capture_limit`: keep up to this many bytes of the assistant text.
    pub fn new(
        events: Box<dyn Events>,
        strip_usage_chunk: bool,
        capture_limit: Option<usize>,
    ) -> Self {
        StreamObserver {
            framer: SseFramer::new(strip_usage_chunk),
            strip_usage_chunk,
            rewrite: None,
            last_passed: false,
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

    /// Adds a rewrite at the end of the chain.
    pub fn rewrite_with(&mut self, r: Box<dyn Rewrite>) {
        self.framer.keep_raw();
        self.rewrite = Some(r);
    }

    fn transforming(&self) -> bool {
        self.strip_usage_chunk || self.rewrite.is_some()
    }

    /// Observes a chunk. `None`: forward it unchanged. `Some(bytes)`: forward
    /// these instead (an event is held until it is complete).
    pub fn feed(&mut self, chunk: &[u8]) -> Option<Vec<u8>> {
        if !self.transforming() {
            let mut framer = std::mem::take(&mut self.framer);
            framer.feed(chunk, &mut |b| {
                self.on_block(b, None);
            });
            self.framer = framer;
            return None;
        }
        let mut out = Vec::new();
        let mut chunk = chunk;
        if self.framer.lf_of_closed_block(chunk) {
            if self.last_passed {
                out.push(b'\n');
            }
            chunk = &chunk[1..];
        }
        let mut framer = std::mem::take(&mut self.framer);
        framer.feed(chunk, &mut |b| {
            self.last_passed = self.on_block(b, Some(&mut out));
        });
        if let Some(spilled) = framer.spill() {
            out.extend_from_slice(&spilled);
        }
        self.framer = framer;
        Some(out)
    }

    /// End of stream: the unfinished last event and anything held.
    pub fn finish(&mut self) -> Option<Vec<u8>> {
        let mut out = self.transforming().then(Vec::new);
        let mut framer = std::mem::take(&mut self.framer);
        framer.finish(&mut |b| {
            self.on_block(b, out.as_mut());
        });
        self.framer = framer;
        if let (Some(r), Some(out)) = (&mut self.rewrite, out.as_mut()) {
            r.finish(out);
        }
        out
    }

    pub fn garbage(&self) -> u32 {
        self.framer.garbage + self.unparsed
    }

    pub fn captured(&self) -> Option<&str> {
        self.capture.as_ref().map(|(s, _)| s.as_str())
    }

    /// One block through the chain; `out` when transforming. True when
    /// its bytes went out as received.
    fn on_block(&mut self, b: &Block, out: Option<&mut Vec<u8>>) -> bool {
        let (data, keep) = if b.dispatch {
            self.observe(b.data)
        } else {
            (Data::Other, true)
        };
        let Some(out) = out else {
            return false;
        };
        if b.spilled {
            out.extend_from_slice(b.raw);
            return true;
        }
        let raw = if self.strip_usage_chunk {
            // stripping passes events only, each from its first field
            if b.complete && !(b.dispatch && keep) {
                return false;
            }
            b.raw.get(b.lead..).unwrap_or_default()
        } else {
            b.raw
        };
        let pass = match &mut self.rewrite {
            Some(r) if b.dispatch => r.event(b.name, data, out),
            _ => true,
        };
        if pass {
            out.extend_from_slice(raw);
        }
        pass
    }

    /// An event's data, and false for the usage-only chunk when stripping.
    fn observe(&mut self, data: &[u8]) -> (Data, bool) {
        if data.trim_ascii() == b"[DONE]" {
            self.done = true;
            return (Data::Done, true);
        }
        let Ok(v) = crate::json::strict::lenient(data) else {
            self.unparsed += 1;
            return (Data::Other, true);
        };
        let seen = self.events.observe(&v);
        self.done |= seen.done;
        self.error |= seen.error;
        self.content_seen |= seen.content;
        if seen.usage.is_some() {
            self.usage = seen.usage;
        }
        let strip = self.strip_usage_chunk && seen.usage_only;
        self.capture_text(seen.text.into_iter());
        (Data::Json(v), !strip)
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
