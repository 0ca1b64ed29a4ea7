//! Identifiers whose printed shape alone makes chance unlikely, so they act
//! without a word naming them: a UK driving licence number (DVLA's 16
//! characters: surname, a date of birth in digits, initials) and India's
//! GSTIN (15 characters: a state's code, the holder's PAN, an entity
//! number, `Z` and a check character, which must hold). Each is a whole
//! token: the prefilter opens a window at a run of 4 digits or more inside
//! one ([`head`]: a licence has 6, a GSTIN 4), the validator takes the
//! token ([`valid`]). A US Medicare Beneficiary Identifier has no such run
//! (`1EG4-TE5-MK73`), and runs of 2 made the prefilter walk every byte
//! again (clean text 0.70x): it is left out.

/// The token of letters, digits and `-` around `text[start..end]`, if it
/// stands apart (not inside a longer one) and is short enough to be one of
/// these identifiers.
fn token(b: &[u8], start: usize, end: usize) -> Option<&[u8]> {
    let part = |c: &u8| c.is_ascii_alphanumeric() || *c == b'-';
    let from = b[..start]
        .iter()
        .rev()
        .take(17)
        .take_while(|c| part(c))
        .count();
    let to = b[end..].iter().take(17).take_while(|c| part(c)).count();
    let t = b.get(start - from..end + to)?;
    (15..=16).contains(&t.len()).then_some(t)
}

/// Does a window opened at the digit run `b[start..end]` hold one of the
/// shapes? The same test as [`valid`], on the run's whole token.
pub fn head(b: &[u8], start: usize, end: usize) -> bool {
    token(b, start, end).is_some_and(shaped)
}

/// Is the match `b[start..end]` a whole token of one of the shapes?
pub fn valid(b: &[u8], start: usize, end: usize) -> bool {
    let apart = |c: Option<&u8>| !c.is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-');
    apart(start.checked_sub(1).and_then(|i| b.get(i)))
        && apart(b.get(end))
        && b.get(start..end).is_some_and(shaped)
}

fn shaped(t: &[u8]) -> bool {
    uk_licence(t) || gstin(t)
}

/// DVLA's driving licence number: the surname's first five letters (`9`
/// pads a shorter one), the decade of birth, the month (plus 50 for a
/// woman), the day, the year's last digit, two initials (`9` pads), a
/// digit and two check letters. Either case.
pub fn uk_licence(t: &[u8]) -> bool {
    let Ok(t) = <[u8; 16]>::try_from(t) else {
        return false;
    };
    let [s @ .., d, m1, m2, d1, d2, y, i1, i2, n, c1, c2] = t.map(|c| c.to_ascii_uppercase());
    // letters, then the padding that ends a short name (`FO999`)
    let surname = s[0].is_ascii_uppercase()
        && s.iter()
            .skip_while(|c| c.is_ascii_uppercase())
            .all(|c| *c == b'9');
    if ![d, m1, m2, d1, d2, y].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let month = ((m1 - b'0') * 10 + (m2 - b'0')) % 50;
    let day = (d1 - b'0') * 10 + (d2 - b'0');
    let initials = i1.is_ascii_uppercase() && (i2.is_ascii_uppercase() || i2 == b'9');
    surname
        && (1..=12).contains(&month)
        && matches!(m1, b'0' | b'1' | b'5' | b'6')
        && (1..=31).contains(&day)
        && initials
        && n.is_ascii_digit()
        && c1.is_ascii_uppercase()
        && c2.is_ascii_uppercase()
}

/// India's GSTIN: a state's code (01-38, 97 or 99), the holder's PAN (five
/// letters, four digits, a letter), the entity's number (1-9 or a letter),
/// `Z`, and a check character by GSTN's mod-36 scheme.
pub fn gstin(t: &[u8]) -> bool {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let [s1, s2, rest @ ..] = t else {
        return false;
    };
    if rest.len() != 13 || !s1.is_ascii_digit() || !s2.is_ascii_digit() {
        return false;
    }
    let state = (s1 - b'0') * 10 + (s2 - b'0');
    let pan = rest[..5].iter().all(u8::is_ascii_uppercase)
        && rest[5..9].iter().all(u8::is_ascii_digit)
        && rest[9].is_ascii_uppercase();
    let entity = rest[10].is_ascii_digit() && rest[10] != b'0' || rest[10].is_ascii_uppercase();
    if !((1..=38).contains(&state) || matches!(state, 97 | 99))
        || !pan
        || !entity
        || rest[11] != b'Z'
    {
        return false;
    }
    let value = |c: &u8| ALPHABET.iter().position(|a| a == c);
    let mut sum = 0;
    for (i, c) in t[..14].iter().enumerate() {
        let Some(v) = value(c) else {
            return false;
        };
        let p = v * if i % 2 == 0 { 1 } else { 2 };
        sum += p / 36 + p % 36;
    }
    value(&t[14]) == Some((36 - sum % 36) % 36)
}
