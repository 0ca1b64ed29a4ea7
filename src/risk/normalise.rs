//! Reading a text as the rules expect it: invisible format characters
//! (zero-width space and joiners, word joiner, BOM, soft hyphen, direction
//! marks) dropped, every Unicode space read as an ASCII space, and
//! full-width digits, letters, `+`, `-` and `@` read as their ASCII forms.
//! A zero-width space inside an ID number or a full-width mobile number is
//! otherwise enough to hide it from every rule.
//!
//! The rules run on the folded text; [`Folded`] maps each match back to
//! the original bytes, so masking and restore cover exactly the characters
//! that made the match. A text with none of these characters (nearly all)
//! is neither copied nor read a second time: the prefilter's one pass over
//! it also says whether one stands there (their encodings are filed in its
//! table, checked with [`folds_at`]); [`fold`] on its own looks for their
//! lead bytes with `memchr` first.
//!
//! Chinese numerals written one a digit (`numerals.rs`) are read as ASCII
//! digits too, but only in a run long enough to be a number.
//!
//! Two folds depend on what stands around the character: a dash between
//! digits (`139—1234—5678`) reads as `-`, and a Cyrillic letter drawn as a
//! Latin one reads as that letter inside a word that holds a Latin letter
//! (`pаssword` with a Cyrillic `а`). Russian words on their own stay as
//! they are.

use super::numerals;

/// What one character becomes.
enum Fold {
    Keep,
    Drop,
    To(u8),
}

fn fold_char(c: char) -> Fold {
    match c {
        '\u{AD}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' => {
            Fold::Drop
        }
        '\u{A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
            Fold::To(b' ')
        }
        '\u{2028}' | '\u{2029}' => Fold::To(b'\n'),
        // full-width forms sit 0xFEE0 above their ASCII twins
        '\u{FF0B}'
        | '\u{FF0D}'
        | '\u{FF10}'..='\u{FF19}'
        | '\u{FF20}'..='\u{FF3A}'
        | '\u{FF41}'..='\u{FF5A}' => Fold::To((c as u32 - 0xFEE0) as u8),
        _ => Fold::Keep,
    }
}

/// A dash of Unicode's punctuation block or the minus sign.
fn is_dash(c: char) -> bool {
    matches!(c, '\u{2010}'..='\u{2015}' | '\u{2212}')
}

/// Cyrillic letters drawn exactly as Latin ones (Unicode's confusables),
/// the five that spell most of `password`, `secret` and `token`
/// (`pаssword`), and the capitals `А`, `Е`, `О` (`АKIA…`). Each is filed
/// in the prefilter's table under 32 keys, and the table's size is what
/// the clean-text scan pays for: every Cyrillic and Greek look-alike (46)
/// cost it 6-7%, fourteen about 3%, the five small ones nothing
/// measurable (three paired runs each). The three capitals cost no key:
/// the table folds bytes with `| 0x20`, which makes `А` (`D0 90`) `а`
/// (`D0 B0`), `Е` `е` and `О` `о`.
const LOOKALIKES: &str = "аеорсАЕО";

/// The Latin letter a [`LOOKALIKES`] letter is drawn as.
fn lookalike(c: char) -> Option<u8> {
    let latin = b"aeopcAEO";
    LOOKALIKES
        .chars()
        .position(|l| l == c)
        .and_then(|k| latin.get(k).copied())
}

/// A word around `b[i..i + len]` holds a Latin letter: walking out each
/// way over look-alike letters, the first other character is one.
fn beside_latin(b: &[u8], i: usize, len: usize) -> bool {
    let mut p = i + len;
    while let Some(c) = char_at(b, p).filter(|&c| lookalike(c).is_some()) {
        p += c.len_utf8();
    }
    if b.get(p).is_some_and(u8::is_ascii_alphabetic) {
        return true;
    }
    let mut p = i;
    while p >= 2 && char_at(b, p - 2).is_some_and(|c| c.len_utf8() == 2 && lookalike(c).is_some()) {
        p -= 2;
    }
    p.checked_sub(1)
        .and_then(|q| b.get(q))
        .is_some_and(u8::is_ascii_alphabetic)
}

/// What `c` at `b[i]` reads as where its context folds it: a dash between
/// two digits, a look-alike letter in a word with a Latin letter.
fn in_context(b: &[u8], i: usize, c: char) -> Option<u8> {
    let len = c.len_utf8();
    if is_dash(c) {
        // ASCII or full-width digits, as the rules read both
        let digit = |d: char| d.is_ascii_digit() || ('\u{FF10}'..='\u{FF19}').contains(&d);
        let before =
            (i.saturating_sub(3)..i).find_map(|q| char_at(b, q).filter(|d| q + d.len_utf8() == i));
        let after = char_at(b, i + len);
        return (before.is_some_and(digit) && after.is_some_and(digit)).then_some(b'-');
    }
    lookalike(c).filter(|_| beside_latin(b, i, len))
}

