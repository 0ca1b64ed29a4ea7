//! Sidecar ingest rate: starts the real `clawgate serve` (release build) on
//! loopback and POSTs batches of 200 records over one connection, like the
//! filter does. SQLite always; PostgreSQL too when CLAWGATE_TEST_PG is set.
//!   cargo build --release --bin clawgate && cargo run --release --example bench_ingest

#[path = "support/sidecar.rs"]
mod sidecar;

use std::time::Instant;

const BATCHES: usize = 50;
const BATCH: usize = 200;

fn record(i: usize) -> String {
    format!(
        r#"{{"request_id":"bench-{i:08}","trace_id":"t-{t}","session_id":"s-{s}","user":"user-{u}","started_ms":{ms},"finished_ms":{ms},"duration_ms":812,"first_token_ms":95,"path":"/v1/chat/completions","stream":true,"model_requested":"auto","model_used":"gpt-4o-mini","provider":"openai","secure":false,"route_reason":"auto","risk":{{"action":null,"hits":[]}},"attempts":[{{"model":"gpt-4o-mini","provider":"openai","status":200,"duration_ms":800}}],"status":200,"usage":{{"prompt":1200,"completion":340,"total":1540,"cached":0,"reasoning":null}},"usage_complete":true,"cost":"0.000384","cost_micros":384,"currency":"USD","config_hash":"aa29105776286e2c"}}"#,
        t = i / 7,
        s = i % 97,
        u = i % 13,
        ms = 1_795_000_000_000u64 + i as u64
    )
}

fn run(label: &str, db: &str, port: u16) {
    let Some(mut child) = sidecar::start(db, port) else {
        println!(
            "{label:<10} sidecar did not start (build it: cargo build --release --bin clawgate)"
        );
        return;
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let bodies: Vec<String> = (0..BATCHES)
        .map(|b| {
            let recs: Vec<String> = (0..BATCH).map(|i| record(b * BATCH + i)).collect();
            format!(r#"{{"records":[{}]}}"#, recs.join(","))
        })
        .collect();
    let t0 = Instant::now();
    let mut ok = 0;
    for body in &bodies {
        let resp = agent
            .post(&format!("http://127.0.0.1:{port}/v1/audit/batch"))
            .header("authorization", "Bearer bench")
            .header("content-type", "application/json")
            .send(body.as_str());
        if resp.is_ok_and(|r| r.status() == 200) {
            ok += 1;
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    let n = ok * BATCH;
    println!(
        "{label:<10} {n} records in {BATCHES} batches of {BATCH}: {:.0} records/s ({:.1} ms/batch)",
        n as f64 / secs,
        secs * 1000.0 / BATCHES as f64
    );
    let _ = child.kill();
    let _ = child.wait();
}

fn main() {
    sidecar::each_backend("bench-ingest", 19931, &run);
}
