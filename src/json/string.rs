//! JSON string literals: checked in place (no raw control character,
//! valid escapes, UTF-8) and decoded only when asked, borrowed when there
//! is no escape.

use super::error::{Lex, LexError};
use std::borrow::Cow;

/// A string literal: `start..end` is its content between the quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Str {
    pub start: usize,
    pub end: usize,
    pub escaped: bool,
}

/// The string whose content starts at `start` (after its opening quote),
/// checked, with its text when it has no escape: the UTF-8 check already
/// made it, so readers need not check the bytes again.
pub fn checked_text(b: &[u8], start: usize) -> Lex<(Str, Option<&str>)> {
    let mut i = start;
    let mut escaped = false;
    let mut run = start;
    loop {
        let rest = b.get(i..).ok_or(LexError::Syntax)?;
        let j = i + memchr::memchr2(b'"', b'\\', rest).ok_or(LexError::Syntax)?;
        let text = check_run(b.get(run..j).ok_or(LexError::Syntax)?)?;
        if b[j] == b'"' {
            let s = Str {
                start,
                end: j,
                escaped,
            };
            return Ok((s, (!escaped).then_some(text)));
        }
        escaped = true;
        i = j + 1 + escape_len(b, j + 1)?;
        run = i;
    }
}

/// Past the closing quote of a string whose content starts at `i`.
pub fn skip(b: &[u8], mut i: usize) -> Lex<usize> {
    loop {
        let rest = b.get(i..).ok_or(LexError::Syntax)?;
        let j = i + memchr::memchr2(b'"', b'\\', rest).ok_or(LexError::Syntax)?;
        if b[j] == b'"' {
            return Ok(j + 1);
        }
        i = j + 2;
    }
}

/// Checks the bytes between escapes: no raw control character, and UTF-8
/// (an escape never splits a character, so each run stands alone).
#[inline]
fn check_run(run: &[u8]) -> Lex<&str> {
    match std::str::from_utf8(run) {
        Ok(t) if !has_control(run) => Ok(t),
        _ => Err(LexError::Syntax),
    }
}

/// Whether any byte is below 0x20, eight bytes a step: a byte below 0x20
/// borrows through its high bit when 0x20 is taken from it, and `!w`
/// keeps only bytes under 0x80 (a borrow can only mark bytes above a
/// real hit, so a word with no such byte reads zero).
fn has_control(b: &[u8]) -> bool {
    const LOW: u64 = 0x2020_2020_2020_2020;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut words = b.chunks_exact(8);
    for w in &mut words {
        let mut a = [0u8; 8];
        a.copy_from_slice(w);
        let x = u64::from_le_bytes(a);
        if x.wrapping_sub(LOW) & !x & HIGH != 0 {
            return true;
        }
    }
    words.remainder().iter().any(|&c| c < 0x20)
}

fn hex4(b: &[u8], at: usize) -> Lex<u32> {
    let h = b.get(at..at + 4).ok_or(LexError::Syntax)?;
    let mut v = 0u32;
    for &c in h {
        let d = (c as char).to_digit(16).ok_or(LexError::Syntax)?;
        v = v * 16 + d;
    }
    Ok(v)
}

/// Length of the escape after a backslash at `at - 1`, checked (a `\u`
/// high surrogate must be followed by its low half, as serde_json wants).
fn escape_len(b: &[u8], at: usize) -> Lex<usize> {
    match b.get(at) {
        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(1),
        Some(b'u') => {
            let v = hex4(b, at + 1)?;
            match v {
                0xD800..=0xDBFF => {
                    if b.get(at + 5) != Some(&b'\\') || b.get(at + 6) != Some(&b'u') {
                        return Err(LexError::Syntax);
                    }
                    let lo = hex4(b, at + 7)?;
                    if (0xDC00..=0xDFFF).contains(&lo) {
                        Ok(11)
                    } else {
                        Err(LexError::Syntax)
                    }
                }
                0xDC00..=0xDFFF => Err(LexError::Syntax),
                _ => Ok(5),
            }
        }
        _ => Err(LexError::Syntax),
    }
}

/// The text of a string `checked_text` read: the text it gave when there
/// was one (no escape, already checked), else decoded.
pub fn known_text<'b>(b: &'b [u8], s: Str, known: Option<&'b str>) -> Lex<Cow<'b, str>> {
    match known {
        Some(t) => Ok(Cow::Borrowed(t)),
        None => text(b, s),
    }
}

/// The text of a checked string: borrowed when it has no escape.
pub fn text(b: &[u8], s: Str) -> Lex<Cow<'_, str>> {
    let raw = b.get(s.start..s.end).ok_or(LexError::Syntax)?;
    if !s.escaped {
        return std::str::from_utf8(raw)
            .map(Cow::Borrowed)
            .map_err(|_| LexError::Syntax);
    }
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let j = memchr::memchr(b'\\', &raw[i..]).map_or(raw.len(), |k| i + k);
        out.push_str(std::str::from_utf8(&raw[i..j]).map_err(|_| LexError::Syntax)?);
        if j >= raw.len() {
            break;
        }
        let c = match raw.get(j + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let v = hex4(raw, j + 2)?;
                if (0xD800..=0xDBFF).contains(&v) {
                    let lo = hex4(raw, j + 8)?;
                    let cp = 0x10000 + ((v - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF);
                    out.push(char::from_u32(cp).ok_or(LexError::Syntax)?);
                    i = j + 12;
                    continue;
                }
                char::from_u32(v).ok_or(LexError::Syntax)?
            }
            _ => return Err(LexError::Syntax),
        };
        out.push(c);
        i = j + if raw.get(j + 1) == Some(&b'u') { 6 } else { 2 };
    }
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod control_tests {
    use super::has_control;
    use crate::test_rng::Rng;

    #[test]
    fn finds_a_control_byte_wherever_it_is_and_only_then() {
        let mut r = Rng(0xc0de_0020_1f7f_8001);
        // bytes next to the boundary, high bytes and ordinary text
        const BYTES: &[u8] = &[
            0x00, 0x01, 0x1f, 0x20, 0x21, 0x7f, 0x80, 0x9f, 0xa0, 0xe4, 0xff, b'a', b' ',
        ];
        for case in 0..20_000 {
            let n = r.below(40);
            let b: Vec<u8> = (0..n).map(|_| BYTES[r.below(BYTES.len())]).collect();
            let naive = b.iter().any(|&c| c < 0x20);
            assert_eq!(has_control(&b), naive, "case {case}: {b:02x?}");
        }
        for at in 0..24 {
            let mut b = vec![0xe4u8; 24];
            b[at] = 0x1f;
            assert!(has_control(&b), "at {at}");
            b[at] = 0x20;
            assert!(!has_control(&b), "at {at}");
        }
    }
}
