//! JSON string literals: checked in place (no raw control character,
//! valid escapes, UTF-8) and decoded only when asked, borrowed when there
//! is no escape.

use super::lex::{Lex, LexError};
use std::borrow::Cow;

/// A string literal: `start..end` is its content between the quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Str {
    pub start: usize,
    pub end: usize,
    pub escaped: bool,
}

/// The string whose content starts at `start` (after its opening quote),
/// checked.
pub fn checked(b: &[u8], start: usize) -> Lex<Str> {
    let mut i = start;
    let mut escaped = false;
    let mut run = start;
    loop {
        let rest = b.get(i..).ok_or(LexError::Syntax)?;
        let j = i + memchr::memchr2(b'"', b'\\', rest).ok_or(LexError::Syntax)?;
        check_run(b.get(run..j).ok_or(LexError::Syntax)?)?;
        if b[j] == b'"' {
            return Ok(Str {
                start,
                end: j,
                escaped,
            });
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
fn check_run(run: &[u8]) -> Lex<()> {
    if run.is_ascii() {
        if run.iter().any(|&c| c < 0x20) {
            return Err(LexError::Syntax);
        }
        return Ok(());
    }
    match std::str::from_utf8(run) {
        Ok(_) if !run.iter().any(|&c| c < 0x20) => Ok(()),
        _ => Err(LexError::Syntax),
    }
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
