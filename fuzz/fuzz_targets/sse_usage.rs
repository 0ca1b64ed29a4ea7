//! Any bytes as an upstream answer: the JSON usage reader and the SSE
//! stream observer never panic, and a split at any byte sees the same
//! usage and completion as one chunk.
#![no_main]
use clawgate::wire::openai::stream::observer;
use clawgate::wire::Usage;
use libfuzzer_sys::fuzz_target;

fn observe(chunks: &[&[u8]], strip: bool) -> (Option<Usage>, bool) {
    let mut o = observer(strip, Some(256));
    for c in chunks {
        let _ = o.feed(c);
    }
    let _ = o.finish();
    (o.usage, o.done)
}

fuzz_target!(|data: &[u8]| {
    let _ = Usage::from_json_body(data);
    let (sel, body) = data.split_first().map_or((0, data), |(s, b)| (*s, b));
    let at = if body.is_empty() {
        0
    } else {
        usize::from(sel) % (body.len() + 1)
    };
    let strip = sel & 1 == 1;
    let whole = observe(&[body], strip);
    let split = observe(&[&body[..at], &body[at..]], strip);
    assert_eq!(whole, split, "split at {at}");
});
