//! PostgreSQL store: the one several gateway nodes' sidecars share. Reads
//! run in parallel on a small pool of connections. Each sidecar extends its
//! own writer's chain: a batch takes a transaction-scoped advisory lock on
//! that writer only (two sidecars given the same writer id queue there),
//! seqs come from a sequence, and writers never wait on each other.

use super::pg::{args, e, refs};
use super::*;
use ::postgres::{Client, NoTls};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

/// Connections per store: enough for the API's concurrent reads beside
/// one writer, few enough not to crowd a shared server.
const POOL: usize = 4;

pub struct Postgres {
    url: String,
    writer: Writer,
    pool: Vec<Mutex<Client>>,
    next: AtomicUsize,
}

impl Postgres {
    pub fn open(url: &str, writer: Writer) -> Result<Postgres> {
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
            if *v == 5 {
                // writers take seqs from here, not from MAX(seq) under a
                // table lock; owned by the column, so a TRUNCATE ...
                // RESTART IDENTITY resets it
                tx.batch_execute(
                    "CREATE SEQUENCE audit_records_seq OWNED BY audit_records.seq; \
                     SELECT setval('audit_records_seq', COALESCE(MAX(seq), 0) + 1, false) \
                     FROM audit_records",
                )
                .map_err(e)?;
            }
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
            writer,
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
        super::pg::insert_batch(&mut *self.client()?, &self.writer, &rows)
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

    fn chain(&self, writer: Option<&str>, visit: &mut dyn FnMut(Link) -> bool) -> Result<()> {
        let mut c = self.client()?;
        let sql = chain_sql(&|i| format!("${i}"), 5000, writer.is_some());
        // keyset pages keep memory flat on large trails
        let (mut after_w, mut after) = (String::new(), i64::MIN);
        loop {
            let rows = match writer {
                Some(w) => c.query(sql.as_str(), &[&after_w, &after, &w]),
                None => c.query(sql.as_str(), &[&after_w, &after]),
            }
            .map_err(e)?;
            if rows.is_empty() {
                return Ok(());
            }
            for r in &rows {
                after = r.get(0);
                after_w = r.get(7);
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
                    writer: after_w.clone(),
                    mac: r.get(8),
                    key_id: r.get(9),
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

    fn rate_put(&self, gateway: &str, rows: &[RateRow]) -> Result<()> {
        super::rates::put_pg(&mut *self.client()?, gateway, rows)
    }

    fn rate_sums(&self, minute: i64, except: &str) -> Result<Vec<RateRow>> {
        super::rates::sums_pg(&mut *self.client()?, minute, except)
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
        let mut client = self.client()?;
        let mut tx = client.transaction().map_err(e)?;
        let h = super::pg::head_in(&mut tx, &self.writer)?;
        tx.commit().map_err(e)?;
        Ok((h.0 > 0).then_some(h))
    }

    fn writer(&self) -> &Writer {
        &self.writer
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
