//! HTTP API of the sidecar; `router` builds it so tests drive it with
//! `tower::ServiceExt::oneshot`.

use super::store::{self, Filter, GroupBy, Store};
use axum::body::Bytes;
use axum::extract::{Path, Query, State as AxState};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use clawgate::audit::record::Batch;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;

/// Largest batch body accepted (the filter sends 200 records by default).
const MAX_BATCH_BYTES: usize = 64 << 20;

pub struct State {
    pub store: Arc<dyn Store>,
    token: Option<String>,
    risk: clawgate::risk::Engine,
    ingested: AtomicU64,
    duplicates: AtomicU64,
    batches: AtomicU64,
    rejected: AtomicU64,
    unauthorized: AtomicU64,
}

impl State {
    pub fn new(store: Arc<dyn Store>, token: Option<String>) -> Arc<State> {
        Arc::new(State {
            store,
            token: token.filter(|t| !t.is_empty()),
            risk: clawgate::risk::Engine::compile(&Default::default()).unwrap_or_default(),
            ingested: AtomicU64::new(0),
            duplicates: AtomicU64::new(0),
            batches: AtomicU64::new(0),
            rejected: AtomicU64::new(0),
            unauthorized: AtomicU64::new(0),
        })
    }
}

type Shared = Arc<State>;

pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/", get(|| async { Html(include_str!("index.html")) }))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/v1/audit/batch", post(ingest))
        .route("/v1/audit", get(list))
        .route("/v1/audit/{request_id}", get(one))
        .route("/v1/traces/{trace_id}", get(trace))
        .route("/v1/costs", get(costs))
        .route("/v1/rules/test", post(rules_test))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BATCH_BYTES))
        .with_state(state)
}

fn error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    let kind = if status.is_server_error() {
        "server_error"
    } else {
        "invalid_request_error"
    };
    (
        status,
        Json(json!({"error": {"message": message.into(), "type": kind, "code": code}})),
    )
        .into_response()
}

/// Runs a store call off the async threads.
async fn blocking<T: Send + 'static>(
    state: &Shared,
    f: impl FnOnce(&dyn Store) -> store::Result<T> + Send + 'static,
) -> Result<T, Response> {
    let s = state.store.clone();
    match tokio::task::spawn_blocking(move || f(s.as_ref())).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(error(StatusCode::SERVICE_UNAVAILABLE, "store_error", e)),
        Err(e) => Err(error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            e.to_string(),
        )),
    }
}

fn raw_json(text: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], text).into_response()
}

async fn ingest(AxState(st): AxState<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(token) = &st.token {
        let ok = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|t| constant_time_eq(t.as_bytes(), token.as_bytes()));
        if !ok {
            st.unauthorized.fetch_add(1, Relaxed);
            return error(
                StatusCode::UNAUTHORIZED,
                "invalid_token",
                "missing or wrong bearer token",
            );
        }
    }
    let batch: Batch = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => {
            st.rejected.fetch_add(1, Relaxed);
            return error(
                StatusCode::BAD_REQUEST,
                "invalid_batch",
                format!("batch is not valid: {e}"),
            );
        }
    };
    if let Some(i) = batch
        .records
        .iter()
        .position(|r| r.request_id.trim().is_empty())
    {
        st.rejected.fetch_add(1, Relaxed);
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_batch",
            format!("records[{i}] has no request_id"),
        );
    }
    match blocking(&st, move |s| s.insert_batch(&batch.records)).await {
        Ok((accepted, duplicates)) => {
            st.batches.fetch_add(1, Relaxed);
            st.ingested.fetch_add(accepted as u64, Relaxed);
            st.duplicates.fetch_add(duplicates as u64, Relaxed);
            Json(json!({"accepted": accepted, "duplicates": duplicates})).into_response()
        }
        Err(r) => r,
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Query parameters; times are Unix ms or RFC 3339 is not accepted (ms only).
#[derive(Deserialize, Default)]
pub struct ListParams {
    user: Option<String>,
    instance: Option<String>,
    model: Option<String>,
    session: Option<String>,
    trace: Option<String>,
    risk_action: Option<String>,
    status: Option<i64>,
    from: Option<i64>,
    to: Option<i64>,
    limit: Option<i64>,
    offset: Option<i64>,
}

async fn list(
    AxState(st): AxState<Shared>,
    q: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(q)) = q else {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            "bad query parameters",
        );
    };
    let f = Filter {
        user: q.user,
        instance: q.instance,
        model: q.model,
        session: q.session,
        trace: q.trace,
        risk_action: q.risk_action,
        status: q.status,
        from: q.from,
        to: q.to,
        limit: q.limit.unwrap_or(100).clamp(1, 1000),
        offset: q.offset.unwrap_or(0).max(0),
        ascending: false,
    };
    match blocking(&st, move |s| s.query(&f)).await {
        Ok((rows, total)) => raw_json(format!(
            "{{\"records\":[{}],\"total\":{total}}}",
            rows.join(",")
        )),
        Err(r) => r,
    }
}

