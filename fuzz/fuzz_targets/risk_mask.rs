//! Any text through the risk engine (all packs, every rule set to mask):
//! no panic, the prefilter finds what the naive scan finds, and masking
//! keeps the text valid and shrinks nothing it should not (the span
//! invariant itself is a property test in tests/properties.rs).
#![no_main]
use clawgate::risk::{Engine, RiskConfig};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

struct E(Engine);
unsafe impl Send for E {}
unsafe impl Sync for E {}

fn engine() -> &'static E {
    static ENG: OnceLock<E> = OnceLock::new();
    ENG.get_or_init(|| {
        let overrides: serde_json::Map<String, serde_json::Value> = Engine::builtin_rules()
            .iter()
            .map(|r| (r.id.clone(), serde_json::json!({"action": "mask"})))
            .collect();
        let cfg: RiskConfig =
            match serde_json::from_value(serde_json::json!({"overrides": overrides})) {
                Ok(c) => c,
                Err(e) => panic!("{e}"),
            };
        match Engine::compile(&cfg) {
            Ok(e) => E(e),
            Err(e) => panic!("{e:?}"),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let e = &engine().0;
    let matches = e.scan_text(text);
    assert_eq!(
        matches,
        e.scan_text_naive(text),
        "prefilter and naive disagree"
    );
    let mut masked = text.to_string();
    let changed = e.mask_text(&mut masked, &matches);
    assert_eq!(changed, !matches.is_empty());
    let _ = e.summarize(&matches);
});
