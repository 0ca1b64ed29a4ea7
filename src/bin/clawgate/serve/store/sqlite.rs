//! Embedded SQLite store (the default): WAL, one writer at a time.

use super::*;
use rusqlite::{params_from_iter, Connection, OptionalExtension, TransactionBehavior};
use std::sync::Mutex;

pub struct Sqlite {
    conn: Mutex<Connection>,
    writer: Writer,
}

fn e(err: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("sqlite: {err}"))
}

impl Sqlite {
    pub fn open(path: &str, writer: Writer) -> Result<Sqlite> {
        let conn = Connection::open(path).map_err(e)?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;
             CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);",
        )
        .map_err(e)?;
        let current: i64 = conn
            .query_row(
                "SELECT COALESCE(MAX(version), 0) FROM schema_version",
                [],
                |r| r.get(0),
            )
            .map_err(e)?;
        for (v, sql) in migrations("INTEGER").iter().filter(|(v, _)| *v > current) {
            conn.execute_batch(&format!(
                "BEGIN; {sql}; INSERT INTO schema_version VALUES ({v}); COMMIT;"
            ))
            .map_err(e)?;
        }
        Ok(Sqlite {
            conn: Mutex::new(conn),
            writer,
        })
    }

    fn conn(&self) -> Result<std::sync::MutexGuard<'_, Connection>> {
        self.conn
            .lock()
            .map_err(|_| StoreError::Other("sqlite: connection lock poisoned".into()))
    }
}

/// The writer's head, read on `conn` (inside the batch's transaction).
fn head_on(conn: &Connection, w: &Writer) -> Result<(i64, String)> {
    let sql = sqlite_placeholders(RECENT_SQL);
    find_head(
        w,
        &mut |n| {
            let mut stmt = conn.prepare_cached(&sql).map_err(e)?;
            let rows = stmt
                .query_map(rusqlite::params![w.id, n], |r| {
                    Ok(keys::Recent {
                        seq: r.get(0)?,
                        request_id: r.get(1)?,
                        hash: r.get(2)?,
                        mac: r.get(3)?,
                        key_id: r.get(4)?,
                    })
                })
                .map_err(e)?
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(e);
            rows
        },
        &mut || {
            conn.query_row(&sqlite_placeholders(ANY_KEYED_SQL), [&w.id], |_| Ok(()))
                .optional()
                .map(|r| r.is_some())
                .map_err(e)
        },
    )
}

/// Bound as they are: a text is handed to SQLite borrowed (it copies it),
/// not cloned into an owned value first.
impl rusqlite::ToSql for SqlArg {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, Value, ValueRef};
        Ok(match self {
            SqlArg::Text(Some(s)) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            SqlArg::Text(None) => ToSqlOutput::Borrowed(ValueRef::Null),
            SqlArg::Int(i) => ToSqlOutput::Owned(Value::Integer(*i)),
        })
    }
}