async fn one(AxState(st): AxState<Shared>, Path(id): Path<String>) -> Response {
    match blocking(&st, move |s| s.get(&id)).await {
        Ok(Some(json)) => raw_json(json),
        Ok(None) => error(
            StatusCode::NOT_FOUND,
            "not_found",
            "no record with that request_id",
        ),
        Err(r) => r,
    }
}

async fn trace(AxState(st): AxState<Shared>, Path(id): Path<String>) -> Response {
    let f = Filter {
        trace: Some(id.clone()),
        limit: 10_000,
        ascending: true,
        ..Default::default()
    };
    match blocking(&st, move |s| s.query(&f)).await {
        Ok((rows, _)) => raw_json(format!(
            "{{\"trace_id\":{},\"records\":[{}]}}",
            Value::String(id),
            rows.join(",")
        )),
        Err(r) => r,
    }
}

async fn costs(AxState(st): AxState<Shared>, Query(q): Query<HashMap<String, String>>) -> Response {
    let by = q.get("group_by").map_or("user", String::as_str);
    let Some(group) = GroupBy::parse(by) else {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_group_by",
            "group_by is one of user, instance, model, session, provider",
        );
    };
    let num = |k: &str| q.get(k).and_then(|v| v.parse::<i64>().ok());
    let (from, to) = (num("from"), num("to"));
    match blocking(&st, move |s| s.costs(group, from, to)).await {
        Ok(groups) => Json(json!({"group_by": by, "groups": groups})).into_response(),
        Err(r) => r,
    }
}

#[derive(Deserialize)]
struct RuleTest {
    text: String,
}

async fn rules_test(AxState(st): AxState<Shared>, body: Bytes) -> Response {
    let Ok(t) = serde_json::from_slice::<RuleTest>(&body) else {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            "expected {\"text\": \"...\"}",
        );
    };
    let out = st.risk.scan_str(&t.text);
    Json(json!({"action": out.action.map(|a| a.as_str()), "hits": out.hits})).into_response()
}

async fn healthz(AxState(st): AxState<Shared>) -> Response {
    match blocking(&st, |s| s.count()).await {
        Ok(n) => Json(json!({"status": "ok", "records": n, "backend": st.store.backend()}))
            .into_response(),
        Err(r) => r,
    }
}

