//! Literal prefilter: one pass over the text finds every rule anchor
//! (case-insensitive literal or digit run) and turns it into a small window
//! where that rule's regex will run.
//!
//! Literals of 3+ bytes are found with a hashed 3-gram table (one table
//! probe per text byte, candidates verified byte by byte); shorter literals
//! with `memchr`/`memmem`. Digit runs are found in one linear pass, done
//! only when a rule uses them.

use super::builtin::{Anchor, Confirm};

const HASH_BITS: u32 = 14;
const HASH_SIZE: usize = 1 << HASH_BITS;

#[derive(Debug, Clone)]
struct Lit {
    text: Vec<u8>,
    word: bool,
    rule: u32,
}

/// A region of text where one rule's regex must run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Window {
    pub rule: u32,
    pub start: usize,
    pub end: usize,
}

/// Where one rule may match: its anchors and the bytes searched around
/// each occurrence.
#[derive(Debug)]
pub struct RuleAnchors {
    pub anchors: Vec<Anchor>,
    pub before: usize,
    pub after: usize,
    pub confirm: Confirm,
}

#[derive(Debug, Clone, Copy)]
struct Span {
    before: usize,
    after: usize,
    confirm: Confirm,
}

#[derive(Debug)]
pub struct Prefilter {
    /// Literals of 3+ bytes, grouped by the hash of their first 3 bytes.
    long: Vec<Lit>,
    /// `offsets[h]..offsets[h + 1]` indexes `long` for hash `h`.
    offsets: Vec<u32>,
    short: Vec<Lit>,
    /// `(min_run, rule)` for digit-run anchors.
    digits: Vec<(usize, u32)>,
    /// Rules with no anchor: their regex runs over the whole text.
    always: Vec<u32>,
    spans: Vec<Span>,
}

#[inline]
fn hash3(a: u8, b: u8, c: u8) -> usize {
    let x = (a as u32) | ((b as u32) << 8) | ((c as u32) << 16);
    (x.wrapping_mul(0x9E37_79B1) >> (32 - HASH_BITS)) as usize
}

fn confirm(c: Confirm, b: &[u8], start: usize, end: usize) -> bool {
    match c {
        Confirm::None => true,
        Confirm::Upper => !b[start..end].iter().any(|c| c.is_ascii_lowercase()),
        Confirm::Assign => {
            let anchor = &b[start..end];
            // short anchors (`sk`, `pw`, `pass`) only as words: not `task`
            let short = anchor.len() <= 4 && anchor[0] < 0x80;
            if short && start > 0 && b[start - 1].is_ascii_alphanumeric() {
                return false;
            }
            if anchor.eq_ignore_ascii_case(b"bearer")
                || (anchor.len() > 4 && (anchor.ends_with(b"pass") || anchor.ends_with(b"auth")))
                || anchor.ends_with(b"=")
                || b[start] >= 0x80
            {
                return true;
            }
            let near = &b[end..(end + 24).min(b.len())];
            matches!(near.first(), Some(b'>' | b'"'))
                || near.iter().any(|&c| c == b':' || c == b'=')
                || memchr::memmem::find(near, "：".as_bytes()).is_some()
                || memchr::memmem::find(near, "是".as_bytes()).is_some()
                || memchr::memmem::find(near, "为".as_bytes()).is_some()
                || spaced_value(near)
        }
        Confirm::MobileHead => {
            let run = &b[start..end];
            let head = |r: &[u8]| r.len() >= 2 && r[0] == b'1' && (b'3'..=b'9').contains(&r[1]);
            match run.len() {
                3 | 11 => head(run),
                13 => run.starts_with(b"86") && head(&run[2..]),
                _ => false,
            }
        }
        Confirm::DottedQuad => {
            let before_ok =
                start == 0 || !(b[start - 1].is_ascii_alphanumeric() || b[start - 1] == b'.');
            before_ok && b.get(end).is_some_and(|c| c.is_ascii_digit())
        }
    }
}

/// `  Hx!vpn2024` or ` is Hx!vpn2024`: a value after spaces (and `is`),
/// 6 bytes or more with a digit, as passwords written without `=` are.
fn spaced_value(near: &[u8]) -> bool {
    let t = near.trim_ascii_start();
    if t.len() == near.len() {
        return false;
    }
    let t = t.strip_prefix(b"is ").map_or(t, <[u8]>::trim_ascii_start);
    let tok: &[u8] = t.split(|c| c.is_ascii_whitespace()).next().unwrap_or(&[]);
    tok.len() >= 6 && tok.iter().any(u8::is_ascii_digit)
}

#[inline]
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

