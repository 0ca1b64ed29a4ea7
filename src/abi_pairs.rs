//! The byte layouts the Proxy-Wasm ABI uses for header maps and property
//! paths, kept pure so native tests reach them (`host::abi` sends and
//! reads them). A map is a little-endian u32 pair count, then a (name
//! length, value length) u32 pair per entry, then each name and value
//! followed by a NUL. Decoding never panics: a map that does not add up
//! yields the pairs read before the fault.

/// Serializes header pairs for `proxy_send_local_response`.
pub fn encode_pairs(pairs: &[(&str, &str)]) -> Vec<u8> {
    let size = 4 + pairs
        .iter()
        .map(|(k, v)| k.len() + v.len() + 10)
        .sum::<usize>();
    let mut out = Vec::with_capacity(size);
    out.extend_from_slice(&len_u32(pairs.len()).to_le_bytes());
    for (k, v) in pairs {
        out.extend_from_slice(&len_u32(k.len()).to_le_bytes());
        out.extend_from_slice(&len_u32(v.len()).to_le_bytes());
    }
    for (k, v) in pairs {
        out.extend_from_slice(k.as_bytes());
        out.push(0);
        out.extend_from_slice(v.as_bytes());
        out.push(0);
    }
    out
}

/// Header pairs as Envoy serialized them; values stay bytes (a header
/// may not be UTF-8), names are lossy text (Envoy lowercases them).
pub fn decode_pairs(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let Some(count) = read_u32(bytes, 0) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // the data starts after the count and the length table
    let mut at = 4usize.saturating_add(count.saturating_mul(8));
    for i in 0..count {
        let (Some(klen), Some(vlen)) = (read_u32(bytes, 4 + i * 8), read_u32(bytes, 8 + i * 8))
        else {
            break;
        };
        let Some(key) = bytes.get(at..at.saturating_add(klen)) else {
            break;
        };
        at = at.saturating_add(klen).saturating_add(1);
        let Some(value) = bytes.get(at..at.saturating_add(vlen)) else {
            break;
        };
        at = at.saturating_add(vlen).saturating_add(1);
        out.push((String::from_utf8_lossy(key).into_owned(), value.to_vec()));
    }
    out
}

/// A property path (`["xds", "route_name"]`) as the ABI takes it: the
/// segments joined by NUL.
pub fn encode_path(path: &[&str]) -> Vec<u8> {
    path.join("\0").into_bytes()
}

fn read_u32(bytes: &[u8], at: usize) -> Option<usize> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    let n = u32::from_le_bytes(<[u8; 4]>::try_from(b).ok()?);
    usize::try_from(n).ok()
}

/// Header sizes are far below 4 GiB; a larger one is clamped rather
/// than wrapped (Envoy then rejects the map instead of misreading it).
fn len_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_round_trip() {
        let pairs = [
            (":status", "200"),
            ("content-type", "application/json"),
            ("x-empty", ""),
        ];
        let got = decode_pairs(&encode_pairs(&pairs));
        let want: Vec<(String, Vec<u8>)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn empty_map_is_a_zero_count() {
        assert_eq!(encode_pairs(&[]), vec![0, 0, 0, 0]);
        assert!(decode_pairs(&[0, 0, 0, 0]).is_empty());
        assert!(decode_pairs(&[]).is_empty());
    }

    #[test]
    fn non_utf8_values_stay_bytes() {
        // one pair: "k" -> [0xff]
        let bytes = [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, b'k', 0, 0xff, 0];
        assert_eq!(decode_pairs(&bytes), vec![("k".to_string(), vec![0xff])]);
    }

    #[test]
    fn a_map_that_does_not_add_up_yields_what_was_read() {
        let whole = encode_pairs(&[("a", "1"), ("b", "2")]);
        for cut in 0..whole.len() {
            let got = decode_pairs(&whole[..cut]);
            assert!(got.len() <= 2, "cut at {cut}");
        }
        // a count far beyond the data
        let mut huge = vec![0xff, 0xff, 0xff, 0xff];
        huge.extend_from_slice(&[1, 0, 0, 0, 1, 0, 0, 0]);
        assert!(decode_pairs(&huge).is_empty());
        // lengths pointing past the end
        let bad = [1, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 1, 0, 0, 0, b'k', 0];
        assert!(decode_pairs(&bad).is_empty());
    }

    #[test]
    fn path_segments_are_nul_joined() {
        assert_eq!(
            encode_path(&["xds", "route_name"]),
            b"xds\0route_name".to_vec()
        );
        assert_eq!(encode_path(&["ai_log"]), b"ai_log".to_vec());
        assert!(encode_path(&[]).is_empty());
    }
}
