//! Per-engine memory of pieces already scanned: agents resend their whole
//! conversation every turn, so a message seen before is recognised by its
//! bytes and its scan reused instead of redone.
//!
//! Every piece is held under a hash of all its bytes (with its key and
//! depth, the hash covering its length). A long piece is looked up where
//! it starts, before its end is known: a hash of its first `PREFIX` bytes
//! names the held pieces that open so. When they are few, each is compared
//! with the body's bytes there; only long pieces that close themselves
//! (objects, arrays, strings) are kept, so equal bytes mean the same value
//! ends at the same place, and a resent message costs a hash of 128 bytes
//! and a memory compare. When many held pieces open alike (a reminder an
//! agent prepends to every user turn, one code block quoted again and
//! again, tool results with one header) comparing each would cost one
//! pass per piece, so the piece's end is found instead (the outline's
//! skip, cheaper than a scan) and the few held pieces of that opening and
//! that length are compared (its whole bytes hashed and looked up only
//! when many share both): a shared opening never turns a held piece into
//! a rescan. A short piece
//! is walked to its end (it is short) and looked up by all its bytes.
//!
//! Never changes a decision: an entry is used only when its bytes, key
//! and depth equal the piece's exactly (a hash collision is a miss), the
//! scan of a piece depends on nothing else, and each compiled rule set has
//! its own cache, so a config change starts empty. Bounded: two
//! generations of at most half the budget each; a hit in the older one is
//! copied to the newer, and when the newer is full the older is dropped.

mod hash;
#[cfg(test)]
mod tests;

use super::scan::Match;
use super::turns::Speaker;
use crate::json::lex::Cursor;
use crate::json::string::Str;
use hash::begins_with;
pub use hash::hash;
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
/// Held pieces with one opening (per generation) a lookup compares one by
/// one; with more, it finds the piece's end and looks up its whole bytes.
const FEW: usize = 16;
/// Pieces held under one whole hash (a fast hash, not a keyed one).
const CHAIN: usize = 4;

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

#[derive(Clone)]
struct Entry {
    key: Box<str>,
    depth: usize,
    bytes: Arc<[u8]>,
    /// The hash of all its bytes.
    whole: u64,
    /// The entry held before it under the same `whole` hash (a collision).
    next: Option<u32>,
    /// The hash of its first `PREFIX` bytes, when it is that long.
    opening: Option<u64>,
    scan: Arc<PieceScan>,
}

impl Entry {
    fn size(&self) -> usize {
        self.bytes.len() + self.key.len() + 96
    }

