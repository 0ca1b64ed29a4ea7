//! Numbers that act without a word naming them (issue #27: "a value alone
//! fires where its checksum makes chance unlikely"): national IDs in the
//! printed form only they take, payment cards by Luhn and issuer range,
//! phone numbers in international or North American form.
//!
//! Each form is found by the prefilter at a digit run (`Confirm`), or a
//! spaced NINO at its last digit and letter, and a validator takes a
//! match alone only where such an anchor in it passes the same test, so
//! windows always cover what the validators accept.

use super::digit_run::digits;
use super::ids_americas::{cpf, curp};
use super::ids_apac::{abn, thai};
use super::ids_europe::{hetu, nir};
use super::ids_more::{aba, cn_id_grouped};
use super::ids_world::{
    aadhaar, codice_fiscale, dni, itin, nhs, nino, nric, pan, rrn_alone, sin, ssn,
};

/// The run of ASCII digits starting at `i`.
fn run(b: &[u8], i: usize) -> usize {
    b.get(i..)
        .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count())
}

/// `sep` then a run of exactly `n` digits at `i`; where it ends.
fn then(b: &[u8], i: usize, sep: u8, n: usize) -> Option<usize> {
    (b.get(i) == Some(&sep) && run(b, i + 1) == n).then_some(i + 1 + n)
}

/// Is the byte at `i` (if any) an ASCII letter or digit?
fn alnum(b: &[u8], i: Option<usize>) -> bool {
    i.and_then(|i| b.get(i))
        .is_some_and(u8::is_ascii_alphanumeric)
}

/// Is the byte at `i` (if any) an upper-case ASCII letter?
fn upper(b: &[u8], i: Option<usize>) -> bool {
    i.and_then(|i| b.get(i)).is_some_and(u8::is_ascii_uppercase)
}

/// The anchors of a spaced UK NINO (`JT 48 12 73 C`), which has no run of
/// three digits: its last digit, a space and the suffix letter (A-D).
pub const NINO_ANCHORS: &[&str] = &[
    "0 a", "0 b", "0 c", "0 d", "1 a", "1 b", "1 c", "1 d", "2 a", "2 b", "2 c", "2 d", "3 a",
    "3 b", "3 c", "3 d", "4 a", "4 b", "4 c", "4 d", "5 a", "5 b", "5 c", "5 d", "6 a", "6 b",
    "6 c", "6 d", "7 a", "7 b", "7 c", "7 d", "8 a", "8 b", "8 c", "8 d", "9 a", "9 b", "9 c",
    "9 d",
];

/// A NINO printed in HMRC's spaced form at `p`: two letters, three pairs
/// of digits and the suffix letter, single spaces, standing apart.
fn nino_spaced(b: &[u8], p: usize) -> bool {
    let Some(s) = b.get(p..p + 13) else {
        return false;
    };
    !alnum(b, p.checked_sub(1))
        && !alnum(b, Some(p + 13))
        && s[..2].iter().all(u8::is_ascii_alphabetic)
        && (b'a'..=b'd').contains(&s[12].to_ascii_lowercase())
        && [2, 5, 8, 11].iter().all(|&i| s[i] == b' ')
        && [3, 4, 6, 7, 9, 10].iter().all(|&i| s[i].is_ascii_digit())
}

/// No digit two bytes before `start` or one after the separator at `end`:
/// `1 527 481 345` is a number in thousands, not a SIN.
fn lone(b: &[u8], start: usize, end: usize) -> bool {
    let digit = |i: Option<usize>| i.and_then(|i| b.get(i)).is_some_and(u8::is_ascii_digit);
    !digit(start.checked_sub(2)) && !digit(Some(end + 1))
}

