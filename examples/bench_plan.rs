//! The filter's pure work per request, without Envoy: planning a chat
//! request (parse, route, risk scan, rewrite) and reading usage from the
//! JSON answer. Run natively (`cargo run --release --example bench_plan --
//! BODY.json`) or compiled to wasm32-wasip1 under `scripts/wasi-run.mjs`;
//! `make bench` prints both, to show how much of clawgate's cost under
//! Envoy is its own code. Each body is planned again and again, as an
//! agent resends its conversation: after the first call its pieces come
//! from the scan cache.
use clawgate::config;
use clawgate::pipeline;
use clawgate::routing::Caller;
use clawgate::wire::Endpoint;
use clawgate::wire::Usage;
use std::time::Instant;

const ANSWER: &[u8] = br#"{"id":"chatcmpl-bench","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Sure. Here is a short answer."},"finish_reason":"stop"}],"usage":{"prompt_tokens":512,"completion_tokens":12,"total_tokens":524}}"#;

const CONFIGS: [(&str, &str); 2] = [
    (
        "routing",
        r#"{"providers":[{"name":"up"}],"models":[{"name":"gpt-4o-mini","provider":"up"}],"risk":{"packs":[]}}"#,
    ),
    (
        "all risk packs",
        r#"{"providers":[{"name":"up"}],"models":[{"name":"gpt-4o-mini","provider":"up"}]}"#,
    ),
];

/// Mean µs per call of `f` over `n` calls, after `n / 4` calls not
/// counted (under V8 the optimised code arrives after the first ones).
fn time(n: u32, mut f: impl FnMut() -> bool) -> f64 {
    std::hint::black_box((0..n / 4).filter(|_| f()).count());
    let t = Instant::now();
    let ok = (0..n).filter(|_| f()).count();
    std::hint::black_box(ok);
    t.elapsed().as_secs_f64() * 1e6 / f64::from(n)
}

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: bench_plan BODY.json [BODY.json ...]");
        std::process::exit(2);
    }
    let arch = if cfg!(target_arch = "wasm32") {
        "wasm"
    } else {
        "native"
    };
    let usage = time(20_000, || Usage::from_json_body(ANSWER).is_some());
    println!("{arch}: usage {usage:.2} µs");
    for path in &paths {
        let body = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(2);
            }
        };
        let kb = body.len().div_ceil(1024);
        // about 400 MB of bodies per row, at least 1,000 calls
        let n = (400_000 / kb.max(1)).clamp(1_000, 20_000) as u32;
        for (label, json) in CONFIGS {
            let Ok(pc) = config::parse_json(json.as_bytes()) else {
                eprintln!("bad bench config");
                std::process::exit(2);
            };
            let caller = Caller::default();
            let plan = time(n, || {
                pipeline::plan_request(
                    &pc.global,
                    Endpoint::ChatCompletions,
                    &body,
                    &caller,
                    &mut || 0,
                )
                .is_ok()
            });
            println!("{arch} {label}, {kb} KB body: plan {plan:.2} µs");
        }
    }
}
