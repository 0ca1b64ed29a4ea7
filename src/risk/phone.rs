//! Phone numbers of any country: E.164 (`+44 20 7946 0958`) or a
//! national form with an area code in parentheses or groups, taken only
//! with a word for a phone near it (a run of digits in groups is as often
//! an order, a date or a version).

use super::id_alone;
use super::id_words::near;

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
    ("call me", 1),
    ("电话", 1),
    ("電話", 1),
    ("手机", 1),
    ("手機", 1),
    ("座机", 1),
    ("固话", 1),
    ("致电", 1),
    ("传真", 1),
    ("联系方式", 1),
];

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
    let not_a_phone = joined || inside || one_digit_run || is_date(m) || taken_elsewhere(m);
    let alone =
        || id_alone::phone_alone(m, n) && id_alone::any_run(b, start, end, id_alone::phone_head);
    (if plus { 8..=15 } else { 7..=12 }).contains(&n)
        && !not_a_phone
        && (near(WORDS, text, start, end) != 0 || alone())
}

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
