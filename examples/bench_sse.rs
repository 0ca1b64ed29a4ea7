//! A streamed chat answer through the response's stream observer, as
//! `exchange/response.rs` feeds it: observe only (the usual case), and
//! with the injected usage chunk stripped (every event rewritten out).
//! Chunks of CHUNK bytes (default 1,024) cut events anywhere. Run natively
//! (or under callgrind, where instruction counts are not moved by load):
//!   cargo run --release --example bench_sse -- [EVENTS] [ROUNDS] [CHUNK]
use clawgate::wire::openai::stream::observer;
use std::time::Instant;

fn stream(events: usize) -> Vec<u8> {
    let mut s = String::new();
    for i in 0..events {
        s += &format!(
            "data: {{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"token {i} of the answer, \"}},\"finish_reason\":null}}]}}\n\n"
        );
    }
    s += "data: {\"id\":\"chatcmpl-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":512,\"completion_tokens\":400,\"total_tokens\":912}}\n\n";
    s += "data: [DONE]\n\n";
    s.into_bytes()
}

fn main() {
    let arg = |i: usize, d: usize| {
        std::env::args()
            .nth(i)
            .and_then(|s| s.parse().ok())
            .unwrap_or(d)
    };
    let (events, rounds, chunk) = (arg(1, 400), arg(2, 200), arg(3, 1024).max(1));
    let s = stream(events);
    for strip in [false, true] {
        let mut sent = 0usize;
        let mut one = || {
            let mut o = observer(strip, Some(16 * 1024));
            for c in s.chunks(chunk) {
                sent += o.feed(c).map_or(c.len(), |b| b.len());
            }
            sent += o.finish().map_or(0, |b| b.len());
            std::hint::black_box(o.usage);
        };
        one();
        let t = Instant::now();
        for _ in 0..rounds {
            one();
        }
        let us = t.elapsed().as_secs_f64() * 1e6 / rounds as f64;
        println!(
            "{}: {} events, {} bytes: {us:.1} µs a stream, {:.0} MB/s ({sent} bytes out)",
            if strip { "strip" } else { "observe" },
            events + 2,
            s.len(),
            s.len() as f64 / us,
        );
    }
}
