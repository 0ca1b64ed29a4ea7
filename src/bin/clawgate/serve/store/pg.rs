//! PostgreSQL glue (errors, bound parameters) and a batch's insert: the
//! writer's advisory lock, its head, the duplicate check, seqs from the
//! sequence, then the links in a few multi-row INSERTs (a round trip a row
//! was most of a batch's time).

use super::append::{append, find_head, fresh};
use super::keys::{self, Writer};
use super::sql::{insert_rows_sql, Row, SqlArg, ANY_KEYED_SQL, RECENT_SQL};
use super::{Result, StoreError};
use ::postgres::types::ToSql;
use ::postgres::Client;

/// Rows per INSERT: 25 parameters a row stays far below PostgreSQL's 65,535.
const ROWS_PER_INSERT: usize = 500;

pub fn e(err: ::postgres::Error) -> StoreError {
    StoreError::Other(match err.as_db_error() {
        Some(db) => format!("postgres: {db}"),
        None => format!("postgres: {err}"),
    })
}

/// The writer's head, read in `tx`.
pub fn head_in(tx: &mut ::postgres::Transaction<'_>, w: &Writer) -> Result<(i64, String)> {
    let tx = std::cell::RefCell::new(tx);
    find_head(
        w,
        &mut |n| {
            Ok(tx
                .borrow_mut()
                .query(RECENT_SQL, &[&w.id, &n])
                .map_err(e)?
                .iter()
                .map(|r| keys::Recent {
                    seq: r.get(0),
                    request_id: r.get(1),
                    hash: r.get(2),
                    mac: r.get(3),
                    key_id: r.get(4),
                })
                .collect())
        },
        &mut || {
            Ok(tx
                .borrow_mut()
                .query_opt(ANY_KEYED_SQL, &[&w.id])
                .map_err(e)?
                .is_some())
        },
    )
}

pub fn args(a: &[SqlArg]) -> Vec<Box<dyn ToSql + Sync>> {
    a.iter()
        .map(|x| -> Box<dyn ToSql + Sync> {
            match x {
                SqlArg::Text(s) => Box::new(s.clone()),
                SqlArg::Int(i) => Box::new(*i),
            }
        })
        .collect()
}

pub fn refs(a: &[Box<dyn ToSql + Sync>]) -> Vec<&(dyn ToSql + Sync)> {
    a.iter().map(|b| b.as_ref()).collect()
}

/// Stores a batch as `w`'s next links. An id another writer stores between
/// the duplicate check and the INSERT makes the INSERT come up short: the
/// transaction is dropped and the batch chained again (that id is then a
/// duplicate), so no link follows one that was not stored.
pub fn insert_batch(client: &mut Client, w: &Writer, rows: &[Row]) -> Result<(usize, usize)> {
    for _ in 0..3 {
        if let Some(counts) = try_batch(client, w, rows)? {
            return Ok(counts);
        }
    }
    Err(StoreError::Other(
        "postgres: the batch's ids kept being stored by another writer meanwhile".into(),
    ))
}

fn try_batch(client: &mut Client, w: &Writer, rows: &[Row]) -> Result<Option<(usize, usize)>> {
    let ids: Vec<&str> = rows.iter().map(|r| r.request_id.as_str()).collect();
    let mut tx = client.transaction().map_err(e)?;
    // this writer's batches queue here; other writers' do not
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
        &[&format!("clawgate writer {}", w.id)],
    )
    .map_err(e)?;
    let (_, prev) = head_in(&mut tx, w)?;
    // one round trip for the whole batch's duplicate check
    let seen = tx
        .query(
            "SELECT request_id FROM audit_records WHERE request_id = ANY($1)",
            &[&ids],
        )
        .map_err(e)?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let n = i64::try_from(fresh(rows, &seen)).unwrap_or(i64::MAX);
    let mut seqs: Vec<i64> = tx
        .query(
            "SELECT nextval('audit_records_seq') FROM generate_series(1, $1::BIGINT)",
            &[&n],
        )
        .map_err(e)?
        .iter()
        .map(|r| r.get(0))
        .collect();
    seqs.sort_unstable();
    let mut links: Vec<Vec<SqlArg>> = Vec::new();
    let counts = append(rows, w, prev, seen, &mut seqs.into_iter(), &mut |a| {
        links.push(a.to_vec());
        Ok(true)
    })?;
    for chunk in links.chunks(ROWS_PER_INSERT) {
        let flat: Vec<SqlArg> = chunk.iter().flatten().cloned().collect();
        let a = args(&flat);
        let went = tx
            .query(insert_rows_sql(chunk.len()).as_str(), &refs(&a))
            .map_err(e)?
            .len();
        if went != chunk.len() {
            return Ok(None); // rolled back as `tx` drops
        }
    }
    tx.commit().map_err(e)?;
    Ok(Some(counts))
}
