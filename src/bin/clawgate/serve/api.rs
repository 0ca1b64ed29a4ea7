//! HTTP API of the sidecar; `router` builds it so tests drive it with
//! `tower::ServiceExt::oneshot`.

mod error;
pub(super) mod guard;

pub use error::ApiError;

use super::auth::{Scope, Tokens};
use super::store::{self, Filter, GroupBy, Store};
use axum::body::Bytes;
use axum::extract::{Path, Query, State as AxState};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use clawgate::audit::record::Batch;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;

/// Largest batch body accepted (the filter sends 200 records by default).
pub const MAX_BATCH_BYTES: usize = 64 << 20;

pub struct State {
    pub store: Arc<dyn Store>,
    tokens: Tokens,
    checkpoint_key: Option<Vec<u8>>,
    /// Test hook: a file holding the Unix ms budgets take as now.
    pub now_file: Option<std::path::PathBuf>,
    /// Largest batch body taken (`--max-batch-bytes`).
    pub max_batch_bytes: usize,
    risk: clawgate::risk::Engine,
    ingested: AtomicU64,
    duplicates: AtomicU64,
    batches: AtomicU64,
    rejected: AtomicU64,
    unauthorized: AtomicU64,
    /// How long a request body may take in all (`serve --body-timeout`).
    pub body_timeout: std::time::Duration,
    body_timeouts: AtomicU64,
}

impl State {
    pub fn new(
        store: Arc<dyn Store>,
        tokens: Tokens,
        checkpoint_key: Option<Vec<u8>>,
    ) -> Arc<State> {
        Arc::new(State {
            store,
            tokens,
            checkpoint_key,
            now_file: None,
            max_batch_bytes: MAX_BATCH_BYTES,
            risk: clawgate::risk::Engine::compile(&Default::default()).unwrap_or_default(),
            ingested: AtomicU64::new(0),
            duplicates: AtomicU64::new(0),
            batches: AtomicU64::new(0),
            rejected: AtomicU64::new(0),
            unauthorized: AtomicU64::new(0),
            body_timeout: std::time::Duration::from_secs(60),
            body_timeouts: AtomicU64::new(0),
        })
    }
}

pub(super) type Shared = Arc<State>;

pub(super) type ApiResult = Result<Response, ApiError>;

/// Runs a store call off the async threads.
pub(super) async fn blocking<T: Send + 'static>(
    state: &Shared,
    f: impl FnOnce(&dyn Store) -> store::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    let s = state.store.clone();
    match tokio::task::spawn_blocking(move || f(s.as_ref())).await {
        Ok(r) => Ok(r?),
        Err(e) => {
            eprintln!("clawgate serve: store task failed: {e}");
            Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_error",
                "store task failed",
            ))
        }
    }
}

fn raw_json(text: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], text).into_response()
}

pub(super) async fn ingest(AxState(st): AxState<Shared>, body: Bytes) -> ApiResult {
    let rejected = |m: String| {
        st.rejected.fetch_add(1, Relaxed);
        ApiError::bad_request("invalid_batch", m)
    };
    let batch: Batch =
        serde_json::from_slice(&body).map_err(|e| rejected(format!("batch is not valid: {e}")))?;
    if let Some(i) = batch
        .records
        .iter()
        .position(|r| r.request_id.trim().is_empty())
    {
        return Err(rejected(format!("records[{i}] has no request_id")));
    }
    let (accepted, duplicates) = blocking(&st, move |s| s.insert_batch(&batch.records)).await?;
    st.batches.fetch_add(1, Relaxed);
    st.ingested.fetch_add(accepted as u64, Relaxed);
    st.duplicates.fetch_add(duplicates as u64, Relaxed);
    Ok(Json(json!({"accepted": accepted, "duplicates": duplicates})).into_response())
}

/// `GET /v1/audit` parameters: a `store::params()` name filters on its
/// column(s); `from`/`to` are Unix ms; other names are ignored.
fn filter_of(q: &HashMap<String, String>) -> Result<Filter, ApiError> {
    let num = |k: &str| -> Result<Option<i64>, ApiError> {
        q.get(k)
            .map(|v| v.parse::<i64>())
            .transpose()
            .map_err(|_| ApiError::bad_request("invalid_query", format!("`{k}` takes an integer")))
    };
    let mut f = Filter {
        from: num("from")?,
        to: num("to")?,
        limit: num("limit")?.unwrap_or(100).clamp(1, 1000),
        offset: num("offset")?.unwrap_or(0).max(0),
        ..Default::default()
    };
    for p in store::params() {
        if let Some(v) = q.get(p) {
            f.set(p, v)
                .map_err(|m| ApiError::bad_request("invalid_query", m))?;
        }
    }
    Ok(f)
}

