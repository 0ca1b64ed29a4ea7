//! Crypto wallet addresses by their own checks: Bitcoin base58check (a
//! version byte, 20 bytes of hash, and the first 4 bytes of a double
//! SHA-256: 1 chance in 4 billion for a random string), bech32 / bech32m
//! segwit addresses (BIP 173, BIP 350: a 30-bit BCH checksum) and
//! Ethereum addresses in EIP-55 mixed case (the case of each letter is a
//! bit of the address's Keccak-256). A bech32 or EIP-55 address acts
//! alone (`bc1`, `0x` anchor it). A mainnet base58 address (`1…` P2PKH,
//! `3…` P2SH) acts alone too when it stands alone, as the whole text or at
//! a line's start: its checksum is 32 bits. It has no literal prefix, so
//! its anchors are generated: a newline, the version character and any
//! base58 character, 70 3-byte literals (a literal that begins with a
//! newline also stands at the text's start); the confirm then wants 26 to
//! 35 base58 characters with both cases of letters, which prose, numbers
//! and hex digests do not make. In a sentence, a base58 address, a
//! testnet one and an Ethereum address in one case (no check) need a word
//! for a wallet near.

use super::id_words::near;

/// Words for a wallet, lowercase; ASCII ones stand as whole words.
pub const WORDS: &[(&str, u32)] = &[
    ("wallet", 1),
    ("bitcoin", 1),
    ("btc", 1),
    ("ethereum", 1),
    ("eth", 1),
    ("usdt", 1),
    ("crypto", 1),
    ("钱包", 1),
    ("錢包", 1),
    ("比特币", 1),
    ("以太坊", 1),
];

const ALPHA58: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// What a bare base58 address may stand after: a line's start (and the
/// text's). Each byte here files 52 more of the prefilter's 65,536 slots,
/// and one before a number files the numbers of prose: measured with
/// callgrind on `bench_risk`'s clean text, a space costs the pass ~5% more
/// instructions, quotes ~2%, a newline nothing measurable. In a sentence
/// an address needs a word for a wallet near.
const BEFORE58: &[u8] = b"\n";

/// The prefilter's anchors for a bare base58 address: a separator, `1`
/// or `3`, and a base58 character, lower case (the prefilter folds case).
pub fn base58_anchors() -> Vec<String> {
    let mut out = Vec::with_capacity(70);
    for &sep in BEFORE58 {
        for lead in [b'1', b'3'] {
            for &c in b"123456789abcdefghijklmnopqrstuvwxyz" {
                out.push(String::from_utf8_lossy(&[sep, lead, c]).into_owned());
            }
        }
    }
    out
}

/// A bare mainnet base58 address may start at `at`: `1` or `3` at the
/// text's start or after a [`BEFORE58`] byte, 26 to 35 base58 characters
/// ending a word, letters in both cases.
pub fn base58_head(b: &[u8], at: usize) -> bool {
    let is58 = |c: &u8| c.is_ascii_alphanumeric() && !matches!(c, b'0' | b'O' | b'I' | b'l');
    // most anchors are a number or a word after a space: one look at the
    // 26th character rejects them
    if !b.get(at + 25).is_some_and(is58) {
        return false;
    }
    let run = b
        .get(at..)
        .map_or(0, |r| r.iter().take_while(|c| is58(c)).count());
    let Some(m) = b.get(at..at + run) else {
        return false;
    };
    matches!(m.first(), Some(b'1' | b'3'))
        && (at == 0 || b.get(at - 1).is_some_and(|c| BEFORE58.contains(c)))
        && (26..=35).contains(&run)
        && !b
            .get(at + run)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_')
        && m.iter().any(u8::is_ascii_uppercase)
        && m.iter().any(u8::is_ascii_lowercase)
}

/// Is `text[start..end]` a wallet address?
pub fn valid(text: &str, start: usize, end: usize) -> bool {
    let m = &text.as_bytes()[start..end];
    let named = || near(WORDS, text, start, end) != 0;
    match m {
        [b'0', b'x' | b'X', hex @ ..] => {
            let upper = hex.iter().any(u8::is_ascii_uppercase);
            let lower = hex.iter().any(u8::is_ascii_lowercase);
            if upper && lower {
                eip55(hex)
            } else {
                named()
            }
        }
        [b'b' | b'B' | b't' | b'T', ..] => bech32(m),
        _ => base58check(m) && (base58_head(text.as_bytes(), start) || named()),
    }
}

/// At an anchor: `0x` and exactly 40 hex digits, `bc1`/`tb1` at a
/// word's start, a bare base58 address ([`base58_head`], after its
/// separator or at the text's start); any other anchor (a word) passes.
pub fn head(b: &[u8], start: usize, end: usize) -> bool {
    let word = |i: usize| b.get(i).is_some_and(u8::is_ascii_alphanumeric);
    match b.get(start..end) {
        Some([b'0', _]) => {
            let hex = b[end..]
                .iter()
                .take_while(|c| c.is_ascii_hexdigit())
                .count();
            hex == 40 && !word(end + 40) && !(start > 0 && word(start - 1))
        }
        Some([b'b' | b'B' | b't' | b'T', _, b'1']) => !(start > 0 && word(start - 1)),
        Some([b'1' | b'3', _]) if start == 0 => base58_head(b, 0),
        Some([sep, b'1' | b'3', _]) if BEFORE58.contains(sep) => base58_head(b, start + 1),
        _ => true,
    }
}

/// EIP-55: a letter of the 40 hex digits is upper case exactly where the
/// same nibble of the Keccak-256 of the lower-case address is 8 or more.
pub fn eip55(hex: &[u8]) -> bool {
    let hash = keccak256(&hex.to_ascii_lowercase());
    hex.len() == 40
        && hex.iter().enumerate().all(|(i, &c)| {
            let nibble = (hash[i / 2] >> (4 * (1 - i % 2))) & 15;
            !c.is_ascii_alphabetic() || c.is_ascii_uppercase() == (nibble >= 8)
        })
}

