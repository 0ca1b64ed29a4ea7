//! National identity and tax numbers of other countries, each checked by
//! its published structure and check algorithm. A number is only taken for
//! one of these when a word naming that kind of number stands near it
//! (`id_words.rs`): nine digits alone are as likely an order number as an
//! SSN, and most of these check digits leave 1 chance in 10 or 11.

/// One kind of number, as a bit so a context word can name several.
pub type Kinds = u32;
pub const SSN: Kinds = 1; // US SSN or ITIN
pub const NINO: Kinds = 1 << 1; // UK National Insurance number
pub const NHS: Kinds = 1 << 2; // UK NHS number
pub const AADHAAR: Kinds = 1 << 3; // India
pub const PAN: Kinds = 1 << 4; // India, income-tax PAN
pub const RRN: Kinds = 1 << 5; // Korea, resident registration number
pub const NRIC: Kinds = 1 << 6; // Singapore NRIC / FIN
pub const DNI: Kinds = 1 << 7; // Spain DNI / NIE
pub const CF: Kinds = 1 << 8; // Italy, codice fiscale
pub const SIN: Kinds = 1 << 9; // Canada, social insurance number
pub const HKID: Kinds = 1 << 10; // Hong Kong identity card
pub const TWID: Kinds = 1 << 11; // Taiwan national ID / resident certificate
pub const MOID: Kinds = 1 << 12; // Macau resident ID
pub const USCC: Kinds = 1 << 13; // China, unified social credit code
pub const NPI: Kinds = 1 << 14; // US National Provider Identifier
pub const DEA: Kinds = 1 << 15; // US DEA registration (medical licence)
pub const LICENCE: Kinds = 1 << 16; // US driver licence
pub const PASSPORT: Kinds = 1 << 17; // passport or travel permit
pub const ABA: Kinds = 1 << 18; // US bank routing number
pub const ACCOUNT: Kinds = 1 << 19; // bank account number
pub const CPF: Kinds = 1 << 20; // Brazil, CPF
pub const CURP: Kinds = 1 << 21; // Mexico, CURP
pub const PESEL: Kinds = 1 << 22; // Poland
pub const HETU: Kinds = 1 << 23; // Finland, henkilötunnus
pub const NIR: Kinds = 1 << 24; // France, sécurité sociale
pub const STEUER: Kinds = 1 << 25; // Germany, Steuer-ID
pub const TCKN: Kinds = 1 << 26; // Turkey, T.C. Kimlik No
pub const TFN: Kinds = 1 << 27; // Australia, tax file number
pub const ABN: Kinds = 1 << 28; // Australian Business Number
pub const ACN: Kinds = 1 << 29; // Australian Company Number
pub const MEDICARE: Kinds = 1 << 30; // Australia, Medicare card
pub const THAI: Kinds = 1 << 31; // Thailand, national ID

use super::digit_run::{digits, placeholder};
use super::ids_more as more;
use super::{ids_americas as am, ids_apac as au, ids_europe as eu};

/// Is the compact value `v` (ASCII letters upper-cased, separators and
/// parentheses removed) a valid number of one of `kinds`?
pub fn valid_any(kinds: Kinds, v: &[u8]) -> bool {
    type Check = (Kinds, fn(&[u8]) -> bool);
    const CHECKS: &[Check] = &[
        (SSN, |v| ssn_structure(v) || itin(v)),
        (NINO, nino),
        (NHS, nhs),
        (AADHAAR, aadhaar),
        (PAN, pan),
        (RRN, rrn),
        (NRIC, nric),
        (DNI, dni),
        (CF, codice_fiscale),
        (SIN, sin),
        (HKID, hkid),
        (TWID, twid),
        (MOID, moid),
        (USCC, uscc),
        (NPI, more::npi),
        (DEA, more::dea),
        (LICENCE, more::licence),
        (PASSPORT, more::passport),
        (ABA, more::aba),
        (ACCOUNT, more::account),
        (CPF, am::cpf),
        (CURP, am::curp),
        (PESEL, eu::pesel),
        (HETU, eu::hetu),
        (NIR, eu::nir),
        (STEUER, eu::steuer_id),
        (TCKN, eu::tckn),
        (TFN, au::tfn),
        (ABN, au::abn),
        (ACN, au::acn),
        (MEDICARE, au::medicare),
        (THAI, au::thai),
    ];
    CHECKS.iter().any(|&(k, f)| kinds & k != 0 && f(v))
}

