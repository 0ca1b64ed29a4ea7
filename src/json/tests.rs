//! The fast reader accepts exactly what `strict_json` (serde_json plus
//! the repeated-key check) accepts: crafted edge cases, then thousands of
//! random mutations of real request bodies.

use super::lex::{Cursor, LexError};
use super::{outline, Doc};
use crate::json::strict::{self as strict_json, StrictError};
use crate::test_rng::Rng;

fn strict(b: &[u8]) -> Result<(), LexError> {
    match strict_json::from_slice(b) {
        Ok(_) => Ok(()),
        Err(StrictError::Syntax { .. }) => Err(LexError::Syntax),
        Err(StrictError::DuplicateKey { .. }) => Err(LexError::DuplicateKey),
    }
}

/// A whole document checked by the reader (`Ok` exactly when
/// `strict_json` would parse it).
fn check(b: &[u8]) -> Result<(), LexError> {
    let mut c = Cursor::new(b, 0);
    c.value("", 0, &mut super::lex::CheckOnly)?;
    c.ws();
    if c.pos == b.len() {
        Ok(())
    } else {
        Err(LexError::Syntax)
    }
}

/// Outline plus a check of every piece: the path a request takes.
fn by_pieces(b: &[u8]) -> Result<(), LexError> {
    let doc: Doc<'_> = outline(b)?;
    for m in &doc.members {
        for p in m.items.clone().unwrap_or_else(|| vec![m.value]) {
            doc.check_piece(&m.key, p, &mut super::lex::CheckOnly)?;
        }
    }
    Ok(())
}

/// Only validity is compared: on a body with a repeated key *and* a later
/// syntax error the two may name different first faults (the reader sees
/// the key before its value, serde_json after), and the client's message
/// comes from `strict_json` either way.
fn agree(b: &[u8]) {
    let want = strict(b).is_ok();
    let text = String::from_utf8_lossy(b);
    assert_eq!(check(b).is_ok(), want, "check: {text}");
    if b.trim_ascii_start().first() == Some(&b'{') {
        assert_eq!(by_pieces(b).is_ok(), want, "pieces: {text}");
    }
}

#[test]
fn edge_cases_agree_with_serde_json() {
    let cases: &[&[u8]] = &[
        b"{}",
        b"[]",
        b" {} ",
        b"{} {}",
        b"{\"a\":1}",
        b"{\"a\":1,}",
        b"[1,]",
        b"[,1]",
        b"{\"a\" 1}",
        b"{a:1}",
        b"{\"a\":01}",
        b"{\"a\":-0}",
        b"{\"a\":-}",
        b"{\"a\":1.}",
        b"{\"a\":.5}",
        b"{\"a\":1e5}",
        b"{\"a\":1E+5}",
        b"{\"a\":1e}",
        b"{\"a\":1e400}",
        b"{\"a\":-1e-400}",
        b"{\"a\":+1}",
        b"{\"a\":tru}",
        b"{\"a\":true}",
        b"{\"a\":nul}",
        b"{\"a\":null}",
        b"{\"a\":falsey}",
        b"{\"a\":\"\\u00e9\"}",
        b"{\"a\":\"\\ud83d\\ude00\"}",
        b"{\"a\":\"\\ud83d\"}",
        b"{\"a\":\"\\ude00\"}",
        b"{\"a\":\"\\ud83dx\"}",
        b"{\"a\":\"\\x\"}",
        b"{\"a\":\"\\u12\"}",
        b"{\"a\":\"\\u12g4\"}",
        b"{\"a\":\"tab\there\"}",
        b"{\"a\":\"nl\nhere\"}",
        b"{\"a\":\"\x7f\"}",
        b"{\"a\":\"\xff\"}",
        b"{\"a\":\"\xe4\xb8\"}",
        b"{\"a\":\"\xe4\xb8\xad\"}",
        b"{\"a\":\"unterminated}",
        b"{\"a\":\"x\\\"}",
        b"{\"a\":1,\"a\":2}",
        b"{\"a\":1,\"\\u0061\":2}",
        b"{\"a\":{\"b\":1,\"b\":2}}",
        b"{\"a\":[{\"b\":1},{\"b\":1}]}",
        b"{\"a\":1}}",
        b"{\"a\":[1}",
        b"{\"a\":{]}",
        b"\x00{}",
        b"{}\x00",
        b"{\"a\":1}\n\r\t ",
        b"{\"a\"\n:\n[\n1\n,\n2\n]\n}",
        b"{\"a\":[[[[]]]]}",
        b"{\"\":1}",
        b"{\"a\":\"\"}",
    ];
    for c in cases {
        agree(c);
    }
    let many: String = (0..300).map(|i| format!("\"k{i}\":{i},")).collect();
    agree(format!("{{{many}\"k7\":1}}").as_bytes());
    agree(format!("{{{many}\"z\":1}}").as_bytes());
}

#[test]
fn nesting_limit_is_serde_jsons() {
    for depth in 120..135 {
        let arr = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        agree(arr.as_bytes());
        agree(format!("{{\"a\":{arr}}}").as_bytes());
        agree(format!("{{\"a\":[{arr}]}}").as_bytes());
        let obj = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
        agree(obj.as_bytes());
    }
}

#[test]
fn random_mutations_agree_with_serde_json() {
    let seeds: &[&[u8]] = &[
        br#"{"model":"gpt-4o","stream":true,"messages":[{"role":"system","content":"be brief"},{"role":"user","content":[{"type":"text","text":"hi \u00e9 \"q\" \\ \n"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"a":{"type":"number","minimum":-1.5e3}}}}}],"temperature":0.2,"n":1,"stop":null,"logit_bias":{"1":-100}}"#,
        "{\"model\":\"claude\",\"system\":[{\"type\":\"text\",\"text\":\"系统\"}],\"messages\":[{\"role\":\"user\",\"content\":\"你好 \\ud83d\\ude00\"}],\"max_tokens\":10,\"metadata\":{\"user_id\":\"u\"}}".as_bytes(),
    ];
    let alphabet = b"{}[]\",:\\u0 1e-.tfnl\xe4\xb8\xad\x01\x7fa";
    for seed in 1..=4000u64 {
        let mut r = Rng(seed);
        let mut b = seeds[r.below(seeds.len())].to_vec();
        for _ in 0..r.below(3) + 1 {
            let at = r.below(b.len() + 1);
            match r.below(3) {
                0 if at < b.len() => {
                    b.remove(at);
                }
                1 => b.insert(at, alphabet[r.below(alphabet.len())]),
                _ if at < b.len() => b[at] = alphabet[r.below(alphabet.len())],
                _ => {}
            }
        }
        agree(&b);
    }
}
