//! The writing side of a writer's chain: where a batch starts (its
//! writer's authentic head) and how its links are made.

use super::keys::{self, Writer};
use super::sql::{Row, SqlArg};
use super::{chain, Result, StoreError};

/// New ids in a batch: neither stored (`seen`) nor repeated in it; each
/// takes a seq.
pub fn fresh(rows: &[Row], seen: &std::collections::HashSet<String>) -> usize {
    let mut ids: std::collections::HashSet<&str> = std::collections::HashSet::new();
    rows.iter()
        .filter(|r| !seen.contains(&r.request_id) && ids.insert(&r.request_id))
        .count()
}

/// Chains a batch after `prev` (the writer's head, `keys::chain_onto`):
/// ids already stored, or repeated within the batch, are duplicates; each
/// new link takes the next of `seqs` and is signed with the writer's key;
/// `insert` writes one link given `insert_sql`'s parameters and says
/// whether it went in (a concurrent writer may have stored the same id
/// first: then it is a duplicate and the chain skips it). Returns
/// (accepted, duplicates).
pub fn append(
    rows: &[Row],
    w: &Writer,
    mut prev: String,
    mut seen: std::collections::HashSet<String>,
    seqs: &mut dyn Iterator<Item = i64>,
    insert: &mut dyn FnMut(&[SqlArg]) -> Result<bool>,
) -> Result<(usize, usize)> {
    let (mut accepted, mut duplicates) = (0, 0);
    for row in rows {
        if !seen.insert(row.request_id.clone()) {
            duplicates += 1;
            continue;
        }
        let seq = seqs
            .next()
            .ok_or_else(|| StoreError::Other("no sequence number left for the batch".into()))?;
        let hash = chain::chain_hash(&prev, &row.content);
        let (mac, key_id) = w.keys.sign(&w.id, &hash).unzip();
        let mut args = row.values.clone();
        args.extend([
            SqlArg::Text(Some(row.json.clone())),
            SqlArg::Int(seq),
            SqlArg::Text(Some(prev.clone())),
            SqlArg::Text(Some(hash.clone())),
            SqlArg::Int(chain::CHAIN_V),
            SqlArg::Text(Some(w.id.clone())),
            SqlArg::Text(mac),
            SqlArg::Text(key_id),
        ]);
        if insert(&args)? {
            prev = hash;
            accepted += 1;
        } else {
            duplicates += 1;
        }
    }
    Ok((accepted, duplicates))
}

/// The writer's head: its newest link when that one is its own (one row
/// read, the usual case), else `keys::chain_onto` over its newest
/// `keys::RECENT`. `recent(n)` reads the writer's newest n links.
pub fn find_head(
    w: &Writer,
    recent: &mut dyn FnMut(i64) -> Result<Vec<keys::Recent>>,
    any_keyed: &mut dyn FnMut() -> Result<bool>,
) -> Result<(i64, String)> {
    let newest = recent(1)?;
    if let Some(n) = newest.first() {
        let own = w.keys.is_empty()
            || w.keys
                .check(&w.id, &n.hash, n.mac.as_deref(), n.key_id.as_deref())
                == keys::Auth::Valid;
        if own {
            return Ok((n.seq, n.hash.clone()));
        }
    }
    keys::chain_onto(w, &recent(keys::RECENT)?, any_keyed)
}
