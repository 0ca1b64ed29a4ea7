//! Any bytes as an upload form: the multipart reader never panics, a form
//! it reads gives only text that is in the body, and a form it refuses as
//! ambiguous has `--B` starting a line somewhere (it refuses nothing else).
#![no_main]
use clawgate::multipart::text_fields;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match text_fields(data, "B") {
        Ok(fields) => {
            if let Ok(body) = std::str::from_utf8(data) {
                for (name, text) in &fields {
                    assert!(body.contains(text.as_str()), "{name}: text not in the body");
                }
            }
        }
        Err(_) => {
            let starts_a_line = data
                .windows(3)
                .enumerate()
                .any(|(i, w)| w == b"--B" && (i == 0 || matches!(data[i - 1], b'\n' | b'\r')));
            assert!(starts_a_line, "refused a form with no boundary line");
        }
    }
});