/// A French NIR printed in its groups at `p`, `s dd dd dd ddd ddd kk`
/// (the département `2A`/`2B` in Corsica), standing apart.
fn nir_spaced(b: &[u8], p: usize) -> bool {
    let Some(s) = b.get(p..p + 21) else {
        return false;
    };
    let digit = |i: usize| s[i].is_ascii_digit();
    !alnum(b, p.checked_sub(1))
        && !alnum(b, Some(p + 21))
        && [1, 4, 7, 10, 14, 18].iter().all(|&i| s[i] == b' ')
        && [0, 2, 3, 5, 6, 11, 12, 13, 15, 16, 17, 19, 20]
            .iter()
            .all(|&i| digit(i))
        && (digit(8) && digit(9) || matches!(&s[8..10], b"2A" | b"2B"))
}

/// A henkilötunnus at the 6-digit run ending at `end`: the century sign,
/// three digits and the check character, upper case as printed, standing
/// apart; alone only with a letter in it (a sign from 2000 or the 2023
/// ones, or a letter check), as `dddddd-dddd` is also a Nordic or Korean
/// number or a dated serial.
fn hetu_printed(b: &[u8], start: usize, end: usize) -> bool {
    let (Some(&sign), Some(&check)) = (b.get(end), b.get(end + 4)) else {
        return false;
    };
    let letter = |c: u8| c.is_ascii_uppercase();
    !alnum(b, start.checked_sub(1))
        && (b"+-".contains(&sign) || letter(sign))
        && b.get(end + 1..end + 4).and_then(digits).is_some()
        && (check.is_ascii_digit() || letter(check))
        && (letter(sign) || letter(check))
        && !alnum(b, Some(end + 5))
}

/// A CURP at the 6-digit run `b[start..end]` (its birth date): four
/// letters before, sex, state, consonants, a character and a digit after.
fn curp_printed(b: &[u8], start: usize, end: usize) -> bool {
    let up = |r: std::ops::Range<usize>| {
        b.get(r)
            .is_some_and(|s| s.iter().all(u8::is_ascii_uppercase))
    };
    start >= 4
        && up(start - 4..start)
        && !alnum(b, start.checked_sub(5))
        && up(end..end + 6)
        && alnum(b, Some(end + 6))
        && b.get(end + 7).is_some_and(u8::is_ascii_digit)
        && !alnum(b, Some(end + 8))
}

/// `.ddd.ddd-dd` at `at`: the rest of a CPF as printed.
fn cpf_rest(b: &[u8], at: usize) -> bool {
    then(b, at, b'.', 3)
        .and_then(|e| then(b, e, b'.', 3))
        .and_then(|e| then(b, e, b'-', 2))
        .is_some_and(|e| !alnum(b, Some(e)))
}

