//! Phone numbers of any country: E.164 (`+44 20 7946 0958`) or a
//! national form with an area code in parentheses or groups, taken only
//! with a word for a phone near it (a run of digits in groups is as often
//! an order, a date or a version).

use super::digit_run::placeholder;
use super::id_alone;
use super::id_words::{self, near};
use super::words_back::{rev_words, rfind};

/// Words for a phone, lowercase; ASCII ones stand as whole words.
pub const WORDS: &[(&str, u32)] = &[
    ("phone", 1),
    ("phones", 1),
    ("telephone", 1),
    ("tel", 1),
    ("mobile", 1),
    ("cell", 1),
    ("cellphone", 1),
    ("fax", 1),
    ("whatsapp", 1),
    // asking to be called, reached or texted: only a number written as a
    // phone is (`call stack depth 1048576` is not)
    ("call", 4),
    ("dial", 4),
    ("reach", 4),
    ("text me", 4),
    ("txt me", 4),
    ("sms", 4),
    ("ring me", 4),
    ("电话", 1),
    ("電話", 1),
    ("手机", 1),
    ("手機", 1),
    ("座机", 1),
    ("固话", 1),
    ("致电", 1),
    ("传真", 1),
    ("联系方式", 1),
    ("拨打", 4),
    ("打给", 4),
    ("热线", 4),
    ("短信", 4),
    // asking to be called, in words that also ask for anything else
    // (`请联系法务`, `打包`): only before a number in national form
    ("联系", 8),
    ("打", 8),
    ("请拨", 8),
    ("回电", 8),
    ("来电", 8),
    ("call back", 8),
    // weak: only as `my … number is` before a national form (`my_number`)
    ("number", 2),
    ("numbers", 2),
];

/// A word of [`WORDS`] that names a phone by itself.
const PHONE: u32 = 1;

/// A verb of [`WORDS`] that asks to be called or texted: it names a phone
/// only written in groups or with `+`.
const ASK: u32 = 4;

/// A word of [`WORDS`] that asks for a call among other things: it names
/// a phone only in a national numbering plan's printed form.
const ASK_NATIONAL: u32 = 8;

/// 7-12 digits (with `+`, 8-15: E.164's limit), standing apart from other
/// digits and letters, not a date nor a run of one digit (a timestamp's
/// zeros), and named by a word near.
pub fn valid(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let m = &b[start..end];
    let n = m.iter().filter(|c| c.is_ascii_digit()).count();
    let plus = m.first() == Some(&b'+');
    let before = start.checked_sub(1).and_then(|i| b.get(i));
    // the tail of a longer number the regex retried inside (`400-123-4567`)
    let inside = before.is_some_and(|&c| b"-./)".contains(&c))
        || (before == Some(&b' ')
            && start
                .checked_sub(2)
                .and_then(|i| b.get(i))
                .is_some_and(u8::is_ascii_digit));
    let joined = before.is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'+' || c == b'.')
        || b.get(end).is_some_and(|&c| c.is_ascii_alphanumeric())
        || (b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(u8::is_ascii_digit));
    let one_digit_run = m
        .windows(5)
        .any(|w| w.iter().all(|&c| c == w[0] && c.is_ascii_digit()));
    // the digits in order (`12345678901`): a form's example, as for IDs
    let digits: Vec<u32> = m
        .iter()
        .filter(|c| c.is_ascii_digit())
        .map(|c| u32::from(c - b'0'))
        .collect();
    let not_a_phone = joined
        || inside
        || one_digit_run
        || placeholder(&digits)
        || is_date(m)
        || taken_elsewhere(m);
    let alone =
        || id_alone::phone_alone(m, n) && id_alone::any_run(b, start, end, id_alone::phone_head);
    (if plus { 8..=15 } else { 7..=12 }).contains(&n)
        && !not_a_phone
        && (named(near(WORDS, text, start, end), m, plus, n)
            || alone()
            || (national(m, n) && my_number(b, start) && !other_kind(text, start, end)))
}

/// A phone word, or an asking verb before a number in a phone's form.
fn named(words: u32, m: &[u8], plus: bool, digits: usize) -> bool {
    words & PHONE != 0
        || (words & ASK != 0 && (plus || m.iter().any(|c| b" -.()".contains(c))))
        || (words & ASK_NATIONAL != 0 && (plus || (national(m, digits) && dialable(m))))
}

/// A [`national`] number as it is dialled: after the trunk `0`, an area
/// code (never `0`: `00` dials abroad) and a subscriber's group that
/// starts with 2-9 (0 and 1 open other kinds of numbers in China's and
/// most national plans), so `0001-2345678` and `0442-1180093` are a
/// build's and a SKU's. A North American number (no trunk `0`) has had
/// its groups' first digits checked by `national` already (`201-…` has a
/// `0` second).
fn dialable(m: &[u8]) -> bool {
    let m = m.strip_prefix(b"(").unwrap_or(m);
    if m.first() != Some(&b'0') {
        return true;
    }
    let second_group = m
        .iter()
        .position(|c| !c.is_ascii_digit())
        .and_then(|i| m[i..].iter().find(|c| c.is_ascii_digit()));
    m.get(1).is_some_and(|c| (b'1'..=b'9').contains(c))
        && second_group.is_some_and(|c| (b'2'..=b'9').contains(c))
}

/// A word naming an ID, a tax or a bank number near (`my NHS number 943
/// 476 5919`): that kind's rule judges the number, not this one.
fn other_kind(text: &str, start: usize, end: usize) -> bool {
    id_words::named_near(text, start, end) != 0 || near(id_words::BANKING, text, start, end) != 0
}

