//! Per-engine memory of pieces already scanned: agents resend their whole
//! conversation every turn, so a message seen before is recognised by its
//! bytes and its scan reused instead of redone.
//!
//! A long piece is looked up where it starts, before its end is known: by
//! a hash of its first `PREFIX` bytes (with its key and depth), then
//! confirmed by comparing the whole stored piece with the body's bytes
//! there. Only long pieces that close themselves (objects, arrays,
//! strings) are kept that way, so equal bytes mean the same value ends at
//! the same place, and a resent message costs a hash of 128 bytes and a
//! memory compare: its bytes are not walked again. A short piece is
//! walked to its end (it is short) and looked up by all its bytes.
//!
//! Never changes a decision: an entry is used only when its bytes, key
//! and depth equal the piece's exactly (a hash collision is a miss), the
//! scan of a piece depends on nothing else, and each compiled rule set has
//! its own cache, so a config change starts empty. Bounded: two
//! generations of at most half the budget each; a hit in the older one
//! moves to the newer, and when the newer is full the older is dropped.

use super::scan::Match;
use super::turns::Speaker;
use crate::json::string::Str;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

/// Bytes of pieces a cache holds by default (per worker, per rule set).
pub const DEFAULT_BUDGET: usize = 8 << 20;
/// Bytes hashed to find a long piece where it starts (enough to reach
/// the ids near the start of tool calls and results).
pub const PREFIX: usize = 128;
/// Shorter pieces are scanned every time (cheaper than keeping them).
pub const MIN_PIECE: usize = 24;
/// Pieces with one prefix a bucket keeps (messages that begin alike).
const BUCKET: usize = 16;

/// One text of a piece with its matches; `span` is relative to the piece.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextHits {
    pub span: Str,
    pub matches: Vec<Match>,
}

/// What scanning one piece found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PieceScan {
    /// Its `role`, when it is an object with one (the `last_user` scope
    /// looks for the model's turns).
    pub role: Option<Speaker>,
    /// An object whose `type` names a model's output item (`function_call`).
    pub model_item: bool,
    /// A bare string the key rule skipped (an id, a base64 data URL).
    pub skipped: bool,
    /// Only the texts that matched something.
    pub texts: Vec<TextHits>,
}

impl PieceScan {
    /// Who the item speaks for: its role, else its type.
    pub fn speaker(&self) -> Speaker {
        match self.role {
            Some(r) => r,
            None if self.model_item => Speaker::Model,
            None => Speaker::Caller,
        }
    }
}

struct Entry {
    key: Box<str>,
    depth: usize,
    bytes: Box<[u8]>,
    scan: Arc<PieceScan>,
}

impl Entry {
    fn size(&self) -> usize {
        self.bytes.len() + self.key.len() + 64
    }
}

/// The key is already a hash.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type Map = HashMap<u64, Vec<Entry>, BuildHasherDefault<Prehashed>>;

pub struct ScanCache {
    new: Map,
    old: Map,
    new_bytes: usize,
    budget: usize,
    pub hits: u64,
    pub misses: u64,
}

impl std::fmt::Debug for ScanCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScanCache")
            .field("hits", &self.hits)
            .field("misses", &self.misses)
            .finish()
    }
}

impl Default for ScanCache {
    fn default() -> Self {
        ScanCache::with_budget(DEFAULT_BUDGET)
    }
}

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// A fast hash of a piece's prefix, key and depth: FxHash-style mixing
/// in four independent lanes of 8-byte words (so the multiplies overlap),
/// then a final mix. Not collision resistant, and need not be: a hit is
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
fn begins_with(hay: &[u8], piece: &[u8]) -> bool {
    hay.starts_with(piece)
}

