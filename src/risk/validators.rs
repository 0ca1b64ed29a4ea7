//! Checks a regex cannot express (regex-lite has no look-around): digit
//! boundaries, checksums, banking context, host-name ends.

use super::assigned;
use super::builtin::Validator;
use super::cli_secret;
use super::cn_personal;
use super::code_value;
use super::email_spelled;
use super::hosts;
use super::iban;
use super::id_alone;
use super::id_words;
pub use super::ids_more::cn_id_checksum;
use super::ids_shaped;
use super::ids_world;
use super::illustrative;
use super::in_token;
use super::ip_own;
use super::literal;
pub use super::luhn::luhn;
use super::mac;
use super::packs::{BANK_CONTEXT, BANK_CONTEXT_RADIUS};
use super::pem;
use super::phone;
use super::wallets;

/// Is the match `text[start..end]` a real hit for this validator?
pub fn check(v: Validator, text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let m = &b[start..end];
    let numeric = matches!(
        v,
        Validator::DigitBounds
            | Validator::CnIdCard
            | Validator::BankCard
            | Validator::NationalId
            | Validator::Phone
            | Validator::BankNumber
    );
    if numeric && in_token::piece_of_token(b, start, end) {
        return false;
    }
    match v {
        Validator::None => true,
        // after `+` the digits are a country code and its number
        // (`+1 555…`), not a mainland mobile number (that is `+86 1…`)
        Validator::DigitBounds => {
            digit_bounds(b, start, end) && b.get(start.wrapping_sub(1)) != Some(&b'+')
        }
        Validator::CnIdCard => {
            digit_bounds(b, start, end)
                && !b.get(end).is_some_and(|c| c.is_ascii_alphabetic())
                && cn_id_checksum(m)
        }
        Validator::BankCard => {
            let digits: Vec<u8> = m
                .iter()
                .filter(|c| c.is_ascii_digit())
                .map(|c| c - b'0')
                .collect();
            // alone, a card of a known issuer grouped as printed or
            // written as one number. A run inside (`5555555555554444`, a
            // network's test card) still carries a Luhn digit someone
            // computed, as the printed form does: it is taken, as a
            // plausible match (`certainty`), so it reroutes but never
            // blocks. One digit then one digit over and over (`4111…1`,
            // `4000…2`) is padding typed behind an issuer's digit.
            // One number among others as long (`[4654005815464502513,
            // 3987130777300360550]`) is a table of hashes or ids; 19 digits
            // alone is a UnionPay length, rare on other networks' cards.
            let alone = || {
                known_issuer(&digits)
                    && (printed_grouping(m)
                        || (id_alone::any_run(b, start, end, id_alone::card_head)
                            && !literal::card_is_padding(&digits)
                            && (digits.len() < 19 || digits.starts_with(&[6, 2]))
                            && !long_number_near(b, start, end)))
            };
            (13..=19).contains(&digits.len())
                && !literal::card_is_periodic(&digits)
                && digit_bounds(b, start, end)
                && luhn(&digits)
                && (bank_context(text, start, end) || alone())
        }
        Validator::Ipv4 => {
            let ok_octets = ip_own::v4(m).is_some();
            let before_ok = start == 0 || !(b[start - 1] == b'.' || b[start - 1].is_ascii_digit());
            let after_ok = match b.get(end) {
                None => true,
                Some(c) if c.is_ascii_digit() => false,
                Some(b'.') => !b.get(end + 1).is_some_and(|c| c.is_ascii_digit()),
                Some(_) => true,
            };
            ok_octets && before_ok && after_ok
        }
        Validator::LineStart => start == 0 || b[start - 1] == b'\n',
        Validator::HostEnd => host_end(b, end) && !illustrative::in_example(text, start, end),
        Validator::InternalDomain => {
            host_end(b, end)
                && !b[end.saturating_sub(14)..end].eq_ignore_ascii_case(b".cluster.local")
                && !hosts::well_known(m)
                && !hosts::member_access(b, start, end)
                && !illustrative::in_example(text, start, end)
        }
        Validator::Email if email_spelled::is_spelled(m) => email_spelled::valid(text, start, end),
        Validator::Email => {
            // a masked address (`i***w@gmail.com`) shows no one's
            b.get(start.wrapping_sub(1)) != Some(&b'*')
                && !in_url_userinfo(b, start)
                && !literal::email_is_example(b, start, end)
                && !literal::email_is_no_reply(&b[local_start(b, start)..end])
        }
        Validator::SecretValue => {
            // an XML element's value may stand between white space and `<`
            let m = text[start..end].trim_end_matches(|c: char| c == '<' || c.is_whitespace());
            if let Some((value, name)) = assigned::compared_left(m) {
                return !assigned::name_is_about(name)
                    && !code_value::other_data(value)
                    && literal::is_secret_value(value);
            }
            let value = assigned::trailing_value(m);
            let (vs, ve) = (start + m.len() - value.len(), start + m.len());
            let judged = code_value::judged(b, vs, value);
            let listed = assigned::pair_form(m) && code_value::in_string_list(b, start);
            let not_a_value = literal::is_path_separator(m.as_bytes())
                || assigned::name_is_about(m)
                || code_value::other_data(value)
                || code_value::reads_as_code(text, start, vs, ve)
                || listed;
            !not_a_value && literal::is_secret_value(judged) && literal::spaced_value_ok(m, value)
        }
        Validator::EnvSecret => {
            check(Validator::LineStart, text, start, end)
                && check(Validator::SecretValue, text, start, end)
        }
        Validator::CliSecret => cli_secret::valid(&text[start..end]),
        Validator::Dsn => !literal::dsn_is_placeholder(&text[start..end]),
        // a key does not follow a `.`: `video.ico-<hex>.png` is a file name
        Validator::KeyShape => {
            let m = &text[start..end];
            let blob = literal::bearer_body(m).is_some() && in_base64_blob(b, start, end);
            b.get(start.wrapping_sub(1)) != Some(&b'.')
                && !literal::key_is_placeholder(m)
                && !literal::key_is_record_id(m)
                && !blob
        }
        Validator::Iban => iban::valid(m),
        Validator::Jwt => true,
        Validator::Snowflake => super::discord::valid(&text[start..end]),
        Validator::Phone => phone::valid(text, start, end),
        Validator::NationalId => {
            let alnum = |i: Option<usize>| {
                i.and_then(|i| b.get(i))
                    .is_some_and(u8::is_ascii_alphanumeric)
            };
            let apart = !alnum(start.checked_sub(1)) && !alnum(Some(end));
            apart
                && id_words::compact(m).is_some_and(|v| {
                    ids_world::valid_any(id_words::named_near(text, start, end), &v)
                        || id_alone::alone(b, start, end, &v)
                })
        }
        Validator::BankNumber => {
            digit_bounds(b, start, end)
                && !id_words::other_label_before(b, start)
                && id_words::compact(m).is_some_and(|v| {
                    let kinds = id_words::near(id_words::BANKING, text, start, end);
                    ids_world::valid_any(kinds, &v)
                })
        }
        Validator::Wallet => wallets::valid(text, start, end),
        Validator::NamedKey => super::named_key::valid(text, start, end),
        Validator::IpOwn => ip_own::valid(text, start, end),
        Validator::PemHeader => pem::opens_a_key(b, end),
        Validator::Plate => cn_personal::plate(text, start, end),
        Validator::PersonName => cn_personal::name(text, start, end),
        Validator::IdShape => ids_shaped::valid(b, start, end),
        Validator::Mac => mac::valid(text, start, end),
        Validator::CookieValue => {
            let value = m.rsplit(|&c| c == b'=').next().unwrap_or_default();
            !literal::is_code_path(value)
        }
    }
}

