//! A validating JSON reader over the body's bytes that builds nothing:
//! it checks what `serde_json` checks (syntax, string escapes and UTF-8,
//! control characters, finite numbers, nesting depth, and here repeated
//! keys) and reports string spans to a visitor. Only strings a caller
//! asks for are decoded, and one without escapes is borrowed, not copied.

use super::string;
pub use super::string::{known_text, text, Str};
use std::borrow::Cow;
use std::collections::BTreeSet;

/// serde_json's nesting limit: a document nested deeper does not parse.
pub const MAX_DEPTH: usize = 128;

pub use super::error::{Lex, LexError};

#[inline]
pub fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\t' | b'\r')
}

/// A reading position in a document.
#[derive(Debug, Clone)]
pub struct Cursor<'a> {
    pub b: &'a [u8],
    pub pos: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(b: &'a [u8], pos: usize) -> Self {
        Cursor { b, pos }
    }

    #[inline]
    pub fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    #[inline]
    pub fn ws(&mut self) {
        while self.peek().is_some_and(is_ws) {
            self.pos += 1;
        }
    }

    /// Skips whitespace and takes `c`.
    #[inline]
    pub fn expect(&mut self, c: u8) -> Lex<()> {
        self.ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(LexError::Syntax)
        }
    }

    /// A string literal at the cursor (after whitespace), checked: no raw
    /// control character, valid escapes, UTF-8 content.
    pub fn string(&mut self) -> Lex<Str> {
        self.string_text().map(|(s, _)| s)
    }

    /// `string`, with its text when it has no escape (already checked).
    pub fn string_text(&mut self) -> Lex<(Str, Option<&'a str>)> {
        self.ws();
        if self.peek() != Some(b'"') {
            return Err(LexError::Syntax);
        }
        let (s, t) = string::checked_text(self.b, self.pos + 1)?;
        self.pos = s.end + 1;
        Ok((s, t))
    }

    /// A number, `true`, `false` or `null`; anything else is a syntax error.
    fn scalar(&mut self) -> Lex<()> {
        let rest = self.b.get(self.pos..).unwrap_or_default();
        for lit in [&b"true"[..], b"false", b"null"] {
            if rest.starts_with(lit) {
                self.pos += lit.len();
                return Ok(());
            }
        }
        let n = number_len(rest)?;
        // serde_json refuses a number too large for an f64; its own parser
        // says so (and is in the wasm anyway, unlike core's float parser)
        match serde_json::from_slice::<serde_json::Number>(&rest[..n]) {
            Ok(_) => {
                self.pos += n;
                Ok(())
            }
            Err(_) => Err(LexError::Syntax),
        }
    }

    /// One value, checked; `depth` counts the arrays and objects around it.
    /// Strings are handed to `v` with the key they stand under (array
    /// items take their parent's key).
    pub fn value(&mut self, key: &str, depth: usize, v: &mut dyn Visitor<'a>) -> Lex<()> {
        self.value_in(key, depth, false, v)
    }

    /// `member`: the value is an object member's own (not an array item).
    fn value_in(
        &mut self,
        key: &str,
        depth: usize,
        member: bool,
        v: &mut dyn Visitor<'a>,
    ) -> Lex<()> {
        self.ws();
        match self.peek() {
            Some(b'"') => {
                let (s, t) = self.string_text()?;
                v.string(self.b, key, s, t, member)
            }
            Some(b'[') => {
                if depth + 1 >= MAX_DEPTH {
                    return Err(LexError::Syntax);
                }
                self.pos += 1;
                self.ws();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                    return Ok(());
                }
                loop {
                    self.value_in(key, depth + 1, false, v)?;
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(());
                        }
                        _ => return Err(LexError::Syntax),
                    }
                }
            }
            Some(b'{') => {
                if depth + 1 >= MAX_DEPTH {
                    return Err(LexError::Syntax);
                }
                let open = self.pos;
                self.pos += 1;
                v.object(open, key);
                let mut keys = Keys::default();
                self.ws();
                if self.peek() == Some(b'}') {
                    self.pos += 1;
                    v.close();
                    return Ok(());
                }
                loop {
                    let (ks, kt) = self.string_text()?;
                    let k = known_text(self.b, ks, kt)?;
                    keys.insert(k.clone())?;
                    self.expect(b':')?;
                    self.value_in(&k, depth + 1, true, v)?;
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {
                            self.pos += 1;
                            v.close();
                            return Ok(());
                        }
                        _ => return Err(LexError::Syntax),
                    }
                }
            }
            _ => self.scalar(),
        }
    }

    /// Moves past one value without checking it (the value is checked, or
    /// known good, elsewhere). Never reads out of bounds on bad input.
    pub fn skip(&mut self) -> Lex<()> {
        self.ws();
        let mut depth = 0usize;
        loop {
            let c = self.peek().ok_or(LexError::Syntax)?;
            match c {
                b'"' => {
                    self.pos = string::skip(self.b, self.pos + 1)?;
                }
                b'{' | b'[' => {
                    depth += 1;
                    self.pos += 1;
                }
                b'}' | b']' => {
                    depth = depth.checked_sub(1).ok_or(LexError::Syntax)?;
                    self.pos += 1;
                }
                _ if depth == 0 => {
                    // a scalar: up to the next delimiter
                    let rest = &self.b[self.pos..];
                    let n = rest
                        .iter()
                        .position(|&c| is_ws(c) || matches!(c, b',' | b']' | b'}'))
                        .unwrap_or(rest.len());
                    if n == 0 {
                        return Err(LexError::Syntax);
                    }
                    self.pos += n;
                }
                _ => self.pos += 1,
            }
            if depth == 0 {
                return Ok(());
            }
        }
    }
}

