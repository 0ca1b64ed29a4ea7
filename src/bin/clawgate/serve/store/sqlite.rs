//! Embedded SQLite store (the default): WAL, one writer at a time.

use super::*;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, TransactionBehavior};
use std::sync::Mutex;

const MIGRATIONS: &[(i64, &str)] = &[(
    1,
    "CREATE TABLE audit_records (
        seq INTEGER PRIMARY KEY,
        request_id TEXT NOT NULL UNIQUE,
        started_ms INTEGER NOT NULL,
        user_id TEXT, instance TEXT, session_id TEXT, trace_id TEXT,
        model_requested TEXT, model_used TEXT, provider TEXT, risk_action TEXT,
        status INTEGER NOT NULL, currency TEXT,
        prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
        total_tokens INTEGER NOT NULL, cost_micros INTEGER NOT NULL,
        record_json TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL
    );
    CREATE INDEX audit_started ON audit_records (started_ms);
    CREATE INDEX audit_user ON audit_records (user_id, started_ms);
    CREATE INDEX audit_trace ON audit_records (trace_id);
    CREATE INDEX audit_session ON audit_records (session_id);",
)];

pub struct Sqlite {
    conn: Mutex<Connection>,
}

fn e(err: impl std::fmt::Display) -> String {
    format!("sqlite: {err}")
}

impl Sqlite {
    pub fn open(path: &str) -> Result<Sqlite> {
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
        for (v, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
            conn.execute_batch(&format!(
                "BEGIN; {sql}; INSERT INTO schema_version VALUES ({v}); COMMIT;"
            ))
            .map_err(e)?;
        }
        Ok(Sqlite {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> Result<std::sync::MutexGuard<'_, Connection>> {
        self.conn
            .lock()
            .map_err(|_| "sqlite: connection lock poisoned".to_string())
    }
}

fn to_sql(args: &[SqlArg]) -> Vec<rusqlite::types::Value> {
    args.iter()
        .map(|a| match a {
            SqlArg::Text(s) => rusqlite::types::Value::Text(s.clone()),
            SqlArg::Int(i) => rusqlite::types::Value::Integer(*i),
        })
        .collect()
}

impl Store for Sqlite {
    fn insert_batch(&self, records: &[AuditRecord]) -> Result<(usize, usize)> {
        let rows = records
            .iter()
            .map(Row::from_record)
            .collect::<Result<Vec<_>>>()?;
        let mut conn = self.conn()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(e)?;
        let (mut seq, mut prev): (i64, String) = tx
            .query_row(
                "SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(e)?
            .unwrap_or((0, GENESIS.to_string()));
        let (mut accepted, mut duplicates) = (0, 0);
        {
            let mut exists = tx
                .prepare_cached("SELECT 1 FROM audit_records WHERE request_id = ?1")
                .map_err(e)?;
            let mut insert = tx
                .prepare_cached(&format!(
                    "INSERT INTO audit_records ({SCHEMA_COLUMNS}) VALUES \
                     (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20)"
                ))
                .map_err(e)?;
            for row in &rows {
                if exists.exists([&row.request_id]).map_err(e)? {
                    duplicates += 1;
                    continue;
                }
                seq += 1;
                let hash = chain_hash(&prev, &row.json);
                insert
                    .execute(params![
                        row.request_id,
                        row.started_ms,
                        row.user_id,
                        row.instance,
                        row.session_id,
                        row.trace_id,
                        row.model_requested,
                        row.model_used,
                        row.provider,
                        row.risk_action,
                        row.status,
                        row.currency,
                        row.prompt_tokens,
                        row.completion_tokens,
                        row.total_tokens,
                        row.cost_micros,
                        row.json,
                        seq,
                        prev,
                        hash
                    ])
                    .map_err(e)?;
                prev = hash;
                accepted += 1;
            }
        }
        tx.commit().map_err(e)?;
        Ok((accepted, duplicates))
    }

    fn get(&self, request_id: &str) -> Result<Option<String>> {
        self.conn()?
            .query_row(
                "SELECT record_json FROM audit_records WHERE request_id = ?1",
                [request_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(e)
    }

    fn query(&self, f: &Filter) -> Result<(Vec<String>, i64)> {
        let (w, args) = where_clause(f, &|i| format!("?{i}"));
        let conn = self.conn()?;
        let total: i64 = conn
            .query_row(
                &format!("SELECT COUNT(*) FROM audit_records{w}"),
                params_from_iter(to_sql(&args)),
                |r| r.get(0),
            )
            .map_err(e)?;
        let order = if f.ascending { "ASC" } else { "DESC" };
        let mut stmt = conn
            .prepare(&format!(
                "SELECT record_json FROM audit_records{w} ORDER BY started_ms {order}, seq {order} LIMIT {} OFFSET {}",
                f.limit.max(0),
                f.offset.max(0)
            ))
            .map_err(e)?;
        let rows = stmt
            .query_map(params_from_iter(to_sql(&args)), |r| r.get::<_, String>(0))
            .map_err(e)?
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(e)?;
        Ok((rows, total))
    }

    fn costs(&self, group: GroupBy, from: Option<i64>, to: Option<i64>) -> Result<Vec<CostGroup>> {
        let f = Filter {
            from,
            to,
            ..Default::default()
        };
        let (w, args) = where_clause(&f, &|i| format!("?{i}"));
        let col = group.column();
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {col}, currency, COUNT(*), SUM(prompt_tokens), SUM(completion_tokens), SUM(total_tokens), \
                 SUM(cost_micros) FROM audit_records{w} GROUP BY {col}, currency ORDER BY SUM(cost_micros) DESC"
            ))
            .map_err(e)?;
        let rows = stmt
            .query_map(params_from_iter(to_sql(&args)), |r| {
                let micros: i64 = r.get(6)?;
                Ok(CostGroup {
                    key: r.get(0)?,
                    currency: r.get(1)?,
                    requests: r.get(2)?,
                    prompt_tokens: r.get(3)?,
                    completion_tokens: r.get(4)?,
                    total_tokens: r.get(5)?,
                    cost_micros: micros,
                    cost: decimal_micros(micros),
                })
            })
            .map_err(e)?
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(e)?;
        Ok(rows)
    }

    fn chain(&self, visit: &mut dyn FnMut(Link) -> bool) -> Result<()> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare("SELECT seq, request_id, record_json, prev_hash, hash FROM audit_records ORDER BY seq")
            .map_err(e)?;
        let mut rows = stmt.query([]).map_err(e)?;
        while let Some(r) = rows.next().map_err(e)? {
            let link = Link {
                seq: r.get(0).map_err(e)?,
                request_id: r.get(1).map_err(e)?,
                json: r.get(2).map_err(e)?,
                prev_hash: r.get(3).map_err(e)?,
                hash: r.get(4).map_err(e)?,
            };
            if !visit(link) {
                break;
            }
        }
        Ok(())
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
