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

/// Whether a character [`fold_char`] changes starts at `b[i]`. Reads the
/// next two bytes as they are encoded (no decoding: Chinese text has a
/// lead byte `E3`/`EF` at most punctuation marks). The prefilter asks this
/// where its table files one of these characters.
pub fn folds_at(b: &[u8], i: usize) -> bool {
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
}

/// Does `text` hold a character [`fold_char`] changes? Looks only where
/// one of their lead bytes stands.
fn may_fold(text: &str) -> bool {
    let b = text.as_bytes();
    let hit = |i: usize| folds_at(b, i);
    memchr::memchr3_iter(0xC2, 0xE2, 0xEF, b).any(hit)
        || memchr::memchr2_iter(0xE1, 0xE3, b).any(hit)
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
    let mut out = String::with_capacity(text.len());
    let mut marks = Vec::new();
    for (i, c) in text.char_indices() {
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
