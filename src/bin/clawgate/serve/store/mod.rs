//! One storage interface, two backends (SQLite embedded, PostgreSQL shared
//! by several gateways), the same SQL shape and the same tests on both.
//! Records are stored whole (canonical JSON) plus the columns queries use,
//! each chained to the previous one by a SHA-256 hash.

mod postgres;
mod sqlite;

use clawgate::audit::AuditRecord;
use sha2::{Digest, Sha256};

pub type Result<T> = std::result::Result<T, String>;

/// Hash of the record before the first one.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub user: Option<String>,
    pub instance: Option<String>,
    /// Matches the requested or the used model.
    pub model: Option<String>,
    pub session: Option<String>,
    pub trace: Option<String>,
    pub risk_action: Option<String>,
    pub status: Option<i64>,
    /// Unix ms, on `started_ms`.
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub limit: i64,
    pub offset: i64,
    /// Oldest first (traces) instead of newest first.
    pub ascending: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    User,
    Instance,
    Model,
    Session,
    Provider,
}

impl GroupBy {
    pub fn parse(s: &str) -> Option<GroupBy> {
        Some(match s {
            "user" => GroupBy::User,
            "instance" => GroupBy::Instance,
            "model" => GroupBy::Model,
            "session" => GroupBy::Session,
            "provider" => GroupBy::Provider,
            _ => return None,
        })
    }

