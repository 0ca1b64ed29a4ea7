//! Any bytes as an upload form: the multipart reader never panics, and a
//! form it reads was closed (`--B--` starting a line) and gives only text
//! that is in the body. A refusal fails closed, so any refusal is allowed.
//! The same bytes as a content type: the boundary parser never panics,
//! and a boundary it names is one the header spells.
#![no_main]
use clawgate::multipart::{boundary, text_fields};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(fields) = text_fields(data, "B") {
        let closed = data
            .windows(5)
            .enumerate()
            .any(|(i, w)| w == b"--B--" && (i == 0 || matches!(data[i - 1], b'\n' | b'\r')));
        assert!(closed, "read a form that was never closed");
        if let Ok(body) = std::str::from_utf8(data) {
            for (name, text) in &fields {
                assert!(body.contains(text.as_str()), "{name}: text not in the body");
            }
        }
    }
    if let Ok(ct) = std::str::from_utf8(data) {
        if let Some(b) = boundary(ct) {
            assert!(!b.is_empty());
            assert!(ct.to_ascii_lowercase().contains("boundary"));
        }
    }
});