/// A number as a national numbering plan prints it: the trunk prefix `0`
/// and 8 to 11 digits in groups (`09-7625400`, `090-1234-5678`,
/// `020 7946 0958`, `030 12345678`, `0755-86013388`: ITU-T E.164 national
/// significant numbers of 8-11 digits after it, China's landlines the
/// longest), or the North American `NXX-NXX-XXXX`.
fn national(m: &[u8], digits: usize) -> bool {
    let m = m.strip_prefix(b"(").unwrap_or(m);
    let grouped = m.iter().any(|c| b" -.)".contains(c));
    let trunk = m.first() == Some(&b'0') && (9..=12).contains(&digits);
    // `NXX-NXX-XXXX`: the groups' lengths and first digits
    let (mut lens, mut firsts, mut k) = ([0usize; 3], [0u8; 3], 0);
    for (i, &c) in m.iter().enumerate() {
        if !c.is_ascii_digit() {
            continue;
        }
        if i > 0 && !m[i - 1].is_ascii_digit() && lens[0] > 0 {
            k += 1;
        }
        if k > 2 {
            return grouped && trunk;
        }
        if lens[k] == 0 {
            firsts[k] = c;
        }
        lens[k] += 1;
    }
    let nanp = lens == [3, 3, 4] && firsts[0] >= b'2' && firsts[1] >= b'2';
    grouped && (trunk || nanp)
}

/// `my number is`, `my Israeli number:`, `my work number`: the number is
/// the writer's own, in the same sentence, `number` at most 12 bytes
/// before it with only `is`, `:` or white space between; `my` at most
/// three words before `number`, and each word between a capitalised one (a
/// country, `US`, `UK`; not one of [`NOT_PHONES`]) or one of
/// [`PHONE_KINDS`]. `number` alone names an
/// order, a version or a ticket as often.
fn my_number(b: &[u8], start: usize) -> bool {
    let lo = start.saturating_sub(64);
    let Some(raw) = b.get(lo..start) else {
        return false;
    };
    let before = raw.to_ascii_lowercase();
    let Some(at) = rfind(&before, b"number") else {
        return false;
    };
    let gap = &before[at + 6..];
    let gap = gap.strip_prefix(b"s").unwrap_or(gap);
    let gap_ok = gap.len() <= 12
        && gap
            .iter()
            .all(|c| c.is_ascii_whitespace() || b":isare".contains(c))
        && rev_words(gap).all(|w| matches!(w, b"is" | b"are"));
    let head = &raw[..at];
    // back from `number`, the first word that is neither capitalised nor
    // a kind of phone must be `my`
    let is = |list: &[&[u8]], w: &[u8]| list.iter().any(|k| w.eq_ignore_ascii_case(k));
    let other = rev_words(head).take(4).find(|w| {
        w.eq_ignore_ascii_case(b"my")
            || !((w.first().is_some_and(u8::is_ascii_uppercase) && !is(NOT_PHONES, w))
                || is(PHONE_KINDS, w))
    });
    gap_ok && !head.ends_with(b"_") && other.is_some_and(|w| w.eq_ignore_ascii_case(b"my"))
}

/// Capitalised words of a form's labels that name another number
/// (`My Order Number:`).
const NOT_PHONES: &[&[u8]] = &[
    b"order",
    b"account",
    b"card",
    b"invoice",
    b"ticket",
    b"case",
    b"tracking",
    b"reference",
    b"version",
    b"build",
    b"serial",
    b"model",
    b"part",
    b"policy",
    b"member",
    b"customer",
    b"confirmation",
    b"booking",
    b"id",
];

/// Words that say which of a person's phones a number is.
const PHONE_KINDS: &[&[u8]] = &[
    b"work",
    b"home",
    b"office",
    b"personal",
    b"private",
    b"direct",
    b"contact",
    b"business",
    b"main",
    b"new",
    b"old",
    b"other",
    b"second",
    b"backup",
    b"local",
    b"international",
    b"landline",
    b"daytime",
    b"emergency",
    b"wife",
    b"husband",
    b"own",
];

/// `2024-01-15`, `2024/01/15 10`, `15.01.2024`: a date, not a phone.
fn is_date(m: &[u8]) -> bool {
    let groups: Vec<&[u8]> = m
        .split(|c| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let year = |g: &[u8]| g.len() == 4 && (g.starts_with(b"19") || g.starts_with(b"20"));
    match groups.as_slice() {
        [y, mo, ..] if year(y) && mo.len() <= 2 => true,
        [_, _, y, ..] if year(y) => true,
        _ => false,
    }
}

/// A mainland China mobile number is `cn_mobile_number`'s; a toll-free or
/// shared-cost business line (China 400/800, North American 800/8xx) is
/// no one's personal number.
fn taken_elsewhere(m: &[u8]) -> bool {
    let d: Vec<u8> = m.iter().filter(|c| c.is_ascii_digit()).copied().collect();
    // `+1 425 …` is North American, not a mobile number `14…`
    let local = match d.strip_prefix(b"86").filter(|r| r.len() == 11) {
        Some(r) => r,
        None if m.first() == Some(&b'+') => &[],
        None => &d,
    };
    let na = d.strip_prefix(b"1").filter(|r| r.len() == 10).unwrap_or(&d);
    (local.len() == 11 && local[0] == b'1' && (b'3'..=b'9').contains(&local[1]))
        || (d.len() == 10 && (d.starts_with(b"400") || d.starts_with(b"800")))
        || (na.len() == 10
            && [b"800", b"833", b"844", b"855", b"866", b"877", b"888"]
                .iter()
                .any(|p| na.starts_with(*p)))
}