pub(super) async fn list(
    AxState(st): AxState<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult {
    let f = filter_of(&q)?;
    let (rows, total) = blocking(&st, move |s| s.query(&f)).await?;
    Ok(raw_json(format!(
        "{{\"records\":[{}],\"total\":{total}}}",
        rows.join(",")
    )))
}

pub(super) async fn one(AxState(st): AxState<Shared>, Path(id): Path<String>) -> ApiResult {
    Ok(raw_json(blocking(&st, move |s| s.get(&id)).await?))
}

pub(super) async fn trace(AxState(st): AxState<Shared>, Path(id): Path<String>) -> ApiResult {
    let mut f = Filter {
        limit: 10_000,
        ascending: true,
        ..Default::default()
    };
    f.set("trace", &id)
        .map_err(|m| ApiError::bad_request("invalid_query", m))?;
    let (rows, _) = blocking(&st, move |s| s.query(&f)).await?;
    Ok(raw_json(format!(
        "{{\"trace_id\":{},\"records\":[{}]}}",
        Value::String(id),
        rows.join(",")
    )))
}

pub(super) async fn costs(
    AxState(st): AxState<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult {
    let by = q.get("group_by").map_or("user", String::as_str);
    let group = GroupBy::parse(by).ok_or_else(|| {
        ApiError::bad_request(
            "invalid_group_by",
            format!("group_by is one of {}", store::group_by_names().join(", ")),
        )
    })?;
    let num = |k: &str| q.get(k).and_then(|v| v.parse::<i64>().ok());
    let (from, to) = (num("from"), num("to"));
    // `bucket=day`: the same totals per UTC day, for the chart over time
    let by_day = q.get("bucket").is_some_and(|b| b == "day");
    let groups = blocking(&st, move |s| s.costs(group, from, to, by_day)).await?;
    Ok(Json(json!({"group_by": by, "groups": groups})).into_response())
}

impl State {
    /// Unix ms, or the test hook's time when its file holds one.
    pub(super) fn now_ms(&self) -> i64 {
        let fake = self
            .now_file
            .as_ref()
            .and_then(|p| std::fs::read_to_string(p).ok())
            .and_then(|t| t.trim().parse::<i64>().ok());
        fake.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        })
    }
}

#[derive(Deserialize)]
struct ConfigPut {
    hash: String,
    config: Value,
}

/// A filter's configuration (secrets already redacted), kept by hash. The
/// hash must be the document's own, so an entry cannot be passed off as
/// another configuration.
pub(super) async fn put_config(AxState(st): AxState<Shared>, body: Bytes) -> ApiResult {
    let c: ConfigPut = serde_json::from_slice(&body)
        .map_err(|_| ApiError::bad_request("invalid_config", "expected {\"hash\", \"config\"}"))?;
    let config = clawgate::config::redact::redacted(&c.config);
    if clawgate::config::hash_of(&config) != c.hash {
        return Err(ApiError::bad_request(
            "hash_mismatch",
            "the hash is not this configuration's",
        ));
    }
    let now = st.now_ms();
    let json = config.to_string();
    let hash = c.hash.clone();
    blocking(&st, move |s| s.put_config(&hash, &json, now)).await?;
    Ok(Json(json!({"hash": c.hash})).into_response())
}

pub(super) async fn configs(AxState(st): AxState<Shared>) -> ApiResult {
    let v = blocking(&st, |s| s.configs()).await?;
    Ok(Json(json!({"configs": v})).into_response())
}

pub(super) async fn config_version(
    AxState(st): AxState<Shared>,
    Path(hash): Path<String>,
) -> ApiResult {
    Ok(Json(blocking(&st, move |s| s.config(&hash)).await?).into_response())
}

/// The budgets of the newest configuration that has any, with each
/// limit's spend and what remains: the console's budget view.
pub(super) async fn budgets(AxState(st): AxState<Shared>) -> ApiResult {
    let now = st.now_ms();
    let v = blocking(&st, move |s| {
        let Some((pc, hash)) = newest_config(s, |pc| pc.global.budgets.is_some())? else {
            return Ok(json!({"config_hash": null, "limits": []}));
        };
        let Some(b) = &pc.global.budgets else {
            return Ok(json!({"config_hash": null, "limits": []}));
        };
        let q: clawgate::budget::Query = serde_json::from_value(b.query())
            .map_err(|e| store::StoreError::Other(e.to_string()))?;
        let state = super::budgets::state(s, &q, now)?;
        Ok(super::budgets::view(b, &state, &hash))
    })
    .await?;
    Ok(Json(v).into_response())
}

