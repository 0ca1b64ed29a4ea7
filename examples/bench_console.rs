//! The console's first page with 100,000 records in the store: starts the
//! real `clawgate serve` (release build), ingests 100k records in batches
//! like the filter does, then times the requests the console's first view
//! makes. The goal is under 300 ms for the first page. SQLite always;
//! PostgreSQL too when CLAWGATE_TEST_PG is set.
//!   cargo build --release --bin clawgate && cargo run --release --example bench_console

#[path = "support/sidecar.rs"]
mod sidecar;

use std::time::Instant;

const RECORDS: usize = 100_000;
const BATCH: usize = 500;
const GOAL_MS: f64 = 300.0;

fn record(i: usize) -> String {
    format!(
        r#"{{"request_id":"page-{i:08}","trace_id":"t-{t}","session_id":"s-{s}","user":"user-{u}","started_ms":{ms},"finished_ms":{ms},"duration_ms":812,"path":"/v1/chat/completions","stream":true,"model_requested":"auto","model_used":"gpt-4o-mini","provider":"openai","route_reason":"auto","risk":{{"action":null,"hits":[]}},"attempts":[],"status":200,"usage":{{"prompt":1200,"completion":340,"total":1540}},"usage_complete":true,"cost":"0.000384","cost_micros":384,"currency":"USD","config_hash":"aa29105776286e2c"}}"#,
        t = i / 7,
        s = i % 97,
        u = i % 13,
        ms = 1_795_000_000_000u64 + (i as u64) * 1000
    )
}

/// Median and worst of `n` timed GETs.
fn time_get(agent: &ureq::Agent, url: &str, n: usize) -> (f64, f64, u16) {
    let mut ms = Vec::new();
    let mut status = 0;
    for _ in 0..n {
        let t0 = Instant::now();
        let r = agent
            .get(url)
            .header("authorization", "Bearer bench")
            .call();
        if let Ok(mut r) = r {
            status = r.status().as_u16();
            let _ = r.body_mut().read_to_string();
        }
        ms.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    ms.sort_by(f64::total_cmp);
    (ms[ms.len() / 2], ms[ms.len() - 1], status)
}

fn run(label: &str, db: &str, port: u16) {
    let Some(mut child) = sidecar::start(db, port) else {
        println!("{label:<9} sidecar did not start (cargo build --release --bin clawgate)");
        return;
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let base = format!("http://127.0.0.1:{port}");
    let t0 = Instant::now();
    for b in 0..RECORDS / BATCH {
        let recs: Vec<String> = (0..BATCH).map(|i| record(b * BATCH + i)).collect();
        let _ = agent
            .post(&format!("{base}/v1/audit/batch"))
            .header("authorization", "Bearer bench")
            .header("content-type", "application/json")
            .send(format!(r#"{{"records":[{}]}}"#, recs.join(",")).as_str());
    }
    println!(
        "{label:<9} {RECORDS} records stored in {:.1} s",
        t0.elapsed().as_secs_f64()
    );
    for (what, path) in [
        ("first page", "/v1/audit?limit=50&offset=0"),
        ("page 100", "/v1/audit?limit=50&offset=5000"),
        ("one user", "/v1/audit?limit=50&user=user-7"),
        ("one trace", "/v1/traces/t-500"),
        ("cost totals", "/v1/costs?group_by=user"),
        ("cost per day", "/v1/costs?group_by=model&bucket=day"),
    ] {
        let (median, worst, status) = time_get(&agent, &format!("{base}{path}"), 15);
        let verdict = if what == "first page" {
            if worst < GOAL_MS {
                "  (goal < 300 ms: met)"
            } else {
                "  (goal < 300 ms: MISSED)"
            }
        } else {
            ""
        };
        println!("{label:<9} {what:<13} {status} median {median:>7.1} ms, worst {worst:>7.1} ms{verdict}");
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn main() {
    sidecar::each_backend("bench-console", 19941, &run);
}
