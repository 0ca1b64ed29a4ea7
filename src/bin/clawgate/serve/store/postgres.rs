//! PostgreSQL store: the one several gateway nodes' sidecars share. Reads
//! run in parallel on a small pool of connections; each batch locks the
//! table against other writers (in every sidecar) so the hash chain stays
//! linear.

use super::*;
use ::postgres::types::ToSql;
use ::postgres::{Client, NoTls};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

/// Connections per store: enough for the API's concurrent reads beside
/// one writer, few enough not to crowd a shared server.
const POOL: usize = 4;

pub struct Postgres {
    url: String,
    pool: Vec<Mutex<Client>>,
    next: AtomicUsize,
}

fn e(err: ::postgres::Error) -> StoreError {
    StoreError::Other(match err.as_db_error() {
        Some(db) => format!("postgres: {db}"),
        None => format!("postgres: {err}"),
    })
}

fn args(a: &[SqlArg]) -> Vec<Box<dyn ToSql + Sync>> {
    a.iter()
        .map(|x| -> Box<dyn ToSql + Sync> {
            match x {
                SqlArg::Text(s) => Box::new(s.clone()),
                SqlArg::Int(i) => Box::new(*i),
            }
        })
        .collect()
}

fn refs(a: &[Box<dyn ToSql + Sync>]) -> Vec<&(dyn ToSql + Sync)> {
    a.iter().map(|b| b.as_ref()).collect()
}

impl Postgres {
    pub fn open(url: &str) -> Result<Postgres> {
        let mut client = Client::connect(url, NoTls).map_err(e)?;
        client
            .batch_execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")
            .map_err(e)?;
        let mut tx = client.transaction().map_err(e)?;
        // sidecars starting together must not both apply a migration
        tx.batch_execute("LOCK TABLE schema_version IN EXCLUSIVE MODE")
            .map_err(e)?;
        let current: i64 = tx
            .query_one(
                "SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_version",
                &[],
            )
            .map_err(e)?
            .get(0);
        for (v, sql) in migrations("BIGINT").iter().filter(|(v, _)| *v > current) {
            tx.batch_execute(sql).map_err(e)?;
            tx.execute("INSERT INTO schema_version VALUES ($1)", &[v])
                .map_err(e)?;
        }
        tx.commit().map_err(e)?;
        let mut pool = vec![Mutex::new(client)];
        for _ in 1..POOL {
            pool.push(Mutex::new(Client::connect(url, NoTls).map_err(e)?));
        }
        Ok(Postgres {
            url: url.to_string(),
            pool,
            next: AtomicUsize::new(0),
        })
    }

    /// A free connection, round-robin; waits on one when all are busy.
    /// A connection the server closed is replaced.
    fn client(&self) -> Result<MutexGuard<'_, Client>> {
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        let n = self.pool.len();
        let free = (0..n).find_map(|i| self.pool[(start + i) % n].try_lock().ok());
        let mut c = match free {
            Some(c) => c,
            None => self.pool[start % n]
                .lock()
                .map_err(|_| StoreError::Other("postgres: connection lock poisoned".into()))?,
        };
        if c.is_closed() {
            *c = Client::connect(&self.url, NoTls).map_err(e)?;
        }
        Ok(c)
    }
}

impl Store for Postgres {
    fn insert_batch(&self, records: &[AuditRecord]) -> Result<(usize, usize)> {
        let rows = rows_of(records)?;
        let ids: Vec<&str> = rows.iter().map(|r| r.request_id.as_str()).collect();
        let mut client = self.client()?;
        let mut tx = client.transaction().map_err(e)?;
        // conflicts with itself and with plain INSERTs, not with SELECTs:
        // writers queue here (in every sidecar), readers carry on; the head
        // is read after the lock, so each batch chains after the last commit
        tx.batch_execute("LOCK TABLE audit_records IN SHARE ROW EXCLUSIVE MODE")
            .map_err(e)?;
        let head = tx
            .query_opt(HEAD_SQL, &[])
            .map_err(e)?
            .map_or((0, GENESIS.to_string()), |r| (r.get(0), r.get(1)));
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
        let insert = tx.prepare(&insert_sql(&|i| format!("${i}"))).map_err(e)?;
        let counts = append(&rows, head, seen, &mut |a| {
            let a = args(a);
            tx.execute(&insert, &refs(&a)).map(drop).map_err(e)
        })?;
        tx.commit().map_err(e)?;
        Ok(counts)
    }

    fn get(&self, request_id: &str) -> Result<String> {
        self.client()?
            .query_opt(
                "SELECT record_json FROM audit_records WHERE request_id = $1",
                &[&request_id],
            )
            .map_err(e)?
            .map(|r| r.get(0))
            .ok_or(StoreError::NotFound)
    }

    fn query(&self, f: &Filter) -> Result<(Vec<String>, i64)> {
        let (w, a) = where_clause(f, None, &|i| format!("${i}"));
        let a = args(&a);
        let mut c = self.client()?;
        let total: i64 = c.query_one(&count_sql(&w), &refs(&a)).map_err(e)?.get(0);
        let rows = c.query(&select_sql(&w, f), &refs(&a)).map_err(e)?;
        Ok((rows.iter().map(|r| r.get(0)).collect(), total))
    }

