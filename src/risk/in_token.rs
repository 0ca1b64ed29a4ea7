//! A run of digits that is a piece of a longer identifier is no number of
//! a person's: a hex device id, a hash or a key holds a valid-looking
//! mobile number or card in a few of every hundred, and a UUID's digit
//! groups pass an Aadhaar or card check as often. Agents send such ids on
//! every turn (Claude Code's `metadata.user_id` carries a 64-hex device id,
//! Codex a UUID `prompt_cache_key`), so without this check a plain turn
//! was rerouted about one time in two hundred.

/// Is `b[start..end]` a piece of a longer identifier: inside a UUID
/// (8-4-4-4-12 hex digits), or within a run of ASCII letters and digits
/// that goes on both sides of it or by 4 characters or more? A label
/// written against the number (`ID110101…`, `Tel13812345678`) is how
/// people write and stays a number; a hash or a key is long or wraps it.
pub fn piece_of_token(b: &[u8], start: usize, end: usize) -> bool {
    let alnum = |c: &&u8| c.is_ascii_alphanumeric();
    let before = b[start.saturating_sub(8)..start]
        .iter()
        .rev()
        .take_while(alnum)
        .count();
    let after = b[end..(end + 8).min(b.len())]
        .iter()
        .take_while(alnum)
        .count();
    (before > 0 && after > 0) || before + after >= 4 || in_uuid(b, start, end)
}

/// The hex-and-hyphen token around the match, at most a UUID's 36 bytes
/// each way, has a UUID's groups.
fn in_uuid(b: &[u8], start: usize, end: usize) -> bool {
    let uuidish = |c: &u8| c.is_ascii_hexdigit() || *c == b'-';
    let lo = start.saturating_sub(36);
    let from = b[lo..start]
        .iter()
        .rposition(|c| !uuidish(c))
        .map_or(lo, |i| lo + i + 1);
    let hi = (end + 36).min(b.len());
    let to = b[end..hi]
        .iter()
        .position(|c| !uuidish(c))
        .map_or(hi, |i| end + i);
    // a UUID among hyphenated hex (a v7 id after a hash) is found by
    // trying each start that opens a group
    (from..=start).any(|s| {
        (s == from || b[s - 1] == b'-') && s + 36 >= end && s + 36 <= to && is_uuid(&b[s..s + 36])
    })
}

fn is_uuid(u: &[u8]) -> bool {
    u.iter().enumerate().all(|(i, c)| {
        if matches!(i, 8 | 13 | 18 | 23) {
            *c == b'-'
        } else {
            c.is_ascii_hexdigit()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, needle: &str) -> bool {
        let s = text.find(needle).unwrap();
        piece_of_token(text.as_bytes(), s, s + needle.len())
    }

    #[test]
    fn numbers_inside_ids_are_pieces() {
        // made-up: a mobile-shaped run inside a hex device id
        assert!(at(
            "device 2b5ba1e46a26c9f40bdc81d53fddcd73be18982240272a705a2",
            "18982240272"
        ));
        // at either end of a hash: the rest of it runs on
        assert!(at("sha 13812345678c0ffee9d2", "13812345678"));
        assert!(at("sha 9d2c0ffee13812345678", "13812345678"));
        // a UUID's middle groups (an Aadhaar shape) and its head (a card's)
        assert!(at(
            "cache 01a25b42-9787-7942-4362-fd483fe8b228 x",
            "9787-7942-4362"
        ));
        assert!(at(
            "\"62156662-8840-4532-baa4-25ecc7065974\"",
            "62156662-8840-4532"
        ));
        // a UUID right after other hyphenated hex
        assert!(at(
            "ab12-01a25b42-9787-7942-4362-fd483fe8b228",
            "9787-7942-4362"
        ));
    }

    #[test]
    fn numbers_standing_apart_are_not() {
        for (t, n) in [
            ("手机13812345678，", "13812345678"),
            ("Tel13812345678 after six", "13812345678"),
            ("ID110101199003071234", "110101199003071234"),
            ("tel: 138-1234-5678.", "138-1234-5678"),
            ("card 6215 6662 8840 4532 ok", "6215 6662 8840 4532"),
            ("SSN 078-05-1121-", "078-05-1121"),
            ("ids 9787-7942-4362-fd48 and more", "9787-7942-4362"),
        ] {
            assert!(!at(t, n), "{t}");
        }
    }
}
