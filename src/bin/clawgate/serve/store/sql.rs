//! The SQL both backends run, built from the column table: migrations,
//! the INSERT and its values, WHERE clauses and the report queries.

use super::columns::{stored, Column, Sql, Val, CHAIN_COLUMNS, COLUMNS};
use super::{Filter, GroupBy, Key, Result, StoreError};
use clawgate::audit::AuditRecord;

/// Hand-written migrations after the first, as shipped: never edit one;
/// a new column's `since` must be above the last of these.
pub const LATER: &[(i64, &str)] = &[
    (
        2,
        // keyset pages and newest-first lists order by (started_ms, seq):
        // PostgreSQL needs both in the index to stop after LIMIT rows
        "DROP INDEX audit_started; CREATE INDEX audit_started_seq ON audit_records (started_ms, seq)",
    ),
    (
        3,
        // chain version 2 (see chain.rs); older links stay version 1, and
        // a purge keeps the payloads' digest
        "ALTER TABLE audit_records ADD COLUMN chain_v BIGINT NOT NULL DEFAULT 1; \
         ALTER TABLE audit_records ADD COLUMN payload_digest TEXT",
    ),
    (
        4,
        // every configuration a filter ran, secrets redacted, by hash:
        // each record's config_hash names the one that decided it
        "CREATE TABLE config_versions (hash TEXT PRIMARY KEY, config_json TEXT NOT NULL, \
         first_seen_ms BIGINT NOT NULL)",
    ),
    (
        5,
        // one chain per writer (sidecar), so several share a database
        // without a table lock; a keyed link's MAC and the key's id (see
        // keys.rs). Older records are the default writer's, unkeyed.
        "ALTER TABLE audit_records ADD COLUMN writer TEXT NOT NULL DEFAULT 'default'; \
         ALTER TABLE audit_records ADD COLUMN mac TEXT; \
         ALTER TABLE audit_records ADD COLUMN key_id TEXT; \
         CREATE INDEX audit_writer_seq ON audit_records (writer, seq)",
    ),
    (
        6,
        // rate-limit counts per gateway, limit, key and minute (rates.rs)
        "CREATE TABLE rate_usage (gateway TEXT NOT NULL, \
         limit_name TEXT NOT NULL, who TEXT NOT NULL, minute BIGINT NOT NULL, \
         requests BIGINT NOT NULL, tokens BIGINT NOT NULL, \
         PRIMARY KEY (gateway, limit_name, who, minute)); \
         CREATE INDEX rate_usage_minute ON rate_usage (minute)",
    ),
];

pub const CONFIG_PUT_SQL: &str = "INSERT INTO config_versions (hash, config_json, first_seen_ms) \
    VALUES ($1, $2, $3) ON CONFLICT (hash) DO NOTHING";
pub const CONFIG_GET_SQL: &str =
    "SELECT config_json, first_seen_ms FROM config_versions WHERE hash = $1";
pub const CONFIG_LIST_SQL: &str =
    "SELECT hash, first_seen_ms FROM config_versions ORDER BY first_seen_ms DESC, hash LIMIT 1000";

/// Schema migrations for both backends; `int` is the backend's 64-bit
/// integer type (`INTEGER` keeps SQLite's rowid alias). Version 1 is
/// frozen as first shipped, then `LATER`; later columns become `ALTER
/// TABLE`s in their `since` migration.
pub fn migrations(int: &str) -> Vec<(i64, String)> {
    migrations_of(COLUMNS, int)
}

fn migrations_of(columns: &[Column], int: &str) -> Vec<(i64, String)> {
    let mut v = vec![(
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
    )];
    v.extend(LATER.iter().map(|(n, sql)| (*n, sql.to_string())));
    for c in columns.iter().filter(|c| c.sql.is_some() && c.since > 1) {
        let ddl = c.sql.map(|s| s.ddl(int)).unwrap_or_default();
        let sql = format!("ALTER TABLE audit_records ADD COLUMN {} {ddl}", c.name);
        match v.iter_mut().find(|(n, _)| *n == c.since) {
            Some((_, s)) => *s = format!("{s}; {sql}"),
            None => v.push((c.since, sql)),
        }
    }
    v.sort_by_key(|(n, _)| *n);
    v
}

/// `INSERT` of every stored column then the chain's, with `$n`/`?n`; an
/// id a concurrent writer stored first inserts nothing.
pub fn insert_sql(ph: &dyn Fn(usize) -> String) -> String {
    let names: Vec<&str> = stored().map(|c| c.name).chain(CHAIN_COLUMNS).collect();
    let values: Vec<String> = (1..=names.len()).map(ph).collect();
    format!(
        "INSERT INTO audit_records ({}) VALUES ({}) ON CONFLICT (request_id) DO NOTHING",
        names.join(", "),
        values.join(",")
    )
}