fn num(d: &[u32]) -> u32 {
    d.iter().fold(0, |a, &x| a * 10 + x)
}

/// US SSN (SSA): area not 000, 666 or 900-999; group not 00; serial not
/// 0000; not one of the numbers the SSA lists as voided after they were
/// printed in advertising (078-05-1120, 219-09-9999). The check for a
/// number alone: a voided one there is an advertisement's example.
pub fn ssn(v: &[u8]) -> bool {
    ssn_structure(v) && !matches!(v, b"078051120" | b"219099999")
}

/// An SSN's structure, voided numbers included: the check with a word
/// naming it (`my social security number is 078051120`), where the writer
/// gives the number as theirs, as `passport_number` takes a labelled
/// `ddd-dd-dddd` whatever it is.
fn ssn_structure(v: &[u8]) -> bool {
    let Some(d) = digits(v).filter(|d| d.len() == 9) else {
        return false;
    };
    let (area, group, serial) = (num(&d[..3]), num(&d[3..5]), num(&d[5..]));
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0 && !placeholder(&d)
}

/// US ITIN (IRS): 9xx-GG-xxxx with the group in 50-65, 70-88, 90-92 or
/// 94-99; not one digit repeated (`999-99-9999`) nor the digits in order.
pub fn itin(v: &[u8]) -> bool {
    let Some(d) = digits(v).filter(|d| d.len() == 9 && d[0] == 9) else {
        return false;
    };
    let g = num(&d[3..5]);
    matches!(g, 50..=65 | 70..=88 | 90..=92 | 94..=99) && !placeholder(&d)
}

/// UK NINO (HMRC): two prefix letters (first not D F I Q U V, second not
/// D F I O Q U V, not BG GB KN NK NT TN ZZ), six digits, suffix A-D.
pub fn nino(v: &[u8]) -> bool {
    let [a, b, rest @ .., s] = v else {
        return false;
    };
    rest.len() == 6
        && rest.iter().all(u8::is_ascii_digit)
        && a.is_ascii_uppercase()
        && b.is_ascii_uppercase()
        && !b"DFIQUV".contains(a)
        && !b"DFIOQUV".contains(b)
        && !matches!(
            &[*a, *b],
            b"BG" | b"GB" | b"KN" | b"NK" | b"NT" | b"TN" | b"ZZ"
        )
        && (b'A'..=b'D').contains(s)
}

/// NHS number: 10 digits, weights 10..2 on the first nine, 11 minus the
/// sum mod 11 is the last (11 reads 0; 10 is never issued).
pub fn nhs(v: &[u8]) -> bool {
    let Some(d) = digits(v).filter(|d| d.len() == 10) else {
        return false;
    };
    let sum: u32 = d[..9].iter().zip((2..=10).rev()).map(|(x, w)| x * w).sum();
    let check = (11 - sum % 11) % 11;
    check != 10 && check == d[9] && !placeholder(&d)
}

/// Aadhaar (UIDAI): 12 digits, not starting with 0 or 1, Verhoeff check.
pub fn aadhaar(v: &[u8]) -> bool {
    digits(v).is_some_and(|d| d.len() == 12 && d[0] >= 2 && !placeholder(&d) && verhoeff(&d))
}