/// A match inside a longer base64 run: `/` or `+` touches it. Binary
/// data with zero bytes encodes to runs of `A`, which a Twitter bearer
/// token's head is.
fn in_base64_blob(b: &[u8], start: usize, end: usize) -> bool {
    let blob = |c: Option<&u8>| c.is_some_and(|c| matches!(c, b'/' | b'+' | b'='));
    blob(start.checked_sub(1).and_then(|i| b.get(i))) || blob(b.get(end))
}

fn host_end(b: &[u8], end: usize) -> bool {
    match b.get(end) {
        None => true,
        Some(b'-') | Some(b'_') => false,
        Some(b'.') => !b.get(end + 1).is_some_and(|c| c.is_ascii_alphanumeric()),
        Some(_) => true,
    }
}

/// Where the local part of an address found at `start` begins. After a
/// rejected match the regex retries inside the same local part
/// (`reply@…` of `no-reply@…`); the exemption is judged on the whole one.
/// Bounded by RFC 5321's 64-byte local part, so retries stay cheap.
fn local_start(b: &[u8], start: usize) -> usize {
    let lo = start.saturating_sub(64);
    let mut i = start;
    while i > lo && (b[i - 1].is_ascii_alphanumeric() || b"._%+-".contains(&b[i - 1])) {
        i -= 1;
    }
    i
}