/// `insert_sql` for `n` rows in one statement (PostgreSQL's `$n`), giving
/// back a row for each that went in.
pub fn insert_rows_sql(n: usize) -> String {
    let names: Vec<&str> = stored().map(|c| c.name).chain(CHAIN_COLUMNS).collect();
    let k = names.len();
    let rows: Vec<String> = (0..n)
        .map(|r| {
            let ps: Vec<String> = (1..=k).map(|i| format!("${}", r * k + i)).collect();
            format!("({})", ps.join(","))
        })
        .collect();
    format!(
        "INSERT INTO audit_records ({}) VALUES {} ON CONFLICT (request_id) DO NOTHING RETURNING seq",
        names.join(", "),
        rows.join(",")
    )
}

/// A record ready to insert: its stored columns' values in `stored()`
/// order, and its canonical JSON.
pub struct Row {
    pub request_id: String,
    pub values: Vec<SqlArg>,
    pub json: String,
    /// What its version 2 link hashes after the previous hash (inserts
    /// only; empty when the row is built to be compared).
    pub content: String,
}

impl Row {
    pub fn from_record(r: &AuditRecord) -> Result<Row> {
        let json = serde_json::to_string(r).map_err(|e| StoreError::Other(e.to_string()))?;
        Ok(Row::with(r, json, String::new()))
    }

    /// A row to insert: its JSON and chain content in one pass.
    pub fn for_insert(r: &AuditRecord) -> Result<Row> {
        let (json, content) = super::parts::insert_parts(r)?;
        Ok(Row::with(r, json, content))
    }

    fn with(r: &AuditRecord, json: String, content: String) -> Row {
        let values = stored()
            .map(|c| match (c.value)(r) {
                Val::Text(t) => SqlArg::Text(t),
                Val::Int(n) => SqlArg::Int(n.unwrap_or(0)),
            })
            .collect();
        Row {
            request_id: r.request_id.clone(),
            values,
            json,
            content,
        }
    }
}

/// A bound parameter: nullable text or a 64-bit integer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqlArg {
    Text(Option<String>),
    Int(i64),
}

/// WHERE clause and its arguments, with `$n`/`?n` placeholders.
/// `after` continues a keyset page past that (started_ms, seq).
pub fn where_clause(
    f: &Filter,
    after: Option<Key>,
    ph: &dyn Fn(usize) -> String,
) -> (String, Vec<SqlArg>) {
    let mut conds = Vec::new();
    let mut args = Vec::new();
    for (param, value) in &f.eq {
        let cols: Vec<&Column> = stored().filter(|c| c.param == Some(*param)).collect();
        let Some(first) = cols.first() else { continue };
        args.push(match first.sql {
            // `Filter::set` checked it parses
            Some(Sql::Int) => SqlArg::Int(value.parse().unwrap_or(i64::MIN)),
            _ => SqlArg::Text(Some(value.clone())),
        });
        let p = ph(args.len());
        let any: Vec<String> = cols.iter().map(|c| format!("{} = {p}", c.name)).collect();
        conds.push(format!("({})", any.join(" OR ")));
    }
    for (op, v) in [(">=", f.from), ("<", f.to)] {
        if let Some(v) = v {
            args.push(SqlArg::Int(v));
            conds.push(format!("started_ms {op} {}", ph(args.len())));
        }
    }
    if let Some(k) = after {
        args.push(SqlArg::Int(k.started_ms));
        let a = ph(args.len());
        args.push(SqlArg::Int(k.seq));
        conds.push(format!("(started_ms, seq) > ({a}, {})", ph(args.len())));
    }
    let w = if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    };
    (w, args)
}

/// Checks a filter value against its column's type, so a bad value is
/// the caller's error, not an empty result.
pub fn check_param(param: &str, value: &str) -> std::result::Result<(), String> {
    match stored().find(|c| c.param == Some(param)).map(|c| c.sql) {
        None => Err(format!("unknown filter `{param}`")),
        Some(Some(Sql::Int)) if value.parse::<i64>().is_err() => {
            Err(format!("filter `{param}` takes an integer"))
        }
        Some(_) => Ok(()),
    }
}

/// The chain after `(writer, seq) > (?1, ?2)`, in writer then seq order
/// (one writer's only: `?3`): the link fields, then every stored column
/// (in `stored()` order) for `verify` to compare.
pub fn chain_sql(ph: &dyn Fn(usize) -> String, limit: i64, one_writer: bool) -> String {
    let cols: Vec<&str> = stored().map(|c| c.name).collect();
    let only = if one_writer {
        format!(" AND writer = {}", ph(3))
    } else {
        String::new()
    };
    format!(
        "SELECT seq, request_id, record_json, prev_hash, hash, chain_v, payload_digest, writer, \
         mac, key_id, {} FROM audit_records WHERE (writer, seq) > ({}, {}){only} \
         ORDER BY writer, seq LIMIT {limit}",
        cols.join(", "),
        ph(1),
        ph(2)
    )
}