/// At a digit run `b[start..end]`: the start of a national ID's printed
/// form alone (SSN/ITIN `ddd-dd-dddd`, NHS `ddd ddd dddd`, SIN
/// `ddd ddd ddd`, Aadhaar `dddd dddd dddd`, an ABA routing number as
/// `dddd-dddd-d`, Korean RRN `dddddd-ddddddd`, DNI `dddddddd-L`, a
/// Chinese resident ID `dddd dddd dddd dddd dd` or `dddddd dddddddd
/// dddd`), the digits of a letter form (NRIC/FIN `S1234567D`, NIE
/// `X1234567L`, PAN `ABCPE1234F`) or the last digits of a codice fiscale
/// (`…A562S`). Or at a [`nino_anchors`] literal, the end of a spaced NINO.
pub fn id_head(b: &[u8], start: usize, end: usize) -> bool {
    if b.get(start + 1) == Some(&b' ') {
        return start.checked_sub(10).is_some_and(|p| nino_spaced(b, p));
    }
    let sep = b.get(end).copied().unwrap_or(0);
    let groups = |ns: &[usize]| {
        ns.iter()
            .try_fold(end, |at, &n| then(b, at, sep, n))
            .is_some_and(|e| !alnum(b, Some(e)))
    };
    // one upper-case letter right after the run, standing apart
    let letter_after = |at: usize| upper(b, Some(at)) && !alnum(b, Some(at + 1));
    let before = |k: usize| start.checked_sub(k);
    match end - start {
        3 => {
            // a NIR at its commune; an ABN `dd ddd ddd ddd` at its second
            // group; a CPF `ddd.ddd.ddd-dd`
            start.checked_sub(11).is_some_and(|p| nir_spaced(b, p))
                || (sep == b' '
                    && before(1).and_then(|i| b.get(i)) == Some(&b' ')
                    && before(3).is_some_and(|p| run(b, p) == 2 && !alnum(b, p.checked_sub(1)))
                    && groups(&[3, 3]))
                || (sep == b'.' && cpf_rest(b, start + 3) && !alnum(b, before(1)))
                || (matches!(sep, b'-' | b'.' | b' ') && groups(&[2, 4]))
                || (matches!(sep, b'-' | b' ') && groups(&[3, 4]))
                || (matches!(sep, b'-' | b' ') && groups(&[3, 3]) && lone(b, start, end + 8))
                || (upper(b, before(1)) && upper(b, Some(end)) && start >= 12)
        }
        4 => {
            // (and the first groups of a Chinese ID `dddd dddd dddd dddd dd`)
            (matches!(sep, b'-' | b' ') && groups(&[4, 4]))
                // a Thai ID `d dddd ddddd dd d`
                || (matches!(sep, b'-' | b' ')
                    && before(1).and_then(|i| b.get(i)) == Some(&sep)
                    && before(2).is_some_and(|p| run(b, p) == 1 && !alnum(b, p.checked_sub(1)))
                    && groups(&[5, 2, 1]))
                || (sep == b'-' && groups(&[4, 1]))
                // PAN: five capitals (the 4th the holder's type) before
                || ((1..=5).all(|k| upper(b, before(k)))
                    && before(2)
                        .and_then(|i| b.get(i))
                        .is_some_and(|c| b"ABCFGHJLPT".contains(c))
                    && !alnum(b, before(6))
                    && letter_after(end))
        }
        // RRN; a Chinese ID `dddddd dddddddd dddd`; a henkilötunnus; a CURP
        6 => {
            (sep == b'-' && groups(&[7]))
                || (sep == b' ' && run(b, end + 1) == 8)
                || hetu_printed(b, start, end)
                || curp_printed(b, start, end)
        }
        7 => {
            before(1)
                .and_then(|i| b.get(i))
                .is_some_and(|c| b"STFGXYZ".contains(c))
                && !alnum(b, before(2))
                && letter_after(end)
        }
        8 => {
            // not the tail of a code (`INV-48203917B`, `a/48203917B`)
            let code = before(1)
                .and_then(|i| b.get(i))
                .is_some_and(|c| c.is_ascii_alphanumeric() || b"-_/.#".contains(c));
            !code && (letter_after(end) || (sep == b'-' && letter_after(end + 1)))
        }
        _ => false,
    }
}

/// Is the match `b[start..end]` (`v` its compact value) a national ID
/// that acts alone? Each form is one [`id_head`] opens a window for.
pub fn alone(b: &[u8], start: usize, end: usize, v: &[u8]) -> bool {
    let m = &b[start..end];
    if m.len() == 13 && nino_spaced(b, start) {
        // one case throughout, as printed or typed in lower case
        let case = |c: &u8| c.is_ascii_uppercase();
        return (case(&m[0]) == case(&m[1]) && case(&m[0]) == case(&m[12])) && nino(v);
    }
    // after `+` a number is a phone's (`+48 123 456 789`); after a digit
    // and a separator the match is the tail of longer groups (`19 935 181
    // 909` is no SIN, whatever an ABN's head saw in it)
    let at = |k: usize| start.checked_sub(k).and_then(|i| b.get(i));
    let phone = at(1) == Some(&b'+');
    let tail = at(2).is_some_and(u8::is_ascii_digit) && matches!(at(1), Some(b' ' | b'-' | b'.'));
    !phone && !tail && id_alone(m, v) && any_run(b, start, end, id_head)
}

