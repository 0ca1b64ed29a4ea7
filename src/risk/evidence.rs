//! Evidence around a keyword hit: the data that makes a word sensitive.
//! "salary" in a question is a topic; "salary" next to a name and an amount
//! is a record. Keyword rules act only with enough evidence in a window
//! around the keyword; below that their hit is recorded as `audit`.
//!
//! Deterministic byte scans, no regex: each kind of evidence is a bit, the
//! bits are what a hit reports (names only, never the text).

use super::confirm::{ceil_char, floor_char};

/// Bytes searched on each side of a keyword.
pub const RADIUS: usize = 240;
/// Score at which a keyword rule acts, unless its table entry says more.
pub const THRESHOLD: u32 = 2;
/// Flag on a rule's evidence score: its topic is a transaction (an order,
/// an invoice, a ticket), whose own amounts and dates are the transaction
/// itself. Figures count one point together; a person, a table of records
/// or a marking must add the rest.
pub const RECORDS: u32 = 1 << 16;

/// One kind of evidence; the value is its bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A money amount: currency sign or code next to digits, `185,000`,
    /// `42K`, `8.5万`, `320万`, `N+1`.
    Amount = 1,
    /// Two amounts or more.
    Amounts = 2,
    /// A date: `2026-11-30`, `3月15日`, `2027年`, `Jan 31`, `Q3`, `FY26`.
    Date = 4,
    Percent = 8,
    /// Two lines or more carrying figures and separators: a table or list
    /// of records.
    Table = 16,
    /// A document marking: confidential, embargoed, do not forward, 保密…
    Marking = 32,
    /// A named person's figures (`Alice's salary`, `张伟的工资`,
    /// `候选人`), or contact details (an e-mail, a phone number).
    Person = 64,
    /// The matched text itself carries figures (an address with a number).
    Data = 128,
}

const ALL: [(Kind, &str); 8] = [
    (Kind::Amount, "amount"),
    (Kind::Amounts, "amounts"),
    (Kind::Date, "date"),
    (Kind::Percent, "percent"),
    (Kind::Table, "table"),
    (Kind::Marking, "marking"),
    (Kind::Person, "person"),
    (Kind::Data, "data"),
];

pub use super::evidence_words::MARKINGS;
use super::evidence_words::{HYPOTHETICAL, MONTHS};

/// Names of the kinds set in `bits`, for the explanation of a hit.
pub fn names(bits: u8) -> Vec<&'static str> {
    ALL.iter()
        .filter(|(k, _)| bits & (*k as u8) != 0)
        .map(|(_, n)| *n)
        .collect()
}

/// Does a match with `bits` reach `need` (a score, maybe with [`RECORDS`])?
pub fn enough(need: u32, bits: u8, hypothetical: bool) -> bool {
    let figures =
        (Kind::Amount as u8) | (Kind::Amounts as u8) | (Kind::Date as u8) | (Kind::Percent as u8);
    let bits = if need & RECORDS != 0 && bits & figures != 0 {
        (bits & !figures) | Kind::Amount as u8
    } else {
        bits
    };
    score(bits, hypothetical) >= need & !RECORDS
}

/// The score of `bits` (see [`THRESHOLD`]); `hypothetical` cancels two.
pub fn score(bits: u8, hypothetical: bool) -> u32 {
    let mut s = 0u32;
    for (k, _) in ALL {
        if bits & (k as u8) != 0 {
            s += match k {
                Kind::Marking | Kind::Table | Kind::Data => 2,
                _ => 1,
            };
        }
    }
    if hypothetical {
        s.saturating_sub(2)
    } else {
        s
    }
}

/// Evidence around the match `text[start..end]`: its bits, and whether the
/// window reads as hypothetical.
pub fn around(text: &str, start: usize, end: usize) -> (u8, bool) {
    let lo = floor_char(text, start.saturating_sub(RADIUS));
    let hi = ceil_char(text, end.saturating_add(RADIUS));
    let b = text.as_bytes();
    let mut bits = 0u8;
    if b[start..end].iter().any(u8::is_ascii_digit) {
        bits |= Kind::Data as u8;
    }
    // The keyword itself is not its own evidence.
    let lower: Vec<u8> = b[lo..start]
        .iter()
        .chain([b' '].iter())
        .chain(b[end..hi].iter())
        .map(u8::to_ascii_lowercase)
        .collect();
    bits |= figures(&lower);
    let own: Vec<u8> = b[start..end].iter().map(u8::to_ascii_lowercase).collect();
    // A marking keyword (`confidential`) marks; one inside a word
    // (`保密协议`, a confidentiality agreement) does not.
    if MARKINGS
        .iter()
        .any(|m| contains_word(&lower, m) || own == m.as_bytes())
    {
        bits |= Kind::Marking as u8;
    }
    if ["千分之", "百分之", "万分之"]
        .iter()
        .any(|p| contains(&lower, p))
    {
        bits |= Kind::Percent as u8;
    }
    if person(&lower) || full_name(&b[lo..start]) || full_name(&b[end..hi]) {
        bits |= Kind::Person as u8;
    }
    if table(&lower) {
        bits |= Kind::Table as u8;
    }
    let hypothetical = HYPOTHETICAL.iter().any(|h| contains(&lower, h));
    (bits, hypothetical)
}