/// Offset of the first stored column in a `chain_sql` row.
pub const CHAIN_FIRST_COLUMN: usize = 10;

/// Unpurged records started before `?1`, after seq `?2`, a page at a time.
pub fn purge_sql(ph: &dyn Fn(usize) -> String) -> String {
    format!(
        "SELECT seq, chain_v, record_json FROM audit_records \
         WHERE started_ms < {} AND seq > {} AND payload_digest IS NULL ORDER BY seq LIMIT 1000",
        ph(1),
        ph(2)
    )
}

pub fn purge_update_sql(ph: &dyn Fn(usize) -> String) -> String {
    format!(
        "UPDATE audit_records SET record_json = {}, payload_digest = {} WHERE seq = {}",
        ph(1),
        ph(2),
        ph(3)
    )
}

/// Spend per identity, model and currency between `?1` and `?2`, for
/// budgets; `col` comes from `budgets::column`, never from user text.
pub fn spend_sql(col: &str, ph: &dyn Fn(usize) -> String) -> String {
    format!(
        "SELECT {col}, model_used, currency, CAST(SUM(total_tokens) AS BIGINT), \
         CAST(SUM(cost_micros) AS BIGINT) FROM audit_records \
         WHERE started_ms >= {} AND started_ms < {} AND {col} IS NOT NULL \
         GROUP BY {col}, model_used, currency",
        ph(1),
        ph(2)
    )
}

/// A writer's newest `$2` links, newest first, for `find_head`.
pub const RECENT_SQL: &str = "SELECT seq, request_id, hash, mac, key_id FROM audit_records \
    WHERE writer = $1 ORDER BY seq DESC LIMIT $2";

/// Whether a writer's chain holds a keyed link.
pub const ANY_KEYED_SQL: &str =
    "SELECT 1 FROM audit_records WHERE writer = $1 AND mac IS NOT NULL LIMIT 1";

pub fn count_sql(w: &str) -> String {
    format!("SELECT COUNT(*) FROM audit_records{w}")
}

pub fn select_sql(w: &str, f: &Filter) -> String {
    let order = if f.ascending { "ASC" } else { "DESC" };
    format!(
        "SELECT record_json FROM audit_records{w} ORDER BY started_ms {order}, seq {order} LIMIT {} OFFSET {}",
        f.limit.max(0),
        f.offset.max(0)
    )
}

/// Keyset page: the caller's WHERE already holds the `after` condition.
pub fn page_sql(w: &str, limit: i64) -> String {
    format!(
        "SELECT started_ms, seq, record_json FROM audit_records{w} ORDER BY started_ms, seq LIMIT {}",
        limit.max(1)
    )
}

/// Totals per group and currency (and UTC day when `by_day`, as a last
/// column); CAST keeps PostgreSQL's SUM a BIGINT.
pub fn costs_sql(group: GroupBy, w: &str, by_day: bool) -> String {
    let col = group.column();
    let sum = |c: &str| format!("CAST(SUM({c}) AS BIGINT)");
    let (day, by, order) = if by_day {
        (
            ", CAST((started_ms / 86400000) * 86400000 AS BIGINT)",
            "1, 2, 8",
            "8, SUM(cost_micros) DESC",
        )
    } else {
        ("", "1, 2", "SUM(cost_micros) DESC")
    };
    format!(
        "SELECT {col}, currency, CAST(COUNT(*) AS BIGINT), {}, {}, {}, {}{day} FROM audit_records{w} \
         GROUP BY {by} ORDER BY {order}",
        sum("prompt_tokens"),
        sum("completion_tokens"),
        sum("total_tokens"),
        sum("cost_micros")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::store::columns::BASE;

    #[test]
    fn later_columns_become_their_own_migrations() {
        let added = [
            Column {
                name: "region",
                sql: Some(Sql::Text),
                since: 7,
                ..BASE
            },
            Column {
                name: "retries",
                sql: Some(Sql::Int),
                since: 7,
                ..BASE
            },
            Column {
                name: "note",
                since: 8,
                ..BASE
            },
        ];
        let v = migrations_of(&added, "BIGINT");
        // the export-only `note` adds nothing
        assert_eq!(
            v.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5, 6, 7]
        );
        assert_eq!(v[..6], migrations("BIGINT")[..6], "shipped ones unchanged");
        assert_eq!(
            v[6].1,
            "ALTER TABLE audit_records ADD COLUMN region TEXT; \
             ALTER TABLE audit_records ADD COLUMN retries BIGINT NOT NULL DEFAULT 0"
        );
    }

    #[test]
    fn columns_added_later_use_a_new_migration() {
        let shipped = LATER.last().map_or(1, |(n, _)| *n);
        for c in COLUMNS.iter().filter(|c| c.since > 1) {
            assert!(
                c.since > shipped,
                "{}: since {} is already shipped",
                c.name,
                c.since
            );
        }
    }
}