/// The newest stored configuration that parses and that `has` accepts,
/// with its hash: the console's budget and rate-limit views show the
/// limits of the newest configuration that has any.
pub(super) fn newest_config(
    s: &dyn Store,
    has: impl Fn(&clawgate::config::PluginConfig) -> bool,
) -> store::Result<Option<(clawgate::config::PluginConfig, String)>> {
    for c in s.configs()? {
        let Some(doc) = s.config(&c.hash)?.config else {
            continue;
        };
        let Ok(pc) = clawgate::config::from_value(doc, &c.hash) else {
            continue;
        };
        if has(&pc) {
            return Ok(Some((pc, c.hash)));
        }
    }
    Ok(None)
}

/// Spend per budget limit in its current period (the filter pulls this).
pub(super) async fn budget_state(AxState(st): AxState<Shared>, body: Bytes) -> ApiResult {
    let q: clawgate::budget::Query = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request("invalid_budget_query", format!("not a budget query: {e}"))
    })?;
    let now = st.now_ms();
    let snap = blocking(&st, move |s| super::budgets::state(s, &q, now)).await?;
    Ok(Json(snap).into_response())
}

/// The chain head now, signed when the sidecar has a checkpoint key.
pub(super) async fn checkpoint(AxState(st): AxState<Shared>) -> ApiResult {
    let key = st.checkpoint_key.clone();
    let cp = blocking(&st, move |s| super::checkpoint::current(s, key.as_deref())).await?;
    Ok(Json(cp).into_response())
}

#[derive(Deserialize)]
struct RuleTest {
    text: String,
}

pub(super) async fn rules_test(AxState(st): AxState<Shared>, body: Bytes) -> ApiResult {
    let t = serde_json::from_slice::<RuleTest>(&body)
        .map_err(|_| ApiError::bad_request("invalid_json", "expected {\"text\": \"...\"}"))?;
    let matches = st.risk.scan_text(&t.text);
    let out = st.risk.summarize(&matches);
    // spans as UTF-16 offsets (what the page's strings index by): the
    // tester shows where a rule matched in the text the caller sent, never
    // the text itself
    let utf16 = |byte: usize| t.text.get(..byte).map_or(0, |p| p.encode_utf16().count());
    let spans: Vec<Value> = matches
        .iter()
        .map(|m| json!({"rule": st.risk.rule_id(m.rule), "start": utf16(m.start), "end": utf16(m.end)}))
        .collect();
    Ok(
        Json(json!({"action": out.action.map(|a| a.as_str()), "hits": out.hits, "spans": spans}))
            .into_response(),
    )
}

pub(super) async fn healthz(AxState(st): AxState<Shared>) -> ApiResult {
    let n = blocking(&st, |s| s.count()).await?;
    Ok(Json(json!({"status": "ok", "records": n, "backend": st.store.backend()})).into_response())
}

pub(super) async fn metrics(AxState(st): AxState<Shared>) -> Response {
    let stored = blocking(&st, |s| s.count()).await.unwrap_or(-1);
    let body = format!(
        "# TYPE clawgate_sidecar_records_ingested_total counter\nclawgate_sidecar_records_ingested_total {}\n\
         # TYPE clawgate_sidecar_duplicates_total counter\nclawgate_sidecar_duplicates_total {}\n\
         # TYPE clawgate_sidecar_batches_total counter\nclawgate_sidecar_batches_total {}\n\
         # TYPE clawgate_sidecar_batches_rejected_total counter\nclawgate_sidecar_batches_rejected_total {}\n\
         # TYPE clawgate_sidecar_unauthorized_total counter\nclawgate_sidecar_unauthorized_total {}\n\
         # TYPE clawgate_sidecar_records_stored gauge\nclawgate_sidecar_records_stored {stored}\n\
         # TYPE clawgate_sidecar_body_timeouts_total counter\nclawgate_sidecar_body_timeouts_total {}\n\
         # TYPE clawgate_sidecar_forged_links_total counter\nclawgate_sidecar_forged_links_total {}\n",
        st.ingested.load(Relaxed),
        st.duplicates.load(Relaxed),
        st.batches.load(Relaxed),
        st.rejected.load(Relaxed),
        st.unauthorized.load(Relaxed),
        st.body_timeouts.load(Relaxed),
        st.store.writer().forged_seen.load(Relaxed),
    );
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

#[cfg(test)]
mod tests;
