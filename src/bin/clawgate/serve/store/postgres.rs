//! PostgreSQL store: the one several gateway nodes' sidecars share. Each
//! batch locks the table for writing so the hash chain stays linear.

use super::*;
use ::postgres::types::ToSql;
use ::postgres::{Client, NoTls};
use std::sync::Mutex;

const MIGRATIONS: &[(i64, &str)] = &[(
    1,
    "CREATE TABLE audit_records (
        seq BIGINT PRIMARY KEY,
        request_id TEXT NOT NULL UNIQUE,
        started_ms BIGINT NOT NULL,
        user_id TEXT, instance TEXT, session_id TEXT, trace_id TEXT,
        model_requested TEXT, model_used TEXT, provider TEXT, risk_action TEXT,
        status BIGINT NOT NULL, currency TEXT,
        prompt_tokens BIGINT NOT NULL, completion_tokens BIGINT NOT NULL,
        total_tokens BIGINT NOT NULL, cost_micros BIGINT NOT NULL,
        record_json TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL
    );
    CREATE INDEX audit_started ON audit_records (started_ms);
    CREATE INDEX audit_user ON audit_records (user_id, started_ms);
    CREATE INDEX audit_trace ON audit_records (trace_id);
    CREATE INDEX audit_session ON audit_records (session_id);",
)];

pub struct Postgres {
    client: Mutex<Client>,
}

fn e(err: ::postgres::Error) -> String {
    match err.as_db_error() {
        Some(db) => format!("postgres: {db}"),
        None => format!("postgres: {err}"),
    }
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
        let current: i64 = client
            .query_one(
                "SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_version",
                &[],
            )
            .map_err(e)?
            .get(0);
        for (v, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
            let mut tx = client.transaction().map_err(e)?;
            tx.batch_execute(sql).map_err(e)?;
            tx.execute("INSERT INTO schema_version VALUES ($1)", &[v])
                .map_err(e)?;
            tx.commit().map_err(e)?;
        }
        Ok(Postgres {
            client: Mutex::new(client),
        })
    }

    fn client(&self) -> Result<std::sync::MutexGuard<'_, Client>> {
        self.client
            .lock()
            .map_err(|_| "postgres: connection lock poisoned".to_string())
    }
}

impl Store for Postgres {
    fn insert_batch(&self, records: &[AuditRecord]) -> Result<(usize, usize)> {
        let rows = records
            .iter()
            .map(Row::from_record)
            .collect::<Result<Vec<_>>>()?;
        let mut client = self.client()?;
        let mut tx = client.transaction().map_err(e)?;
        tx.batch_execute("LOCK TABLE audit_records IN SHARE ROW EXCLUSIVE MODE")
            .map_err(e)?;
        let (mut seq, mut prev): (i64, String) = tx
            .query_opt(
                "SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1",
                &[],
            )
            .map_err(e)?
            .map_or((0, GENESIS.to_string()), |r| (r.get(0), r.get(1)));
        let exists = tx
            .prepare("SELECT 1 FROM audit_records WHERE request_id = $1")
            .map_err(e)?;
        let insert = tx
            .prepare(&format!(
                "INSERT INTO audit_records ({SCHEMA_COLUMNS}) VALUES \
                 ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20)"
            ))
            .map_err(e)?;
        let (mut accepted, mut duplicates) = (0, 0);
        for row in &rows {
            if tx
                .query_opt(&exists, &[&row.request_id])
                .map_err(e)?
                .is_some()
            {
                duplicates += 1;
                continue;
            }
            seq += 1;
            let hash = chain_hash(&prev, &row.json);
            tx.execute(
                &insert,
                &[
                    &row.request_id,
                    &row.started_ms,
                    &row.user_id,
                    &row.instance,
                    &row.session_id,
                    &row.trace_id,
                    &row.model_requested,
                    &row.model_used,
                    &row.provider,
                    &row.risk_action,
                    &row.status,
                    &row.currency,
                    &row.prompt_tokens,
                    &row.completion_tokens,
                    &row.total_tokens,
                    &row.cost_micros,
                    &row.json,
                    &seq,
                    &prev,
                    &hash,
                ],
            )
            .map_err(e)?;
            prev = hash;
            accepted += 1;
        }
        tx.commit().map_err(e)?;
        Ok((accepted, duplicates))
    }

    fn get(&self, request_id: &str) -> Result<Option<String>> {
        Ok(self
            .client()?
            .query_opt(
                "SELECT record_json FROM audit_records WHERE request_id = $1",
                &[&request_id],
            )
            .map_err(e)?
            .map(|r| r.get(0)))
    }

    fn query(&self, f: &Filter) -> Result<(Vec<String>, i64)> {
        let (w, a) = where_clause(f, &|i| format!("${i}"));
        let a = args(&a);
        let mut c = self.client()?;
        let total: i64 = c
            .query_one(&format!("SELECT COUNT(*) FROM audit_records{w}"), &refs(&a))
            .map_err(e)?
            .get(0);
        let order = if f.ascending { "ASC" } else { "DESC" };
        let rows = c
            .query(
                &format!(
                    "SELECT record_json FROM audit_records{w} ORDER BY started_ms {order}, seq {order} LIMIT {} OFFSET {}",
                    f.limit.max(0),
                    f.offset.max(0)
                ),
                &refs(&a),
            )
            .map_err(e)?;
        Ok((rows.iter().map(|r| r.get(0)).collect(), total))
    }

    fn costs(&self, group: GroupBy, from: Option<i64>, to: Option<i64>) -> Result<Vec<CostGroup>> {
        let f = Filter {
            from,
            to,
            ..Default::default()
        };
        let (w, a) = where_clause(&f, &|i| format!("${i}"));
        let a = args(&a);
        let col = group.column();
        let rows = self
            .client()?
            .query(
                &format!(
                    "SELECT {col}, currency, COUNT(*)::BIGINT, SUM(prompt_tokens)::BIGINT, SUM(completion_tokens)::BIGINT, \
                     SUM(total_tokens)::BIGINT, SUM(cost_micros)::BIGINT FROM audit_records{w} \
                     GROUP BY {col}, currency ORDER BY SUM(cost_micros) DESC"
                ),
                &refs(&a),
            )
            .map_err(e)?;
        Ok(rows
            .iter()
            .map(|r| {
                let micros: i64 = r.get(6);
                CostGroup {
                    key: r.get(0),
                    currency: r.get(1),
                    requests: r.get(2),
                    prompt_tokens: r.get(3),
                    completion_tokens: r.get(4),
                    total_tokens: r.get(5),
                    cost_micros: micros,
                    cost: decimal_micros(micros),
                }
            })
            .collect())
    }

    fn chain(&self, visit: &mut dyn FnMut(Link) -> bool) -> Result<()> {
        let mut c = self.client()?;
        // keyset pages keep memory flat on large trails
        let mut after = 0i64;
        loop {
            let rows = c
                .query(
                    "SELECT seq, request_id, record_json, prev_hash, hash FROM audit_records \
                     WHERE seq > $1 ORDER BY seq LIMIT 5000",
                    &[&after],
                )
                .map_err(e)?;
            if rows.is_empty() {
                return Ok(());
            }
            for r in &rows {
                after = r.get(0);
                let link = Link {
                    seq: after,
                    request_id: r.get(1),
                    json: r.get(2),
                    prev_hash: r.get(3),
                    hash: r.get(4),
                };
                if !visit(link) {
                    return Ok(());
                }
            }
        }
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