/// Is `start` inside `scheme://user:pass@host`? Looks back over the same
/// whitespace-free token (at most 256 bytes) for `://`.
fn in_url_userinfo(b: &[u8], start: usize) -> bool {
    let lo = start.saturating_sub(256);
    let mut i = start;
    while i > lo && !b[i - 1].is_ascii_whitespace() && b[i - 1] < 0x80 {
        i -= 1;
    }
    memchr::memmem::find(&b[i..start], b"://").is_some()
}

/// Not preceded or followed by an ASCII digit.
pub fn digit_bounds(b: &[u8], start: usize, end: usize) -> bool {
    (start == 0 || !b[start - 1].is_ascii_digit())
        && !b.get(end).is_some_and(|c| c.is_ascii_digit())
}

/// Grouped as cards are printed: 4-4-4-4 (and a last group of up to 3),
/// or 4-6-5, with one kind of separator.
fn printed_grouping(m: &[u8]) -> bool {
    let sep = if m.contains(&b' ') { b' ' } else { b'-' };
    let groups: Vec<usize> = m.split(|&c| c == sep).map(<[u8]>::len).collect();
    if groups.contains(&0) || (m.contains(&b' ') && m.contains(&b'-')) {
        return false;
    }
    groups == [4, 6, 5] || (groups.len() >= 4 && groups[..4] == [4, 4, 4, 4] && groups.len() <= 5)
}

/// The issuer's documented prefix (IIN) and card length: Visa, Mastercard,
/// American Express, Discover, JCB, UnionPay, Diners Club, Dankort, UATP.
fn known_issuer(d: &[u8]) -> bool {
    let n = d.len();
    let head = |k: usize| d[..k].iter().fold(0u32, |a, &c| a * 10 + u32::from(c));
    let (p2, p3, p4) = (head(2), head(3), head(4));
    match d[0] {
        4 => matches!(n, 13 | 16 | 19),
        // Mastercard; Dankort (5019)
        5 => ((51..=55).contains(&p2) || p4 == 5019) && n == 16,
        // UATP (airline cards)
        1 => n == 15,
        2 => (2221..=2720).contains(&p4) && n == 16,
        3 => {
            (matches!(p2, 34 | 37) && n == 15)
                || ((3528..=3589).contains(&p4) && (16..=19).contains(&n))
                || (((300..=305).contains(&p3) || matches!(p2, 36 | 38 | 39))
                    && (14..=19).contains(&n))
        }
        6 => {
            (p4 == 6011 || (644..=649).contains(&p3) || p2 == 65 || p2 == 62)
                && (16..=19).contains(&n)
        }
        _ => false,
    }
}

/// Another run of 13 digits or more within 48 bytes either side.
fn long_number_near(b: &[u8], start: usize, end: usize) -> bool {
    let long = |s: &[u8]| s.split(|c| !c.is_ascii_digit()).any(|run| run.len() >= 13);
    long(&b[start.saturating_sub(48)..start]) || long(&b[end..(end + 48).min(b.len())])
}

fn bank_context(text: &str, start: usize, end: usize) -> bool {
    let lo = start.saturating_sub(BANK_CONTEXT_RADIUS);
    let hi = (end + BANK_CONTEXT_RADIUS).min(text.len());
    let near = text.as_bytes()[lo..hi].to_ascii_lowercase();
    BANK_CONTEXT
        .iter()
        .any(|w| memchr::memmem::find(&near, w.as_bytes()).is_some())
}
