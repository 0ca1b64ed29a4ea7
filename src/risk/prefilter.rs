//! Literal prefilter: one pass over the text finds every rule anchor
//! (case-insensitive literal or digit run) and turns it into a small window
//! where that rule's regex will run.
//!
//! The pass reads each byte once, without a lower-cased copy: a rolling
//! 3-gram of byte classes (ASCII folded to lower case, every digit as `0`)
//! is hashed into a 64 KiB flag table. A flag says a literal of 2–3 bytes
//! or a digit run may start there (2-byte literals set the flag of every
//! 3-gram they can start), or a longer literal, which must also pass a
//! second stage on its 4- or 6-byte prefix. Only then are the literals of
//! that hash's bucket compared with the real bytes. 1-byte literals (`@`)
//! are found with `memchr`. Measured on clean 100 KB conversations with all
//! packs: ~25 instructions per byte (the previous prefilter: ~58), most of
//! it the per-byte probe itself; `prefilter_ref.rs` keeps that previous
//! prefilter, and the tests check both give the same windows.

use super::builtin::{Anchor, Confirm};

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
pub(super) struct Span {
    pub(super) before: usize,
    pub(super) after: usize,
    pub(super) confirm: Confirm,
}

pub(super) fn confirm(c: Confirm, b: &[u8], start: usize, end: usize) -> bool {
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
pub(super) fn is_word(b: u8) -> bool {
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

/// Slots of the 3-gram filter: 2^16 bytes, 64 KiB (2^15 ran no faster).
const FILTER_BITS: u32 = 16;
/// Bits of the second-stage prefix sets: 2^16 bits, 8 KiB each.
const PREFIX_BITS: u32 = 16;
/// Filter flag: a literal of 4+ bytes starts with this 3-gram.
const LONG: u8 = 1;
/// Filter flag: a literal of 2–3 bytes (or a digit run) starts with it.
const SHORT: u8 = 2;
/// Buckets of literals, indexed by the top bits of the same hash.
const BUCKET_BITS: u32 = 12;
/// A bucket entry that is not a literal: a digit run starts here.
const DIGIT_RUN: u32 = u32::MAX;

/// What the filter hashes for a byte: ASCII folded to lower case, every
/// digit as `0` (so one 3-gram stands for any run of 3 digits), any other
/// byte as itself. Two bytes with the same class only cost a false
/// candidate: candidates are verified on the real bytes.
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if b.is_ascii_digit() {
            b'0'
        } else {
            b.to_ascii_lowercase()
        };
        i += 1;
    }
    t
};

#[inline(always)]
fn class(b: u8) -> u32 {
    CLASS[b as usize] as u32
}

#[cfg(test)]
pub(super) fn class_of(b: u8) -> u8 {
    CLASS[b as usize]
}

/// Filter bit of a 3-gram of classes (`c0 | c1 << 8 | c2 << 16`).
#[inline(always)]
fn hash(g: u32) -> usize {
    (g.wrapping_mul(0x9E37_79B1) >> (32 - FILTER_BITS)) as usize
}

/// Filter bit of a 4- or 6-byte prefix of classes (second stage).
#[inline]
fn hash64(g: u64) -> usize {
    (g.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - PREFIX_BITS)) as usize
}

const WORDS: usize = 1 << (PREFIX_BITS - 6);
const SLOTS: usize = 1 << FILTER_BITS;

/// A bit set over [`PREFIX_BITS`]-bit hashes.
#[derive(Debug, Clone)]
struct Bits(Box<[u64; WORDS]>);

impl Bits {
    fn new() -> Bits {
        Bits(Box::new([0; WORDS]))
    }
    fn set(&mut self, h: usize) {
        self.0[(h >> 6) % WORDS] |= 1 << (h & 63);
    }
    #[inline]
    fn has(&self, h: usize) -> bool {
        (self.0[(h >> 6) % WORDS] >> (h & 63)) & 1 != 0
    }
}

/// [`CLASS`] of 8 bytes at once (little-endian `u64`): `A-Z` to `a-z`,
/// `0-9` to `0`.
#[inline]
pub(super) fn classes8(w: u64) -> u64 {
    const L: u64 = 0x0101_0101_0101_0101;
    const H: u64 = 0x80 * L;
    // bit 7 of each byte: the byte is ASCII and >= x (x <= 0x80)
    let ascii = !w & H;
    let low = w & (0x7F * L);
    let ge = |x: u64| low.wrapping_add((0x80 - x) * L) & ascii;
    let upper = ge(b'A' as u64) & !ge(b'Z' as u64 + 1);
    let digit = ge(b'0' as u64) & !ge(b'9' as u64 + 1);
    // set 0x20 on upper-case letters, clear the low nibble of digits
    (w | (upper >> 2)) & !((digit >> 7) * 0x0F)
}

