//! The previous prefilter (lowercased copy, hashed 3-gram table probed at
//! every byte, one memchr/memmem pass per short literal, a digit-run pass),
//! kept for tests only: `prefilter.rs` must produce the same windows.

use super::builtin::Anchor;
use super::confirm::{ceil_char, confirm, floor_char, is_word, Span};
use super::prefilter::{RuleAnchors, Window};

const HASH_BITS: u32 = 14;
const HASH_SIZE: usize = 1 << HASH_BITS;

#[derive(Debug, Clone)]
struct Lit {
    text: Vec<u8>,
    word: bool,
    rule: u32,
}

#[derive(Debug)]
pub struct RefPrefilter {
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

impl RefPrefilter {
    /// `rules[i]` says where rule `i` may match.
    pub fn new(rules: &[RuleAnchors]) -> RefPrefilter {
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
        RefPrefilter {
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
        // a literal that begins with a newline also stands at the start
        for lit in self.long.iter().chain(&self.short) {
            if lit.text.len() > 1 && lit.text[0] == b'\n' && lower.starts_with(&lit.text[1..]) {
                self.push(text, &mut out, lit.rule, 0, lit.text.len() - 1);
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
