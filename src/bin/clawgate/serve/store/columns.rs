//! The one table of record fields the store exposes. The schema's later
//! migrations, the INSERT, the bound values, the query filters, `group_by`
//! and the CSV export all derive from `COLUMNS`; adding a queryable column
//! is one entry here (with `since` = a new migration number) and, if the
//! filter needs a new shape, nothing else.

use clawgate::audit::AuditRecord;

/// How a stored column is typed on both backends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sql {
    /// The record's key: TEXT NOT NULL UNIQUE.
    Id,
    /// Nullable TEXT.
    Text,
    /// 64-bit integer, NOT NULL: an absent value is stored as 0.
    Int,
}

impl Sql {
    pub fn ddl(self, int: &str) -> String {
        match self {
            Sql::Id => "TEXT NOT NULL UNIQUE".into(),
            Sql::Text => "TEXT".into(),
            Sql::Int => format!("{int} NOT NULL DEFAULT 0"),
        }
    }
}

/// One field's value, before it becomes a bound parameter or a CSV cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Val {
    Text(Option<String>),
    Int(Option<i64>),
}

pub struct Column {
    /// SQL column name (or the field's name when not stored).
    pub name: &'static str,
    /// `None`: exported only, not a database column.
    pub sql: Option<Sql>,
    /// Migration that added the column; 1 is the original table.
    pub since: i64,
    pub value: fn(&AuditRecord) -> Val,
    /// Equality filter name in the HTTP API and the CLI; columns sharing a
    /// name match when any of them does (`model`).
    pub param: Option<&'static str>,
    /// `GET /v1/costs?group_by=` name.
    pub group_by: Option<&'static str>,
    /// CSV header; the export's column order is this table's.
    pub csv: Option<&'static str>,
}

fn text(v: &Option<String>) -> Val {
    Val::Text(v.clone())
}

fn int(v: Option<u64>) -> Val {
    Val::Int(v.map(|n| i64::try_from(n).unwrap_or(i64::MAX)))
}

pub const BASE: Column = Column {
    name: "",
    sql: None,
    since: 1,
    value: |_| Val::Text(None),
    param: None,
    group_by: None,
    csv: None,
};

