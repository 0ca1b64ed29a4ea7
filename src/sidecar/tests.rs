//! The link driven as `host::root` drives it: a host that hands out
//! tokens, keeps shared data and counters, and answers calls when a test
//! says so.

use super::*;
use std::collections::HashMap;

#[derive(Default)]
struct Host {
    next_token: u32,
    /// Calls dispatched and not answered yet, oldest first.
    calls: Vec<(u32, Call)>,
    shared: HashMap<String, Vec<u8>>,
    counts: HashMap<&'static str, u64>,
    logs: Vec<(Level, String)>,
    flushes: usize,
    /// The cluster is unknown: every dispatch fails.
    down: bool,
}

impl Effects for Host {
    fn dispatch(&mut self, c: &Call) -> Option<u32> {
        if self.down {
            return None;
        }
        self.next_token += 1;
        self.calls.push((self.next_token, c.clone()));
        Some(self.next_token)
    }

    fn apply(&mut self, o: Out) {
        match o {
            Out::Dispatch(_) => unreachable!("the link dispatches through `dispatch`"),
            Out::Share { key, bytes } => drop(self.shared.insert(key, bytes)),
            Out::Count(name, n) => *self.counts.entry(name).or_default() += n,
            Out::FlushCounters => self.flushes += 1,
            Out::Log(l, m) => self.logs.push((l, m)),
        }
    }
}

struct Worker {
    link: Link,
    host: Host,
}

impl Worker {
    fn new(config: &str) -> Worker {
        let mut w = Worker {
            link: Link::default(),
            host: Host::default(),
        };
        w.configure(config).unwrap();
        w
    }

    fn configure(&mut self, config: &str) -> Result<u64, String> {
        let pc = crate::config::parse_json(config.as_bytes()).unwrap();
        self.link.configure(&pc, config.as_bytes(), &|_| None)
    }

    fn tick(&mut self, now: u64) {
        let shared = self
            .link
            .shared_key()
            .and_then(|k| self.host.shared.get(k).cloned());
        let outs = self.link.tick(now, shared.as_deref());
        self.link.run(outs, now, &mut self.host);
    }

    /// Takes the oldest call of `kind` in flight.
    fn call(&mut self, kind: Kind) -> Option<(u32, Call)> {
        let i = self.host.calls.iter().position(|(_, c)| c.kind == kind)?;
        Some(self.host.calls.remove(i))
    }

    fn answer(&mut self, token: u32, status: u32, body: &[u8], now: u64) {
        let outs = self.link.answer(token, status, body.to_vec(), now);
        self.link.run(outs, now, &mut self.host);
    }

    fn in_flight(&self, kind: Kind) -> usize {
        self.host
            .calls
            .iter()
            .filter(|(_, c)| c.kind == kind)
            .count()
    }
}

const AUDIT: &str = r#"{"providers":[{"name":"p1"}],"models":[{"name":"m1","provider":"p1"}],
  "audit":{"cluster":"sc","token":"t0","flush_interval_ms":100,"batch_max":4}}"#;

const BUDGETS: &str = r#"{"providers":[{"name":"p1"}],"models":[{"name":"m1","provider":"p1"}],
  "audit":{"cluster":"sc","token":"t0","flush_interval_ms":100},
  "budgets":{"pull_interval_ms":200,"limits":[{"name":"cap","match":"*","period":"day","max_tokens":5}]}}"#;

const STATE: &[u8] = br#"{"limits":[{"name":"cap","period_start_ms":0,"reset_ms":86400000,"spend":{"alice":{"tokens":7,"cost_micros":0}}}]}"#;

fn rec(i: usize) -> String {
    format!("{{\"request_id\":\"r{i}\",\"started_ms\":{i}}}")
}

fn ids(c: &Call) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(&c.body).unwrap();
    v["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["request_id"].as_str().unwrap().to_string())
        .collect()
}

fn header<'a>(c: &'a Call, name: &str) -> &'a str {
    c.headers
        .iter()
        .find(|(k, _)| *k == name)
        .map_or("", |(_, v)| v.as_str())
}

#[test]
fn a_config_asks_for_its_tick_and_offers_its_history_once_taken() {
    let mut w = Worker::new(AUDIT);
    assert_eq!(w.configure(AUDIT), Ok(100), "ticks at the flush interval");
    w.tick(0);
    let (t, c) = w
        .call(Kind::History)
        .expect("the config goes to the history");
    assert_eq!(
        (c.cluster.as_str(), header(&c, ":path")),
        ("sc", "/v1/config")
    );
    assert_eq!(header(&c, "authorization"), "Bearer t0");
    assert!(!String::from_utf8_lossy(&c.body).contains("t0"), "redacted");
    w.tick(100);
    assert_eq!(w.in_flight(Kind::History), 0, "one in flight");
    w.answer(t, 503, b"", 200);
    w.tick(4000);
    assert_eq!(
        w.in_flight(Kind::History),
        0,
        "retried after 5 s, not before"
    );
    w.tick(5100);
    let (t, _) = w.call(Kind::History).expect("offered again");
    w.answer(t, 204, b"", 5200);
    w.tick(20_000);
    assert_eq!(w.in_flight(Kind::History), 0, "taken: never again");
}

