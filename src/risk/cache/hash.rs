//! The cache's hash and byte compare: fast, not collision resistant (a
//! hit is always confirmed byte for byte).

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// A fast hash of bytes (a piece, or its opening) with their length, key
/// and depth: FxHash-style mixing in four independent lanes of 8-byte
/// words (so the multiplies overlap), then a final mix. Not collision resistant, and need not be: a hit is
/// confirmed byte by byte.
pub fn hash(key: &str, depth: usize, bytes: &[u8]) -> u64 {
    let mix = |h: u64, w: u64| (h.rotate_left(5) ^ w).wrapping_mul(K);
    let mut lanes = [
        (depth as u64) ^ ((bytes.len() as u64) << 8),
        (key.len() as u64).wrapping_mul(K),
        K,
        !K,
    ];
    let mut blocks = bytes.chunks_exact(32);
    for b in &mut blocks {
        for (i, lane) in lanes.iter_mut().enumerate() {
            *lane = mix(*lane, word(b, i * 8));
        }
    }
    let mut h = lanes.iter().fold(0u64, |acc, &l| mix(acc, l));
    for part in [blocks.remainder(), key.as_bytes()] {
        let mut words = part.chunks_exact(8);
        for w in &mut words {
            h = mix(h, word(w, 0));
        }
        let rest = words.remainder();
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        h = mix(h, u64::from_le_bytes(last) ^ ((rest.len() as u64) << 60));
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

/// The 8 bytes of `b` at `at` as a word (0 past the end; callers stay inside).
#[inline]
fn word(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 8)
        .and_then(|w| <[u8; 8]>::try_from(w).ok())
        .map_or(0, u64::from_le_bytes)
}

/// Whether `hay` begins with `piece`: 32 bytes a step in wasm, whose libc
/// compares byte by byte; the platform's `memcmp` natively.
#[cfg(not(target_arch = "wasm32"))]
pub(super) fn begins_with(hay: &[u8], piece: &[u8]) -> bool {
    hay.starts_with(piece)
}

#[cfg(target_arch = "wasm32")]
pub(super) fn begins_with(hay: &[u8], piece: &[u8]) -> bool {
    let Some(hay) = hay.get(..piece.len()) else {
        return false;
    };
    let (mut a, mut b) = (hay.chunks_exact(32), piece.chunks_exact(32));
    for (x, y) in (&mut a).zip(&mut b) {
        let diff = (word(x, 0) ^ word(y, 0))
            | (word(x, 8) ^ word(y, 8))
            | (word(x, 16) ^ word(y, 16))
            | (word(x, 24) ^ word(y, 24));
        if diff != 0 {
            return false;
        }
    }
    a.remainder() == b.remainder()
}
