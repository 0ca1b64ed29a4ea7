//! One storage interface, two backends (SQLite embedded, PostgreSQL shared
//! by several gateways), the same SQL shape and the same tests on both.
//! Records are stored whole (canonical JSON) plus the columns queries use,
//! each chained to the previous one by a SHA-256 hash.

mod append;
mod chain;
mod columns;
mod keys;
mod parts;
mod pg;
mod postgres;
mod rates;
mod sql;
mod sqlite;
mod verify;

use append::{append, find_head};
#[cfg(test)]
use chain::link_hash;
pub use chain::GENESIS;
pub use columns::{csv_header, csv_row, group_by_names, params};
pub use keys::{Keys, Writer, DEFAULT_WRITER};
pub use rates::RateRow;
use sql::{
    chain_sql, costs_sql, count_sql, insert_sql, migrations, page_sql, purge_sql, purge_update_sql,
    select_sql, spend_sql, where_clause, Row, SqlArg, ANY_KEYED_SQL, CHAIN_FIRST_COLUMN,
    CONFIG_GET_SQL, CONFIG_LIST_SQL, CONFIG_PUT_SQL, RECENT_SQL,
};
#[cfg(test)]
pub use verify::{verify, Verify};
pub use verify::{verify_all, Checkpoint, Link, Options, Report};

use clawgate::audit::AuditRecord;

/// What a store call can fail with; the API maps `NotFound` to 404 and
/// `Other` to a logged 503.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    NotFound,
    Other(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::NotFound => f.write_str("not found"),
            StoreError::Other(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for StoreError {}

pub type Result<T> = std::result::Result<T, StoreError>;

#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// Equality filters by `Column::param` name; add them with `set`,
    /// which checks the value's type.
    pub eq: Vec<(&'static str, String)>,
    /// Unix ms, on `started_ms`.
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub limit: i64,
    pub offset: i64,
    /// Oldest first (traces) instead of newest first.
    pub ascending: bool,
}

impl Filter {
    /// Adds `param = value` (a `params()` name); a value of the wrong type
    /// or an unknown name is the caller's mistake.
    pub fn set(&mut self, param: &str, value: &str) -> std::result::Result<(), String> {
        sql::check_param(param, value)?;
        if let Some(p) = params().into_iter().find(|p| *p == param) {
            self.eq.retain(|(q, _)| *q != p);
            self.eq.push((p, value.to_string()));
        }
        Ok(())
    }
}

/// Position in the export order (started_ms, then seq): a page resumes
/// strictly after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    pub started_ms: i64,
    pub seq: i64,
}

/// A `group_by` column, found by its `Column::group_by` name.
#[derive(Clone, Copy)]
pub struct GroupBy(&'static columns::Column);

impl GroupBy {
    pub fn parse(s: &str) -> Option<GroupBy> {
        columns::group_by(s).map(GroupBy)
    }

    /// Column name (from the table: never from user text).
    fn column(self) -> &'static str {
        self.0.name
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CostGroup {
    /// Start of the UTC day (Unix ms) for day buckets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub day_ms: Option<i64>,
    pub key: Option<String>,
    pub currency: Option<String>,
    pub requests: i64,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    pub total_tokens: i64,
    pub cost_micros: i64,
    pub cost: String,
}

/// One identity's spend on one model in one currency, for budgets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpendRow {
    pub who: String,
    pub model: Option<String>,
    pub currency: Option<String>,
    pub tokens: i64,
    pub cost_micros: i64,
}

/// The identity column a budget counts by.
pub fn spend_column(who: clawgate::scope::Who) -> &'static str {
    match who {
        clawgate::scope::Who::User => "user_id",
        clawgate::scope::Who::Instance => "instance",
    }
}

/// A configuration a filter ran, secrets redacted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConfigVersion {
    pub hash: String,
    pub first_seen_ms: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<serde_json::Value>,
}

/// What `purge_payloads` did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    /// Records whose payloads were removed (their digest kept).
    pub purged: u64,
    /// Version 1 links keep their payloads: their hash covers them whole.
    pub kept_v1: u64,
}