#[cfg(target_arch = "wasm32")]
fn begins_with(hay: &[u8], piece: &[u8]) -> bool {
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

/// Whether a piece is kept: a short one found by all its bytes, or a
/// long one that closes itself (its bytes say where it ends).
fn keepable(piece: &[u8]) -> bool {
    match piece.len() {
        n if n < MIN_PIECE => false,
        n if n < PREFIX => true,
        _ => matches!(piece.first(), Some(b'{' | b'[' | b'"')),
    }
}

impl ScanCache {
    pub fn with_budget(budget: usize) -> Self {
        ScanCache {
            new: Map::default(),
            old: Map::default(),
            new_bytes: 0,
            budget,
            hits: 0,
            misses: 0,
        }
    }

    /// A long piece seen before that starts at `body[at..]` under `key`
    /// and `depth`: its length and scan.
    pub fn find(
        &mut self,
        key: &str,
        depth: usize,
        body: &[u8],
        at: usize,
    ) -> Option<(usize, Arc<PieceScan>)> {
        let rest = body.get(at..)?;
        self.lookup(hash(key, depth, rest.get(..PREFIX)?), key, depth, rest)
    }

    /// A short piece seen before, by all its bytes.
    pub fn find_short(&mut self, key: &str, depth: usize, piece: &[u8]) -> Option<Arc<PieceScan>> {
        if !(MIN_PIECE..PREFIX).contains(&piece.len()) {
            return None;
        }
        let (len, s) = self.lookup(hash(key, depth, piece), key, depth, piece)?;
        (len == piece.len()).then_some(s)
    }

    fn lookup(
        &mut self,
        h: u64,
        key: &str,
        depth: usize,
        rest: &[u8],
    ) -> Option<(usize, Arc<PieceScan>)> {
        let same = |e: &Entry| {
            e.depth == depth
                && e.key.len() == key.len()
                && begins_with(key.as_bytes(), e.key.as_bytes())
                && begins_with(rest, &e.bytes)
        };
        if let Some(e) = self.new.get(&h).and_then(|b| b.iter().find(|e| same(e))) {
            self.hits += 1;
            return Some((e.bytes.len(), e.scan.clone()));
        }
        let old = self.old.get_mut(&h).and_then(|b| {
            let i = b.iter().position(same)?;
            Some(b.swap_remove(i))
        });
        if let Some(e) = old {
            self.hits += 1;
            let found = (e.bytes.len(), e.scan.clone());
            self.keep(h, e);
            return Some(found);
        }
        self.misses += 1;
        None
    }

    /// Keeps the scan of `piece` for next time, if it is worth keeping.
    pub fn put(&mut self, key: &str, depth: usize, piece: &[u8], scan: Arc<PieceScan>) {
        if !keepable(piece) || piece.len() > self.budget / 2 {
            return;
        }
        let h = hash(key, depth, piece.get(..PREFIX).unwrap_or(piece));
        self.keep(
            h,
            Entry {
                key: key.into(),
                depth,
                bytes: piece.into(),
                scan,
            },
        );
    }

    fn keep(&mut self, h: u64, e: Entry) {
        let size = e.size();
        if self.new_bytes + size > self.budget / 2 {
            self.old = std::mem::take(&mut self.new);
            self.new_bytes = 0;
        }
        self.new_bytes += size;
        let bucket = self.new.entry(h).or_default();
        if bucket.len() >= BUCKET {
            let gone = bucket.remove(0);
            self.new_bytes = self.new_bytes.saturating_sub(gone.size());
        }
        bucket.push(e);
    }

    pub fn budget(&self) -> usize {
        self.budget
    }

    /// Bytes of pieces held (both generations).
    pub fn held_bytes(&self) -> usize {
        self.new
            .values()
            .chain(self.old.values())
            .flatten()
            .map(|e| e.bytes.len())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(n: usize) -> Arc<PieceScan> {
        Arc::new(PieceScan {
            model_item: n.is_multiple_of(2),
            ..PieceScan::default()
        })
    }

    fn piece(i: usize) -> Vec<u8> {
        format!("{{\"id\":{i},\"t\":\"{}\"}}", "x".repeat(1000)).into_bytes()
    }

    #[test]
    fn a_hit_needs_the_same_bytes_key_and_depth() {
        let mut c = ScanCache::with_budget(1 << 20);
        let p = piece(7);
        c.put("messages", 2, &p, scan(0));
        let mut body = b"[".to_vec();
        body.extend_from_slice(&p);
        body.extend_from_slice(b"]");
        assert_eq!(c.find("messages", 2, &body, 1).map(|f| f.0), Some(p.len()));
        assert!(c.find("input", 2, &body, 1).is_none());
        assert!(c.find("messages", 1, &body, 1).is_none());
        // same prefix (so the same bucket), one byte changed near the end
        let mut other = body.clone();
        other[p.len() - 2] = b'y';
        assert!(c.find("messages", 2, &other, 1).is_none());
        // cut short
        assert!(c.find("messages", 2, &body[..p.len()], 1).is_none());
        assert_ne!(hash("a", 1, b"bc"), hash("ab", 1, b"c"));
        assert_ne!(hash("a", 1, b"bc"), hash("a", 2, b"bc"));
    }

    #[test]
    fn only_values_that_close_themselves_are_kept() {
        let mut c = ScanCache::with_budget(1 << 20);
        let number = "1".repeat(200);
        c.put("n", 1, number.as_bytes(), scan(0));
        let longer = "1".repeat(201);
        assert!(c.find("n", 1, longer.as_bytes(), 0).is_none());
        assert!(!keepable(b"{}"));
        assert!(keepable(&piece(1)));
        // a short piece is found by its exact bytes only
        c.put("n", 1, b"12345678901234567890123456", scan(0));
        assert!(c
            .find_short("n", 1, b"12345678901234567890123456")
            .is_some());
        assert!(c
            .find_short("n", 1, b"123456789012345678901234567")
            .is_none());
        assert!(c.find_short("n", 1, b"1234567890123456789012345").is_none());
    }

    #[test]
    fn stays_within_its_budget_and_keeps_what_is_used() {
        let budget = 64 * 1024;
        let mut c = ScanCache::with_budget(budget);
        let hot = piece(0);
        c.put("k", 1, &hot, scan(0));
        for i in 1..500 {
            c.put("k", 1, &piece(i), scan(i));
            assert!(
                c.find("k", 1, &hot, 0).is_some(),
                "hot piece evicted at {i}"
            );
            assert!(c.held_bytes() <= budget, "{} > {budget}", c.held_bytes());
        }
        assert!(c.find("k", 1, &piece(1), 0).is_none());
    }

    #[test]
    fn pieces_that_begin_alike_are_told_apart() {
        let mut c = ScanCache::with_budget(1 << 20);
        let alike = |i: usize| format!("{{\"t\":\"{}{i}\"}}", "x".repeat(200)).into_bytes();
        for i in 0..30 {
            c.put("k", 1, &alike(i), scan(i));
        }
        for i in 0..30 {
            // found as itself, or not at all (the bucket keeps the newest 16)
            if let Some((len, s)) = c.find("k", 1, &alike(i), 0) {
                assert_eq!((len, s.model_item), (alike(i).len(), i.is_multiple_of(2)));
            } else {
                assert!(i < 14, "{i} should still be held");
            }
        }
    }
}