/// Verhoeff's dihedral-group check: valid when the folded value is 0.
pub fn verhoeff(d: &[u32]) -> bool {
    const D: [[u8; 10]; 10] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
        [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
        [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
        [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
        [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
        [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
        [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
        [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    ];
    // the permutation applied i times is row i mod 8
    const P: [[u8; 10]; 8] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
        [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
        [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
        [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
        [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
        [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
        [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
    ];
    let mut c = 0usize;
    for (i, &x) in d.iter().rev().enumerate() {
        c = D[c][P[i % 8][x as usize % 10] as usize] as usize;
    }
    c == 0
}

/// Indian PAN: 5 letters (the 4th the holder's type), 4 digits, a letter.
pub fn pan(v: &[u8]) -> bool {
    v.len() == 10
        && v[..5].iter().all(u8::is_ascii_uppercase)
        && b"ABCFGHJLPT".contains(&v[3])
        && v[5..9].iter().all(u8::is_ascii_digit)
        && v[9].is_ascii_uppercase()
}

/// A real calendar day `yymmdd` (any century, so Feb 29 always passes).
fn yymmdd(d: &[u32]) -> bool {
    let (m, day) = (d[2] * 10 + d[3], d[4] * 10 + d[5]);
    let max = match m {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => 0,
    };
    (1..=max).contains(&day)
}

/// Korean RRN: birth date `yymmdd`, then a digit for sex and century
/// (1-8 since 1900), then six more. Numbers issued before October 2020
/// end in a weighted mod-11 check; later ones do not, so it is not asked.
pub fn rrn(v: &[u8]) -> bool {
    digits(v).is_some_and(|d| d.len() == 13 && yymmdd(&d) && (1..=8).contains(&d[6]))
}

/// A Korean RRN written alone, in its printed form `yymmdd-Sdddddd`: the
/// birth date and the sex/century digit are the evidence. Numbers issued
/// before October 2020 end in a check (weights 2-9, 2-5), but those issued
/// since (births, and anyone given a new number) end in random digits, so
/// the check is not asked; six equal or ascending last digits read as made
/// up (`-1234567`).
pub fn rrn_alone(v: &[u8]) -> bool {
    digits(v).is_some_and(|d| d.len() == 13 && rrn(v) && !placeholder(&d[7..]))
}

/// Singapore NRIC/FIN (ICA): S/T (citizens), F/G (foreigners), seven
/// digits weighted 2 7 6 5 4 3 2 (+4 for T and G), the letter picked by
/// the sum mod 11.
pub fn nric(v: &[u8]) -> bool {
    let [p, mid @ .., c] = v else {
        return false;
    };
    let Some(d) = digits(mid).filter(|d| d.len() == 7) else {
        return false;
    };
    let sum: u32 = d
        .iter()
        .zip([2, 7, 6, 5, 4, 3, 2])
        .map(|(x, w)| x * w)
        .sum();
    let (offset, table): (u32, &[u8; 11]) = match p {
        b'S' => (0, b"JZIHGFEDCBA"),
        b'T' => (4, b"JZIHGFEDCBA"),
        b'F' => (0, b"XWUTRQPNMLK"),
        b'G' => (4, b"XWUTRQPNMLK"),
        _ => return false,
    };
    table[((sum + offset) % 11) as usize] == *c
}

/// Spanish DNI (8 digits) or NIE (X/Y/Z read 0/1/2, then 7 digits): the
/// letter is the number mod 23 in `TRWAGMYFPDXBNJZSQVHLCKE`.
pub fn dni(v: &[u8]) -> bool {
    let [head @ .., c] = v else {
        return false;
    };
    let lead = match head.first() {
        Some(b'X') => Some(0),
        Some(b'Y') => Some(1),
        Some(b'Z') => Some(2),
        _ => None,
    };
    let body = if lead.is_some() { &head[1..] } else { head };
    let Some(d) = digits(body).filter(|d| d.len() == 8 - usize::from(lead.is_some())) else {
        return false;
    };
    let n = lead.unwrap_or(0) * 10_000_000 + num(&d);
    // no placeholder test: one letter in 23 fits, so a run with its letter
    // (`55555555K`) was computed, a sample of the format taken as plausible
    // (`certainty`), not typed
    b"TRWAGMYFPDXBNJZSQVHLCKE"[(n % 23) as usize] == *c
}

/// Italian codice fiscale: surname and name letters, year, month letter,
/// day, place, check letter. Where two people would share a code a digit
/// becomes a letter (L M N P Q R S T U V for 0-9). The check letter is
/// the sum of the odd-placed characters' table values and the
/// even-placed characters' own values, mod 26.
pub fn codice_fiscale(v: &[u8]) -> bool {
    const ODD: [u32; 26] = [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24,
        23,
    ];
    let digit_like = |c: u8| c.is_ascii_digit() || b"LMNPQRSTUV".contains(&c);
    if v.len() != 16
        || !v.iter().all(u8::is_ascii_alphanumeric)
        || !v[..6].iter().all(u8::is_ascii_uppercase)
        || !b"ABCDEHLMPRST".contains(&v[8])
        || !v[11].is_ascii_uppercase()
        || ![6, 7, 9, 10, 12, 13, 14].iter().all(|&i| digit_like(v[i]))
    {
        return false;
    }
    let value = |c: u8| {
        if c.is_ascii_digit() {
            u32::from(c - b'0')
        } else {
            u32::from(c - b'A')
        }
    };
    let sum: u32 = v[..15]
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if i % 2 == 0 {
                ODD[value(c) as usize % 26]
            } else {
                value(c)
            }
        })
        .sum();
    v[15] == b'A' + (sum % 26) as u8
}

/// Canadian SIN: 9 digits, Luhn; 0 and 8 are not issued as first digit.
pub fn sin(v: &[u8]) -> bool {
    let Some(d) = digits(v).filter(|d| d.len() == 9) else {
        return false;
    };
    let d8: Vec<u8> = d.iter().map(|&x| x as u8).collect();
    d[0] != 0 && d[0] != 8 && !placeholder(&d) && super::luhn::luhn(&d8)
}

/// Hong Kong identity card: one or two letters, six digits, a check digit
/// (or `A` for 10) making the weighted sum (9..1, a missing first letter
/// read 36, letters A=10…) a multiple of 11.
pub fn hkid(v: &[u8]) -> bool {
    let letters = v.iter().take_while(|c| c.is_ascii_uppercase()).count();
    if !(1..=2).contains(&letters) || v.len() != letters + 7 {
        return false;
    }
    let Some(d) = digits(&v[letters..letters + 6]) else {
        return false;
    };
    let letter = |c: u8| u32::from(c - b'A') + 10;
    let mut vals = if letters == 1 { vec![36] } else { Vec::new() };
    vals.extend(v[..letters].iter().map(|&c| letter(c)));
    vals.extend(d);
    let sum: u32 = vals.iter().zip((2..=9).rev()).map(|(x, w)| x * w).sum();
    let check = match v[letters + 6] {
        b'A' => 10,
        c if c.is_ascii_digit() => u32::from(c - b'0'),
        _ => return false,
    };
    (sum + check).is_multiple_of(11)
}

/// Taiwan national ID (and the new resident certificate, 8/9 second):
/// a letter standing for its region's two-digit code, then nine digits;
/// the weighted sum (1 9 8 7 6 5 4 3 2 1 1) is a multiple of 10.
pub fn twid(v: &[u8]) -> bool {
    // A=10 … H=17, I=34, J=18 … N=22, O=35, P=23 … V=29, W=32, X=30, Y=31, Z=33
    const REGION: [u8; 26] = [
        10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21, 22, 35, 23, 24, 25, 26, 27, 28, 29, 32,
        30, 31, 33,
    ];
    let [l, rest @ ..] = v else {
        return false;
    };
    let Some(d) = digits(rest).filter(|d| d.len() == 9 && matches!(d[0], 1 | 2 | 8 | 9)) else {
        return false;
    };
    if !l.is_ascii_uppercase() {
        return false;
    }
    let r = u32::from(REGION[usize::from(l - b'A')]);
    let sum: u32 = r / 10
        + r % 10 * 9
        + d.iter()
            .zip([8, 7, 6, 5, 4, 3, 2, 1, 1])
            .map(|(x, w)| x * w)
            .sum::<u32>();
    sum.is_multiple_of(10)
}

/// Macau resident ID: 1, 5, 7 or 8, six digits, a digit (printed in
/// parentheses). No published check, so only ever with its name.
pub fn moid(v: &[u8]) -> bool {
    digits(v).is_some_and(|d| d.len() == 8 && matches!(d[0], 1 | 5 | 7 | 8) && !placeholder(&d))
}

/// GB 32100-2015 unified social credit code: 18 characters of
/// `0-9A-Y` without I O S V Z, the 3rd-8th an administrative division
/// (digits), the last a check: weights 3^i mod 31, and the check value
/// brings the sum to a multiple of 31.
pub fn uscc(v: &[u8]) -> bool {
    const ALPHA: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    if v.len() != 18 || !v[2..8].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let Some(vals) = v
        .iter()
        .map(|c| ALPHA.iter().position(|a| a == c).map(|p| p as u32))
        .collect::<Option<Vec<u32>>>()
    else {
        return false;
    };
    let mut w = 1;
    let mut sum = 0;
    for &x in &vals[..17] {
        sum += x * w;
        w = w * 3 % 31;
    }
    (31 - sum % 31) % 31 == vals[17] && !placeholder(&vals[..17])
}
