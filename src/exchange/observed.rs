//! What an answer told the exchange (status, usage, completion, first
//! token), settled from a stream observer, a JSON body, or nothing (a
//! compressed answer); and how much of a payload the audit record keeps.

use super::clock::Clock;
use crate::audit::PayloadMode;
use crate::config::Config;
use crate::wire::{StreamObserver, Usage};

/// What the response told us, for headers, metrics and the audit record.
#[derive(Default)]
pub(super) struct Observed {
    pub(super) status: u32,
    pub(super) usage: Option<Usage>,
    /// Stream ended with `[DONE]`/`response.completed`, or JSON parsed.
    pub(super) complete: bool,
    pub(super) unparsed: bool,
    /// A 2xx stream carried an error event.
    pub(super) stream_error: bool,
    pub(super) first_token_ms: Option<u64>,
    /// JSON response body, clipped, kept only with `payloads: full`.
    pub(super) payload_response: Option<String>,
    /// The forwarded request body's size, for an estimate.
    pub(super) prompt_bytes: u64,
    /// `usage` is an estimate: the stream ended without one.
    pub(super) estimated: bool,
}

impl Observed {
    pub(super) fn settle(&mut self, st: &StreamObserver) {
        self.usage = st.usage;
        self.complete = st.done;
        self.unparsed = st.garbage() > 0 || st.usage.is_none();
        self.stream_error = st.error;
        // A stream closed before its usage chunk (or never asked for one)
        // must still count against budgets: about 4 bytes a token, prompt
        // from the body sent, completion from the text relayed.
        self.estimated = st.usage.is_none() && st.text_bytes > 0;
        if self.estimated {
            let (p, c) = (self.prompt_bytes.div_ceil(4), st.text_bytes.div_ceil(4));
            self.usage = Some(Usage {
                prompt: Some(p),
                completion: Some(c),
                total: Some(p + c),
                ..Usage::default()
            });
        }
    }

    /// A compressed answer: usage unknown, never guessed from its bytes
    /// (the record shows `usage_complete: false` and no counts).
    pub(super) fn settle_encoded(&mut self, clock: &Clock) {
        self.first_token_ms.get_or_insert_with(|| clock.ms());
        self.usage = None;
        self.complete = false;
        self.unparsed = true;
    }

    /// A whole JSON answer; with `payloads: full` its start is kept.
    pub(super) fn settle_json(
        &mut self,
        cfg: &Config,
        usage: Option<Usage>,
        body: &[u8],
        clock: &Clock,
    ) {
        self.first_token_ms.get_or_insert_with(|| clock.ms());
        self.usage = usage;
        self.complete = true;
        self.unparsed = self.usage.is_none();
        self.payload_response = capture_limit(cfg).map(|max| clip(body, max));
    }
}

/// A payload cut at `max_payload_bytes`, on a character boundary: all the
/// audit record keeps, so no more is copied.
pub(super) fn clip(body: &[u8], max: usize) -> String {
    let s = String::from_utf8_lossy(&body[..body.len().min(max)]);
    s.trim_end_matches('\u{fffd}').to_string()
}

/// With `payloads: full`, how much of a payload the audit record keeps.
pub(super) fn capture_limit(cfg: &Config) -> Option<usize> {
    cfg.audit
        .as_ref()
        .filter(|a| a.payloads == PayloadMode::Full)
        .map(|a| a.max_payload_bytes)
}
