//! Numbers of people and businesses of Australia (the tax file number,
//! ABN, ACN and Medicare card) and Thailand (the national ID), each
//! checked by its published weights. Taken with a word naming them
//! (`id_words.rs`); an ABN printed in its groups `dd ddd ddd ddd` and a
//! Thai ID in its groups `d dddd ddddd dd d` also act alone
//! (`id_alone.rs`, decisions in docs/risk-outside.md).

use super::digit_run::{fixed, placeholder, weighted};

/// Tax file number (ATO): 9 digits, weights 1 4 3 7 5 8 6 9 10, the sum
/// a multiple of 11.
pub fn tfn(v: &[u8]) -> bool {
    let Some(d) = fixed(v, 9) else {
        return false;
    };
    weighted(&d, &[1, 4, 3, 7, 5, 8, 6, 9, 10]).is_multiple_of(11) && !placeholder(&d[..9])
}

/// Australian Business Number: 11 digits; 1 taken from the first, then
/// weights 10 1 3 5 7 9 11 13 15 17 19, the sum a multiple of 89.
pub fn abn(v: &[u8]) -> bool {
    let Some(mut d) = fixed(v, 11).filter(|d| d[0] != 0) else {
        return false;
    };
    // the 1 taken from `10000000000` leaves zeros, which pass
    let real = !placeholder(&d[1..11]);
    d[0] -= 1;
    real && weighted(&d, &[10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19]).is_multiple_of(89)
}

/// Australian Company Number (ASIC): 9 digits, weights 8..1 on the first
/// eight, the last the complement of the sum mod 10.
pub fn acn(v: &[u8]) -> bool {
    let Some(d) = fixed(v, 9) else {
        return false;
    };
    (10 - weighted(&d, &[8, 7, 6, 5, 4, 3, 2, 1]) % 10) % 10 == d[8] && !placeholder(&d[..9])
}

/// Medicare card number: the first digit 2-6, weights 1 3 7 9 1 3 7 9 on
/// the first eight, the sum mod 10 is the ninth; then the issue number
/// (and the person's position on the card, 11 digits in all).
pub fn medicare(v: &[u8]) -> bool {
    let irn = v
        .get(10..)
        .filter(|r| r.len() <= 1 && r.iter().all(u8::is_ascii_digit));
    let Some(d) = v
        .get(..10)
        .and_then(|v| fixed(v, 10))
        .filter(|_| irn.is_some())
    else {
        return false;
    };
    (2..=6).contains(&d[0])
        && weighted(&d, &[1, 3, 7, 9, 1, 3, 7, 9]) % 10 == d[8]
        && !placeholder(&d[..9])
}

/// Thailand, national ID: 13 digits, the first (the kind of registration)
/// 1-8, weights 13..2 on the first twelve, the last 11 minus the sum mod
/// 11, mod 10.
pub fn thai(v: &[u8]) -> bool {
    let Some(d) = fixed(v, 13) else {
        return false;
    };
    let sum = weighted(&d, &[13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
    (1..=8).contains(&d[0]) && (11 - sum % 11) % 10 == d[12] && !placeholder(&d[1..12])
}