fn contains(hay: &[u8], needle: &str) -> bool {
    memchr::memmem::find(hay, needle.as_bytes()).is_some()
}

/// [`contains`], an ASCII needle only as whole words: `not public` is no
/// marking in `not publication`, nor `privileged` in `unprivileged`.
fn contains_word(hay: &[u8], needle: &str) -> bool {
    let n = needle.as_bytes();
    if !n.is_ascii() {
        return contains(hay, needle);
    }
    let word = |i: Option<usize>| {
        i.and_then(|i| hay.get(i))
            .is_some_and(u8::is_ascii_alphanumeric)
    };
    memchr::memmem::find_iter(hay, n)
        .any(|at| !word(at.checked_sub(1)) && !word(Some(at + n.len())))
}

/// Amounts, dates and percentages, from the digit runs of `w`.
fn figures(w: &[u8]) -> u8 {
    let mut bits = 0u8;
    let mut amounts = 0;
    let mut i = 0;
    while i < w.len() {
        if !w[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let s = i;
        while i < w.len()
            && (w[i].is_ascii_digit()
                || (matches!(w[i], b',' | b'.') && w.get(i + 1).is_some_and(u8::is_ascii_digit)))
        {
            i += 1;
        }
        let run = &w[s..i];
        // `#58213`, `no. 4411`: a ticket's or an order's number, not a figure
        if w[..s].ends_with(b"#") || w[..s].ends_with(b"no. ") || w[..s].ends_with(b"no.") {
            continue;
        }
        let digits = run.iter().filter(|c| c.is_ascii_digit()).count();
        let before = &w[s.saturating_sub(4)..s];
        let after = &w[i..(i + 7).min(w.len())];
        let after_sp = skip_space(after);
        if is_date(w, s, i, run, after) {
            bits |= Kind::Date as u8;
        } else if after_sp.first() == Some(&b'%') || after_sp.starts_with("百分".as_bytes()) {
            bits |= Kind::Percent as u8;
        } else if money_before(before)
            || money_after(after_sp)
            || run.contains(&b',') && digits >= 4
            || before.ends_with(b"n+")
        {
            amounts += 1;
        } else if digits >= 4
            && !(digits == 4 && (run.starts_with(b"19") || run.starts_with(b"20")))
            && digits <= 9
        {
            // a bare figure of 4-9 digits (a pay figure, a count), not a year
            amounts += 1;
        }
    }
    if amounts >= 1 {
        bits |= Kind::Amount as u8;
    }
    if amounts >= 2 {
        bits |= Kind::Amounts as u8;
    }
    bits
}

fn skip_space(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|c| **c == b' ').count();
    &s[n..]
}

fn money_before(before: &[u8]) -> bool {
    let t = before.trim_ascii_end();
    t.ends_with(b"$")
        || t.ends_with("€".as_bytes())
        || t.ends_with("£".as_bytes())
        || t.ends_with("¥".as_bytes())
        || t.ends_with("￥".as_bytes())
        || t.ends_with(b"usd")
        || t.ends_with(b"rmb")
        || t.ends_with(b"cny")
        || t.ends_with(b"eur")
        || t.ends_with(b"gbp")
}

fn money_after(a: &[u8]) -> bool {
    let unit = |u: &[u8]| a.len() == u.len() || !a[u.len()].is_ascii_alphabetic();
    ["万", "亿", "元", "千", "块"]
        .iter()
        .any(|u| a.starts_with(u.as_bytes()))
        || (a.starts_with(b"k") && unit(b"k"))
        || (a.starts_with(b"m") && unit(b"m"))
        || (a.starts_with(b"bn") && unit(b"bn"))
        || a.starts_with(b"usd")
        || a.starts_with(b"rmb")
        || a.starts_with(b"eur")
}

