//! Shipping policy for audit records, run from the filter's root context on
//! each tick and on each answer: one batch in flight at a time; a full
//! batch goes as soon as the last one is answered (a busy worker ships at
//! the sidecar's pace), a partial one once per flush interval; failed
//! batches go back to the front in order and are retried with exponential
//! backoff, and beyond `buffer_max` the oldest records are dropped and
//! counted — never silently.

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
    /// When a partial batch may go.
    flush: Every,
    failures: u32,
    next_try_ms: u64,
    pub sent: u64,
    pub failed_batches: u64,
    pub dropped: u64,
    /// Counters as last reported, so stats get deltas.
    reported: [u64; 3],
}

impl AuditQueue {
    /// `flush`: the schedule partial batches wait for.
    pub fn new(buffer_max: usize, batch_max: usize, flush: Every) -> Self {
        AuditQueue {
            pending: VecDeque::new(),
            in_flight: None,
            buffer_max: buffer_max.max(1),
            batch_max: batch_max.max(1),
            flush,
            failures: 0,
            next_try_ms: 0,
            sent: 0,
            failed_batches: 0,
            dropped: 0,
            reported: [0; 3],
        }
    }

    /// A new config's limits and schedule; records already queued stay
    /// (beyond a smaller buffer the oldest go, counted).
    pub fn configure(&mut self, buffer_max: usize, batch_max: usize, flush: Every) {
        self.buffer_max = buffer_max.max(1);
        self.batch_max = batch_max.max(1);
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
        if self.pending.len() < self.batch_max && !self.flush.due(now_ms) {
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
        let n = self.pending.len().min(self.batch_max);
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
        self.failures = 0;
        self.next_try_ms = 0;
    }

    /// The sidecar answered the batch in flight (status 0: no answer).
    /// Returns whether it was taken.
    pub fn on_response(&mut self, status: u32, now_ms: u64) -> bool {
        let ok = (200..300).contains(&status);
        if ok {
            self.on_success();
        } else {
            self.on_failure(now_ms);
        }
        ok
    }

    /// Sent, failed and dropped since the last call, by stat name.
    pub fn counter_deltas(&mut self) -> [(&'static str, u64); 3] {
        let now = [self.sent, self.failed_batches, self.dropped];
        let [s, f, d] = [0, 1, 2].map(|i| now[i] - self.reported[i]);
        self.reported = now;
        [
            (metrics::AUDIT_SENT, s),
            (metrics::AUDIT_FAILED, f),
            (metrics::AUDIT_DROPPED, d),
        ]
    }

    pub fn on_failure(&mut self, now_ms: u64) {
        if let Some(b) = self.in_flight.take() {
            for r in b.into_iter().rev() {
                self.pending.push_front(r);
            }
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
            self.dropped += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(body: &[u8]) -> Vec<String> {
        let v: serde_json::Value = serde_json::from_slice(body).unwrap();
        v["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    }

    fn rec(i: usize) -> String {
        format!("{{\"id\":\"r{i}\"}}")
    }

    fn queue(buffer_max: usize, batch_max: usize) -> AuditQueue {
        AuditQueue::new(buffer_max, batch_max, Every::new(1000, 100))
    }

    #[test]
    fn a_full_batch_goes_at_once_a_partial_one_waits_for_the_interval() {
        let mut q = queue(100, 3);
        assert!(q.take_due(0).is_none(), "nothing queued");
        q.push(rec(0));
        assert_eq!(
            ids(&q.take_due(0).unwrap()),
            ["r0"],
            "the first interval is due"
        );
        q.on_success();
        (1..8).for_each(|i| q.push(rec(i)));
        assert!(q.take_due(10).is_some(), "a full batch does not wait");
        assert!(q.take_due(10).is_none(), "one in flight");
        q.on_success();
        assert_eq!(ids(&q.take_due(20).unwrap()), ["r4", "r5", "r6"]);
        q.on_success();
        assert!(
            q.take_due(30).is_none(),
            "one left: it waits for the interval"
        );
        assert_eq!(ids(&q.take_due(1000).unwrap()), ["r7"]);
        q.on_success();
        assert_eq!((q.sent, q.dropped), (8, 0));
    }

    #[test]
    fn a_busy_worker_ships_at_the_sidecars_pace() {
        // 1,000 records a second for 10 s, a sidecar answering in 5 ms:
        // shipping one batch per interval would keep 200 a second.
        let (mut q, mut now, mut sent_at) = (queue(10_000, 200), 0, None);
        for i in 0..10_000u64 {
            now = i;
            q.push(rec(i as usize));
            if sent_at.is_some_and(|t| now >= t + 5) {
                q.on_success();
                sent_at = None;
            }
            if sent_at.is_none() && q.take_due(now).is_some() {
                sent_at = Some(now);
            }
        }
        assert_eq!(q.dropped, 0);
        assert!(q.queued() <= 400, "{} still queued at {now} ms", q.queued());
    }

    #[test]
    fn a_new_config_keeps_the_queue_within_its_limits() {
        let mut q = queue(10, 5);
        (0..10).for_each(|i| q.push(rec(i)));
        q.configure(4, 2, Every::new(1000, 100));
        assert_eq!((q.queued(), q.dropped), (4, 6));
        assert_eq!(
            ids(&q.take_due(0).unwrap()),
            ["r6", "r7"],
            "the new batch size"
        );
    }

    #[test]
    fn batches_in_order_one_in_flight() {
        let mut q = queue(100, 3);
        (0..5).for_each(|i| q.push(rec(i)));
        let b = q.take_batch(0).unwrap();
        assert_eq!(ids(&b), ["r0", "r1", "r2"]);
        assert!(q.take_batch(0).is_none(), "one batch in flight");
        q.on_success();
        assert_eq!(ids(&q.take_batch(0).unwrap()), ["r3", "r4"]);
        q.on_success();
        assert_eq!((q.sent, q.queued()), (5, 0));
    }

    #[test]
    fn failures_lose_nothing_and_back_off() {
        let mut q = queue(100, 2);
        (0..3).for_each(|i| q.push(rec(i)));
        let _ = q.take_batch(0).unwrap();
        q.on_failure(1000);
        assert!(q.take_batch(1000).is_none());
        assert!(q.take_batch(1249).is_none());
        assert_eq!(
            ids(&q.take_batch(1250).unwrap()),
            ["r0", "r1"],
            "retried first, in order"
        );
        q.on_failure(2000);
        assert_eq!(q.backoff_until(), 2500, "doubles");
        for k in 0..20 {
            let _ = q.take_batch(u64::MAX / 2);
            q.on_failure(10_000 * k);
        }
        assert_eq!(q.backoff_until() - 10_000 * 19, 30_000, "capped");
        let _ = q.take_batch(u64::MAX / 2).unwrap();
        q.on_success();
        assert_eq!(ids(&q.take_batch(0).unwrap()), ["r2"]);
        assert_eq!(q.dropped, 0);
    }

    #[test]
    fn beyond_buffer_drops_oldest_and_counts() {
        let mut q = queue(4, 2);
        (0..6).for_each(|i| q.push(rec(i)));
        assert_eq!((q.queued(), q.dropped), (4, 2));
        assert_eq!(ids(&q.take_batch(0).unwrap()), ["r2", "r3"]);
        q.push(rec(6));
        q.push(rec(7));
        q.push(rec(8));
        assert_eq!(
            (q.queued(), q.dropped),
            (4, 5),
            "in-flight records are kept, pending oldest go"
        );
        q.on_failure(0);
        assert_eq!(ids(&q.take_batch(300).unwrap()), ["r2", "r3"]);
        q.on_success();
        assert_eq!(ids(&q.take_batch(300).unwrap()), ["r7", "r8"]);
    }

    #[test]
    fn responses_and_counter_deltas() {
        let mut q = queue(2, 2);
        (0..3).for_each(|i| q.push(rec(i)));
        let _ = q.take_batch(0).unwrap();
        assert!(!q.on_response(503, 0));
        let _ = q.take_batch(1000).unwrap();
        assert!(q.on_response(204, 1000));
        assert_eq!(
            q.counter_deltas().map(|(_, n)| n),
            [2, 1, 1],
            "sent, failed, dropped"
        );
        assert_eq!(q.counter_deltas().map(|(_, n)| n), [0, 0, 0]);
    }
}
