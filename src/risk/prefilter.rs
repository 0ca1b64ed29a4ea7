//! Literal prefilter: one pass over the text finds every rule anchor
//! (case-insensitive literal or digit run) and turns it into a small window
//! where that rule's regex will run.
//!
//! The pass reads each position once, without a lower-cased copy (5
//! positions per `u64` load): the 4 bytes there, folded with `| 0x20` (so both
//! cases of a letter agree), give a hash of the first 2 bytes and the low 5
//! bits of the 3rd (one multiply, no mask before it: see [`slot`]) into a
//! 64 KiB table whose byte is a bit set over the 4th byte's low 3 bits (the
//! same for both cases of a letter; all bits for literals of 2–3 bytes and
//! for digit runs, filed as each of the 1,000 digit groups). Only where that
//! bit is set are the literals of the hash's bucket checked: first their
//! 3-byte group and up to 8 folded bytes against one `u64` load, then byte
//! by byte. 1-byte literals (`@`) are found with `memchr`. Measured on clean
//! 100 KB conversations with all packs: ~17.6 instructions per byte (full
//! 3-byte groups and a mask before the multiply: ~20; the 3-gram class
//! filter before that: ~25, the first prefilter: ~58); ~3.6% of positions
//! reach a bucket (full 3-byte groups: 6.3%, most of the difference the
//! 2-byte literals `sk` and `pw`, which took 128 groups each and now 32),
//! most of them real first bytes of an anchor (`tes`, `pri`, `res`, first
//! characters of Chinese keywords).
//! `prefilter_ref.rs` keeps the first prefilter, and the tests check both
//! give the same windows.

use super::builtin::{Anchor, Confirm};
use super::confirm::{ceil_char, confirm, floor_char, is_word, Span};
use super::normalise;

/// Building the tables from the rules' anchors.
mod build;

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

/// Slots of the 3-gram filter: 2^16 bytes, 64 KiB.
const FILTER_BITS: u32 = 16;
const SLOTS: usize = 1 << FILTER_BITS;
/// Buckets of literals, indexed by the top bits of the same hash.
const BUCKET_BITS: u32 = 12;
/// A bucket entry that is not a literal: a digit run starts here.
const DIGIT_RUN: u32 = u32::MAX;
/// A bucket entry that is not a literal: a character the normaliser
/// folds (`normalise.rs`) may start here.
const FOLD_CHAR: u32 = u32::MAX - 1;
/// The rule of the window [`Prefilter::candidate`] records when a
/// character the normaliser folds stands in the text; taken out again
/// before the windows are returned.
const FOLD_RULE: u32 = u32::MAX;
/// ASCII case fold of 4 bytes at once: `A-Z` to `a-z`, and other bytes
/// merged with their 0x20 twin (`@` with `` ` ``), which only costs a false
/// candidate: candidates are verified on the real bytes.
const FOLD: u32 = 0x2020_2020;

/// What of the first 3 folded bytes the filter keys on: the first two, and
/// the low 5 bits of the third (the same for both cases of a letter, and
/// all a UTF-8 continuation byte has left after the fold). A 2-byte
/// literal is then filed under 32 groups, not 128.
const GROUP: u32 = 0x1F_FFFF;
/// Odd multiplier of [`slot`].
const MUL: u32 = 0x9E37_79B1;

/// Filter slot of the group of `w` (4 folded bytes, little-endian): bits
/// 5..21 of `w * MUL`. Bits of a product below 21 only depend on the bits
/// of `w` below 21, so the 4th byte and the high bits of the 3rd need no
/// mask: one multiply, one shift and one mask per position.
#[inline(always)]
fn slot(w: u32) -> usize {
    (w.wrapping_mul(MUL) >> 5) as usize & (SLOTS - 1)
}

