//! National identity and tax numbers of European countries and Turkey,
//! each checked by its published structure: the birth date most of them
//! open with and their check digits. Like `ids_world`, each is taken with a
//! word naming it near (`id_words.rs`); the French NIR printed in its
//! groups and a Finnish henkilötunnus with a letter in it also act alone
//! (`id_alone.rs`, decisions in docs/risk-outside.md).
//!
//! Every function takes the compact value: ASCII letters upper-cased,
//! separators removed.

use super::digit_run::{fixed, number, pair, placeholder, real_date, weighted};

/// Poland, PESEL: `yymmdd` (the month carries the century: +80 for the
/// 1800s, +0, +20, +40, +60 for 1900-2200s), four digits, a check digit:
/// weights 1 3 7 9 1 3 7 9 1 3, the check brings the sum to a multiple
/// of 10.
pub fn pesel(v: &[u8]) -> bool {
    let Some(d) = fixed(v, 11) else {
        return false;
    };
    let (yy, mm, dd) = (pair(&d, 0), pair(&d, 2), pair(&d, 4));
    let (century, month) = match mm {
        81..=92 => (1800, mm - 80),
        1..=12 => (1900, mm),
        21..=32 => (2000, mm - 20),
        41..=52 => (2100, mm - 40),
        61..=72 => (2200, mm - 60),
        _ => return false,
    };
    let sum = weighted(&d, &[1, 3, 7, 9, 1, 3, 7, 9, 1, 3]);
    real_date(century + yy, month, dd) && (10 - sum % 10) % 10 == d[10] && !placeholder(&d[6..11])
}

/// Finland, henkilötunnus: `ddmmyy`, the century sign (`+` 1800s; `-`
/// or, since 2023, Y X W V U for the 1900s; A or B-F for the 2000s), an
/// individual number 002-999 and a check character: the nine digits as a
/// number mod 31 in `0123456789ABCDEFHJKLMNPRSTUVWXY`. `+` and `-` are
/// not in the compact value, so it is 10 or 11 characters long; the date
/// is checked in a leap year (the sign gives the century, `+`/`-` are gone).
pub fn hetu(v: &[u8]) -> bool {
    const CHECK: &[u8; 31] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";
    let (sign, at) = match v.len() {
        10 => (b'-', 6),
        11 => (v[6], 7),
        _ => return false,
    };
    let mut body = [0; 9];
    body[..6].copy_from_slice(&v[..6]);
    body[6..].copy_from_slice(&v[at..at + 3]);
    let Some(d) = fixed(&body, 9) else {
        return false;
    };
    b"-ABCDEFUVWXY".contains(&sign)
        && real_date(2000, pair(&d, 2), pair(&d, 0))
        && number(&d[6..9]) >= 2
        && v.get(at + 3) == CHECK.get((number(&d[..9]) % 31) as usize)
        && !placeholder(&d[..9])
}

/// France, NIR (numéro de sécurité sociale): sex (1 or 2; 3, 4, 7, 8 for
/// temporary numbers), `yy`, `mm` (01-12, or 20-42 and 50-99 where the
/// civil status gave none), the département (2A/2B for Corsica, counted as
/// 19 and 18), commune, order number, and a key: 97 minus the 13 digits
/// mod 97.
pub fn nir(v: &[u8]) -> bool {
    let Ok(v): Result<&[u8; 15], _> = v.try_into() else {
        return false;
    };
    let mut body = [0; 13];
    body.copy_from_slice(&v[..13]);
    match &body[5..7] {
        b"2A" => body[5..7].copy_from_slice(b"19"),
        b"2B" => body[5..7].copy_from_slice(b"18"),
        _ => {}
    }
    let (Some(d), Some(key)) = (fixed(&body, 13), fixed(&v[13..], 2)) else {
        return false;
    };
    matches!(d[0], 1..=4 | 7 | 8)
        && matches!(pair(&d, 3), 1..=12 | 20..=42 | 50..=99)
        && 97 - number(&d[..13]) % 97 == u64::from(pair(&key, 0))
        && !placeholder(&d[7..13])
}

/// Germany, steuerliche Identifikationsnummer: 11 digits, the first not 0;
/// in the first ten exactly one digit appears twice or three times (three
/// never side by side) and the others at most once; the last is an
/// ISO 7064 MOD 11,10 check.
pub fn steuer_id(v: &[u8]) -> bool {
    let Some(d) = fixed(v, 11).filter(|d| d[0] != 0) else {
        return false;
    };
    let mut count = [0u8; 10];
    for &x in &d[..10] {
        count[x as usize % 10] += 1;
    }
    let (mut many, mut rep) = (0, (0, 0));
    for (i, &c) in (0u32..).zip(&count) {
        if c > 1 {
            (many, rep) = (many + 1, (i, c));
        }
    }
    let shape = many == 1
        && match rep {
            (_, 2) => true,
            (r, 3) => !d[..10].windows(3).any(|w| w.iter().all(|&x| x == r)),
            _ => false,
        };
    let mut product = 10;
    for &x in &d[..10] {
        let sum = match (x + product) % 10 {
            0 => 10,
            s => s,
        };
        product = sum * 2 % 11;
    }
    shape && (11 - product) % 10 == d[10]
}

/// Turkey, T.C. Kimlik No: 11 digits, the first not 0; the 10th is seven
/// times the odd-placed sum less the even-placed sum, mod 10; the 11th the
/// sum of the first ten, mod 10.
pub fn tckn(v: &[u8]) -> bool {
    let Some(d) = fixed(v, 11).filter(|d| d[0] != 0) else {
        return false;
    };
    let odd = d[0] + d[2] + d[4] + d[6] + d[8];
    let even = d[1] + d[3] + d[5] + d[7];
    (odd * 7 + 10 * even - even) % 10 == d[9]
        && d[..10].iter().sum::<u32>() % 10 == d[10]
        && !placeholder(&d[..11])
}