/// What a walk over a value is told.
pub trait Visitor<'a> {
    /// A string value standing under `key`; `member` when it is an
    /// object member's own value rather than an array item.
    /// `text` is the string's content when it has no escape.
    fn string(
        &mut self,
        b: &'a [u8],
        key: &str,
        s: Str,
        text: Option<&'a str>,
        member: bool,
    ) -> Lex<()>;
    /// An object opens at byte `open`, standing under `key`.
    fn object(&mut self, _open: usize, _key: &str) {}
    /// The innermost open object closed.
    fn close(&mut self) {}
}

/// A visitor that only wants the document checked.
pub struct CheckOnly;

impl<'a> Visitor<'a> for CheckOnly {
    fn string(
        &mut self,
        _b: &'a [u8],
        _key: &str,
        _s: Str,
        _text: Option<&'a str>,
        _member: bool,
    ) -> Lex<()> {
        Ok(())
    }
}

/// The JSON number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
fn number_len(b: &[u8]) -> Lex<usize> {
    let digits = |i: usize| {
        b.get(i..)
            .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count())
    };
    let mut i = usize::from(b.first() == Some(&b'-'));
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => i += digits(i),
        _ => return Err(LexError::Syntax),
    }
    if b.get(i) == Some(&b'.') {
        let n = digits(i + 1);
        if n == 0 {
            return Err(LexError::Syntax);
        }
        i += 1 + n;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let n = digits(i);
        if n == 0 {
            return Err(LexError::Syntax);
        }
        i += n;
    }
    Ok(i)
}

/// One object's keys: a short list, or a set once the object is large
/// (so a body of 100,000 keys is not a quadratic search).
#[derive(Default)]
pub(crate) struct Keys<'a> {
    few: Vec<Cow<'a, str>>,
    many: Option<BTreeSet<Cow<'a, str>>>,
}

impl<'a> Keys<'a> {
    pub(crate) fn insert(&mut self, k: Cow<'a, str>) -> Lex<()> {
        if let Some(set) = &mut self.many {
            return if set.insert(k) {
                Ok(())
            } else {
                Err(LexError::DuplicateKey)
            };
        }
        if self.few.contains(&k) {
            return Err(LexError::DuplicateKey);
        }
        self.few.push(k);
        if self.few.len() > 16 {
            self.many = Some(std::mem::take(&mut self.few).into_iter().collect());
        }
        Ok(())
    }
}

/// The string value of the `type` member of the object opening at
/// `open`, if it has one (an Anthropic source's `base64`, a block's
/// `thinking`). Bad input is `None`: the checking walk refuses it anyway.
pub fn type_of(b: &[u8], open: usize) -> Option<Cow<'_, str>> {
    let mut c = Cursor::new(b, open + 1);
    c.ws();
    if c.peek() == Some(b'}') {
        return None;
    }
    loop {
        let ks = c.string().ok()?;
        let is_type = matches!(text(b, ks).as_deref(), Ok("type"));
        c.expect(b':').ok()?;
        c.ws();
        if is_type {
            if c.peek() != Some(b'"') {
                return None;
            }
            return c.string().and_then(|s| text(b, s)).ok();
        }
        c.skip().ok()?;
        c.ws();
        if c.peek() != Some(b',') {
            return None;
        }
        c.pos += 1;
    }
}
