//! Checks vendors document for their secrets: the CRC32 a GitHub or npm
//! token carries in its last six characters, and base64 decoding for
//! formats whose parts are encoded (a JWT's header, a Kubernetes Secret's
//! value). Bitwise, no tables: a few
//! hundred bytes of wasm.

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as zlib's.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (!(crc & 1)).wrapping_add(1));
        }
    }
    !crc
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// GitHub's token format (April 2021, also npm's since September 2021):
/// a prefix ending in `_`, 30 random base62 characters, and the CRC32 of
/// those 30 in base62, left-padded with `0` to 6 characters. `None` when
/// `token` is not of that shape (a fine-grained `github_pat_` is not).
pub fn github_crc_ok(token: &str) -> Option<bool> {
    let body = &token.as_bytes()[token.find('_')? + 1..];
    if body.len() != 36 {
        return None;
    }
    let (random, check) = body.split_at(30);
    let mut want = u64::from(crc32(random));
    let mut enc = [b'0'; 6];
    for slot in enc.iter_mut().rev() {
        *slot = BASE62[(want % 62) as usize];
        want /= 62;
    }
    Some(want == 0 && enc == check)
}

/// Standard or URL-safe base64 (padding optional) decoded, or `None` on a
/// character outside both alphabets or a length no encoder produces.
pub fn base64_decode(s: &[u8]) -> Option<Vec<u8>> {
    let s = s.strip_suffix(b"==").or(s.strip_suffix(b"=")).unwrap_or(s);
    if s.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in s {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// A JWT's first segment decodes to a JSON object naming its algorithm
/// (RFC 7515 §4.1.1: `alg` is required).
pub fn jwt_header_ok(token: &str) -> bool {
    let head = token.split('.').next().unwrap_or("");
    base64_decode(head.as_bytes())
        .is_some_and(|h| h.first() == Some(&b'{') && memchr::memmem::find(&h, b"\"alg\"").is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A token in GitHub's format around made-up random characters.
    fn make(prefix: &str, random: &str) -> String {
        let mut c = u64::from(crc32(random.as_bytes()));
        let mut enc = [b'0'; 6];
        for slot in enc.iter_mut().rev() {
            *slot = BASE62[(c % 62) as usize];
            c /= 62;
        }
        format!("{prefix}{random}{}", std::str::from_utf8(&enc).unwrap())
    }

    #[test]
    fn crc32_matches_the_published_check_value() {
        // the check value every CRC-32/ISO-HDLC implementation lists
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn github_and_npm_checksums() {
        let t = make("ghp_", "Qm7vT2kLx9RbW4nE8pZc1sYd6hJf3G");
        assert_eq!(github_crc_ok(&t), Some(true));
        let n = make("npm_", "a8Kd2LmQ0xVb7RtN3cWz5YhJ1pEs9F");
        assert_eq!(github_crc_ok(&n), Some(true));
        // one character of the random part changed: the checksum fails
        let bad = t.replacen("Qm7", "Qm8", 1);
        assert_eq!(github_crc_ok(&bad), Some(false));
        // not the 30 + 6 shape
        assert_eq!(github_crc_ok("ghp_short"), None);
        assert_eq!(github_crc_ok(&t[..t.len() - 1]), None);
    }

    #[test]
    fn base64_both_alphabets_and_bad_input() {
        assert_eq!(base64_decode(b"aGVsbG8=").unwrap(), b"hello");
        assert_eq!(base64_decode(b"aGVsbG8").unwrap(), b"hello");
        assert_eq!(base64_decode(b"-_8").unwrap(), [0xfb, 0xff]);
        assert!(base64_decode(b"a!bc").is_none());
        assert!(base64_decode(b"abcde").is_none());
    }

    #[test]
    fn jwt_headers() {
        // {"alg":"HS256","typ":"JWT"}
        assert!(jwt_header_ok("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.x"));
        // {"typ":"JWT"}: no algorithm
        assert!(!jwt_header_ok("eyJ0eXAiOiJKV1QifQ.e30.x"));
        assert!(!jwt_header_ok("eyJhbGciOiJub25l%.e30.x"));
    }
}