    fn page(&self, f: &Filter, after: Option<Key>) -> Result<Vec<(Key, String)>> {
        let (w, a) = where_clause(f, after, &|i| format!("${i}"));
        let a = args(&a);
        let rows = self
            .client()?
            .query(&page_sql(&w, f.limit), &refs(&a))
            .map_err(e)?;
        Ok(rows
            .iter()
            .map(|r| {
                let key = Key {
                    started_ms: r.get(0),
                    seq: r.get(1),
                };
                (key, r.get(2))
            })
            .collect())
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
        let (w, a) = where_clause(&f, None, &|i| format!("${i}"));
        let a = args(&a);
        let rows = self
            .client()?
            .query(&costs_sql(group, &w, by_day), &refs(&a))
            .map_err(e)?;
        Ok(rows
            .iter()
            .map(|r| {
                let day = by_day.then(|| r.get(7));
                cost_group(r.get(0), r.get(1), [2, 3, 4, 5, 6].map(|i| r.get(i)), day)
            })
            .collect())
    }

    fn chain(&self, visit: &mut dyn FnMut(Link) -> bool) -> Result<()> {
        let mut c = self.client()?;
        let sql = chain_sql(&|i| format!("${i}"), 5000);
        // keyset pages keep memory flat on large trails
        let mut after = 0i64;
        loop {
            let rows = c.query(sql.as_str(), &[&after]).map_err(e)?;
            if rows.is_empty() {
                return Ok(());
            }
            for r in &rows {
                after = r.get(0);
                let columns = link_columns(&mut |i, sql| {
                    Ok(match sql {
                        columns::Sql::Int => SqlArg::Int(r.try_get(i).map_err(e)?),
                        _ => SqlArg::Text(r.try_get(i).map_err(e)?),
                    })
                })?;
                let link = Link {
                    seq: after,
                    request_id: r.get(1),
                    json: r.get(2),
                    prev_hash: r.get(3),
                    hash: r.get(4),
                    chain_v: r.get(5),
                    payload_digest: r.get(6),
                    columns,
                };
                if !visit(link) {
                    return Ok(());
                }
            }
        }
    }

    fn spend(&self, col: &'static str, from: i64, to: i64) -> Result<Vec<SpendRow>> {
        Ok(self
            .client()?
            .query(spend_sql(col, &|i| format!("${i}")).as_str(), &[&from, &to])
            .map_err(e)?
            .iter()
            .map(|r| SpendRow {
                who: r.get(0),
                model: r.get(1),
                currency: r.get(2),
                tokens: r.get(3),
                cost_micros: r.get(4),
            })
            .collect())
    }

    fn put_config(&self, hash: &str, json: &str, now_ms: i64) -> Result<()> {
        self.client()?
            .execute(CONFIG_PUT_SQL, &[&hash, &json, &now_ms])
            .map(drop)
            .map_err(e)
    }

    fn config(&self, hash: &str) -> Result<ConfigVersion> {
        let row = self
            .client()?
            .query_opt(CONFIG_GET_SQL, &[&hash])
            .map_err(e)?
            .ok_or(StoreError::NotFound)?;
        config_version(hash.to_string(), row.get::<_, &str>(0), row.get(1))
    }

    fn configs(&self) -> Result<Vec<ConfigVersion>> {
        Ok(self
            .client()?
            .query(CONFIG_LIST_SQL, &[])
            .map_err(e)?
            .iter()
            .map(|r| ConfigVersion {
                hash: r.get(0),
                first_seen_ms: r.get(1),
                config: None,
            })
            .collect())
    }

    fn head(&self) -> Result<Option<(i64, String)>> {
        Ok(self
            .client()?
            .query_opt(HEAD_SQL, &[])
            .map_err(e)?
            .map(|r| (r.get(0), r.get(1))))
    }

    fn purge_payloads(&self, before_ms: i64) -> Result<Purged> {
        let mut client = self.client()?;
        let mut tx = client.transaction().map_err(e)?;
        let select = purge_sql(&|i| format!("${i}"));
        let update = purge_update_sql(&|i| format!("${i}"));
        let mut done = Purged::default();
        let mut after = 0i64;
        loop {
            let rows: Vec<(i64, i64, String)> = tx
                .query(select.as_str(), &[&before_ms, &after])
                .map_err(e)?
                .iter()
                .map(|r| (r.get(0), r.get(1), r.get(2)))
                .collect();
            let Some(last) = rows.last() else { break };
            after = last.0;
            for (seq, json, digest) in plan_purge(&rows, &mut done)? {
                tx.execute(update.as_str(), &[&json, &digest, &seq])
                    .map_err(e)?;
            }
        }
        tx.commit().map_err(e)?;
        Ok(done)
    }

    fn count(&self) -> Result<i64> {
        Ok(self
            .client()?
            .query_one("SELECT COUNT(*) FROM audit_records", &[])
            .map_err(e)?
            .get(0))
    }

    fn backend(&self) -> &'static str {
        "postgres"
    }
}
