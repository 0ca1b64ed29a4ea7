//! Discord bot tokens. Discord documents a bot token as three base64url
//! segments joined by `.`: the bot's user id (a snowflake: 17 to 20
//! decimal digits), a timestamp, and an HMAC. There is no literal prefix,
//! so the prefilter's anchors are what base64 makes of decimal digits: in
//! every 4 characters encoding 3 digits, the first is `M`, `N` or `O`, the
//! second `T`, `j`, `z` or `D`, the third one of `AEIMQUYcgk` and the
//! fourth one of `wxyz012345`. The anchors are the 1,200 4-character
//! strings that straddle the first two groups (characters 3 to 6), where
//! English words rarely have that shape; the confirm then checks the exact
//! case of all 7 characters, and the validator decodes the id.

use super::checksums_secrets::base64_decode;

const C0: &[u8] = b"MNO";
const C1: &[u8] = b"TjzD";
const C2: &[u8] = b"AEIMQUYcgk";
const C3: &[u8] = b"wxyz012345";

/// Characters 3 to 6 of every base64 encoding of decimal digits, lower case.
pub fn anchors() -> Vec<String> {
    let mut out = Vec::with_capacity(1200);
    for &a in C3 {
        for &b in C0 {
            for &c in C1 {
                for &d in C2 {
                    let s = [a, b, c, d].map(|x| x.to_ascii_lowercase());
                    out.push(String::from_utf8_lossy(&s).into_owned());
                }
            }
        }
    }
    out
}

/// At an anchor found at `at`: the 7 characters from `at - 3` are, case
/// and all, a group of 3 digits and the start of the next, and the group
/// starts a word (the pattern's `\b`: `-` before it is no letter).
pub fn confirm(b: &[u8], at: usize) -> bool {
    let Some(s) = at.checked_sub(3).and_then(|s| b.get(s..s + 7)) else {
        return false;
    };
    let sets = [C0, C1, C2, C3, C0, C1, C2];
    let fits = s.iter().zip(sets).all(|(c, set)| set.contains(c));
    let before = at.checked_sub(4).and_then(|i| b.get(i));
    fits && !before.is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_')
}

/// The first segment of a token match decodes to a snowflake: 17 to 20
/// decimal digits, not starting with `0`.
pub fn valid(m: &str) -> bool {
    let id = m.split('.').next().unwrap_or("");
    base64_decode(id.as_bytes()).is_some_and(|d| {
        (17..=20).contains(&d.len()) && d.first() != Some(&b'0') && d.iter().all(u8::is_ascii_digit)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // made up: base64url of a made-up 18-digit id, 6 random, 27 random
    const TOKEN: &str = "NDcxOTI4MzM1NjAyNzg5NDQx.Xk3p9Q.bW4tR7vLq2ZsN8cYd1HfJ6gKe0P";

    #[test]
    fn the_id_decodes_to_a_snowflake() {
        assert!(valid(TOKEN));
        // an id of letters, of 16 digits, with a leading zero
        assert!(!valid(
            "YWJjZGVmZ2hpamtsbW5vcHFy.Xk3p9Q.bW4tR7vLq2ZsN8cYd1HfJ6gKe0P"
        ));
        assert!(!valid(
            "MTIzNDU2Nzg5MDEyMzQ1Ng.Xk3p9Q.bW4tR7vLq2ZsN8cYd1HfJ6gKe0P"
        ));
        assert!(!valid(
            "MDcxOTI4MzM1NjAyNzg5NDQx.Xk3p9Q.bW4tR7vLq2ZsN8cYd1HfJ6gKe0P"
        ));
    }

    #[test]
    fn anchors_and_confirm_fit_every_digit_encoding() {
        let lits = anchors();
        assert_eq!(lits.len(), 1200);
        assert!(lits.contains(&"xoti".to_string()));
        assert!(confirm(TOKEN.as_bytes(), 3));
        // the same letters in another case, or inside a longer word
        assert!(!confirm(b"ndcxoti4mzm1", 3));
        assert!(!confirm(format!("a{TOKEN}").as_bytes(), 4));
        // after `-` or `.` the pattern's `\b` holds, and so must this
        assert!(confirm(format!("-{TOKEN}").as_bytes(), 4));
    }
}