/// Classes of the first `n` bytes of `lit`, little-endian.
fn classes_of(lit: &[u8], n: usize) -> u64 {
    lit.iter()
        .take(n)
        .enumerate()
        .fold(0, |g, (k, &c)| g | (class(c) as u64) << (8 * k))
}

/// `s` equals the lower-case `lit` up to ASCII case.
#[inline]
fn same(s: &[u8], lit: &[u8]) -> bool {
    s.len() == lit.len()
        && s.iter()
            .zip(lit)
            .all(|(&c, &l)| c.to_ascii_lowercase() == l)
}

#[derive(Debug, Clone)]
struct Lit {
    /// Lower case.
    text: Vec<u8>,
    word: bool,
    rule: u32,
}

#[derive(Debug)]
pub struct Prefilter {
    /// Every literal of 2+ bytes.
    lits: Vec<Lit>,
    /// First stage, one bit per 3-gram hash: set when a literal (or a
    /// digit run) may start with that 3-gram. A 2-byte literal sets the
    /// bits of every 3-gram it can start.
    /// Each slot holds [`LONG`] and [`SHORT`] flags.
    filter: Box<[u8; SLOTS]>,
    /// Second stage, tested on a [`LONG`] hit: the 4-byte prefix of a 4–5
    /// byte literal, or the 6-byte prefix of a longer one.
    prefix4: Bits,
    prefix6: Bits,
    /// `offsets[k]..offsets[k + 1]` indexes `entries` for bucket `k`.
    offsets: Vec<u32>,
    /// Indexes into `lits`, or [`DIGIT_RUN`].
    entries: Vec<u32>,
    /// 1-byte literals, found with `memchr`.
    single: Vec<Lit>,
    /// `(min_run, rule)` for digit-run anchors.
    digits: Vec<(usize, u32)>,
    /// Shortest digit run anchor (`usize::MAX` when none).
    min_digits: usize,
    /// Rules with no anchor: their regex runs over the whole text.
    always: Vec<u32>,
    spans: Vec<Span>,
}

impl Prefilter {
    /// `rules[i]` says where rule `i` may match.
    pub fn new(rules: &[RuleAnchors]) -> Prefilter {
        let mut lits = Vec::new();
        let mut single = Vec::new();
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
                        if lit.text.len() == 1 {
                            single.push(lit);
                        } else {
                            lits.push(lit);
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
        let min_digits = digits.iter().map(|d| d.0).min().unwrap_or(usize::MAX);
        // (bucket, entry) for every 3-gram a literal can start with.
        let mut keys: Vec<(usize, u32)> = Vec::new();
        let mut filter = Box::new([0u8; SLOTS]);
        let (mut prefix4, mut prefix6) = (Bits::new(), Bits::new());
        let mut add3 = |g: u32, entry: u32, flag: u8, keys: &mut Vec<(usize, u32)>| {
            let h = hash(g);
            filter[h % SLOTS] |= flag;
            keys.push((h >> (FILTER_BITS - BUCKET_BITS), entry));
        };
        // Every class a byte after a 2-byte literal can have (0: past the end).
        let mut classes: Vec<u8> = CLASS.to_vec();
        classes.sort_unstable();
        classes.dedup();
        for (e, l) in lits.iter().enumerate() {
            let g3 = classes_of(&l.text, 3) as u32;
            match l.text.len() {
                2 => {
                    for &c in &classes {
                        let g = g3 | (c as u32) << 16;
                        add3(g, e as u32, SHORT, &mut keys);
                    }
                }
                3 => {
                    add3(g3, e as u32, SHORT, &mut keys);
                }
                4 | 5 => {
                    add3(g3, e as u32, LONG, &mut keys);
                    prefix4.set(hash64(classes_of(&l.text, 4)));
                }
                _ => {
                    add3(g3, e as u32, LONG, &mut keys);
                    prefix6.set(hash64(classes_of(&l.text, 6)));
                }
            }
        }
        if min_digits >= 3 && min_digits != usize::MAX {
            let g = class(b'0') * 0x01_0101;
            add3(g, DIGIT_RUN, SHORT, &mut keys);
        }
        keys.sort_unstable();
        keys.dedup();
        let mut offsets = vec![0u32; (1 << BUCKET_BITS) + 1];
        for &(k, _) in &keys {
            offsets[k + 1] += 1;
        }
        for k in 0..1 << BUCKET_BITS {
            offsets[k + 1] += offsets[k];
        }
        Prefilter {
            lits,
            filter,
            prefix4,
            prefix6,
            offsets,
            entries: keys.into_iter().map(|(_, e)| e).collect(),
            single,
            digits,
            min_digits,
            always,
            spans,
        }
    }

    fn push(&self, text: &str, out: &mut Vec<Window>, rule: u32, start: usize, end: usize) {
        let Some(sp) = self.spans.get(rule as usize) else {
            return;
        };
        if !confirm(sp.confirm, text.as_bytes(), start, end) {
            return;
        }
        out.push(Window {
            rule,
            start: floor_char(text, start.saturating_sub(sp.before)),
            end: ceil_char(text, end.saturating_add(sp.after)),
        });
    }

    /// Whether `lit` found at `at` stands as a word where it must.
    #[inline]
    fn word_ok(b: &[u8], lit: &Lit, at: usize) -> bool {
        if !lit.word {
            return true;
        }
        let end = at + lit.text.len();
        let (Some(&first), Some(&last)) = (lit.text.first(), lit.text.last()) else {
            return false;
        };
        let touches_before = is_word(first) && at > 0 && b.get(at - 1).is_some_and(|&c| is_word(c));
        let touches_after = is_word(last) && b.get(end).is_some_and(|&c| is_word(c));
        !touches_before && !touches_after
    }

    /// A filter hit at `i`: checks the literals of its bucket (and a digit
    /// run) on the real bytes.
    #[cold]
    #[inline(never)]
    fn candidate(&self, text: &str, i: usize, h: usize, out: &mut Vec<Window>) {
        let b = text.as_bytes();
        let k = h >> (FILTER_BITS - BUCKET_BITS);
        let (Some(&lo), Some(&hi)) = (self.offsets.get(k), self.offsets.get(k + 1)) else {
            return;
        };
        let Some(entries) = self.entries.get(lo as usize..hi as usize) else {
            return;
        };
        for &e in entries {
            if e == DIGIT_RUN {
                if i > 0 && b.get(i - 1).is_some_and(u8::is_ascii_digit) {
                    continue; // not the start of the run
                }
                let len = b
                    .get(i..)
                    .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count());
                if len >= self.min_digits {
                    for &(m, r) in &self.digits {
                        if len >= m {
                            self.push(text, out, r, i, i + len);
                        }
                    }
                }
                continue;
            }
            let Some(lit) = self.lits.get(e as usize) else {
                continue;
            };
            let end = i + lit.text.len();
            if b.get(i..end).is_some_and(|s| same(s, &lit.text)) && Self::word_ok(b, lit, i) {
                self.push(text, out, lit.rule, i, end);
            }
        }
    }

