//! Per-engine memory of pieces already scanned: agents resend their whole
//! conversation every turn, so a message seen before is recognised by its
//! bytes and its scan reused instead of redone.
//!
//! Never changes a decision: an entry is found by a 64-bit hash but used
//! only when its stored bytes, key and depth equal the piece's exactly
//! (a collision is a miss), the scan of a piece depends on nothing else,
//! and each compiled rule set has its own cache, so a config change starts
//! empty. Bounded: two generations of at most half the budget each; a hit
//! in the older one moves to the newer, and when the newer is full the
//! older is dropped (least recently used first, roughly).

use super::scan::Match;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

/// Bytes of pieces a cache holds by default (per worker, per rule set).
pub const DEFAULT_BUDGET: usize = 8 << 20;
/// Pieces shorter than this are scanned every time: cheaper than keeping them.
pub const MIN_PIECE: usize = 256;

/// One text of a piece with its matches; spans are relative to the piece.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextHits {
    pub start: usize,
    pub end: usize,
    pub matches: Vec<Match>,
}

/// What scanning one piece found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PieceScan {
    /// An object with `"role": "user"` (the `last_user` scope looks for it).
    pub is_user: bool,
    /// A bare string the key rule skipped (an id, a base64 data URL).
    pub skipped: bool,
    /// Only the texts that matched something.
    pub texts: Vec<TextHits>,
}

struct Entry {
    key: Box<str>,
    depth: usize,
    bytes: Box<[u8]>,
    scan: Arc<PieceScan>,
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

type Map = HashMap<u64, Entry, BuildHasherDefault<Prehashed>>;

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
            .field("entries", &(self.new.len() + self.old.len()))
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

/// A fast hash of a piece, its key and depth (FxHash-style over 8-byte
/// words, then a final mix). Not collision resistant, and need not be:
/// a hit is confirmed byte by byte.
pub fn hash(key: &str, depth: usize, bytes: &[u8]) -> u64 {
    let mut h = (bytes.len() as u64 ^ ((depth as u64) << 56)).wrapping_mul(K);
    let word = |h: &mut u64, w: u64| *h = (h.rotate_left(5) ^ w).wrapping_mul(K);
    for part in [key.as_bytes(), bytes] {
        let mut chunks = part.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            word(&mut h, u64::from_le_bytes(w));
        }
        let mut w = [0u8; 8];
        let rest = chunks.remainder();
        w[..rest.len()].copy_from_slice(rest);
        word(&mut h, u64::from_le_bytes(w) ^ ((rest.len() as u64) << 60));
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
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

    /// The scan of a piece seen before: same hash, and the same key,
    /// depth and bytes.
    pub fn get(&mut self, h: u64, key: &str, depth: usize, bytes: &[u8]) -> Option<Arc<PieceScan>> {
        let same = |e: &Entry| &*e.key == key && e.depth == depth && &*e.bytes == bytes;
        if let Some(e) = self.new.get(&h) {
            if same(e) {
                self.hits += 1;
                return Some(e.scan.clone());
            }
        }
        if self.old.get(&h).is_some_and(same) {
            if let Some(e) = self.old.remove(&h) {
                self.hits += 1;
                let scan = e.scan.clone();
                self.keep(h, e);
                return Some(scan);
            }
        }
        self.misses += 1;
        None
    }

    pub fn put(&mut self, h: u64, key: &str, depth: usize, bytes: &[u8], scan: Arc<PieceScan>) {
        if bytes.len() > self.budget / 2 {
            return;
        }
        self.keep(
            h,
            Entry {
                key: key.into(),
                depth,
                bytes: bytes.into(),
                scan,
            },
        );
    }

    fn keep(&mut self, h: u64, e: Entry) {
        let size = e.bytes.len() + e.key.len() + 64;
        if self.new_bytes + size > self.budget / 2 {
            self.old = std::mem::take(&mut self.new);
            self.new_bytes = 0;
        }
        self.new_bytes += size;
        if let Some(prev) = self.new.insert(h, e) {
            self.new_bytes = self
                .new_bytes
                .saturating_sub(prev.bytes.len() + prev.key.len() + 64);
        }
    }

    /// Bytes of pieces held (both generations).
    pub fn held_bytes(&self) -> usize {
        self.new
            .values()
            .chain(self.old.values())
            .map(|e| e.bytes.len())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(n: usize) -> Arc<PieceScan> {
        Arc::new(PieceScan {
            is_user: n.is_multiple_of(2),
            ..PieceScan::default()
        })
    }

    #[test]
    fn a_hit_needs_the_same_bytes_key_and_depth() {
        let mut c = ScanCache::with_budget(1 << 20);
        let h = hash("messages", 2, b"abc");
        c.put(h, "messages", 2, b"abc", scan(0));
        assert!(c.get(h, "messages", 2, b"abc").is_some());
        // a forced collision: same hash, other bytes, key or depth
        assert!(c.get(h, "messages", 2, b"abd").is_none());
        assert!(c.get(h, "input", 2, b"abc").is_none());
        assert!(c.get(h, "messages", 1, b"abc").is_none());
        assert_ne!(hash("messages", 2, b"abc"), hash("messages", 2, b"abd"));
        assert_ne!(hash("messages", 2, b"abc"), hash("messages", 1, b"abc"));
        assert_ne!(hash("a", 1, b"bc"), hash("ab", 1, b"c"));
    }

    #[test]
    fn stays_within_its_budget_and_keeps_what_is_used() {
        let budget = 64 * 1024;
        let mut c = ScanCache::with_budget(budget);
        let piece = |i: usize| format!("{i:0>1000}").into_bytes();
        let hot = piece(0);
        let hh = hash("k", 1, &hot);
        c.put(hh, "k", 1, &hot, scan(0));
        for i in 1..500 {
            let p = piece(i);
            c.put(hash("k", 1, &p), "k", 1, &p, scan(i));
            assert!(
                c.get(hh, "k", 1, &hot).is_some(),
                "hot piece evicted at {i}"
            );
            assert!(c.held_bytes() <= budget, "{} > {budget}", c.held_bytes());
        }
        assert!(c.get(hash("k", 1, &piece(1)), "k", 1, &piece(1)).is_none());
    }
}