pub const COLUMNS: &[Column] = &[
    Column {
        name: "request_id",
        sql: Some(Sql::Id),
        value: |r| Val::Text(Some(r.request_id.clone())),
        csv: Some("request_id"),
        ..BASE
    },
    Column {
        name: "started_ms",
        sql: Some(Sql::Int),
        value: |r| int(Some(r.started_ms)),
        csv: Some("started_ms"),
        ..BASE
    },
    Column {
        name: "duration_ms",
        value: |r| int(Some(r.duration_ms)),
        csv: Some("duration_ms"),
        ..BASE
    },
    Column {
        name: "user_id",
        sql: Some(Sql::Text),
        value: |r| text(&r.user),
        param: Some("user"),
        group_by: Some("user"),
        csv: Some("user"),
        ..BASE
    },
    Column {
        name: "instance",
        sql: Some(Sql::Text),
        value: |r| text(&r.instance),
        param: Some("instance"),
        group_by: Some("instance"),
        csv: Some("instance"),
        ..BASE
    },
    Column {
        name: "session_id",
        sql: Some(Sql::Text),
        value: |r| text(&r.session_id),
        param: Some("session"),
        group_by: Some("session"),
        csv: Some("session_id"),
        ..BASE
    },
    Column {
        name: "trace_id",
        sql: Some(Sql::Text),
        value: |r| text(&r.trace_id),
        param: Some("trace"),
        csv: Some("trace_id"),
        ..BASE
    },
    Column {
        name: "model_requested",
        sql: Some(Sql::Text),
        value: |r| text(&r.model_requested),
        param: Some("model"),
        csv: Some("model_requested"),
        ..BASE
    },
    Column {
        name: "model_used",
        sql: Some(Sql::Text),
        value: |r| text(&r.model_used),
        param: Some("model"),
        group_by: Some("model"),
        csv: Some("model_used"),
        ..BASE
    },
    Column {
        name: "provider",
        sql: Some(Sql::Text),
        value: |r| text(&r.provider),
        group_by: Some("provider"),
        csv: Some("provider"),
        ..BASE
    },
    Column {
        name: "route_reason",
        value: |r| text(&r.route_reason),
        csv: Some("route_reason"),
        ..BASE
    },
    Column {
        name: "risk_action",
        sql: Some(Sql::Text),
        value: |r| text(&r.risk.action),
        param: Some("risk_action"),
        csv: Some("risk_action"),
        ..BASE
    },
    Column {
        name: "status",
        sql: Some(Sql::Int),
        value: |r| Val::Int(Some(i64::from(r.status))),
        param: Some("status"),
        csv: Some("status"),
        ..BASE
    },
    Column {
        name: "error",
        value: |r| text(&r.error),
        csv: Some("error"),
        ..BASE
    },
    Column {
        name: "prompt_tokens",
        sql: Some(Sql::Int),
        value: |r| int(r.usage.prompt),
        csv: Some("prompt_tokens"),
        ..BASE
    },
    Column {
        name: "completion_tokens",
        sql: Some(Sql::Int),
        value: |r| int(r.usage.completion),
        csv: Some("completion_tokens"),
        ..BASE
    },
    Column {
        name: "total_tokens",
        sql: Some(Sql::Int),
        value: |r| int(r.usage.total),
        csv: Some("total_tokens"),
        ..BASE
    },
    Column {
        name: "cost",
        value: |r| text(&r.cost),
        csv: Some("cost"),
        ..BASE
    },
    Column {
        name: "currency",
        sql: Some(Sql::Text),
        value: |r| text(&r.currency),
        csv: Some("currency"),
        ..BASE
    },
    Column {
        name: "cost_micros",
        sql: Some(Sql::Int),
        value: |r| int(r.cost_micros),
        ..BASE
    },
];

/// Columns the chain writes after the record's own, in INSERT order.
pub const CHAIN_COLUMNS: [&str; 8] = [
    "record_json",
    "seq",
    "prev_hash",
    "hash",
    "chain_v",
    "writer",
    "mac",
    "key_id",
];

pub fn stored() -> impl Iterator<Item = &'static Column> {
    COLUMNS.iter().filter(|c| c.sql.is_some())
}

/// Filter names, each once, in table order.
pub fn params() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = Vec::new();
    for p in COLUMNS.iter().filter_map(|c| c.param) {
        if !v.contains(&p) {
            v.push(p);
        }
    }
    v
}

pub fn group_by(name: &str) -> Option<&'static Column> {
    COLUMNS.iter().find(|c| c.group_by == Some(name))
}

pub fn group_by_names() -> Vec<&'static str> {
    COLUMNS.iter().filter_map(|c| c.group_by).collect()
}

pub fn csv_header() -> String {
    COLUMNS
        .iter()
        .filter_map(|c| c.csv)
        .collect::<Vec<_>>()
        .join(",")
}

pub fn csv_row(r: &AuditRecord) -> String {
    COLUMNS
        .iter()
        .filter(|c| c.csv.is_some())
        .map(|c| match (c.value)(r) {
            Val::Text(t) => csv_field(t.as_deref().unwrap_or("")),
            Val::Int(n) => n.map(|x| x.to_string()).unwrap_or_default(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// A text cell: one a spreadsheet would read as a formula (starting with
/// `=`, `+`, `-`, `@`, a tab or a CR; a user or session id is the
/// client's choice) gets a leading `'`, so it opens as text; then quoted
/// when it holds a separator.
fn csv_field(s: &str) -> String {
    let neutral;
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        neutral = format!("'{s}");
        neutral.as_str()
    } else {
        s
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