    /// Second stage of a [`LONG`]-only filter hit at `i`: whether the
    /// 4- or 6-byte prefix there is one of a literal's.
    #[inline(never)]
    fn long_prefix(&self, b: &[u8], i: usize) -> bool {
        let g = match b.get(i..i + 8) {
            Some(&[a, b, c, d, e, f, g, h]) => {
                classes8(u64::from_le_bytes([a, b, c, d, e, f, g, h]))
            }
            _ => classes_of(b.get(i..).unwrap_or(&[]), 6),
        };
        self.prefix4.has(hash64(g & 0xFFFF_FFFF)) || self.prefix6.has(hash64(g & 0xFFFF_FFFF_FFFF))
    }

    /// The filter at position `i`, `g` holding the classes of bytes `i`,
    /// `i + 1` and `i + 2`.
    #[inline(always)]
    fn probe(&self, text: &str, i: usize, g: u32, out: &mut Vec<Window>) {
        let h = hash(g);
        let f = self.filter[h % SLOTS];
        if f != 0 && (f & SHORT != 0 || self.long_prefix(text.as_bytes(), i)) {
            self.candidate(text, i, h, out);
        }
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
        let b = text.as_bytes();
        if !self.lits.is_empty() || self.min_digits >= 3 {
            // `g` holds the classes of bytes i, i+1, i+2 (0 past the end).
            let mut g = (classes_of(b, 2) as u32) << 8;
            let mut i = 0;
            for &c in b.get(2..).unwrap_or(&[]) {
                g = g >> 8 | class(c) << 16;
                self.probe(text, i, g, &mut out);
                i += 1;
            }
            while i < b.len() {
                g >>= 8;
                self.probe(text, i, g, &mut out);
                i += 1;
            }
        }
        for lit in &self.single {
            let Some(&c) = lit.text.first() else {
                continue;
            };
            let up = c.to_ascii_uppercase();
            let mut at = |i: usize| {
                if Self::word_ok(b, lit, i) {
                    self.push(text, &mut out, lit.rule, i, i + 1);
                }
            };
            if up == c {
                memchr::memchr_iter(c, b).for_each(&mut at);
            } else {
                memchr::memchr2_iter(c, up, b).for_each(&mut at);
            }
        }
        if self.min_digits < 3 {
            self.digit_runs(text, &mut out);
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

    /// Digit runs in their own pass, when a rule takes runs shorter than
    /// the 3 bytes the filter sees (no built-in rule does).
    fn digit_runs(&self, text: &str, out: &mut Vec<Window>) {
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let len = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            if len == 0 {
                i += 1;
                continue;
            }
            if len >= self.min_digits {
                for &(m, r) in &self.digits {
                    if len >= m {
                        self.push(text, out, r, i, i + len);
                    }
                }
            }
            i += len;
        }
    }
}
