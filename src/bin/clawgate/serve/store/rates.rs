//! Rate-limit counts the gateways report (`POST /v1/ratelimits/sync`):
//! one row per gateway, limit, key and minute, holding that gateway's
//! whole count (so a repeated report changes nothing). Several sidecars
//! on one PostgreSQL see every gateway's rows.

use super::{Result, StoreError};

/// One gateway's count (or a sum over gateways) for one limit and key.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RateRow {
    pub limit: String,
    pub key: String,
    pub minute: i64,
    pub requests: i64,
    pub tokens: i64,
}

/// Counts only grow within a minute: the largest report wins.
const PUT_SQLITE: &str = "INSERT INTO rate_usage (gateway, limit_name, who, minute, requests, tokens) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (gateway, limit_name, who, minute) \
     DO UPDATE SET requests = MAX(requests, excluded.requests), tokens = MAX(tokens, excluded.tokens)";
const PUT_PG: &str = "INSERT INTO rate_usage (gateway, limit_name, who, minute, requests, tokens) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (gateway, limit_name, who, minute) \
     DO UPDATE SET requests = GREATEST(rate_usage.requests, EXCLUDED.requests), \
     tokens = GREATEST(rate_usage.tokens, EXCLUDED.tokens)";
/// An hour of minutes is kept (the console shows the current one).
const PRUNE: &str = "DELETE FROM rate_usage WHERE minute < $1";
const KEEP_MINUTES: i64 = 60;
/// Sums in one minute over every gateway but `$2` (`""`: all of them).
const SUMS: &str = "SELECT limit_name, who, CAST(SUM(requests) AS BIGINT), \
     CAST(SUM(tokens) AS BIGINT) FROM rate_usage WHERE minute = $1 AND gateway <> $2 \
     GROUP BY limit_name, who ORDER BY limit_name, who";

pub fn put_sqlite(c: &mut rusqlite::Connection, gateway: &str, rows: &[RateRow]) -> Result<()> {
    let e = |err: rusqlite::Error| StoreError::Other(format!("sqlite: {err}"));
    let tx = c.transaction().map_err(e)?;
    for r in rows {
        tx.prepare_cached(PUT_SQLITE)
            .map_err(e)?
            .execute(rusqlite::params![
                gateway, r.limit, r.key, r.minute, r.requests, r.tokens
            ])
            .map_err(e)?;
    }
    if let Some(newest) = rows.iter().map(|r| r.minute).max() {
        tx.execute(&PRUNE.replace('$', "?"), [newest - KEEP_MINUTES])
            .map_err(e)?;
    }
    tx.commit().map_err(e)
}

pub fn sums_sqlite(c: &rusqlite::Connection, minute: i64, except: &str) -> Result<Vec<RateRow>> {
    let e = |err: rusqlite::Error| StoreError::Other(format!("sqlite: {err}"));
    let mut stmt = c.prepare_cached(&SUMS.replace('$', "?")).map_err(e)?;
    let rows = stmt
        .query_map(rusqlite::params![minute, except], |r| {
            Ok(RateRow {
                limit: r.get(0)?,
                key: r.get(1)?,
                minute,
                requests: r.get(2)?,
                tokens: r.get(3)?,
            })
        })
        .map_err(e)?
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(e)?;
    Ok(rows)
}

pub fn put_pg(c: &mut ::postgres::Client, gateway: &str, rows: &[RateRow]) -> Result<()> {
    use super::pg::e;
    let mut tx = c.transaction().map_err(e)?;
    for r in rows {
        tx.execute(
            PUT_PG,
            &[
                &gateway,
                &r.limit,
                &r.key,
                &r.minute,
                &r.requests,
                &r.tokens,
            ],
        )
        .map_err(e)?;
    }
    if let Some(newest) = rows.iter().map(|r| r.minute).max() {
        tx.execute(PRUNE, &[&(newest - KEEP_MINUTES)]).map_err(e)?;
    }
    tx.commit().map_err(e)
}

pub fn sums_pg(c: &mut ::postgres::Client, minute: i64, except: &str) -> Result<Vec<RateRow>> {
    Ok(c.query(SUMS, &[&minute, &except])
        .map_err(super::pg::e)?
        .iter()
        .map(|r| RateRow {
            limit: r.get(0),
            key: r.get(1),
            minute,
            requests: r.get(2),
            tokens: r.get(3),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(limit: &str, key: &str, minute: i64, requests: i64, tokens: i64) -> RateRow {
        RateRow {
            limit: limit.into(),
            key: key.into(),
            minute,
            requests,
            tokens,
        }
    }

    /// Two gateways' reports: each kept as the largest, summed without
    /// the asker's own.
    pub fn sums_over_other_gateways(s: &dyn super::super::Store) {
        s.rate_put(
            "a",
            &[row("tpm", "*", 100, 2, 40), row("rpm", "bob", 100, 1, 0)],
        )
        .unwrap();
        s.rate_put("a", &[row("tpm", "*", 100, 1, 10)]).unwrap(); // a late, smaller report
        s.rate_put(
            "b",
            &[row("tpm", "*", 100, 3, 50), row("tpm", "*", 99, 9, 900)],
        )
        .unwrap();
        assert_eq!(
            s.rate_sums(100, "a").unwrap(),
            vec![row("tpm", "*", 100, 3, 50)]
        );
        assert_eq!(
            s.rate_sums(100, "b").unwrap(),
            vec![row("rpm", "bob", 100, 1, 0), row("tpm", "*", 100, 2, 40)]
        );
        assert_eq!(
            s.rate_sums(100, "").unwrap(),
            vec![row("rpm", "bob", 100, 1, 0), row("tpm", "*", 100, 5, 90)]
        );
        s.rate_put("b", &[row("tpm", "*", 200, 1, 1)]).unwrap();
        assert!(
            s.rate_sums(99, "").unwrap().is_empty(),
            "an hour old: pruned"
        );
    }

    #[test]
    fn sqlite_sums_over_other_gateways() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("r.db").display());
        sums_over_other_gateways(super::super::open(&url).unwrap().as_ref());
    }

    #[test]
    fn postgres_sums_over_other_gateways() {
        let Ok(base) = std::env::var("CLAWGATE_TEST_PG") else {
            return;
        };
        let s = super::super::open(&base).unwrap();
        // a shared server: gateways named for this run only
        let run = format!("{}", std::process::id());
        let g = |n: &str| format!("{run}-{n}");
        s.rate_put(&g("a"), &[row("t-pg", &run, 5, 2, 40)]).unwrap();
        s.rate_put(&g("b"), &[row("t-pg", &run, 5, 3, 50)]).unwrap();
        let mine: Vec<RateRow> = s
            .rate_sums(5, &g("a"))
            .unwrap()
            .into_iter()
            .filter(|r| r.key == run)
            .collect();
        assert_eq!(mine, vec![row("t-pg", &run, 5, 3, 50)]);
    }
}
