//! What the prefilter checks at a found anchor before opening a window
//! (`Confirm`: an upper-case literal, an assignment after a credential
//! name, a mobile number's head, a dotted quad), and the char-boundary
//! helpers windows are cut with.

use super::builtin::Confirm;
use super::id_alone;
use super::ids_shaped;
use super::wallets;

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
            // the anchors the pattern takes only at a word's start, not
            // inside `task` (`pwd` it takes after a name too: `dbpwd=`)
            let word_only = [&b"sk"[..], b"pw", b"pass", b"key="]
                .iter()
                .any(|w| anchor.eq_ignore_ascii_case(w));
            // a camelCase name's last word (`dbPass`) starts inside one
            let camel = anchor == b"Pass"
                && start > 0
                && (b[start - 1].is_ascii_lowercase() || b[start - 1].is_ascii_digit());
            if word_only && !camel && start > 0 && b[start - 1].is_ascii_alphanumeric() {
                return false;
            }
            if anchor.eq_ignore_ascii_case(b"bearer")
                || (anchor.len() > 4 && (anchor.ends_with(b"pass") || anchor.ends_with(b"auth")))
                || anchor.ends_with(b"=")
                || b[start] >= 0x80
            {
                return true;
            }
            // the operator is looked for after the rest of the name, which
            // the pattern takes up to 24 characters long (`dbpwd_for_…=`):
            // from the anchor's end it was out of reach (found by the
            // risk_mask fuzz target)
            let name = b[end..]
                .iter()
                .take(24)
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-'))
                .count();
            let near = &b[end + name..(end + name + 24).min(b.len())];
            matches!(near.first(), Some(b'>' | b'"' | b'\''))
                || opens_call_with_string(near)
                || near.iter().any(|&c| c == b':' || c == b'=')
                || memchr::memmem::find(near, "：".as_bytes()).is_some()
                || memchr::memmem::find(near, "＝".as_bytes()).is_some()
                || memchr::memmem::find(near, "是".as_bytes()).is_some()
                || memchr::memmem::find(near, "为".as_bytes()).is_some()
                || spaced_value(&b[end..(end + 64).min(b.len())])
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
        Confirm::IbanHead => iban_head_before(b, start),
        Confirm::IdShape => ids_shaped::head(b, start, end),
        Confirm::ZipTail => zip_tail(b, start, end),
        Confirm::PlateHead => {
            let letter = b
                .get(end)
                .is_some_and(|c| c.is_ascii_uppercase() && !matches!(c, b'I' | b'O'));
            let apart = !start
                .checked_sub(1)
                .and_then(|i| b.get(i))
                .is_some_and(u8::is_ascii_alphanumeric);
            letter && apart
        }
        Confirm::KeyTail => {
            let word_start = !start
                .checked_sub(1)
                .and_then(|i| b.get(i))
                .is_some_and(|&c| is_word(c));
            let tail = b
                .get(end..)
                .unwrap_or_default()
                .iter()
                .take(12)
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
                .count();
            word_start && tail == 12
        }
        Confirm::Snowflake => super::discord::confirm(b, start),
        Confirm::CardGroup => {
            if !b[start].is_ascii_digit() {
                return true;
            }
            let digits = |from: usize| {
                b[from.min(b.len())..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count()
            };
            (end - start == 4
                && matches!(b.get(end), Some(b' ' | b'-'))
                && matches!(digits(end + 1), 4 | 6))
                || id_alone::card_head(b, start, end)
        }
        Confirm::IdHead => !b[start].is_ascii_digit() || id_alone::id_head(b, start, end),
        Confirm::PhoneHead
            if b.get(start..start + 6)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"number")) =>
        {
            // `my number is 09-…`: a digit soon after (`phone::my_number`)
            b[end..(end + 24).min(b.len())]
                .iter()
                .any(u8::is_ascii_digit)
        }
        Confirm::PhoneHead => !b[start].is_ascii_digit() || id_alone::phone_head(b, start, end),
        Confirm::Wallet => wallets::head(b, start, end),
    }
}

/// `[A-Z]{2}[0-9]{2}` not preceded by a letter or digit, starting at most
/// 40 bytes before `at` (an IBAN's country code and check digits).
fn iban_head_before(b: &[u8], at: usize) -> bool {
    let lo = at.saturating_sub(40);
    (lo..=at).any(|i| {
        b.get(i..i + 4).is_some_and(|h| {
            h[0].is_ascii_uppercase()
                && h[1].is_ascii_uppercase()
                && h[2].is_ascii_digit()
                && h[3].is_ascii_digit()
        }) && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
    })
}

/// `("…`, `e.assign('…`, `_key( "…`: a constructor or `assign` whose first
/// argument is a string, right after a credential name.
fn opens_call_with_string(near: &[u8]) -> bool {
    let n = near.iter().take_while(|&&c| is_word(c)).count();
    let rest = &near[n..];
    let rest = rest.strip_prefix(&b".assign"[..]).unwrap_or(rest);
    let Some(rest) = rest.strip_prefix(&b"("[..]) else {
        return false;
    };
    let n = rest
        .iter()
        .take_while(|&&c| c == b' ' || c == b'\t')
        .count();
    matches!(rest.get(n), Some(b'"' | b'\''))
}

/// `  Hx!vpn2024`, ` is Hx!vpn2024`, `_db string is Hx!vpn2024`: a token
/// after white space with a digit, 6 bytes or more. Without an operator a
/// value is a secret only with a digit (`literal::spaced_value_ok`, which
/// the reference scan applies too); this looks at every token of the
/// window so it fires wherever that value can stand.
fn spaced_value(after: &[u8]) -> bool {
    after.split(|c| c.is_ascii_whitespace()).skip(1).any(|tok| {
        tok.len() >= 6
            && tok
                .iter()
                .take(super::literal::SPACED_DIGIT_REACH)
                .any(u8::is_ascii_digit)
    })
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

/// USPS's two-letter codes of the states, DC and Puerto Rico; the
/// address pattern names the same ones (a test checks).
pub(super) const STATES: &[&[u8; 2]] = &[
    b"AL", b"AK", b"AZ", b"AR", b"CA", b"CO", b"CT", b"DE", b"FL", b"GA", b"HI", b"ID", b"IL",
    b"IN", b"IA", b"KS", b"KY", b"LA", b"ME", b"MD", b"MA", b"MI", b"MN", b"MS", b"MO", b"MT",
    b"NE", b"NV", b"NH", b"NJ", b"NM", b"NY", b"NC", b"ND", b"OH", b"OK", b"OR", b"PA", b"RI",
    b"SC", b"SD", b"TN", b"TX", b"UT", b"VT", b"VA", b"WA", b"WV", b"WI", b"WY", b"DC", b"PR",
];

/// The digit run `b[start..end]` is a ZIP after a state's code: five
/// digits, then ` XX ` before them (`IL 62704`), as the address pattern
/// writes it.
fn zip_tail(b: &[u8], start: usize, end: usize) -> bool {
    let blank = |i: usize| b.get(i).is_some_and(|c| matches!(c, b' ' | b'\t'));
    end - start == 5
        && start >= 4
        && blank(start - 1)
        && b.get(start - 3..start - 1)
            .is_some_and(|s| STATES.iter().any(|st| &st[..] == s))
        && blank(start - 4)
}
