//! Numbers of people and accounts that carry no national ID's name but
//! are as personal: US NPI (health-care providers), DEA registrations,
//! driver licences, passports and travel permits, ABA routing and bank
//! account numbers. Each is checked by its published structure (and
//! check digit where it has one) and, like `ids_world`, taken only with a
//! word naming it near (`id_words.rs`). And China's resident ID written
//! in groups, which acts alone as `cn_id_card` does unspaced.

use super::digit_run::{digits, placeholder};

/// US National Provider Identifier (CMS): 10 digits, the first 1 or 2,
/// the last a Luhn check over the number prefixed with 80840 (the
/// ISO 7812 issuer prefix of US health applications).
pub fn npi(v: &[u8]) -> bool {
    let Some(d) = digits(v).filter(|d| d.len() == 10 && matches!(d[0], 1 | 2)) else {
        return false;
    };
    let mut full = vec![8, 0, 8, 4, 0];
    full.extend(d.iter().map(|&x| x as u8));
    !placeholder(&d) && super::luhn::luhn(&full)
}

/// DEA registration number: a registrant-type letter, the registrant's
/// initial (or 9), seven digits; the 1st+3rd+5th digits plus twice the
/// 2nd+4th+6th end in the 7th.
pub fn dea(v: &[u8]) -> bool {
    let [t, i, rest @ ..] = v else {
        return false;
    };
    let Some(d) = digits(rest).filter(|d| d.len() == 7) else {
        return false;
    };
    let sum = d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5]);
    b"ABCDEFGHJKLMPRSTUX".contains(t)
        && (i.is_ascii_uppercase() || *i == b'9')
        && sum % 10 == d[6]
        && !placeholder(&d)
}

/// A driver licence: a US state's (each its own form, all of them up to
/// two letters then 4-14 digits, 5-15 characters, no check character) or
/// a UK one (`uk_licence`).
pub fn licence(v: &[u8]) -> bool {
    let letters = v.iter().take_while(|c| c.is_ascii_uppercase()).count();
    let us = letters <= 2
        && (5..=15).contains(&v.len())
        && digits(&v[letters..]).is_some_and(|d| d.len() >= 4 && !placeholder(&d));
    us || uk_licence(v)
}

/// A GB driving licence number as the DVLA forms it: the surname's first
/// five letters (padded with `9`), the birth year's decade digit, the
/// birth month (plus 50 for a woman), the day, the year's last digit, two
/// initials (padded with `9`), a digit, and two check characters.
pub fn uk_licence(v: &[u8]) -> bool {
    let Ok(v) = <&[u8; 16]>::try_from(v) else {
        return false;
    };
    if ![5, 6, 7, 8, 9, 10, 13]
        .iter()
        .all(|&i| v[i].is_ascii_digit())
    {
        return false;
    }
    // the digits are checked above: no subtraction below can wrap
    let two = |i: usize| u32::from(v[i] - b'0') * 10 + u32::from(v[i + 1] - b'0');
    let (month, day) = (two(6), two(8));
    let surname = v[0].is_ascii_uppercase()
        && v[1..5].iter().all(|c| c.is_ascii_uppercase() || *c == b'9')
        // padding ends the surname: no letter after a `9`
        && !v[..5].windows(2).any(|w| w[0] == b'9' && w[1] != b'9');
    let initials = v[11].is_ascii_uppercase() && (v[12].is_ascii_uppercase() || v[12] == b'9');
    let check = v[14..].iter().all(u8::is_ascii_alphanumeric);
    surname && initials && check && matches!(month, 1..=12 | 51..=62) && (1..=31).contains(&day)
}

/// A passport or travel permit number: one or two letters and 6-9 digits
/// (US next-generation, UK, China's `E`/`G` passports and `C` permits),
/// or nine digits (US, UK before 2020). No check character.
pub fn passport(v: &[u8]) -> bool {
    let letters = v.iter().take_while(|c| c.is_ascii_uppercase()).count();
    digits(&v[letters..]).is_some_and(|d| {
        !placeholder(&d)
            && match letters {
                // 9 digits (US); 8, the permit Taiwan residents travel to
                // the mainland with (台胞证), unless they read as a date
                0 => d.len() == 9 || (d.len() == 8 && !is_date(&d)),
                // H or M and 10 digits: the Home Return Permit of Hong Kong
                // and Macau residents (8 digits and a 2-digit issue count)
                1 => (6..=9).contains(&d.len()) || (d.len() == 10 && matches!(v[0], b'H' | b'M')),
                2 => (6..=9).contains(&d.len()),
                _ => false,
            }
    })
}

/// Eight digits that read as `yyyymmdd` (a validity date beside a permit's
/// name is not its number).
fn is_date(d: &[u32]) -> bool {
    let n = |r: std::ops::Range<usize>| d[r].iter().fold(0, |a, &x| a * 10 + x);
    d.len() == 8
        && (1900..=2099).contains(&n(0..4))
        && (1..=12).contains(&n(4..6))
        && (1..=31).contains(&n(6..8))
}

/// ABA routing transit number: 9 digits whose first two are a Federal
/// Reserve district (00-12, 21-32, thrifts; 61-72 electronic; 80
/// traveller's cheques), weights 3 7 1 summing to a multiple of 10.
pub fn aba(v: &[u8]) -> bool {
    let Some(d) = digits(v).filter(|d| d.len() == 9) else {
        return false;
    };
    let sum: u32 = d
        .iter()
        .zip([3, 7, 1].iter().cycle())
        .map(|(&x, &w)| x * w)
        .sum();
    let fed = d[0] * 10 + d[1];
    matches!(fed, 0..=12 | 21..=32 | 61..=72 | 80) && sum.is_multiple_of(10) && !placeholder(&d)
}

/// A bank account number: 8-17 digits in the US, up to 21 in China (no
/// national format, no check).
pub fn account(v: &[u8]) -> bool {
    digits(v).is_some_and(|d| (8..=21).contains(&d.len()) && !placeholder(&d))
}

/// GB 11643-1999 check digit of an 18-character ID number.
pub fn cn_id_checksum(id: &[u8]) -> bool {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: &[u8; 11] = b"10X98765432";
    if id.len() != 18 || !id[..17].iter().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = id[..17]
        .iter()
        .zip(W)
        .map(|(c, w)| (c - b'0') as u32 * w)
        .sum();
    C[(sum % 11) as usize] == id[17].to_ascii_uppercase()
}

/// A Chinese resident ID (GB 11643) written in groups (`dddd dddd dddd
/// dddd dd`, `dddddd dddddddd dddd`): a birth date from 1800 on and the
/// check character; the same evidence `cn_id_card` takes unspaced.
pub fn cn_id_grouped(v: &[u8]) -> bool {
    let Some(d) = v.get(6..14).and_then(digits) else {
        return false;
    };
    let (c, m, day) = (d[0] * 10 + d[1], d[4] * 10 + d[5], d[6] * 10 + d[7]);
    (18..=20).contains(&c) && (1..=12).contains(&m) && (1..=31).contains(&day) && cn_id_checksum(v)
}
