//! One whole request through the exchange, as the host drives it, without
//! Envoy: request headers, the body, the upstream's response headers and
//! JSON answer, the log (counters, the audit record serialised as the host
//! ships it). `make bench`'s "clawgate full" config. Run natively or under
//! `scripts/wasi-run.mjs`; the gap between this and clawgate's cost under
//! Envoy is the host's share (hostcalls, buffering, V8's call wrappers).
//!   cargo run --release --example bench_exchange -- BODY.json
use clawgate::config;
use clawgate::exchange::{ClientHeaders, Clock, Effect, Exchange, Upstream, UpstreamRequest};
use clawgate::label_cap::Labels;
use clawgate::metrics::Pending;
use clawgate::request_id::IdGen;
use std::time::Instant;

const ANSWER: &[u8] = br#"{"id":"chatcmpl-bench","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Sure. Here is a short answer."},"finish_reason":"stop"}],"usage":{"prompt_tokens":512,"completion_tokens":12,"total_tokens":524}}"#;

/// bench/run.py's `plugin(True, port)`.
const FULL: &str = r#"{"providers":[{"name":"up"},{"name":"sse"},{"name":"slow"}],
 "models":[{"name":"gpt-4o-mini","provider":"up","pricing":{"input_per_1m":0.15,"output_per_1m":0.6,"currency":"USD"}},
  {"name":"gpt-4o-sse","provider":"sse"},
  {"name":"gpt-4o-slow","provider":"slow","pricing":{"input_per_1m":0.15,"output_per_1m":0.6,"currency":"USD"}}],
 "accounting":{"headers":true},
 "audit":{"cluster":"clawgate_audit","token":"bench","flush_interval_ms":200}}"#;

struct NoReplay;
impl Upstream for NoReplay {
    fn dispatch(&mut self, _: &UpstreamRequest, _: u64) -> bool {
        false
    }
}

fn client(len: usize) -> ClientHeaders {
    ClientHeaders::new(vec![
        (":authority".into(), b"127.0.0.1:10000".to_vec()),
        (":path".into(), b"/v1/chat/completions".to_vec()),
        (":method".into(), b"POST".to_vec()),
        (":scheme".into(), b"http".to_vec()),
        ("content-type".into(), b"application/json".to_vec()),
        ("content-length".into(), len.to_string().into_bytes()),
        ("x-forwarded-proto".into(), b"http".to_vec()),
        (
            "x-request-id".into(),
            b"9b7e3c1a-4f2d-4e55-8a66-0c1d2e3f4a5b".to_vec(),
        ),
    ])
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: bench_exchange BODY.json [CALLS]");
        std::process::exit(2);
    };
    let n: u32 = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let (Ok(body), Ok(pc)) = (std::fs::read(&path), config::parse_json(FULL.as_bytes())) else {
        eprintln!("{path}: unreadable, or the bench config is rejected");
        std::process::exit(2);
    };
    let cfg = pc.global.clone();
    let (mut ids, mut pending, mut labels) =
        (IdGen::default(), Pending::default(), Labels::default());
    let (mut shipped, mut now) = (0usize, 1_700_000_000_000u64);
    // read once: not part of what is timed
    let show = std::env::var_os("SHOW_EFFECTS").is_some();
    let mut one = || {
        now += 1;
        let t = now;
        let read = || t;
        let clock = Clock::new(&read);
        let (mut ex, _) =
            Exchange::start(cfg.clone(), client(body.len()), false, &clock, &mut |ms| {
                ids.next(u128::from(ms) * 1_000_000)
            });
        let mut rr = 0;
        let step = ex.on_request_body(body.len(), true, &clock, &mut || body.clone(), &mut || {
            rr += 1;
            rr
        });
        let mut effects = step.effects;
        effects.extend(
            ex.on_response_headers(200, false, false, false, &clock, &mut NoReplay)
                .effects,
        );
        effects.extend(
            ex.on_response_body(ANSWER.len(), true, &clock, &mut || ANSWER.to_vec())
                .effects,
        );
        let attr = |a| match a {
            clawgate::exchange::Attr::RouteName => Some("route".to_string()),
            clawgate::exchange::Attr::ClusterName => Some("up".to_string()),
            _ => None,
        };
        effects.extend(ex.on_log(&clock, &attr, true, &mut labels));
        if show {
            effects.iter().for_each(|e| eprintln!("{e:?}"));
        }
        for e in effects {
            match e {
                Effect::Metrics(m) => m.iter().for_each(|(k, v)| pending.add(k, *v)),
                Effect::Audit(rec) => {
                    let json = rec.to_json();
                    if show {
                        eprintln!("{json}");
                    }
                    shipped += json.len();
                }
                other => drop(std::hint::black_box(other)),
            }
        }
    };
    for _ in 0..n / 4 {
        one();
    }
    let t = Instant::now();
    for _ in 0..n {
        one();
    }
    let us = t.elapsed().as_secs_f64() * 1e6 / f64::from(n);
    let arch = if cfg!(target_arch = "wasm32") {
        "wasm"
    } else {
        "native"
    };
    std::hint::black_box(shipped);
    println!(
        "{arch}: one exchange, {} KB body: {us:.2} µs",
        body.len().div_ceil(1024)
    );
}