/// The first 4 bytes of `b` (0 past the end), little-endian, folded.
#[inline(always)]
fn key(b: &[u8]) -> u32 {
    let w = match b {
        &[a, b, c, d, ..] => u32::from_le_bytes([a, b, c, d]),
        _ => b
            .iter()
            .enumerate()
            .fold(0, |g, (k, &c)| g | (c as u32) << (8 * k)),
    };
    w | FOLD
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

/// A literal (or a digit run) in a bucket, with what its first bytes must
/// be, folded ([`FOLD`]): the 3-byte group it was filed under, and up to 8
/// bytes of the literal and their mask, so most wrong entries are
/// rejected without a byte-by-byte compare.
#[derive(Debug, Clone, Copy)]
struct Entry {
    group: u32,
    /// Index into `lits`, or [`DIGIT_RUN`].
    lit: u32,
    head: u64,
    mask: u64,
}

/// The first 8 bytes of `b` (0 past the end), little-endian, folded.
#[inline]
fn key8(b: &[u8]) -> u64 {
    let w = match b.first_chunk::<8>() {
        Some(&w) => u64::from_le_bytes(w),
        None => b
            .iter()
            .enumerate()
            .fold(0, |g, (k, &c)| g | (c as u64) << (8 * k)),
    };
    w | 0x2020_2020_2020_2020
}

#[derive(Debug)]
pub struct Prefilter {
    /// Every literal of 2+ bytes.
    lits: Vec<Lit>,
    /// One slot per hash of a 3-byte group (folded, [`key`]): bit `k` set
    /// when a literal of 2+ bytes (or a digit run) may start with that
    /// group followed by a byte `c` with `c & 7 == k` (the 4th byte; any
    /// for literals of 2–3 bytes). Both cases of a letter have the same
    /// low bits.
    filter: Box<[u8; SLOTS]>,
    /// `offsets[k]..offsets[k + 1]` indexes `entries` for bucket `k`.
    offsets: Vec<u32>,
    /// Indexes into `lits`, or [`DIGIT_RUN`].
    /// Each with the 3 folded bytes it starts with, compared first.
    entries: Vec<Entry>,
    /// 1-byte literals, found with `memchr`.
    single: Vec<Lit>,
    /// `(min_run, rule)` for digit-run anchors.
    digits: Vec<(usize, u32)>,
    /// Shortest digit run anchor (`usize::MAX` when none).
    min_digits: usize,
    /// Rules with no anchor: their regex runs over the whole text.
    always: Vec<u32>,
    /// Literals that begin with a newline (a line's start, as `wallets`
    /// anchors a bare address): they also stand at the text's start,
    /// without it. Indexes into `lits`.
    starts: Vec<u32>,
    /// The first bytes (both cases) of `starts` after their newline: one
    /// look-up per text when none opens it.
    start_bytes: [bool; 256],
    spans: Vec<Span>,
}

impl Prefilter {
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
    fn candidate(&self, text: &str, i: usize, h: usize, g: u32, out: &mut Vec<Window>) {
        let b = text.as_bytes();
        let k = h >> (FILTER_BITS - BUCKET_BITS);
        let (Some(&lo), Some(&hi)) = (self.offsets.get(k), self.offsets.get(k + 1)) else {
            return;
        };
        let Some(entries) = self.entries.get(lo as usize..hi as usize) else {
            return;
        };
        let t = key8(b.get(i..).unwrap_or(&[]));
        for en in entries {
            if en.group != g || t & en.mask != en.head {
                continue;
            }
            let e = en.lit;
            if e == FOLD_CHAR {
                if normalise::folds_at(b, i) {
                    out.push(Window {
                        rule: FOLD_RULE,
                        start: i,
                        end: i,
                    });
                }
                continue;
            }
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

    /// The filter at position `i`, `w` holding bytes `i..i + 4` folded.
    #[inline(always)]
    fn probe(&self, text: &str, i: usize, w: u32, out: &mut Vec<Window>) {
        let h = slot(w);
        if (self.filter[h] >> ((w >> 24) & 7)) & 1 != 0 {
            self.candidate(text, i, h, w & GROUP, out);
        }
    }

    /// Windows per rule, sorted by rule then start, overlapping ones merged.
    pub fn windows(&self, text: &str) -> Vec<Window> {
        self.scan(text).0
    }

    /// [`Prefilter::windows`], and whether `text` holds a character the
    /// normaliser folds (then the rules must read the folded text, and
    /// its windows are not these). The same pass finds both: the
    /// characters are filed in the table like literals, so a text without
    /// them costs nothing more, and one with CJK punctuation only stops at
    /// the few marks whose hash they share (`，` and `：` with `Ｌ`, `Ｚ`).
    pub fn scan(&self, text: &str) -> (Vec<Window>, bool) {
        let mut out = Vec::new();
        if text.is_empty() {
            return (out, false);
        }
        for &r in &self.always {
            out.push(Window {
                rule: r,
                start: 0,
                end: text.len(),
            });
        }
        let b = text.as_bytes();
        {
            // 5 positions per `u64` load, then one per `u32`
            let mut i = 0;
            while let Some(&w) = b.get(i..).and_then(<[u8]>::first_chunk::<8>) {
                let w = u64::from_le_bytes(w) | 0x2020_2020_2020_2020;
                self.probe(text, i, w as u32, &mut out);
                self.probe(text, i + 1, (w >> 8) as u32, &mut out);
                self.probe(text, i + 2, (w >> 16) as u32, &mut out);
                self.probe(text, i + 3, (w >> 24) as u32, &mut out);
                self.probe(text, i + 4, (w >> 32) as u32, &mut out);
                i += 5;
            }
            while let Some(&w) = b.get(i..).and_then(<[u8]>::first_chunk::<4>) {
                self.probe(text, i, u32::from_le_bytes(w) | FOLD, &mut out);
                i += 1;
            }
            // the last 3 positions, 0 past the end
            while i < b.len() {
                self.probe(text, i, key(b.get(i..).unwrap_or(&[])), &mut out);
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
        if b.first().is_some_and(|&c| self.start_bytes[c as usize]) {
            for lit in self
                .starts
                .iter()
                .filter_map(|&e| self.lits.get(e as usize))
            {
                let rest = lit.text.get(1..).unwrap_or(&[]);
                if b.get(..rest.len()).is_some_and(|s| same(s, rest)) {
                    self.push(text, &mut out, lit.rule, 0, rest.len());
                }
            }
        }
        let before = out.len();
        out.retain(|w| w.rule != FOLD_RULE);
        let fold = out.len() != before;
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
        (merged, fold)
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