/// Whether [`in_context`] folds the character at `b[i]`: only read where
/// the lead byte is one of theirs (Cyrillic `D0`/`D1`, punctuation `E2`).
fn folds_in_context(b: &[u8], i: usize) -> bool {
    matches!(b.get(i), Some(0xD0 | 0xD1 | 0xE2))
        && char_at(b, i).is_some_and(|c| in_context(b, i, c).is_some())
}

/// Whether a character [`fold_char`] changes starts at `b[i]`. Reads the
/// next two bytes as they are encoded (no decoding: Chinese text has a
/// lead byte `E3`/`EF` at most punctuation marks). The prefilter asks this
/// where its table files one of these characters.
pub fn folds_at(b: &[u8], i: usize) -> bool {
    folds_char_at(b, i)
        || folds_in_context(b, i)
        || (b.get(i).is_some_and(|c| (0xE2..=0xE9).contains(c)) && in_number(b, i))
}

fn folds_char_at(b: &[u8], i: usize) -> bool {
    let (x, y) = (
        b.get(i + 1).copied().unwrap_or(0),
        b.get(i + 2).copied().unwrap_or(0),
    );
    match b.get(i) {
        Some(0xC2) => x == 0xA0 || x == 0xAD,
        Some(0xE1) => (x == 0x9A && y == 0x80) || (x == 0xA0 && y == 0x8E),
        Some(0xE2) => {
            (x == 0x80 && (y <= 0x8F || matches!(y, 0xA8 | 0xA9 | 0xAF)))
                || (x == 0x81 && (0x9F..=0xA4).contains(&y))
        }
        Some(0xE3) => x == 0x80 && y == 0x80,
        // U+FEFF; U+FF0B, U+FF0D, U+FF10-U+FF19, U+FF20-U+FF3A; U+FF41-U+FF5A
        Some(0xEF) => {
            (x == 0xBB && y == 0xBF)
                || (x == 0xBC
                    && (matches!(y, 0x8B | 0x8D)
                        || (0x90..=0x99).contains(&y)
                        || (0xA0..=0xBA).contains(&y)))
                || (x == 0xBD && (0x81..=0x9A).contains(&y))
        }
        _ => false,
    }
}

/// The run of numerals (`numerals.rs`) starting at `b[i]`: how many
/// (counting stops at `cap`), where the last one ends, and whether one of
/// them is [`numerals::rare`]. Between two numerals may stand what is
/// dropped (a zero-width space) and one space or `-`
/// (`一三八 一二三四 五六七八`), as between groups of digits.
fn numeral_run(b: &[u8], i: usize, cap: usize) -> (usize, usize, bool) {
    let (mut n, mut end, mut rare) = (0, i, false);
    let mut p = i;
    while n < cap && numerals::at(b, p).is_some() {
        n += 1;
        rare = rare || numerals::rare_at(b, p);
        end = p + 3;
        // nearly always the next character is another numeral or none
        // that can stand between two (a space, `-`, a dropped or folded
        // character: their lead bytes below)
        p = match b.get(end) {
            Some(b' ' | b'-' | 0xC2 | 0xE1..=0xE3 | 0xEF) => gap_after(b, end),
            _ => end,
        };
    }
    (n, end, rare)
}

/// What may stand between two numerals of a run: a dropped character, or
/// a space or `-` (at most one of these).
fn in_gap(c: char, spaces: &mut usize) -> bool {
    let space = match fold_char(c) {
        Fold::Drop => false,
        Fold::To(b' ' | b'-') => true,
        Fold::Keep if c == ' ' || c == '-' => true,
        _ => return false,
    };
    *spaces += usize::from(space);
    *spaces <= 1
}

/// Where the next numeral would start after `at`, past a gap.
fn gap_after(b: &[u8], at: usize) -> usize {
    let (mut p, mut spaces) = (at, 0);
    while let Some(c) = char_at(b, p).filter(|&c| in_gap(c, &mut spaces)) {
        p += c.len_utf8();
    }
    p
}

/// The numerals of the run that stand before the one at `b[i]` (counting
/// stops at `cap`): the same run [`numeral_run`] reads, walked backwards.
fn numerals_before(b: &[u8], i: usize, cap: usize) -> usize {
    let (mut n, mut p, mut spaces) = (0, i, 0);
    while n < cap {
        let Some(q) = (p.saturating_sub(4)..p)
            .rev()
            .find(|&q| b.get(q).is_some_and(|&c| c & 0xC0 != 0x80))
        else {
            break;
        };
        let Some(c) = char_at(b, q).filter(|c| q + c.len_utf8() == p) else {
            break;
        };
        if numerals::digit(c).is_some() {
            n += 1;
            spaces = 0;
        } else if !in_gap(c, &mut spaces) {
            break;
        }
        p = q;
    }
    n
}

