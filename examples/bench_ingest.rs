//! Sidecar ingest rate: starts the real `clawgate serve` (release build) on
//! loopback and POSTs batches of 200 records over one connection, like the
//! filter does. SQLite always; PostgreSQL too when CLAWGATE_TEST_PG is set.
//! Then the same records through 1, 2 and 4 sidecars on one database (one
//! writer each, keyed links, one client each, all at once), and `clawgate
//! audit verify` over what they wrote.
//!   cargo build --release --bin clawgate && cargo run --release --example bench_ingest
//! `CLAWGATE_BIN=path` runs another build of `clawgate` instead.

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

fn bodies(first: usize, batches: usize) -> Vec<String> {
    (0..batches)
        .map(|b| {
            let recs: Vec<String> = (0..BATCH).map(|i| record(first + b * BATCH + i)).collect();
            format!(r#"{{"records":[{}]}}"#, recs.join(","))
        })
        .collect()
}

/// Posts `bodies` to one sidecar; records accepted.
fn feed(port: u16, bodies: &[String]) -> usize {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = format!("http://127.0.0.1:{port}/v1/audit/batch");
    bodies
        .iter()
        .filter(|body| {
            agent
                .post(&url)
                .header("authorization", "Bearer bench")
                .header("content-type", "application/json")
                .send(body.as_str())
                .is_ok_and(|r| r.status() == 200)
        })
        .count()
        * BATCH
}

/// `n` sidecars (writers w0..) on `db`, `BATCHES` batches in all between them.
fn writers(label: &str, db: &str, n: usize, port: u16) {
    let extra: Vec<Vec<String>> = (0..n)
        .map(|i| {
            vec![
                "--writer".into(),
                format!("w{i}"),
                "--checkpoint-key".into(),
                "bench-key".into(),
            ]
        })
        .collect();
    let mut children = Vec::new();
    for (i, e) in extra.iter().enumerate() {
        let e: Vec<&str> = e.iter().map(String::as_str).collect();
        match sidecar::start_with(db, port + i as u16, &e) {
            Some(c) => children.push(c),
            None => {
                println!("{label:<10} writers {n}: sidecar did not start");
                return;
            }
        }
    }
    let per = BATCHES / n;
    let work: Vec<Vec<String>> = (0..n).map(|i| bodies(i * per * BATCH, per)).collect();
    let t0 = Instant::now();
    let stored: usize = std::thread::scope(|sc| {
        let hs: Vec<_> = work
            .iter()
            .enumerate()
            .map(|(i, b)| sc.spawn(move || feed(port + i as u16, b)))
            .collect();
        hs.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    });
    let secs = t0.elapsed().as_secs_f64();
    for mut c in children {
        let _ = c.kill();
        let _ = c.wait();
    }
    let verified = std::process::Command::new(sidecar::bin())
        .args([
            "audit",
            "verify",
            "--db",
            db,
            "--checkpoint-key",
            "bench-key",
            "--require-keyed",
        ])
        .output()
        .is_ok_and(|o| o.status.success());
    println!(
        "{label:<10} writers {n}: {stored} records: {:.0} records/s (verify {})",
        stored as f64 / secs,
        if verified { "ok" } else { "FAILED" }
    );
}

fn main() {
    sidecar::each_backend("bench-ingest", 19931, &run);
    let dir = std::env::temp_dir().join(format!("clawgate-bench-writers-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    for n in [1, 2, 4] {
        let db = format!("sqlite://{}", dir.join(format!("w{n}.db")).display());
        writers("sqlite", &db, n, 19940);
    }
    let _ = std::fs::remove_dir_all(&dir);
    let Ok(url) = std::env::var("CLAWGATE_TEST_PG") else {
        println!("postgres  writers skipped (set CLAWGATE_TEST_PG, e.g. from scripts/pg.sh start)");
        return;
    };
    for n in [1, 2, 4] {
        if let Ok(mut c) = postgres::Client::connect(&url, postgres::NoTls) {
            let _ = c.batch_execute(
                "DROP TABLE IF EXISTS audit_records; DROP TABLE IF EXISTS config_versions; \
                 DROP TABLE IF EXISTS rate_usage; DROP TABLE IF EXISTS schema_version",
            );
        }
        writers("postgres", &url, n, 19950);
    }
}