impl Store for Sqlite {
    fn insert_batch(&self, records: &[AuditRecord]) -> Result<(usize, usize)> {
        let rows = rows_of(records)?;
        let mut conn = self.conn()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(e)?;
        let (_, prev) = head_on(&tx, &self.writer)?;
        // one writer at a time holds SQLite's write lock: the next seqs
        // are the table's
        let last: i64 = tx
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM audit_records", [], |r| {
                r.get(0)
            })
            .map_err(e)?;
        let counts = {
            let mut exists = tx
                .prepare_cached("SELECT 1 FROM audit_records WHERE request_id = ?1")
                .map_err(e)?;
            let mut seen = std::collections::HashSet::new();
            for row in &rows {
                if exists.exists([&row.request_id]).map_err(e)? {
                    seen.insert(row.request_id.clone());
                }
            }
            let mut insert = tx
                .prepare_cached(&insert_sql(&|i| format!("?{i}")))
                .map_err(e)?;
            append(
                &rows,
                &self.writer,
                prev,
                seen,
                &mut (last + 1..),
                &mut |args| {
                    insert
                        .execute(params_from_iter(args))
                        .map(|n| n == 1)
                        .map_err(e)
                },
            )?
        };
        tx.commit().map_err(e)?;
        Ok(counts)
    }

    fn get(&self, request_id: &str) -> Result<String> {
        self.conn()?
            .query_row(
                "SELECT record_json FROM audit_records WHERE request_id = ?1",
                [request_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(e)?
            .ok_or(StoreError::NotFound)
    }

    fn query(&self, f: &Filter) -> Result<(Vec<String>, i64)> {
        let (w, args) = where_clause(f, None, &|i| format!("?{i}"));
        let conn = self.conn()?;
        let total: i64 = conn
            .query_row(&count_sql(&w), params_from_iter(&args), |r| r.get(0))
            .map_err(e)?;
        let mut stmt = conn.prepare(&select_sql(&w, f)).map_err(e)?;
        let rows = stmt
            .query_map(params_from_iter(&args), |r| r.get::<_, String>(0))
            .map_err(e)?
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(e)?;
        Ok((rows, total))
    }

    fn page(&self, f: &Filter, after: Option<Key>) -> Result<Vec<(Key, String)>> {
        let (w, args) = where_clause(f, after, &|i| format!("?{i}"));
        let conn = self.conn()?;
        let mut stmt = conn.prepare_cached(&page_sql(&w, f.limit)).map_err(e)?;
        let rows = stmt
            .query_map(params_from_iter(&args), |r| {
                let key = Key {
                    started_ms: r.get(0)?,
                    seq: r.get(1)?,
                };
                Ok((key, r.get(2)?))
            })
            .map_err(e)?
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(e)?;
        Ok(rows)
    }

    fn costs(
        &self,
        group: GroupBy,
        from: Option<i64>,
        to: Option<i64>,
        by_day: bool,
    ) -> Result<Vec<CostGroup>> {
        let f = Filter {
            from,
            to,
            ..Default::default()
        };
        let (w, args) = where_clause(&f, None, &|i| format!("?{i}"));
        let conn = self.conn()?;
        let mut stmt = conn.prepare(&costs_sql(group, &w, by_day)).map_err(e)?;
        let rows = stmt
            .query_map(params_from_iter(&args), |r| {
                let mut sums = [0i64; 5];
                for (i, v) in sums.iter_mut().enumerate() {
                    *v = r.get(i + 2)?;
                }
                let day = if by_day { Some(r.get(7)?) } else { None };
                Ok(cost_group(r.get(0)?, r.get(1)?, sums, day))
            })
            .map_err(e)?
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(e)?;
        Ok(rows)
    }

    fn chain(&self, writer: Option<&str>, visit: &mut dyn FnMut(Link) -> bool) -> Result<()> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare(&chain_sql(&|i| format!("?{i}"), i64::MAX, writer.is_some()))
            .map_err(e)?;
        let mut rows = match writer {
            Some(w) => stmt.query(rusqlite::params!["", i64::MIN, w]),
            None => stmt.query(rusqlite::params!["", i64::MIN]),
        }
        .map_err(e)?;
        while let Some(r) = rows.next().map_err(e)? {
            let columns = link_columns(&mut |i, sql| {
                Ok(match sql {
                    columns::Sql::Int => SqlArg::Int(r.get(i).map_err(e)?),
                    _ => SqlArg::Text(r.get(i).map_err(e)?),
                })
            })?;
            let link = Link {
                seq: r.get(0).map_err(e)?,
                request_id: r.get(1).map_err(e)?,
                json: r.get(2).map_err(e)?,
                prev_hash: r.get(3).map_err(e)?,
                hash: r.get(4).map_err(e)?,
                chain_v: r.get(5).map_err(e)?,
                payload_digest: r.get(6).map_err(e)?,
                writer: r.get(7).map_err(e)?,
                mac: r.get(8).map_err(e)?,
                key_id: r.get(9).map_err(e)?,
                columns,
            };
            if !visit(link) {
                break;
            }
        }
        Ok(())
    }

    fn spend(&self, col: &'static str, from: i64, to: i64) -> Result<Vec<SpendRow>> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare_cached(&spend_sql(col, &|i| format!("?{i}")))
            .map_err(e)?;
        let rows = stmt
            .query_map([from, to], |r| {
                Ok(SpendRow {
                    who: r.get(0)?,
                    model: r.get(1)?,
                    currency: r.get(2)?,
                    tokens: r.get(3)?,
                    cost_micros: r.get(4)?,
                })
            })
            .map_err(e)?
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(e)?;
        Ok(rows)
    }

    fn rate_put(&self, gateway: &str, rows: &[RateRow]) -> Result<()> {
        super::rates::put_sqlite(&mut *self.conn()?, gateway, rows)
    }

    fn rate_sums(&self, minute: i64, except: &str) -> Result<Vec<RateRow>> {
        super::rates::sums_sqlite(&*self.conn()?, minute, except)
    }

    fn put_config(&self, hash: &str, json: &str, now_ms: i64) -> Result<()> {
        self.conn()?
            .execute(
                &sqlite_placeholders(CONFIG_PUT_SQL),
                rusqlite::params![hash, json, now_ms],
            )
            .map(drop)
            .map_err(e)
    }

    fn config(&self, hash: &str) -> Result<ConfigVersion> {
        let row: Option<(String, i64)> = self
            .conn()?
            .query_row(&sqlite_placeholders(CONFIG_GET_SQL), [hash], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
            .map_err(e)?;
        let (json, at) = row.ok_or(StoreError::NotFound)?;
        config_version(hash.to_string(), &json, at)
    }

    fn configs(&self) -> Result<Vec<ConfigVersion>> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare(CONFIG_LIST_SQL).map_err(e)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(ConfigVersion {
                    hash: r.get(0)?,
                    first_seen_ms: r.get(1)?,
                    config: None,
                })
            })
            .map_err(e)?
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(e)?;
        Ok(rows)
    }

    fn head(&self) -> Result<Option<(i64, String)>> {
        let h = head_on(&*self.conn()?, &self.writer)?;
        Ok((h.0 > 0).then_some(h))
    }

    fn writer(&self) -> &Writer {
        &self.writer
    }

    fn purge_payloads(&self, before_ms: i64) -> Result<Purged> {
        let mut conn = self.conn()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(e)?;
        let mut done = Purged::default();
        {
            let mut select = tx.prepare(&purge_sql(&|i| format!("?{i}"))).map_err(e)?;
            let mut update = tx
                .prepare(&purge_update_sql(&|i| format!("?{i}")))
                .map_err(e)?;
            let mut after = 0i64;
            loop {
                let rows = select
                    .query_map([before_ms, after], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                    })
                    .map_err(e)?
                    .collect::<std::result::Result<Vec<(i64, i64, String)>, _>>()
                    .map_err(e)?;
                let Some(last) = rows.last() else { break };
                after = last.0;
                for (seq, json, digest) in plan_purge(&rows, &mut done)? {
                    update
                        .execute(rusqlite::params![json, digest, seq])
                        .map_err(e)?;
                }
            }
        }
        tx.commit().map_err(e)?;
        Ok(done)
    }

    fn count(&self) -> Result<i64> {
        self.conn()?
            .query_row("SELECT COUNT(*) FROM audit_records", [], |r| r.get(0))
            .map_err(e)
    }

    fn backend(&self) -> &'static str {
        "sqlite"
    }
}