/// A run of one letter or the letters in order (`AAAAA`, `ABCDE`).
fn letters_made_up(l: &[u8]) -> bool {
    l.windows(2).all(|w| w[0] == w[1]) || l.windows(2).all(|w| w[1] == w[0] + 1)
}

/// Eight digits that read as a date `yyyymmdd` (a build or a batch
/// stamp, `20240115-A`), not a DNI.
fn date_like(d: &[u32]) -> bool {
    let y = d[0] * 10 + d[1];
    let (m, day) = (d[4] * 10 + d[5], d[6] * 10 + d[7]);
    matches!(y, 19 | 20) && (1..=12).contains(&m) && (1..=31).contains(&day)
}

/// Is the match `m` (as written, `v` its compact value) a national ID
/// in a form that acts alone?
fn id_alone(m: &[u8], v: &[u8]) -> bool {
    if !m.first().is_some_and(u8::is_ascii_digit) {
        // letter forms, upper case as printed
        if m != v {
            return false;
        }
        // seven digits; a run with its check letter (the ICA's own
        // `S1234567D`) was computed, not typed, and is taken as plausible
        let seven = || v.get(1..8).and_then(digits).is_some();
        return match (v.len(), v.first()) {
            // a codice fiscale, its last digits a run
            (16, _) => run(m, 12) == 3 && codice_fiscale(v),
            (9, Some(b'S' | b'T' | b'F' | b'G')) => seven() && nric(v),
            (9, Some(b'X' | b'Y' | b'Z')) => dni(v),
            (10, _) => pan(v) && !letters_made_up(&v[..5]),
            (18, _) => curp(v),
            _ => false,
        };
    }
    // forms with a letter inside or two separators: NIR, henkilötunnus, CPF
    if m.len() == 21 && nir_spaced(m, 0) {
        return nir(v);
    }
    if m.len() == 11 && hetu_printed(m, 0, 6) {
        return hetu(v);
    }
    if m.len() == 14 && run(m, 0) == 3 && cpf_rest(m, 3) {
        return cpf(v);
    }
    // a Chinese ID's check character `X` counts in its last group
    let (m, x) = match m.split_last() {
        Some((b'X' | b'x', body)) if v.len() == 18 => (body, 1),
        _ => (m, 0),
    };
    if let Some((last, body)) = m.split_last().filter(|(c, _)| c.is_ascii_alphabetic()) {
        // DNI: eight digits, the check letter attached or after `-`
        let body = body.strip_suffix(b"-").unwrap_or(body);
        return last.is_ascii_uppercase()
            && digits(body).is_some_and(|d| d.len() == 8 && !date_like(&d))
            && dni(v);
    }
    // the digit groups' lengths (up to 5) and their one separator
    let (mut shape, mut n, mut sep) = ([0usize; 5], 0, 0u8);
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
    if let Some(g) = shape.get_mut(n) {
        *g += x;
    }
    let dot = sep == b'.';
    match (n, shape) {
        (2, [3, 2, 4, 0, 0]) => ssn(v) || itin(v),
        (2, [3, 3, 4, 0, 0]) => !dot && nhs(v),
        (2, [3, 3, 3, 0, 0]) => !dot && sin(v),
        (2, [4, 4, 4, 0, 0]) => !dot && aadhaar(v),
        (2, [4, 4, 1, 0, 0]) => sep == b'-' && aba(v),
        (3, [2, 3, 3, 3, 0]) => sep == b' ' && abn(v),
        (4, [1, 4, 5, 2, 1]) => !dot && thai(v),
        (1, [6, 7, 0, 0, 0]) => sep == b'-' && rrn_alone(v),
        (4, [4, 4, 4, 4, 2]) | (2, [6, 8, 4, 0, 0]) => sep == b' ' && cn_id_grouped(v),
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