    /// Column name (whitelisted: never from user text).
    fn column(self) -> &'static str {
        match self {
            GroupBy::User => "user_id",
            GroupBy::Instance => "instance",
            GroupBy::Model => "model_used",
            GroupBy::Session => "session_id",
            GroupBy::Provider => "provider",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CostGroup {
    pub key: Option<String>,
    pub currency: Option<String>,
    pub requests: i64,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    pub total_tokens: i64,
    pub cost_micros: i64,
    pub cost: String,
}

/// One link of the hash chain, for `verify`.
pub struct Link {
    pub seq: i64,
    pub request_id: String,
    pub json: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Verify {
    Ok(u64),
    Broken {
        seq: i64,
        request_id: String,
        reason: &'static str,
    },
}

pub trait Store: Send + Sync {
    /// Stores a batch atomically; returns (accepted, duplicates).
    fn insert_batch(&self, records: &[AuditRecord]) -> Result<(usize, usize)>;
    fn get(&self, request_id: &str) -> Result<Option<String>>;
    /// Record JSONs matching, and the total count ignoring limit/offset.
    fn query(&self, f: &Filter) -> Result<(Vec<String>, i64)>;
    fn costs(&self, group: GroupBy, from: Option<i64>, to: Option<i64>) -> Result<Vec<CostGroup>>;
    /// The chain in order, for `verify`.
    fn chain(&self, visit: &mut dyn FnMut(Link) -> bool) -> Result<()>;
    fn count(&self) -> Result<i64>;
    fn backend(&self) -> &'static str;
}

/// Opens `sqlite://PATH` or `postgres://…`, migrating the schema.
pub fn open(url: &str) -> Result<Box<dyn Store>> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        Ok(Box::new(sqlite::Sqlite::open(path)?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Box::new(postgres::Postgres::open(url)?))
    } else {
        Err(format!(
            "unsupported database URL `{url}` (use sqlite://PATH or postgres://…)"
        ))
    }
}

pub fn chain_hash(prev: &str, json: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(json.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Walks the chain and reports the first broken link.
pub fn verify(store: &dyn Store) -> Result<Verify> {
    let mut prev = GENESIS.to_string();
    let mut n = 0u64;
    let mut broken = None;
    store.chain(&mut |l| {
        let reason = if l.prev_hash != prev {
            Some("prev_hash does not match the previous record")
        } else if chain_hash(&l.prev_hash, &l.json) != l.hash {
            Some("record content does not match its hash")
        } else if serde_json::from_str::<AuditRecord>(&l.json)
            .ok()
            .map(|r| r.request_id)
            .as_ref()
            != Some(&l.request_id)
        {
            Some("request_id column does not match the record")
        } else {
            None
        };
        if let Some(reason) = reason {
            broken = Some(Verify::Broken {
                seq: l.seq,
                request_id: l.request_id,
                reason,
            });
            return false;
        }
        prev = l.hash;
        n += 1;
        true
    })?;
    Ok(broken.unwrap_or(Verify::Ok(n)))
}

/// Columns a record is stored with, beside its JSON.
pub struct Row {
    pub request_id: String,
    pub started_ms: i64,
    pub user_id: Option<String>,
    pub instance: Option<String>,
    pub session_id: Option<String>,
    pub trace_id: Option<String>,
    pub model_requested: Option<String>,
    pub model_used: Option<String>,
    pub provider: Option<String>,
    pub risk_action: Option<String>,
    pub status: i64,
    pub currency: Option<String>,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    pub total_tokens: i64,
    pub cost_micros: i64,
    pub json: String,
}

impl Row {
    pub fn from_record(r: &AuditRecord) -> Result<Row> {
        let json = serde_json::to_string(r).map_err(|e| e.to_string())?;
        let n = |v: Option<u64>| i64::try_from(v.unwrap_or(0)).unwrap_or(i64::MAX);
        Ok(Row {
            request_id: r.request_id.clone(),
            started_ms: i64::try_from(r.started_ms).unwrap_or(i64::MAX),
            user_id: r.user.clone(),
            instance: r.instance.clone(),
            session_id: r.session_id.clone(),
            trace_id: r.trace_id.clone(),
            model_requested: r.model_requested.clone(),
            model_used: r.model_used.clone(),
            provider: r.provider.clone(),
            risk_action: r.risk.action.clone(),
            status: i64::from(r.status),
            currency: r.currency.clone(),
            prompt_tokens: n(r.usage.prompt),
            completion_tokens: n(r.usage.completion),
            total_tokens: n(r.usage.total),
            cost_micros: n(r.cost_micros),
            json,
        })
    }
}

/// WHERE clause and its text arguments, with `$n`/`?n` placeholders.
pub fn where_clause(f: &Filter, ph: &dyn Fn(usize) -> String) -> (String, Vec<SqlArg>) {
    let mut conds = Vec::new();
    let mut args = Vec::new();
    let text = |col: &str, v: &Option<String>, conds: &mut Vec<String>, args: &mut Vec<SqlArg>| {
        if let Some(v) = v {
            args.push(SqlArg::Text(v.clone()));
            conds.push(format!("{col} = {}", ph(args.len())));
        }
    };
    text("user_id", &f.user, &mut conds, &mut args);
    text("instance", &f.instance, &mut conds, &mut args);
    text("session_id", &f.session, &mut conds, &mut args);
    text("trace_id", &f.trace, &mut conds, &mut args);
    text("risk_action", &f.risk_action, &mut conds, &mut args);
    if let Some(m) = &f.model {
        args.push(SqlArg::Text(m.clone()));
        let p = ph(args.len());
        conds.push(format!("(model_requested = {p} OR model_used = {p})"));
    }
    for (col, op, v) in [
        ("status", "=", f.status),
        ("started_ms", ">=", f.from),
        ("started_ms", "<", f.to),
    ] {
        if let Some(v) = v {
            args.push(SqlArg::Int(v));
            conds.push(format!("{col} {op} {}", ph(args.len())));
        }
    }
    let w = if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    };
    (w, args)
}

#[derive(Debug, Clone)]
pub enum SqlArg {
    Text(String),
    Int(i64),
}

pub fn decimal_micros(micros: i64) -> String {
    let (sign, m) = if micros < 0 {
        ("-", micros.unsigned_abs())
    } else {
        ("", micros.unsigned_abs())
    };
    let whole = m / 1_000_000;
    let frac = m % 1_000_000;
    if frac == 0 {
        format!("{sign}{whole}")
    } else {
        format!(
            "{sign}{whole}.{}",
            format!("{frac:06}").trim_end_matches('0')
        )
    }
}

const SCHEMA_COLUMNS: &str = "request_id, started_ms, user_id, instance, session_id, trace_id, model_requested, \
     model_used, provider, risk_action, status, currency, prompt_tokens, completion_tokens, total_tokens, \
     cost_micros, record_json, seq, prev_hash, hash";

/// Schema migrations, written once for both backends; `int` is the
/// backend's 64-bit integer type (`INTEGER` keeps SQLite's rowid alias).
fn migrations(int: &str) -> Vec<(i64, String)> {
    vec![(
        1,
        format!(
            "CREATE TABLE audit_records (
                seq {int} PRIMARY KEY,
                request_id TEXT NOT NULL UNIQUE,
                started_ms {int} NOT NULL,
                user_id TEXT, instance TEXT, session_id TEXT, trace_id TEXT,
                model_requested TEXT, model_used TEXT, provider TEXT, risk_action TEXT,
                status {int} NOT NULL, currency TEXT,
                prompt_tokens {int} NOT NULL, completion_tokens {int} NOT NULL,
                total_tokens {int} NOT NULL, cost_micros {int} NOT NULL,
                record_json TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL
            );
            CREATE INDEX audit_started ON audit_records (started_ms);
            CREATE INDEX audit_user ON audit_records (user_id, started_ms);
            CREATE INDEX audit_trace ON audit_records (trace_id);
            CREATE INDEX audit_session ON audit_records (session_id);"
        ),
    )]
}

/// The newest link: (seq, hash).
const HEAD_SQL: &str = "SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1";

fn insert_sql(ph: &dyn Fn(usize) -> String) -> String {
    let values: Vec<String> = (1..=20).map(ph).collect();
    format!(
        "INSERT INTO audit_records ({SCHEMA_COLUMNS}) VALUES ({})",
        values.join(",")
    )
}

fn count_sql(w: &str) -> String {
    format!("SELECT COUNT(*) FROM audit_records{w}")
}

fn select_sql(w: &str, f: &Filter) -> String {
    let order = if f.ascending { "ASC" } else { "DESC" };
    format!(
        "SELECT record_json FROM audit_records{w} ORDER BY started_ms {order}, seq {order} LIMIT {} OFFSET {}",
        f.limit.max(0),
        f.offset.max(0)
    )
}

/// Totals per group and currency; CAST keeps PostgreSQL's SUM a BIGINT.
fn costs_sql(group: GroupBy, w: &str) -> String {
    let col = group.column();
    let sum = |c: &str| format!("CAST(SUM({c}) AS BIGINT)");
    format!(
        "SELECT {col}, currency, CAST(COUNT(*) AS BIGINT), {}, {}, {}, {} FROM audit_records{w} \
         GROUP BY {col}, currency ORDER BY SUM(cost_micros) DESC",
        sum("prompt_tokens"),
        sum("completion_tokens"),
        sum("total_tokens"),
        sum("cost_micros")
    )
}

fn cost_group(key: Option<String>, currency: Option<String>, sums: [i64; 5]) -> CostGroup {
    let [requests, prompt_tokens, completion_tokens, total_tokens, cost_micros] = sums;
    CostGroup {
        key,
        currency,
        requests,
        prompt_tokens,
        completion_tokens,
        total_tokens,
        cost_micros,
        cost: decimal_micros(cost_micros),
    }
}

/// Chains a batch after the head (seq, hash): ids already stored, or
/// repeated within the batch, are duplicates; `insert` writes one link.
/// Returns (accepted, duplicates).
fn append(
    rows: &[Row],
    head: (i64, String),
    mut seen: std::collections::HashSet<String>,
    insert: &mut dyn FnMut(&Row, i64, &str, &str) -> Result<()>,
) -> Result<(usize, usize)> {
    let (mut seq, mut prev) = head;
    let (mut accepted, mut duplicates) = (0, 0);
    for row in rows {
        if !seen.insert(row.request_id.clone()) {
            duplicates += 1;
            continue;
        }
        seq += 1;
        let hash = chain_hash(&prev, &row.json);
        insert(row, seq, &prev, &hash)?;
        prev = hash;
        accepted += 1;
    }
    Ok((accepted, duplicates))
}

fn rows_of(records: &[AuditRecord]) -> Result<Vec<Row>> {
    records.iter().map(Row::from_record).collect()
}

#[cfg(test)]
mod tests;
