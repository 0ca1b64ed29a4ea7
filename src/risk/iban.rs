//! IBAN check (ISO 13616): the country's registered length and the
//! mod-97 check over the rearranged number, so a random string passes
//! with odds near 1 in 97 times the odds of hitting a registered length.

/// Registered IBAN lengths by country code (SWIFT IBAN registry).
const LENGTHS: &[(&[u8; 2], usize)] = &[
    (b"AD", 24),
    (b"AE", 23),
    (b"AL", 28),
    (b"AT", 20),
    (b"AZ", 28),
    (b"BA", 20),
    (b"BE", 16),
    (b"BG", 22),
    (b"BH", 22),
    (b"BI", 27),
    (b"BR", 29),
    (b"BY", 28),
    (b"CH", 21),
    (b"CR", 22),
    (b"CY", 28),
    (b"CZ", 24),
    (b"DE", 22),
    (b"DJ", 27),
    (b"DK", 18),
    (b"DO", 28),
    (b"EE", 20),
    (b"EG", 29),
    (b"ES", 24),
    (b"FI", 18),
    (b"FK", 18),
    (b"FO", 18),
    (b"FR", 27),
    (b"GB", 22),
    (b"GE", 22),
    (b"GI", 23),
    (b"GL", 18),
    (b"GR", 27),
    (b"GT", 28),
    (b"HN", 28),
    (b"HR", 21),
    (b"HU", 28),
    (b"IE", 22),
    (b"IL", 23),
    (b"IQ", 23),
    (b"IS", 26),
    (b"IT", 27),
    (b"JO", 30),
    (b"KW", 30),
    (b"KZ", 20),
    (b"LB", 28),
    (b"LC", 32),
    (b"LI", 21),
    (b"LT", 20),
    (b"LU", 20),
    (b"LV", 21),
    (b"LY", 25),
    (b"MC", 27),
    (b"MD", 24),
    (b"ME", 22),
    (b"MK", 19),
    (b"MN", 20),
    (b"MR", 27),
    (b"MT", 31),
    (b"MU", 30),
    (b"NI", 28),
    (b"NL", 18),
    (b"NO", 15),
    (b"OM", 23),
    (b"PK", 24),
    (b"PL", 28),
    (b"PS", 29),
    (b"PT", 25),
    (b"QA", 29),
    (b"RO", 24),
    (b"RS", 22),
    (b"RU", 33),
    (b"SA", 24),
    (b"SC", 31),
    (b"SD", 18),
    (b"SE", 24),
    (b"SI", 19),
    (b"SK", 24),
    (b"SM", 27),
    (b"SO", 23),
    (b"ST", 25),
    (b"SV", 28),
    (b"TL", 23),
    (b"TN", 24),
    (b"TR", 26),
    (b"UA", 29),
    (b"VA", 22),
    (b"VG", 24),
    (b"XK", 20),
    (b"YE", 30),
];

/// Is the match an IBAN? Spaces between groups are allowed; the match may
/// run on into a following word, so the number is cut at its country's
/// length, which must end at a group's end.
pub fn valid(m: &[u8]) -> bool {
    let Some(cc) = m.first_chunk::<2>() else {
        return false;
    };
    let Some(&(_, len)) = LENGTHS.iter().find(|(c, _)| *c == cc) else {
        return false;
    };
    let mut compact = Vec::with_capacity(len);
    let mut rest = m.iter();
    for &c in rest.by_ref() {
        if c.is_ascii_alphanumeric() {
            compact.push(c);
            if compact.len() == len {
                break;
            }
        }
    }
    if compact.len() != len || rest.next().is_some_and(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    // A BBAN is a bank code and an account number padded with zeros to
    // the registered length (ISO 13616), so runs of `0` are the format's
    // own; a BBAN of fewer than 3 distinct characters (`0000…`, a bank
    // code over zeros, `1111…`) is a made-up number, not an account.
    let mut seen = [false; 36];
    for &c in &compact[4..] {
        if let Some(k) = (c as char).to_digit(36) {
            seen[k as usize] = true;
        }
    }
    if seen.iter().filter(|&&s| s).count() < 3 {
        return false;
    }
    let (head, body) = compact.split_at(4);
    let mut rem = 0u32;
    for &c in body.iter().chain(head) {
        rem = match c {
            b'0'..=b'9' => (rem * 10 + u32::from(c - b'0')) % 97,
            b'A'..=b'Z' => (rem * 100 + u32::from(c - b'A') + 10) % 97,
            _ => return false,
        };
    }
    rem == 1
}

#[cfg(test)]
mod tests {
    use super::valid;

    #[test]
    fn iban_length_and_mod97() {
        // check digits computed by hand for these made-up account numbers:
        // 98 - (BBAN ++ "DE00" as digits) mod 97
        for ok in [
            &b"DE75512108001245126199"[..],
            b"DE75 5121 0800 1245 1261 99",
            b"NL02ABNA0123456789",
            b"FR7630006000011234567890189",
            // account numbers padded with zeros to the registered length
            b"KW72ABCD0000000000004817265301",
            b"IL130123450000000987654",
        ] {
            assert!(valid(ok), "{}", String::from_utf8_lossy(ok));
        }
        for bad in [
            &b"DE76512108001245126199"[..], // check digits off by one
            b"DE7551210800124512619",       // truncated
            b"DE755121080012451261990",     // one digit too many
            b"ZZ75512108001245126199",      // no such country
            b"DE89000000000000000000",      // placeholder run
            b"DE77100000000000000000",      // a bank code over zeros
            b"DE63111111111111111111",      // one digit over and over
            b"DE75 5121 0800 1245 1261 99AB",
        ] {
            assert!(!valid(bad), "{}", String::from_utf8_lossy(bad));
        }
    }
}
