//! The shipping policy's tests: batching, backoff, the buffer cap, and
//! splitting and quarantine of refused batches.

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
    AuditQueue::new(
        buffer_max,
        batch_max,
        Every::new(1000, 100),
        super::super::quarantine::stub,
    )
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
    assert_eq!(q.on_response(503, 0), Answer::Retry);
    let _ = q.take_batch(1000).unwrap();
    assert_eq!(q.on_response(204, 1000), Answer::Taken);
    assert_eq!(
        q.counter_deltas().map(|(_, n)| n),
        [2, 1, 1, 0],
        "sent, failed, dropped, quarantined"
    );
    assert_eq!(q.counter_deltas().map(|(_, n)| n), [0, 0, 0, 0]);
}

/// A record as the filter writes it (the stub reads its id and time).
fn full(i: usize) -> String {
    format!("{{\"request_id\":\"r{i}\",\"started_ms\":{i},\"status\":200}}")
}

/// A sidecar that refuses, with `status`, every batch holding a record
/// `bad` names; returns the records it stored, in order, and the sends.
fn ship(
    q: &mut AuditQueue,
    bad: &dyn Fn(&serde_json::Value) -> bool,
    status: u32,
) -> (Vec<serde_json::Value>, usize) {
    let (mut stored, mut sends, mut now) = (Vec::new(), 0, 0);
    while q.queued() > 0 {
        // a partial batch waits for the flush interval
        let Some(body) = q.take_due(now) else {
            now += 1000;
            continue;
        };
        sends += 1;
        assert!(sends < 100, "no progress");
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let recs = v["records"].as_array().unwrap().clone();
        if recs.iter().any(bad) {
            assert_ne!(q.on_response(status, now), Answer::Retry, "never backs off");
        } else {
            stored.extend(recs);
            assert_eq!(q.on_response(200, now), Answer::Taken);
        }
    }
    (stored, sends)
}

fn rid(v: &serde_json::Value) -> &str {
    v["request_id"].as_str().unwrap()
}

#[test]
fn a_refused_batch_is_halved_until_the_bad_record_is_stubbed() {
    for bad_at in [0, 5, 63] {
        let mut q = queue(1000, 64);
        (0..64).for_each(|i| q.push(full(i)));
        let bad = format!("r{bad_at}");
        let is_bad = |v: &serde_json::Value| rid(v) == bad && v.get("quarantined").is_none();
        let (stored, sends) = ship(&mut q, &is_bad, 413);
        let ids: Vec<&str> = stored.iter().map(rid).collect();
        let want: Vec<String> = (0..64).map(|i| format!("r{i}")).collect();
        assert_eq!(ids, want, "every record once, in order, none waiting");
        let stub = &stored[bad_at];
        assert_eq!(stub["quarantined"], true);
        assert_eq!(stub["started_ms"], bad_at);
        assert!(stub["quarantine_reason"].as_str().unwrap().contains("413"));
        assert_eq!((q.quarantined, q.dropped, q.sent), (1, 0, 64));
        // 7 halvings down to one, the stub, and the batch doubling back
        assert!(sends <= 20, "{sends} sends for one bad record in 64");
    }
}

#[test]
fn a_batch_too_large_as_a_whole_is_split_and_nothing_is_stubbed() {
    let mut q = queue(1000, 16);
    (0..16).for_each(|i| q.push(full(i)));
    // the sidecar takes at most 5 records a batch
    let (mut stored, mut sends, mut now) = (0, 0, 0);
    while q.queued() > 0 {
        let Some(body) = q.take_due(now) else {
            now += 1000;
            continue;
        };
        sends += 1;
        let n = serde_json::from_slice::<serde_json::Value>(&body).unwrap()["records"]
            .as_array()
            .unwrap()
            .len();
        if n > 5 {
            assert_eq!(q.on_response(413, 0), Answer::Split);
        } else {
            stored += n;
            q.on_response(204, 0);
        }
    }
    assert_eq!((stored, q.quarantined, q.dropped), (16, 0, 0));
    assert!(sends < 10, "{sends}");
}

#[test]
fn a_stub_the_sidecar_refuses_too_is_dropped_and_counted() {
    let mut q = queue(1000, 4);
    (0..3).for_each(|i| q.push(full(i)));
    let (stored, _) = ship(&mut q, &|v| rid(v) == "r1", 400);
    let ids: Vec<&str> = stored.iter().map(rid).collect();
    assert_eq!(ids, ["r0", "r2"]);
    assert_eq!((q.quarantined, q.dropped, q.queued()), (1, 1, 0));
}

#[test]
fn a_stub_stays_a_stub_through_a_failed_send() {
    let mut q = queue(1000, 4);
    q.push(full(0));
    let _ = q.take_due(0).unwrap();
    assert_eq!(q.on_response(400, 0), Answer::Quarantined);
    let _ = q.take_due(0).unwrap();
    assert_eq!(q.on_response(503, 0), Answer::Retry, "backs off");
    assert!(q.take_due(100).is_none());
    let stub = q.take_due(250).unwrap();
    assert!(std::str::from_utf8(&stub)
        .unwrap()
        .contains("\"quarantined\":true"));
    assert_eq!(q.on_response(413, 250), Answer::StubDropped);
    assert_eq!((q.quarantined, q.dropped, q.queued()), (1, 1, 0));
}

#[test]
fn refusals_that_are_the_links_fault_are_retried_never_stubbed() {
    for status in [0, 401, 403, 404, 429, 500, 503] {
        let mut q = queue(1000, 4);
        q.push(full(0));
        let _ = q.take_due(0).unwrap();
        assert_eq!(q.on_response(status, 0), Answer::Retry, "{status}");
        assert!(q.take_due(0).is_none(), "{status}: backs off");
        assert_eq!((q.quarantined, q.queued()), (0, 1));
    }
}

#[test]
fn one_bad_record_in_a_default_batch_costs_a_few_dozen_calls_at_most() {
    let mut worst = 0;
    for bad_at in [0, 1, 99, 100, 150, 199] {
        let mut q = queue(10_000, 200);
        (0..200).for_each(|i| q.push(full(i)));
        let bad = format!("r{bad_at}");
        let is_bad = |v: &serde_json::Value| rid(v) == bad && v.get("quarantined").is_none();
        let (stored, sends) = ship(&mut q, &is_bad, 400);
        assert_eq!((stored.len(), q.quarantined), (200, 1));
        worst = worst.max(sends);
    }
    // 8 halvings, the stub, the rest of the halves, the size doubling back
    assert!(worst <= 24, "{worst} sends");
}