#[test]
fn batches_ship_in_order_one_in_flight_and_count() {
    let mut w = Worker::new(AUDIT);
    w.link.push(rec(0));
    w.tick(0);
    let (t, c) = w.call(Kind::Batch).expect("the first interval is due");
    assert_eq!(ids(&c), ["r0"]);
    (1..7).for_each(|i| w.link.push(rec(i)));
    w.tick(10);
    assert_eq!(w.in_flight(Kind::Batch), 0, "one batch in flight");
    w.answer(t, 200, b"{}", 20);
    let (t, c) = w
        .call(Kind::Batch)
        .expect("a full batch goes on the answer");
    assert_eq!(ids(&c), ["r1", "r2", "r3", "r4"]);
    w.answer(t, 200, b"{}", 30);
    assert_eq!(w.host.counts[metrics::AUDIT_SENT], 5);
    assert_eq!(w.in_flight(Kind::Batch), 0, "a partial batch waits");
    w.tick(100);
    let (t, c) = w.call(Kind::Batch).unwrap();
    assert_eq!(ids(&c), ["r5", "r6"]);
    w.answer(t, 200, b"{}", 110);
    assert_eq!(w.host.counts[metrics::AUDIT_SENT], 7);
}

#[test]
fn a_failed_dispatch_is_retried_after_the_backoff() {
    let mut w = Worker::new(AUDIT);
    w.host.down = true;
    w.link.push(rec(0));
    w.tick(0);
    assert!(w
        .host
        .logs
        .iter()
        .any(|(_, m)| m.contains("cannot dispatch audit batch")));
    assert_eq!(w.host.counts[metrics::AUDIT_FAILED], 1);
    w.host.down = false;
    w.tick(200);
    assert_eq!(w.in_flight(Kind::Batch), 0, "backing off");
    w.tick(300);
    let (_, c) = w.call(Kind::Batch).unwrap();
    assert_eq!(ids(&c), ["r0"], "nothing lost");
}

#[test]
fn a_refused_record_is_quarantined_and_the_rest_flow_on() {
    let mut w = Worker::new(AUDIT);
    (0..4).for_each(|i| w.link.push(rec(i)));
    let mut stored = Vec::new();
    // the sidecar refuses any batch holding r2 as it was written
    w.tick(0);
    while let Some((t, c)) = w.call(Kind::Batch) {
        let v: serde_json::Value = serde_json::from_slice(&c.body).unwrap();
        let records = v["records"].as_array().unwrap();
        if records
            .iter()
            .any(|r| r["request_id"] == "r2" && r.get("quarantined").is_none())
        {
            w.answer(t, 413, b"", 0);
        } else {
            stored.extend(ids(&c));
            w.answer(t, 200, b"{}", 0);
        }
    }
    assert_eq!(
        stored,
        ["r0", "r1", "r2"],
        "split and stubbed with no backoff"
    );
    w.tick(100);
    let (_, c) = w.call(Kind::Batch).expect("the rest at the next interval");
    assert_eq!(ids(&c), ["r3"]);
    assert_eq!(w.host.counts[metrics::AUDIT_QUARANTINED], 1);
    assert_eq!(w.host.counts[metrics::AUDIT_DROPPED], 0);
    assert!(w
        .host
        .logs
        .iter()
        .any(|(_, m)| m.contains("quarantined stub")));
}

#[test]
fn a_pull_is_kept_and_shared_and_another_worker_adopts_it() {
    let (mut a, mut b) = (Worker::new(BUDGETS), Worker::new(BUDGETS));
    a.tick(1000);
    let (t, c) = a.call(Kind::Pull).expect("a pull on the first tick");
    assert_eq!(header(&c, ":path"), "/v1/budgets/state");
    a.tick(1300);
    assert_eq!(a.in_flight(Kind::Pull), 0, "one pull in flight");
    a.answer(t, 200, STATE, 1400);
    let snap = a.link.budget().expect("kept");
    assert_eq!(
        (snap.fetched_ms, snap.limits[0].spend["alice"].tokens),
        (1400, 7)
    );
    // the shared data is Envoy's, across workers
    b.host.shared = a.host.shared.clone();
    b.tick(1500);
    assert_eq!(b.link.budget().unwrap().fetched_ms, 1400, "adopted");
    let (t, _) = b.call(Kind::Pull).unwrap();
    b.answer(t, 503, b"", 1600);
    assert_eq!(
        b.link.budget().unwrap().fetched_ms,
        1400,
        "a failed pull keeps the last"
    );
    assert!(b
        .host
        .logs
        .iter()
        .any(|(_, m)| m.contains("budget pull failed (status 503)")));
    b.tick(1620);
    assert_eq!(
        b.in_flight(Kind::Pull),
        0,
        "the next pull waits for the interval"
    );
    b.tick(1700);
    assert_eq!(b.in_flight(Kind::Pull), 1);
}

