//! A body's outline: each top-level member's key and value span, and for
//! an array value the span of every item. Nothing below that level is
//! read here; `Doc::check_piece` (or a cache of pieces seen before) checks
//! the rest.

use super::lex::{self, Cursor, Keys, Lex, LexError};
use std::borrow::Cow;

/// A value's bytes, `start..end` in the body, and how many arrays and
/// objects surround it (the nesting limit counts from the top).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub start: usize,
    pub end: usize,
    pub depth: usize,
}

#[derive(Debug, Clone)]
pub struct Member<'a> {
    pub key: Cow<'a, str>,
    pub value: Piece,
    /// The items, when the value is an array.
    pub items: Option<Vec<Piece>>,
}

#[derive(Debug, Clone)]
pub struct Doc<'a> {
    pub bytes: &'a [u8],
    pub members: Vec<Member<'a>>,
    /// The byte of the closing `}`.
    pub close: usize,
}

/// Outlines a body that must be a JSON object. `Err` when the outline
/// itself is wrong; the pieces are checked separately.
pub fn outline(b: &[u8]) -> Lex<Doc<'_>> {
    outline_with(b, &mut |_, _, _| None)
}

/// Tells the length of a piece known from before, given its key, depth
/// and where it starts, so the outline need not walk its bytes.
pub type Known<'k> = &'k mut dyn FnMut(&str, usize, usize) -> Option<usize>;

/// `outline`, asking `known` first at each piece.
pub fn outline_with<'a>(b: &'a [u8], known: Known<'_>) -> Lex<Doc<'a>> {
    let mut c = Cursor::new(b, 0);
    c.expect(b'{')?;
    let mut members = Vec::new();
    let mut keys = Keys::default();
    c.ws();
    let close = if c.peek() == Some(b'}') {
        c.pos
    } else {
        loop {
            let ks = c.string()?;
            let key = lex::text(b, ks)?;
            keys.insert(key.clone())?;
            c.expect(b':')?;
            c.ws();
            let start = c.pos;
            let items = if c.peek() == Some(b'[') {
                Some(items(&mut c, &key, known)?)
            } else {
                match known(&key, 1, start) {
                    Some(len) => c.pos += len,
                    None => c.skip()?,
                }
                None
            };
            members.push(Member {
                key,
                value: Piece {
                    start,
                    end: c.pos,
                    depth: 1,
                },
                items,
            });
            c.ws();
            match c.peek() {
                Some(b',') => c.pos += 1,
                Some(b'}') => break c.pos,
                _ => return Err(LexError::Syntax),
            }
        }
    };
    c.pos = close + 1;
    c.ws();
    if c.pos != b.len() {
        return Err(LexError::Syntax);
    }
    Ok(Doc {
        bytes: b,
        members,
        close,
    })
}

/// The items of the array at the cursor, which ends past its `]`.
fn items(c: &mut Cursor<'_>, key: &str, known: Known<'_>) -> Lex<Vec<Piece>> {
    c.pos += 1;
    let mut out = Vec::new();
    c.ws();
    if c.peek() == Some(b']') {
        c.pos += 1;
        return Ok(out);
    }
    loop {
        c.ws();
        let start = c.pos;
        match known(key, 2, start) {
            Some(len) => c.pos += len,
            None => c.skip()?,
        }
        out.push(Piece {
            start,
            end: c.pos,
            depth: 2,
        });
        c.ws();
        match c.peek() {
            Some(b',') => c.pos += 1,
            Some(b']') => {
                c.pos += 1;
                return Ok(out);
            }
            _ => return Err(LexError::Syntax),
        }
    }
}

impl Member<'_> {
    /// The pieces the member is read in: its items, or its value.
    pub fn pieces(&self) -> &[Piece] {
        self.items
            .as_deref()
            .unwrap_or(std::slice::from_ref(&self.value))
    }
}

impl<'a> Doc<'a> {
    pub fn get(&self, key: &str) -> Option<&Member<'a>> {
        self.members.iter().find(|m| m.key == key)
    }

    pub fn raw(&self, p: Piece) -> &'a [u8] {
        self.bytes.get(p.start..p.end).unwrap_or_default()
    }

    /// A small member's value as a `serde_json::Value` (model, stream,
    /// user, metadata: the fields decisions read).
    pub fn value_of(&self, key: &str) -> Option<serde_json::Value> {
        let m = self.get(key)?;
        serde_json::from_slice(self.raw(m.value)).ok()
    }

    /// Checks one piece the outline did not look into; `v` sees its strings.
    pub fn check_piece(&self, key: &str, p: Piece, v: &mut dyn lex::Visitor<'a>) -> Lex<()> {
        let mut c = Cursor::new(self.bytes, p.start);
        c.value(key, p.depth, v)?;
        if c.pos == p.end {
            Ok(())
        } else {
            Err(LexError::Syntax)
        }
    }
}
