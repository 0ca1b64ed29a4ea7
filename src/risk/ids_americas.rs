//! National identity and tax numbers of Latin America, each checked by its
//! published structure and check digits: Brazil's CPF and Mexico's CURP. Taken with a word naming them (`id_words.rs`); a CPF
//! printed `ddd.ddd.ddd-dd` and a CURP also act alone (`id_alone.rs`,
//! decisions in docs/risk-outside.md).

use super::digit_run::{fixed, pair, real_date, weighted};

/// Brazil, CPF: nine digits and two mod-11 check digits (weights 10..2,
/// then 11..2; a remainder under 2 gives 0). The eleven numbers of one
/// digit repeated pass the checks and are invalid.
pub fn cpf(v: &[u8]) -> bool {
    const W: [u32; 10] = [11, 10, 9, 8, 7, 6, 5, 4, 3, 2];
    let Some(d) = fixed(v, 11) else {
        return false;
    };
    let check = |sum: u32| match sum % 11 {
        0 | 1 => 0,
        r => 11 - r,
    };
    !d[..11].windows(2).all(|w| w[0] == w[1])
        && check(weighted(&d[..9], &W[1..])) == d[9]
        && check(weighted(&d[..10], &W)) == d[10]
}

/// Mexico, CURP: four letters of the name, `yymmdd`, sex (H, M, or X),
/// the state's two letters (NE born abroad), three consonants of the
/// name, a character telling the century (a digit before 2000, a letter
/// since), and a check digit: the characters' values (0-9, A=10 … N=23,
/// Ñ=24, O=25 … Z=36) weighted 18..2, the check bringing the sum to a
/// multiple of 10.
pub fn curp(v: &[u8]) -> bool {
    const STATES: &[&[u8; 2]] = &[
        b"AS", b"BC", b"BS", b"CC", b"CL", b"CM", b"CS", b"CH", b"DF", b"DG", b"GT", b"GR", b"HG",
        b"JC", b"MC", b"MN", b"MS", b"NT", b"NL", b"OC", b"PL", b"QT", b"QR", b"SP", b"SL", b"SR",
        b"TC", b"TS", b"TL", b"VZ", b"YN", b"ZS", b"NE",
    ];
    let Ok(v): Result<&[u8; 18], _> = v.try_into() else {
        return false;
    };
    let upper = |r: std::ops::Range<usize>| v[r].iter().all(u8::is_ascii_uppercase);
    if !upper(0..4)
        || !b"HMX".contains(&v[10])
        || !STATES.iter().any(|s| s[..] == v[11..13])
        || !v[13..16]
            .iter()
            .all(|c| c.is_ascii_uppercase() && !b"AEIOU".contains(c))
        || !v[16].is_ascii_alphanumeric()
    {
        return false;
    }
    let Some(date) = fixed(&v[4..10], 6).filter(|_| v[17].is_ascii_digit()) else {
        return false;
    };
    let century = if v[16].is_ascii_digit() { 1900 } else { 2000 };
    let value = |c: u8| match c {
        b'0'..=b'9' => u32::from(c - b'0'),
        b'A'..=b'N' => u32::from(c - b'A') + 10,
        _ => u32::from(c - b'A') + 11,
    };
    let sum: u32 = v[..17]
        .iter()
        .zip((2..=18).rev())
        .map(|(&c, w)| value(c) * w)
        .sum();
    real_date(century + pair(&date, 0), pair(&date, 2), pair(&date, 4))
        && (10 - sum % 10) % 10 == u32::from(v[17] - b'0')
}