#[test]
fn an_answer_to_a_call_it_did_not_make_changes_nothing() {
    let mut w = Worker::new(AUDIT);
    w.link.push(rec(0));
    w.tick(0);
    let (t, _) = w.call(Kind::Batch).unwrap();
    w.answer(t + 100, 200, b"{}", 10);
    assert_eq!(
        w.host.counts.get(metrics::AUDIT_SENT).copied().unwrap_or(0),
        0
    );
    w.answer(t, 200, b"{}", 10);
    assert_eq!(w.host.counts[metrics::AUDIT_SENT], 1);
}

#[test]
fn a_config_whose_token_is_missing_changes_nothing() {
    let mut w = Worker::new(AUDIT);
    (0..2).for_each(|i| w.link.push(rec(i)));
    let bad = AUDIT.replace(r#""token":"t0""#, r#""token_env":"NOPE""#);
    let e = w.configure(&bad).unwrap_err();
    assert!(e.contains("NOPE"), "{e}");
    w.tick(0);
    let (_, c) = w.call(Kind::Batch).unwrap();
    assert_eq!(
        header(&c, "authorization"),
        "Bearer t0",
        "the old config holds"
    );
    assert_eq!(ids(&c), ["r0", "r1"], "and its records");
}

#[test]
fn a_reconfigure_keeps_queued_records_and_calls_in_flight() {
    let mut w = Worker::new(AUDIT);
    (0..5).for_each(|i| w.link.push(rec(i)));
    w.tick(0);
    let (t, _) = w.call(Kind::Batch).unwrap();
    w.configure(&AUDIT.replace("t0", "t1")).unwrap();
    w.answer(t, 200, b"{}", 10);
    assert_eq!(
        w.host.counts[metrics::AUDIT_SENT],
        4,
        "the old call's answer counts"
    );
    w.tick(100);
    let (_, c) = w.call(Kind::Batch).unwrap();
    assert_eq!(
        (ids(&c), header(&c, "authorization")),
        (vec!["r4".to_string()], "Bearer t1")
    );
}

#[test]
fn counters_go_to_envoy_once_a_second() {
    let mut w = Worker::new(AUDIT);
    for now in (0..3000).step_by(100) {
        w.tick(now);
    }
    assert_eq!(w.host.flushes, 3);
}

const RATES: &str = r#"{"providers":[{"name":"p1"}],"models":[{"name":"m1","provider":"p1"}],
  "audit":{"cluster":"sc","token":"t0","flush_interval_ms":100},
  "rate_limits":{"limits":[{"name":"tpm","match":"*","tokens_per_minute":100}]}}"#;

#[test]
fn rate_limits_sync_this_gateways_counts_and_keep_the_others() {
    assert!(
        !Worker::new(AUDIT).link.syncs_rates(),
        "no rate limits: no sync"
    );
    let mut w = Worker::new(RATES);
    assert!(w.link.syncs_rates());
    let now = 120_000 + 5;
    let win = crate::ratelimit::Window {
        minute: 2,
        requests: 1,
        tokens: 30,
    };
    let mine = vec![("clawgate.rl.tpm.alice".to_string(), win)];
    let outs = w.link.sync_rates(now, "gw-a", &mine);
    w.link.run(outs, now, &mut w.host);
    let (token, call) = w.call(Kind::Rate).expect("a sync");
    assert!(call
        .header_pairs()
        .contains(&(":path", "/v1/ratelimits/sync")));
    let body: serde_json::Value = serde_json::from_slice(&call.body).unwrap();
    assert_eq!(
        (body["gateway"].as_str(), body["minute"].as_u64()),
        (Some("gw-a"), Some(2))
    );
    assert_eq!(body["usage"][0]["tokens"], 30);
    // one in flight at a time, and not again before the interval
    let outs = w.link.sync_rates(now + 2000, "gw-a", &mine);
    assert!(outs.is_empty());
    w.answer(
        token,
        200,
        br#"{"minute":2,"usage":[{"limit":"tpm","key":"alice","requests":4,"tokens":80}]}"#,
        now + 10,
    );
    let r = w.link.rate_remote().expect("the others' counts");
    assert_eq!(r.get("clawgate.rl.tpm.alice", 2), (4, 80));
    assert!(
        w.link.sync_rates(now + 500, "gw-a", &mine).is_empty(),
        "1 s apart"
    );
    let outs = w.link.sync_rates(now + 1000, "gw-a", &mine);
    w.link.run(outs, now + 1000, &mut w.host);
    let (token, _) = w.call(Kind::Rate).unwrap();
    // a failed sync keeps the last answer and says so once
    w.answer(token, 503, b"", now + 1010);
    assert!(w.link.rate_remote().is_some());
    assert_eq!(w.host.logs.len(), 1, "{:?}", w.host.logs);
}