pub trait Store: Send + Sync {
    /// Stores a batch atomically; returns (accepted, duplicates).
    fn insert_batch(&self, records: &[AuditRecord]) -> Result<(usize, usize)>;
    /// The record's JSON, or `NotFound`.
    fn get(&self, request_id: &str) -> Result<String>;
    /// Record JSONs matching, and the total count ignoring limit/offset.
    fn query(&self, f: &Filter) -> Result<(Vec<String>, i64)>;
    /// Up to `f.limit` matching records after `after`, oldest first, each
    /// with its key: keyset paging, so every page costs the same.
    fn page(&self, f: &Filter, after: Option<Key>) -> Result<Vec<(Key, String)>>;
    /// Totals per group and currency, and per UTC day with `by_day`.
    fn costs(
        &self,
        group: GroupBy,
        from: Option<i64>,
        to: Option<i64>,
        by_day: bool,
    ) -> Result<Vec<CostGroup>>;
    /// Every writer's chain (or one writer's), each in order, for `verify`.
    fn chain(&self, writer: Option<&str>, visit: &mut dyn FnMut(Link) -> bool) -> Result<()>;
    /// Spend by identity (`spend_column`), model and currency in
    /// `[from, to)`.
    fn spend(&self, col: &'static str, from: i64, to: i64) -> Result<Vec<SpendRow>>;
    /// Keeps one gateway's rate-limit counts (each the largest reported
    /// for its limit, key and minute).
    fn rate_put(&self, gateway: &str, rows: &[RateRow]) -> Result<()>;
    /// Counts per limit and key in `minute`, summed over every gateway
    /// but `except` (`""`: all).
    fn rate_sums(&self, minute: i64, except: &str) -> Result<Vec<RateRow>>;
    /// Keeps a configuration by its hash (once: the first sighting wins).
    fn put_config(&self, hash: &str, json: &str, now_ms: i64) -> Result<()>;
    /// One configuration, or `NotFound`.
    fn config(&self, hash: &str) -> Result<ConfigVersion>;
    /// Every configuration kept, newest first (without the documents).
    fn configs(&self) -> Result<Vec<ConfigVersion>>;
    /// This store's writer's newest authentic link (seq, hash), for
    /// checkpoints: the one its next link chains onto.
    fn head(&self) -> Result<Option<(i64, String)>>;
    /// The writer this store's inserts chain as.
    fn writer(&self) -> &Writer;
    /// Removes the payloads of records started before `before_ms`,
    /// keeping each one's digest so the chain still verifies.
    fn purge_payloads(&self, before_ms: i64) -> Result<Purged>;
    fn count(&self) -> Result<i64>;
    fn backend(&self) -> &'static str;
}

/// Opens `sqlite://PATH` or `postgres://…`, migrating the schema; inserts
/// chain as the default writer, unkeyed (the CLI's reads, tests).
pub fn open(url: &str) -> Result<Box<dyn Store>> {
    open_as(url, Writer::new(DEFAULT_WRITER, Keys::default()))
}

/// `open` for a sidecar: its inserts extend `w`'s chain, keyed with its keys.
pub fn open_as(url: &str, w: Writer) -> Result<Box<dyn Store>> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        Ok(Box::new(sqlite::Sqlite::open(path, w)?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Box::new(postgres::Postgres::open(url, w)?))
    } else {
        Err(StoreError::Other(format!(
            "unsupported database URL `{url}` (use sqlite://PATH or postgres://…)"
        )))
    }
}

/// Visits every record matching `f`, oldest first, `page` at a time.
pub fn export(
    store: &dyn Store,
    f: &Filter,
    page: i64,
    visit: &mut dyn FnMut(&str) -> Result<()>,
) -> Result<u64> {
    let f = Filter {
        limit: page.max(1),
        ..f.clone()
    };
    let (mut after, mut n) = (None, 0);
    loop {
        let rows = store.page(&f, after)?;
        for (key, json) in &rows {
            // a key that does not advance would page forever
            if Some(*key) <= after {
                return Err(StoreError::Other("export: page key did not advance".into()));
            }
            visit(json)?;
            after = Some(*key);
            n += 1;
        }
        if (rows.len() as i64) < f.limit {
            return Ok(n);
        }
    }
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

fn cost_group(
    key: Option<String>,
    currency: Option<String>,
    sums: [i64; 5],
    day_ms: Option<i64>,
) -> CostGroup {
    let [requests, prompt_tokens, completion_tokens, total_tokens, cost_micros] = sums;
    CostGroup {
        day_ms,
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

/// Plans a purge page of (seq, chain_v, json): the updates (seq, new
/// json, digest) to make, counting version 1 links that keep theirs.
fn plan_purge(
    rows: &[(i64, i64, String)],
    done: &mut Purged,
) -> Result<Vec<(i64, String, String)>> {
    let mut updates = Vec::new();
    for (seq, v, json) in rows {
        if !chain::has_payload(json) {
            continue;
        }
        if *v < 2 {
            done.kept_v1 += 1;
            continue;
        }
        let (purged, digest) = chain::purge(json)?;
        updates.push((*seq, purged, digest));
        done.purged += 1;
    }
    Ok(updates)
}

/// Reads a `chain_sql` row's stored columns, typed by the column table.
fn link_columns(get: &mut dyn FnMut(usize, columns::Sql) -> Result<SqlArg>) -> Result<Vec<SqlArg>> {
    columns::stored()
        .enumerate()
        .map(|(i, c)| get(CHAIN_FIRST_COLUMN + i, c.sql.unwrap_or(columns::Sql::Text)))
        .collect()
}

/// `$n` placeholders as SQLite's `?n`.
fn sqlite_placeholders(sql: &str) -> String {
    sql.replace('$', "?")
}

/// A stored configuration, refused when its document is not the one its
/// hash names (edited in the database: `config show` and the API must not
/// serve it as that configuration).
fn config_version(hash: String, json: &str, first_seen_ms: i64) -> Result<ConfigVersion> {
    let config = serde_json::from_str(json).map_err(|e| StoreError::Other(e.to_string()))?;
    if clawgate::config::hash_of(&config) != hash {
        return Err(StoreError::Other(format!(
            "configuration {hash} does not match its hash: the stored document was edited"
        )));
    }
    Ok(ConfigVersion {
        hash,
        first_seen_ms,
        config: Some(config),
    })
}

fn rows_of(records: &[AuditRecord]) -> Result<Vec<Row>> {
    records.iter().map(Row::for_insert).collect()
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_chain;
#[cfg(test)]
mod tests_keyed;
#[cfg(test)]
mod tests_paging;