/// The character starting at `b[p]`, read from its own bytes.
fn char_at(b: &[u8], p: usize) -> Option<char> {
    (1..=4).find_map(|n| {
        std::str::from_utf8(b.get(p..p + n)?)
            .ok()
            .and_then(|s| s.chars().next())
    })
}

/// Whether a rare numeral starts at `b[i]` inside a run long enough to
/// read as digits (the prefilter asks this where it finds one).
fn in_number(b: &[u8], i: usize) -> bool {
    let run = numerals::RUN;
    numerals::rare_at(b, i) && numerals_before(b, i, run) + numeral_run(b, i, run).0 >= run
}

/// `s` with every numeral read as its digit, in a run or not: what a
/// piece of a numeral run folds to in its context (the `risk_mask` fuzz
/// target compares a match's span with what it matched this way).
pub fn numerals_as_digits(s: &str) -> String {
    s.chars()
        .map(|c| numerals::digit(c).map_or(c, char::from))
        .collect()
}

/// Every character [`fold_char`] changes (the prefilter files their
/// encodings in its table).
pub fn folded_chars() -> impl Iterator<Item = char> {
    [
        '\u{A0}', '\u{AD}', '\u{1680}', '\u{180E}', '\u{3000}', '\u{FEFF}',
    ]
    .into_iter()
    .chain('\u{2000}'..='\u{2064}')
    .chain('\u{FF0B}'..='\u{FF5A}')
    .filter(|&c| !matches!(fold_char(c), Fold::Keep))
    // those folded only in their context (`in_context`)
    .chain(('\u{2010}'..='\u{2212}').filter(|&c| is_dash(c)))
    .chain(LOOKALIKES.chars())
}

/// Does `text` hold a character [`fold_char`] changes? Looks only where
/// one of their lead bytes stands.
fn may_fold(text: &str) -> bool {
    let b = text.as_bytes();
    let hit = |i: usize| folds_at(b, i);
    memchr::memchr3_iter(0xC2, 0xE2, 0xEF, b).any(hit)
        || memchr::memchr2_iter(0xE1, 0xE3, b).any(hit)
        || memchr::memchr2_iter(0xD0, 0xD1, b).any(hit)
        || b.iter()
            .enumerate()
            .any(|(i, c)| (0xE4..=0xE9).contains(c) && in_number(b, i))
}

/// A folded text and, for each place it differs from the original, where
/// the folded and the original text resume (`(folded, original)`, both
/// ascending).
#[derive(Debug)]
pub struct Folded {
    pub text: String,
    marks: Vec<(usize, usize)>,
}

/// The folded form of `text`, or `None` when it has nothing to fold.
pub fn fold(text: &str) -> Option<Folded> {
    if !may_fold(text) {
        return None;
    }
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut marks = Vec::new();
    // the run of numerals being read: where it ends, and whether it is
    // read as digits (each run is measured once, at its first numeral)
    let (mut run_end, mut as_digits) = (0, false);
    for (i, c) in text.char_indices() {
        if let Some(d) = numerals::digit(c) {
            if i >= run_end {
                let (n, end, rare) = numeral_run(b, i, usize::MAX);
                (run_end, as_digits) = (end, n >= numerals::RUN && rare);
            }
            if as_digits {
                out.push(char::from(d));
                marks.push((out.len(), i + c.len_utf8()));
                continue;
            }
        }
        if let Some(a) = in_context(b, i, c) {
            out.push(char::from(a));
            marks.push((out.len(), i + c.len_utf8()));
            continue;
        }
        match fold_char(c) {
            Fold::Keep => out.push(c),
            Fold::Drop => marks.push((out.len(), i + c.len_utf8())),
            Fold::To(a) => {
                out.push(char::from(a));
                marks.push((out.len(), i + c.len_utf8()));
            }
        }
    }
    Some(Folded { text: out, marks })
}

impl Folded {
    /// The original offset of folded offset `p`: past the characters
    /// dropped just before it, so a span starts on what it matched (and
    /// ends after any dropped character that follows it).
    pub fn original(&self, p: usize) -> usize {
        let k = self.marks.partition_point(|&(f, _)| f <= p);
        match k.checked_sub(1).and_then(|k| self.marks.get(k)) {
            Some(&(f, o)) => o + (p - f),
            None => p,
        }
    }
}
