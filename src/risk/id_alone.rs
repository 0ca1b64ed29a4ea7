//! Numbers that act without a word naming them (issue #27: "a value alone
//! fires where its checksum makes chance unlikely"): national IDs in the
//! printed form only they take, payment cards by Luhn and issuer range,
//! phone numbers in international or North American form.
//!
//! Each form is found by the prefilter at a digit run (`Confirm`), and a
//! validator takes a match alone only where such a run in it passes the
//! same test, so windows always cover what the validators accept.

use super::ids_world::{aadhaar, codice_fiscale, itin, nhs, rrn_alone, ssn};

/// The run of ASCII digits starting at `i`.
fn run(b: &[u8], i: usize) -> usize {
    b.get(i..)
        .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count())
}

/// `sep` then a run of exactly `n` digits at `i`; where it ends.
fn then(b: &[u8], i: usize, sep: u8, n: usize) -> Option<usize> {
    (b.get(i) == Some(&sep) && run(b, i + 1) == n).then_some(i + 1 + n)
}

/// At a digit run `b[start..end]`: the start of a national ID's printed
/// form alone (SSN/ITIN `ddd-dd-dddd`, NHS `ddd ddd dddd`, Aadhaar
/// `dddd dddd dddd`, Korean RRN `dddddd-ddddddd`) or the last digits of a
/// codice fiscale (`…A562S`).
pub fn id_head(b: &[u8], start: usize, end: usize) -> bool {
    let sep = b.get(end).copied().unwrap_or(0);
    let groups = |ns: &[usize]| {
        ns.iter()
            .try_fold(end, |at, &n| then(b, at, sep, n))
            .is_some_and(|e| !b.get(e).is_some_and(u8::is_ascii_alphanumeric))
    };
    let upper = |i: Option<usize>| i.and_then(|i| b.get(i)).is_some_and(u8::is_ascii_uppercase);
    match end - start {
        3 => {
            (matches!(sep, b'-' | b'.' | b' ') && groups(&[2, 4]))
                || (matches!(sep, b'-' | b' ') && groups(&[3, 4]))
                || (upper(start.checked_sub(1)) && upper(Some(end)) && start >= 12)
        }
        4 => matches!(sep, b'-' | b' ') && groups(&[4, 4]),
        6 => sep == b'-' && groups(&[7]),
        _ => false,
    }
}

/// Is the match `m` (as written, `v` its compact value) a national ID
/// that acts alone?
pub fn id_alone(m: &[u8], v: &[u8]) -> bool {
    if !m.first().is_some_and(u8::is_ascii_digit) {
        // a codice fiscale, upper case as printed, its last digits a run
        return m == v && m.len() == 16 && run(m, 12) == 3 && codice_fiscale(v);
    }
    // the digit groups' lengths (up to 3) and their one separator
    let (mut shape, mut n, mut sep) = ([0usize; 3], 0, 0u8);
    for &c in m {
        if c.is_ascii_digit() {
            match shape.get_mut(n) {
                Some(g) => *g += 1,
                None => return false,
            }
        } else if sep == 0 || sep == c {
            (sep, n) = (c, n + 1);
        } else {
            return false;
        }
    }
    let dot = sep == b'.';
    match (n, shape) {
        (2, [3, 2, 4]) => ssn(v) || itin(v),
        (2, [3, 3, 4]) => !dot && nhs(v),
        (2, [4, 4, 4]) => !dot && aadhaar(v),
        (1, [6, 7, 0]) => sep == b'-' && rrn_alone(v),
        _ => false,
    }
}

/// Does a digit run in `b[start..end]` pass `head`?
pub fn any_run(b: &[u8], start: usize, end: usize, head: fn(&[u8], usize, usize) -> bool) -> bool {
    let mut i = start;
    while i < end {
        let n = run(b, i);
        if n >= 3 && (i == 0 || !b[i - 1].is_ascii_digit()) && head(b, i, i + n) {
            return true;
        }
        i += n.max(1);
    }
    false
}

/// At a digit run: a payment card written as one number (13-19 digits,
/// first digit 1-6), not part of a word or a dotted number.
pub fn card_head(b: &[u8], start: usize, end: usize) -> bool {
    let before = start.checked_sub(1).and_then(|i| b.get(i));
    (13..=19).contains(&(end - start))
        && (b'1'..=b'6').contains(&b[start])
        && !before.is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'.' || c == b'_')
}

/// At a digit run: part of an international number (`+` within the 8
/// bytes before, only digits and separators between) or a North
/// American area code in parentheses (`(425) `).
pub fn phone_head(b: &[u8], start: usize, end: usize) -> bool {
    let lo = start.saturating_sub(8);
    let plus = (lo..start)
        .rev()
        .take_while(|&i| b[i].is_ascii_digit() || b"+ -.()".contains(&b[i]))
        .any(|i| b[i] == b'+' && b.get(i + 1).is_some_and(u8::is_ascii_digit));
    let area = end - start == 3 && start > 0 && b[start - 1] == b'(' && b.get(end) == Some(&b')');
    plus || area
}

/// A phone number alone: `+` and 10-15 digits (E.164 with its country
/// code), or `(NXX) NXX-XXXX` (the North American plan: area code and
/// exchange do not start with 0 or 1).
pub fn phone_alone(m: &[u8], digits: usize) -> bool {
    // `(NXX) NXX-XXXX`, `(NXX)NXX-XXXX`
    let nanp = |m: &[u8]| {
        let exchange = m.len().saturating_sub(8);
        digits == 10
            && m.get(4) == Some(&b')')
            && m.get(1).is_some_and(|&c| c >= b'2')
            && m.get(exchange).is_some_and(|&c| c >= b'2')
    };
    match m.first() {
        Some(b'+') => (10..=15).contains(&digits),
        Some(b'(') => nanp(m),
        _ => false,
    }
}