fn is_date(w: &[u8], s: usize, e: usize, run: &[u8], after: &[u8]) -> bool {
    let year = run.len() == 4 && (run.starts_with(b"19") || run.starts_with(b"20"));
    if year && (matches!(after.first(), Some(b'-' | b'/')) || after.starts_with("年".as_bytes())) {
        return true;
    }
    if run.len() <= 2 && (after.starts_with("月".as_bytes()) || after.starts_with("日".as_bytes()))
    {
        return true;
    }
    // Jan 31, March 14
    let head = w[s.saturating_sub(10)..s].trim_ascii_end();
    let word_start = head.iter().rposition(|c| !c.is_ascii_alphabetic());
    let word = &head[word_start.map_or(0, |p| p + 1)..];
    if run.len() <= 2 && word.len() >= 3 && MONTHS.iter().any(|m| word.starts_with(m.as_bytes())) {
        return true;
    }
    // Q3, FY26
    let prev = |n: usize| s >= n && w[s - n..s].iter().all(u8::is_ascii_alphabetic);
    let q =
        s >= 1 && w[s - 1] == b'q' && run.len() == 1 && (s < 2 || !w[s - 2].is_ascii_alphabetic());
    let fy = s >= 2 && &w[s - 2..s] == b"fy" && prev(2);
    let _ = e;
    q || fy
}

/// A named person's figures or contact details.
fn person(w: &[u8]) -> bool {
    const ZH: &[&str] = &[
        "的工资",
        "的薪资",
        "的月薪",
        "的年薪",
        "的奖金",
        "的绩效",
        "候选人",
        "姓名",
        "先生",
        "女士",
    ];
    if ZH.iter().any(|z| contains(w, z)) {
        return true;
    }
    // an e-mail address
    if let Some(at) = memchr::memchr(b'@', w) {
        let local = at > 0 && w[at - 1].is_ascii_alphanumeric();
        let domain = w[at + 1..]
            .iter()
            .take(40)
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'.' || **c == b'-')
            .any(|c| *c == b'.');
        if local && domain {
            return true;
        }
    }
    // `x's` after a word, as in "Kevin's salary" (lowercased here)
    w.windows(3)
        .any(|x| x[0].is_ascii_alphabetic() && x[1] == b'\'' && x[2] == b's')
        || phone(w)
}

/// Two capitalised words in a row not opening a sentence (`for Kevin
/// Park`): a person's name, most often.
fn full_name(w: &[u8]) -> bool {
    let cap = |x: &[u8]| {
        x.len() >= 2 && x[0].is_ascii_uppercase() && x[1..].iter().all(u8::is_ascii_lowercase)
    };
    let words: Vec<&[u8]> = w.split(|c| *c == b' ').collect();
    words.windows(3).any(|t| {
        let lead = t[0];
        let mid_sentence =
            !lead.is_empty() && lead.iter().all(u8::is_ascii_lowercase) && !lead.ends_with(b".");
        let last = t[2].trim_ascii_end();
        let last = last
            .strip_suffix(b":")
            .or_else(|| last.strip_suffix(b","))
            .unwrap_or(last);
        mid_sentence && cap(t[1]) && cap(last)
    })
}

/// A run of 11 digits starting with 1 (a CN mobile), or `+<country> <digits>`.
fn phone(w: &[u8]) -> bool {
    let mut i = 0;
    while i < w.len() {
        if w[i].is_ascii_digit() {
            let s = i;
            while i < w.len() && w[i].is_ascii_digit() {
                i += 1;
            }
            if i - s == 11 && w[s] == b'1' {
                return true;
            }
            let plus = s > 0 && w[s - 1] == b'+' && (s < 2 || !w[s - 2].is_ascii_alphanumeric());
            if plus && i - s <= 3 && w.get(i) == Some(&b' ') {
                return true;
            }
        } else {
            i += 1;
        }
    }
    false
}

/// Two lines or more that each hold a digit and a field separator.
fn table(w: &[u8]) -> bool {
    w.split(|c| *c == b'\n')
        .filter(|line| {
            line.iter().any(u8::is_ascii_digit)
                && (line.contains(&b'|')
                    || line.contains(&b'\t')
                    || line.contains(&b',')
                    || contains(line, "，")
                    || contains(line, "、")
                    || line.trim_ascii_start().starts_with(b"- ")
                    || line.first().is_some_and(u8::is_ascii_digit) && line.get(1) == Some(&b'.'))
        })
        .count()
        >= 2
}

#[cfg(test)]
#[path = "evidence_tests.rs"]
mod tests;
