//! Any bytes as the filter's configuration: an error list or a config,
//! never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = clawgate::config::parse_json(data);
});