async fn metrics(AxState(st): AxState<Shared>) -> Response {
    let stored = blocking(&st, |s| s.count()).await.unwrap_or(-1);
    let body = format!(
        "# TYPE clawgate_sidecar_records_ingested_total counter\nclawgate_sidecar_records_ingested_total {}\n\
         # TYPE clawgate_sidecar_duplicates_total counter\nclawgate_sidecar_duplicates_total {}\n\
         # TYPE clawgate_sidecar_batches_total counter\nclawgate_sidecar_batches_total {}\n\
         # TYPE clawgate_sidecar_batches_rejected_total counter\nclawgate_sidecar_batches_rejected_total {}\n\
         # TYPE clawgate_sidecar_unauthorized_total counter\nclawgate_sidecar_unauthorized_total {}\n\
         # TYPE clawgate_sidecar_records_stored gauge\nclawgate_sidecar_records_stored {stored}\n",
        st.ingested.load(Relaxed),
        st.duplicates.load(Relaxed),
        st.batches.load(Relaxed),
        st.rejected.load(Relaxed),
        st.unauthorized.load(Relaxed),
    );
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    fn app() -> (Router, Shared, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let s = store::open(&format!("sqlite://{}", dir.path().join("a.db").display())).unwrap();
        let st = State::new(Arc::from(s), Some("tok".into()));
        (router(st.clone()), st, dir)
    }

    async fn call(app: &Router, req: Request<Body>) -> (StatusCode, Value) {
        let resp = app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    fn batch(body: &str, token: Option<&str>) -> Request<Body> {
        let mut b = Request::post("/v1/audit/batch").header("content-type", "application/json");
        if let Some(t) = token {
            b = b.header("authorization", format!("Bearer {t}"));
        }
        b.body(Body::from(body.to_string())).unwrap()
    }

    #[tokio::test]
    async fn ingest_requires_the_token() {
        let (app, st, _d) = app();
        let body = r#"{"records":[{"request_id":"a"}]}"#;
        assert_eq!(
            call(&app, batch(body, None)).await.0,
            StatusCode::UNAUTHORIZED
        );
        let (s, v) = call(&app, batch(body, Some("nope"))).await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("invalid_token"))
        );
        assert_eq!(st.store.count().unwrap(), 0);
        let (s, v) = call(&app, batch(body, Some("tok"))).await;
        assert_eq!(
            (s, v),
            (StatusCode::OK, json!({"accepted": 1, "duplicates": 0}))
        );
        assert_eq!(
            call(&app, batch(body, Some("tok"))).await.1,
            json!({"accepted": 0, "duplicates": 1})
        );
    }

    #[tokio::test]
    async fn malformed_batches_store_nothing() {
        let (app, st, _d) = app();
        for body in [
            r#"{"records":[{"request_id":"a"},{"request_id":""}]}"#,
            r#"{"records":[{"request_id":"a","status":"x"}]}"#,
            "nope",
        ] {
            let (s, v) = call(&app, batch(body, Some("tok"))).await;
            assert_eq!(
                (s, v["error"]["code"].as_str()),
                (StatusCode::BAD_REQUEST, Some("invalid_batch")),
                "{body}"
            );
        }
        assert_eq!(st.store.count().unwrap(), 0);
    }

    #[tokio::test]
    async fn round_trip_queries_and_rule_test() {
        let (app, _st, _d) = app();
        let body = r#"{"records":[
            {"request_id":"a","user":"u1","trace_id":"t","started_ms":1,"model_used":"m","cost_micros":1500,"currency":"USD","usage":{"prompt":3}},
            {"request_id":"b","user":"u2","trace_id":"t","started_ms":2,"model_used":"m","cost_micros":500,"currency":"USD"}]}"#;
        assert_eq!(call(&app, batch(body, Some("tok"))).await.0, StatusCode::OK);
        let get = |uri: &str| Request::get(uri).body(Body::empty()).unwrap();
        let (s, v) = call(&app, get("/v1/audit/a")).await;
        assert_eq!(
            (s, v["user"].as_str(), v["usage"]["prompt"].as_u64()),
            (StatusCode::OK, Some("u1"), Some(3))
        );
        assert_eq!(
            call(&app, get("/v1/audit/zz")).await.0,
            StatusCode::NOT_FOUND
        );
        let (_, v) = call(&app, get("/v1/audit?user=u2")).await;
        assert_eq!(
            (v["total"].as_i64(), v["records"][0]["request_id"].as_str()),
            (Some(1), Some("b"))
        );
        let (_, v) = call(&app, get("/v1/traces/t")).await;
        assert_eq!(v["records"].as_array().map(|a| a.len()), Some(2));
        assert_eq!(v["records"][0]["request_id"], "a", "oldest first");
        let (_, v) = call(&app, get("/v1/costs?group_by=model")).await;
        assert_eq!(
            (
                v["groups"][0]["key"].as_str(),
                v["groups"][0]["cost"].as_str()
            ),
            (Some("m"), Some("0.002"))
        );
        assert_eq!(
            call(&app, get("/v1/costs?group_by=colour")).await.0,
            StatusCode::BAD_REQUEST
        );
        let req = Request::post("/v1/rules/test")
            .body(Body::from(r#"{"text":"-----BEGIN RSA PRIVATE KEY-----"}"#))
            .unwrap();
        let (s, v) = call(&app, req).await;
        assert_eq!((s, v["action"].as_str()), (StatusCode::OK, Some("block")));
        assert!(!v.to_string().contains("BEGIN"), "never echoes the text");
        let (s, v) = call(&app, get("/healthz")).await;
        assert_eq!((s, v["records"].as_i64()), (StatusCode::OK, Some(2)));
    }
}