/// Keccak-256 (the original padding Ethereum uses, not SHA-3's) of a
/// message shorter than its 136-byte rate.
pub fn keccak256(data: &[u8]) -> [u8; 32] {
    const RC: [u64; 24] = [
        0x0000000000000001,
        0x0000000000008082,
        0x800000000000808a,
        0x8000000080008000,
        0x000000000000808b,
        0x0000000080000001,
        0x8000000080008081,
        0x8000000000008009,
        0x000000000000008a,
        0x0000000000000088,
        0x0000000080008009,
        0x000000008000000a,
        0x000000008000808b,
        0x800000000000008b,
        0x8000000000008089,
        0x8000000000008003,
        0x8000000000008002,
        0x8000000000000080,
        0x000000000000800a,
        0x800000008000000a,
        0x8000000080008081,
        0x8000000000008080,
        0x0000000080000001,
        0x8000000080008008,
    ];
    const ROT: [u32; 24] = [
        1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44,
    ];
    const PI: [usize; 24] = [
        10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1,
    ];
    let mut block = [0u8; 200];
    let n = data.len().min(135);
    block[..n].copy_from_slice(&data[..n]);
    block[n] ^= 0x01;
    block[135] ^= 0x80;
    let mut a = [0u64; 25];
    for (lane, c) in a.iter_mut().zip(block.chunks_exact(8)) {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        *lane = u64::from_le_bytes(w);
    }
    for rc in RC {
        let mut c = [0u64; 5];
        for (x, cx) in c.iter_mut().enumerate() {
            *cx = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        }
        for x in 0..5 {
            let d = c[(x + 4) % 5] ^ c[(x + 1) % 5].rotate_left(1);
            for y in 0..5 {
                a[x + 5 * y] ^= d;
            }
        }
        let mut t = a[1];
        for (&j, &r) in PI.iter().zip(&ROT) {
            let next = a[j];
            a[j] = t.rotate_left(r);
            t = next;
        }
        for y in 0..5 {
            let row = [
                a[5 * y],
                a[5 * y + 1],
                a[5 * y + 2],
                a[5 * y + 3],
                a[5 * y + 4],
            ];
            for x in 0..5 {
                a[5 * y + x] = row[x] ^ (!row[(x + 1) % 5] & row[(x + 2) % 5]);
            }
        }
        a[0] ^= rc;
    }
    let mut out = [0u8; 32];
    for (o, lane) in out.chunks_exact_mut(8).zip(a) {
        o.copy_from_slice(&lane.to_le_bytes());
    }
    out
}

/// A base58 P2PKH or P2SH address (main or test net) whose checksum holds.
pub fn base58check(s: &[u8]) -> bool {
    // big-endian base-256 digits of the number, 25 bytes for an address
    let mut n = [0u8; 25];
    for c in s {
        let Some(mut carry) = ALPHA58.iter().position(|a| a == c).map(|p| p as u32) else {
            return false;
        };
        for byte in n.iter_mut().rev() {
            carry += u32::from(*byte) * 58;
            *byte = carry as u8;
            carry >>= 8;
        }
        if carry != 0 {
            return false;
        }
    }
    let ones = s.iter().take_while(|&&c| c == b'1').count();
    let lead = n.iter().take_while(|&&b| b == 0).count();
    let check = sha256(&sha256(&n[..21]));
    // each leading `1` stands for one leading zero byte
    ones == lead && matches!(n[0], 0x00 | 0x05 | 0x6f | 0xc4) && check[..4] == n[21..]
}

/// A segwit address: human part `bc` or `tb`, one case, version 0 with
/// the bech32 constant or 1-16 with the bech32m one (BIP 350).
pub fn bech32(s: &[u8]) -> bool {
    const CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    if s.iter().any(u8::is_ascii_uppercase) && s.iter().any(u8::is_ascii_lowercase) {
        return false;
    }
    let s = s.to_ascii_lowercase();
    let Some(sep) = s.iter().rposition(|&c| c == b'1') else {
        return false;
    };
    let (hrp, data) = (&s[..sep], &s[sep + 1..]);
    if !matches!(hrp, b"bc" | b"tb") || data.len() < 7 {
        return false;
    }
    let Some(vals) = data
        .iter()
        .map(|c| CHARSET.iter().position(|x| x == c).map(|p| p as u32))
        .collect::<Option<Vec<u32>>>()
    else {
        return false;
    };
    let mut chk: u32 = 1;
    let mut feed = |v: u32| {
        const GEN: [u32; 5] = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
        let top = chk >> 25;
        chk = ((chk & 0x1ff_ffff) << 5) ^ v;
        for (i, g) in GEN.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    };
    hrp.iter().for_each(|&c| feed(u32::from(c) >> 5));
    feed(0);
    hrp.iter().for_each(|&c| feed(u32::from(c) & 31));
    vals.iter().for_each(|&v| feed(v));
    match vals.first() {
        Some(0) => chk == 1,
        Some(1..=16) => chk == 0x2bc8_30a3,
        _ => false,
    }
}

/// SHA-256 (FIPS 180-4), for base58check's short inputs.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for block in msg.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (i, c) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let [a, b, c, d, e, f, g, hh] = v;
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            v = [t1.wrapping_add(t2), a, b, c, d.wrapping_add(t1), e, f, g];
        }
        for (x, y) in h.iter_mut().zip(v) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 32];
    for (o, x) in out.chunks_exact_mut(4).zip(h) {
        o.copy_from_slice(&x.to_be_bytes());
    }
    out
}
