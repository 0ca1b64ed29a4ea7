//! Shipping policy for audit records, run from the filter's root context on
//! each tick and on each answer: one batch in flight at a time; a full
//! batch goes as soon as the last one is answered (a busy worker ships at
//! the sidecar's pace), a partial one once per flush interval; failed
//! batches go back to the front in order and are retried with exponential
//! backoff, and beyond `buffer_max` the oldest records are dropped and
//! counted — never silently.
//!
//! A batch the sidecar refuses for what it holds (400, 413, 422) is not
//! retried as it was: it is halved until the record the sidecar cannot
//! take goes alone, and that one is replaced by a quarantined stub
//! (`quarantine`), so no record can stall the trail. After a split the
//! batch size doubles back with each batch taken.

use crate::metrics::{self, Every};
use std::collections::VecDeque;

/// Kept here for the callers that ship batches; it lives with the sidecar call.
pub use crate::sidecar_call::batch_headers;

const BACKOFF_FIRST_MS: u64 = 250;
const BACKOFF_MAX_MS: u64 = 30_000;

#[derive(Debug)]
pub struct AuditQueue {
    /// Pre-serialized records (the filter serializes each once).
    pending: VecDeque<String>,
    in_flight: Option<Vec<String>>,
    buffer_max: usize,
    batch_max: usize,
    /// The batch size now: `batch_max`, or less after a refused batch.
    limit: usize,
    /// The first pending record is a quarantine stub (a stub the sidecar
    /// refuses too is dropped, not stubbed again).
    stub_first: bool,
    /// The batch in flight starts with a stub.
    stub_in_flight: bool,
    /// When a partial batch may go.
    flush: Every,
    failures: u32,
    next_try_ms: u64,
    pub sent: u64,
    pub failed_batches: u64,
    pub dropped: u64,
    /// Records replaced by a stub.
    pub quarantined: u64,
    /// Writes a refused record's stub (`audit::quarantine::stub`); given,
    /// not imported, so the queue stays below the record's own imports.
    stub: Stub,
    /// Counters as last reported, so stats get deltas.
    reported: [u64; 4],
}

/// The stub for a refused record (as written) and the sidecar's status.
pub type Stub = fn(&str, u32) -> String;

/// What the sidecar's answer did to the batch in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Taken,
    /// Back at the front, retried after a backoff (5xx, no answer, or a
    /// 4xx that is the link's fault: token, path, rate).
    Retry,
    /// Refused for what it holds: back at the front, sent in halves.
    Split,
    /// A record refused on its own, replaced by a stub.
    Quarantined,
    /// A stub refused: dropped and counted.
    StubDropped,
}

/// Statuses by which the sidecar refuses what a batch holds (it does not
/// parse, a record it cannot store, too large); any other refusal would
/// refuse every batch alike, so it is retried rather than split.
pub fn refuses_content(status: u32) -> bool {
    matches!(status, 400 | 413 | 422)
}

impl AuditQueue {
    /// `flush`: the schedule partial batches wait for; `stub`: what
    /// stands in for a record the sidecar refuses.
    pub fn new(buffer_max: usize, batch_max: usize, flush: Every, stub: Stub) -> Self {
        AuditQueue {
            pending: VecDeque::new(),
            in_flight: None,
            buffer_max: buffer_max.max(1),
            batch_max: batch_max.max(1),
            limit: batch_max.max(1),
            stub_first: false,
            stub_in_flight: false,
            flush,
            failures: 0,
            next_try_ms: 0,
            sent: 0,
            failed_batches: 0,
            dropped: 0,
            quarantined: 0,
            stub,
            reported: [0; 4],
        }
    }

    /// A new config's limits and schedule; records already queued stay
    /// (beyond a smaller buffer the oldest go, counted).
    pub fn configure(&mut self, buffer_max: usize, batch_max: usize, flush: Every) {
        self.buffer_max = buffer_max.max(1);
        self.batch_max = batch_max.max(1);
        self.limit = self.limit.min(self.batch_max);
        self.flush = flush;
        self.enforce_cap();
    }

    pub fn push(&mut self, record_json: String) {
        self.pending.push_back(record_json);
        self.enforce_cap();
    }

    /// Records held, in flight included.
    pub fn queued(&self) -> usize {
        self.pending.len() + self.in_flight.as_ref().map_or(0, Vec::len)
    }

    pub fn in_flight(&self) -> bool {
        self.in_flight.is_some()
    }

    /// Records waiting, none in flight, past any backoff.
    fn may_send(&self, now_ms: u64) -> bool {
        self.in_flight.is_none() && !self.pending.is_empty() && now_ms >= self.next_try_ms
    }