pub(crate) fn floor_char(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

pub(crate) fn ceil_char(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

impl Prefilter {
    /// `rules[i]` says where rule `i` may match.
    pub fn new(rules: &[RuleAnchors]) -> Prefilter {
        let mut long = Vec::new();
        let mut short = Vec::new();
        let mut digits = Vec::new();
        let mut always = Vec::new();
        let mut spans = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            let rule = i as u32;
            spans.push(Span {
                before: r.before,
                after: r.after,
                confirm: r.confirm,
            });
            let mut any = false;
            for a in &r.anchors {
                match a {
                    Anchor::Lit { text, word } if !text.is_empty() => {
                        any = true;
                        let lit = Lit {
                            text: text.to_ascii_lowercase().into_bytes(),
                            word: *word,
                            rule,
                        };
                        if lit.text.len() >= 3 {
                            long.push(lit);
                        } else {
                            short.push(lit);
                        }
                    }
                    Anchor::Lit { .. } => {}
                    Anchor::Digits(n) => {
                        any = true;
                        digits.push(((*n).max(1), rule));
                    }
                }
            }
            if !any {
                always.push(rule);
            }
        }
        long.sort_by_key(|l| hash3(l.text[0], l.text[1], l.text[2]));
        let mut offsets = vec![0u32; HASH_SIZE + 1];
        for l in &long {
            offsets[hash3(l.text[0], l.text[1], l.text[2]) + 1] += 1;
        }
        for h in 0..HASH_SIZE {
            offsets[h + 1] += offsets[h];
        }
        Prefilter {
            long,
            offsets,
            short,
            digits,
            always,
            spans,
        }
    }

    fn push(&self, text: &str, out: &mut Vec<Window>, rule: u32, start: usize, end: usize) {
        let sp = self.spans[rule as usize];
        if !confirm(sp.confirm, text.as_bytes(), start, end) {
            return;
        }
        out.push(Window {
            rule,
            start: floor_char(text, start.saturating_sub(sp.before)),
            end: ceil_char(text, end.saturating_add(sp.after)),
        });
    }

    #[inline]
    fn word_ok(lower: &[u8], lit: &Lit, at: usize) -> bool {
        if !lit.word {
            return true;
        }
        let end = at + lit.text.len();
        let first = lit.text[0];
        let last = lit.text[lit.text.len() - 1];
        let touches_before = is_word(first) && at > 0 && is_word(lower[at - 1]);
        let touches_after = is_word(last) && end < lower.len() && is_word(lower[end]);
        !touches_before && !touches_after
    }

    /// Windows per rule, sorted by rule then start, overlapping ones merged.
    pub fn windows(&self, text: &str) -> Vec<Window> {
        let mut out = Vec::new();
        if text.is_empty() {
            return out;
        }
        for &r in &self.always {
            out.push(Window {
                rule: r,
                start: 0,
                end: text.len(),
            });
        }
        let lower = text.as_bytes().to_ascii_lowercase();
        let n = lower.len();
        if !self.long.is_empty() && n >= 3 {
            for i in 0..n - 2 {
                let h = hash3(lower[i], lower[i + 1], lower[i + 2]);
                let (a, b) = (self.offsets[h] as usize, self.offsets[h + 1] as usize);
                if a == b {
                    continue;
                }
                for lit in &self.long[a..b] {
                    if lower[i..].starts_with(&lit.text) && Self::word_ok(&lower, lit, i) {
                        self.push(text, &mut out, lit.rule, i, i + lit.text.len());
                    }
                }
            }
        }
        for lit in &self.short {
            let found: Vec<usize> = if lit.text.len() == 1 {
                memchr::memchr_iter(lit.text[0], &lower).collect()
            } else {
                memchr::memmem::find_iter(&lower, &lit.text).collect()
            };
            for i in found {
                if Self::word_ok(&lower, lit, i) {
                    self.push(text, &mut out, lit.rule, i, i + lit.text.len());
                }
            }
        }
        if !self.digits.is_empty() {
            let min = self.digits.iter().map(|d| d.0).min().unwrap_or(1);
            let mut i = 0;
            while i < n {
                if lower[i].is_ascii_digit() {
                    let s = i;
                    while i < n && lower[i].is_ascii_digit() {
                        i += 1;
                    }
                    if i - s >= min {
                        for &(m, r) in &self.digits {
                            if i - s >= m {
                                self.push(text, &mut out, r, s, i);
                            }
                        }
                    }
                } else {
                    i += 1;
                }
            }
        }
        out.sort_unstable();
        let mut merged: Vec<Window> = Vec::with_capacity(out.len());
        for w in out {
            match merged.last_mut() {
                Some(last) if last.rule == w.rule && w.start <= last.end => {
                    last.end = last.end.max(w.end);
                }
                _ => merged.push(w),
            }
        }
        merged
    }
}