    /// Whether `rest` begins with this piece, under the same key and depth.
    fn starts(&self, key: &str, depth: usize, rest: &[u8]) -> bool {
        self.depth == depth
            && self.key.len() == key.len()
            && begins_with(key.as_bytes(), self.key.as_bytes())
            && begins_with(rest, &self.bytes)
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

type Map<V> = HashMap<u64, V, BuildHasherDefault<Prehashed>>;

/// One generation of held pieces: a slab (a generation is dropped whole,
/// never an entry of it) and two indexes into it.
#[derive(Default)]
struct Gen {
    entries: Vec<Entry>,
    /// Every piece by the hash of all its bytes: the last one held with
    /// that hash, which names the one before (at most `CHAIN`; past that
    /// a colliding piece is not kept: a collision only costs a rescan).
    whole: Map<u32>,
    /// Long pieces by the hash of their opening.
    openings: Map<Vec<u32>>,
    /// Long pieces by their opening and length (`sized`): when many open
    /// alike, the piece's end is found and these are compared, which
    /// needs no hash of its whole bytes.
    by_size: Map<Vec<u32>>,
    bytes: usize,
}

impl Gen {
    /// The held piece whose bytes are exactly `piece`.
    fn exact(&self, w: u64, key: &str, depth: usize, piece: &[u8]) -> Option<usize> {
        self.chain(w)
            .find(|&(_, e)| e.bytes.len() == piece.len() && e.starts(key, depth, piece))
            .map(|(i, _)| i)
    }

    /// The entries held under `w`, newest first.
    fn chain(&self, w: u64) -> impl Iterator<Item = (usize, &Entry)> {
        let mut at = self.whole.get(&w).copied();
        std::iter::from_fn(move || {
            let i = at? as usize;
            let e = self.entries.get(i)?;
            at = e.next;
            Some((i, e))
        })
    }

    fn insert(&mut self, mut e: Entry) {
        let Ok(i) = u32::try_from(self.entries.len()) else {
            return;
        };
        if self.chain(e.whole).count() >= CHAIN {
            return;
        }
        e.next = self.whole.insert(e.whole, i);
        self.bytes += e.size();
        if let Some(o) = e.opening {
            self.openings.entry(o).or_default().push(i);
            self.by_size
                .entry(sized(o, e.bytes.len()))
                .or_default()
                .push(i);
        }
        self.entries.push(e);
    }
}

pub struct ScanCache {
    new: Gen,
    old: Gen,
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

/// Whether a piece is kept: a short one found by all its bytes, or a
/// long one that closes itself (its bytes say where it ends).
fn keepable(piece: &[u8]) -> bool {
    match piece.len() {
        n if n < MIN_PIECE => false,
        n if n < PREFIX => true,
        _ => matches!(piece.first(), Some(b'{' | b'[' | b'"')),
    }
}

/// The key of a long piece's opening hash and length.
fn sized(opening: u64, len: usize) -> u64 {
    (opening ^ (len as u64)).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// The length of the value `rest` begins with, by the outline's own skip
/// (`None` when it is not well formed: the outline then says so).
fn value_len(rest: &[u8]) -> Option<usize> {
    let mut c = Cursor::new(rest, 0);
    c.skip().ok()?;
    Some(c.pos)
}

impl ScanCache {
    pub fn with_budget(budget: usize) -> Self {
        ScanCache {
            new: Gen::default(),
            old: Gen::default(),
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
        let opening = hash(key, depth, rest.get(..PREFIX)?);
        let mut crowded = false;
        for older in [false, true] {
            let g = if older { &self.old } else { &self.new };
            let Some(alike) = g.openings.get(&opening) else {
                continue;
            };
            if alike.len() > FEW {
                crowded = true;
                continue;
            }
            let found = alike
                .iter()
                .map(|&i| i as usize)
                .find(|&i| g.entries.get(i).is_some_and(|e| e.starts(key, depth, rest)));
            if let Some(i) = found {
                return self.hit(older, i);
            }
        }
        if !crowded {
            self.misses += 1;
            return None;
        }
        let Some(piece) = value_len(rest).and_then(|n| rest.get(..n)) else {
            self.misses += 1;
            return None;
        };
        // Pieces that open alike rarely share a length too: those few are
        // compared, and only past `FEW` of them is the whole piece hashed.
        let mut crowded = false;
        for older in [false, true] {
            let g = if older { &self.old } else { &self.new };
            let Some(same) = g.by_size.get(&sized(opening, piece.len())) else {
                continue;
            };
            if same.len() > FEW {
                crowded = true;
                continue;
            }
            let found = same.iter().map(|&i| i as usize).find(|&i| {
                g.entries
                    .get(i)
                    .is_some_and(|e| e.bytes.len() == piece.len() && e.starts(key, depth, piece))
            });
            if let Some(i) = found {
                return self.hit(older, i);
            }
        }
        if !crowded {
            self.misses += 1;
            return None;
        }
        self.whole(hash(key, depth, piece), key, depth, piece)
    }

    /// A short piece seen before, by all its bytes.
    pub fn find_short(&mut self, key: &str, depth: usize, piece: &[u8]) -> Option<Arc<PieceScan>> {
        if !(MIN_PIECE..PREFIX).contains(&piece.len()) {
            return None;
        }
        self.whole(hash(key, depth, piece), key, depth, piece)
            .map(|(_, s)| s)
    }

    /// The held piece whose bytes are exactly `piece` (`w` their hash).
    fn whole(
        &mut self,
        w: u64,
        key: &str,
        depth: usize,
        piece: &[u8],
    ) -> Option<(usize, Arc<PieceScan>)> {
        for older in [false, true] {
            let g = if older { &self.old } else { &self.new };
            if let Some(i) = g.exact(w, key, depth, piece) {
                return self.hit(older, i);
            }
        }
        self.misses += 1;
        None
    }

    /// Counts a hit on entry `i`; one in the older generation is copied
    /// to the newer, so what is used stays.
    fn hit(&mut self, older: bool, i: usize) -> Option<(usize, Arc<PieceScan>)> {
        self.hits += 1;
        let g = if older { &self.old } else { &self.new };
        let e = g.entries.get(i)?;
        let found = (e.bytes.len(), e.scan.clone());
        if older {
            let e = e.clone();
            self.keep(e);
        }
        Some(found)
    }

    /// Keeps the scan of `piece` for next time, if it is worth keeping.
    pub fn put(&mut self, key: &str, depth: usize, piece: &[u8], scan: Arc<PieceScan>) {
        if !keepable(piece) || piece.len() > self.budget / 2 {
            return;
        }
        let w = hash(key, depth, piece);
        if self.new.exact(w, key, depth, piece).is_some() {
            return;
        }
        let opening = piece.get(..PREFIX).map(|p| hash(key, depth, p));
        self.keep(Entry {
            key: key.into(),
            depth,
            bytes: piece.into(),
            whole: w,
            next: None,
            opening,
            scan,
        });
    }

    fn keep(&mut self, e: Entry) {
        if self.new.bytes + e.size() > self.budget / 2 {
            self.old = std::mem::take(&mut self.new);
        }
        self.new.insert(e);
    }

    pub fn budget(&self) -> usize {
        self.budget
    }

    /// Bytes of pieces held (both generations; a piece copied to the
    /// newer one shares its bytes but is counted in each).
    pub fn held_bytes(&self) -> usize {
        self.new
            .entries
            .iter()
            .chain(&self.old.entries)
            .map(|e| e.bytes.len())
            .sum()
    }
}