    /// The next batch body when one is due: a full batch whenever none is
    /// in flight, a partial one when the flush interval has passed.
    pub fn take_due(&mut self, now_ms: u64) -> Option<Vec<u8>> {
        // checked first: the interval is only spent on a batch that goes
        if !self.may_send(now_ms) {
            return None;
        }
        if self.pending.len() < self.limit && !self.flush.due(now_ms) {
            return None;
        }
        self.take_batch(now_ms)
    }

    /// The next batch body (`{"records":[...]}`), when one may go now
    /// (none in flight, past any backoff), whatever its size.
    pub fn take_batch(&mut self, now_ms: u64) -> Option<Vec<u8>> {
        if !self.may_send(now_ms) {
            return None;
        }
        let n = self.pending.len().min(self.limit);
        self.stub_in_flight = std::mem::take(&mut self.stub_first);
        let batch: Vec<String> = self.pending.drain(..n).collect();
        let mut body = Vec::with_capacity(batch.iter().map(|r| r.len() + 1).sum::<usize>() + 16);
        body.extend_from_slice(b"{\"records\":[");
        for (i, r) in batch.iter().enumerate() {
            if i > 0 {
                body.push(b',');
            }
            body.extend_from_slice(r.as_bytes());
        }
        body.extend_from_slice(b"]}");
        self.in_flight = Some(batch);
        Some(body)
    }

    pub fn on_success(&mut self) {
        if let Some(b) = self.in_flight.take() {
            self.sent += b.len() as u64;
        }
        self.stub_in_flight = false;
        self.limit = self.limit.saturating_mul(2).min(self.batch_max);
        self.failures = 0;
        self.next_try_ms = 0;
    }

    /// The sidecar answered the batch in flight (status 0: no answer).
    pub fn on_response(&mut self, status: u32, now_ms: u64) -> Answer {
        if (200..300).contains(&status) {
            self.on_success();
            return Answer::Taken;
        }
        if !refuses_content(status) || self.in_flight.is_none() {
            self.on_failure(now_ms);
            return Answer::Retry;
        }
        self.on_refused(status)
    }

    /// A refused batch is halved; a refused record is stubbed; a refused
    /// stub is dropped. None waits for a backoff: each step is progress.
    fn on_refused(&mut self, status: u32) -> Answer {
        let batch = self.in_flight.take().unwrap_or_default();
        self.failed_batches += 1;
        let stub = std::mem::take(&mut self.stub_in_flight);
        if batch.len() > 1 {
            self.limit = batch.len() / 2;
            self.put_back(batch, stub);
            return Answer::Split;
        }
        if stub {
            self.dropped += 1;
            return Answer::StubDropped;
        }
        for r in batch {
            self.pending.push_front((self.stub)(&r, status));
        }
        self.stub_first = true;
        self.quarantined += 1;
        self.limit = 1;
        Answer::Quarantined
    }

    fn put_back(&mut self, batch: Vec<String>, stub_first: bool) {
        for r in batch.into_iter().rev() {
            self.pending.push_front(r);
        }
        self.stub_first = stub_first;
    }

    /// Sent, failed, dropped and quarantined since the last call, by stat
    /// name.
    pub fn counter_deltas(&mut self) -> [(&'static str, u64); 4] {
        let now = [
            self.sent,
            self.failed_batches,
            self.dropped,
            self.quarantined,
        ];
        let [s, f, d, q] = [0, 1, 2, 3].map(|i| now[i] - self.reported[i]);
        self.reported = now;
        [
            (metrics::AUDIT_SENT, s),
            (metrics::AUDIT_FAILED, f),
            (metrics::AUDIT_DROPPED, d),
            (metrics::AUDIT_QUARANTINED, q),
        ]
    }

    pub fn on_failure(&mut self, now_ms: u64) {
        if let Some(b) = self.in_flight.take() {
            let stub = std::mem::take(&mut self.stub_in_flight);
            self.put_back(b, stub);
        }
        self.failed_batches += 1;
        self.failures = self.failures.saturating_add(1);
        let backoff = BACKOFF_FIRST_MS
            .saturating_mul(1u64 << (self.failures - 1).min(16))
            .min(BACKOFF_MAX_MS);
        self.next_try_ms = now_ms + backoff;
        self.enforce_cap();
    }

    /// Milliseconds until the next attempt is allowed (for tests/metrics).
    pub fn backoff_until(&self) -> u64 {
        self.next_try_ms
    }

    fn enforce_cap(&mut self) {
        while self.queued() > self.buffer_max && !self.pending.is_empty() {
            self.pending.pop_front();
            self.stub_first = false;
            self.dropped += 1;
        }
    }
}

#[cfg(test)]
#[path = "queue_tests.rs"]
mod tests;
