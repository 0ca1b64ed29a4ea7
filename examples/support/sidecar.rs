//! What the sidecar benchmarks share: the real `clawgate serve` (release
//! build) started on loopback, and a run on each backend (SQLite always,
//! PostgreSQL when CLAWGATE_TEST_PG is set, on fresh tables).

use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// `clawgate serve` with token `bench`, once its health check answers.
#[allow(dead_code)] // each example includes this file and uses one of the two
pub fn start(db: &str, port: u16) -> Option<Child> {
    start_with(db, port, &[])
}

/// The `clawgate` binary to start: `CLAWGATE_BIN` when set (to measure
/// two builds in turns), else the release build.
pub fn bin() -> String {
    std::env::var("CLAWGATE_BIN").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/target/release/clawgate").to_string()
    })
}

/// `start` with more `serve` arguments (a writer id, a key).
pub fn start_with(db: &str, port: u16, extra: &[&str]) -> Option<Child> {
    let bin = bin();
    let listen = format!("127.0.0.1:{port}");
    let mut args = vec!["serve", "--listen", &listen, "--db", db, "--token", "bench"];
    args.extend_from_slice(extra);
    let child = Command::new(&bin)
        .args(args)
        .stdout(Stdio::null())
        .spawn()
        .ok()?;
    for _ in 0..100 {
        if ureq::get(&format!("http://127.0.0.1:{port}/healthz"))
            .call()
            .is_ok()
        {
            return Some(child);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

/// Calls `run(label, db_url, port)` for SQLite in a temporary directory,
/// then for PostgreSQL on dropped tables when CLAWGATE_TEST_PG names one.
pub fn each_backend(name: &str, port: u16, run: &dyn Fn(&str, &str, u16)) {
    let dir = std::env::temp_dir().join(format!("clawgate-{name}-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    run(
        "sqlite",
        &format!("sqlite://{}", dir.join("audit.db").display()),
        port,
    );
    match std::env::var("CLAWGATE_TEST_PG") {
        Ok(url) => {
            if let Ok(mut c) = postgres::Client::connect(&url, postgres::NoTls) {
                let _ = c.batch_execute(
                    "DROP TABLE IF EXISTS audit_records; DROP TABLE IF EXISTS config_versions; \
                     DROP TABLE IF EXISTS rate_usage; DROP TABLE IF EXISTS schema_version",
                );
            }
            run("postgres", &url, port + 1)
        }
        Err(_) => {
            println!("postgres  skipped (set CLAWGATE_TEST_PG, e.g. from scripts/pg.sh start)")
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
