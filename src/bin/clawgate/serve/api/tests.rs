//! The API through `oneshot`, on a temporary SQLite store.

use super::*;
use crate::serve::routes::router;
use crate::serve::store::StoreError;
use axum::body::Body;
use axum::http::Request;
use axum::Router;
use tower::ServiceExt;

fn app() -> (Router, Shared, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let s = store::open(&format!("sqlite://{}", dir.path().join("a.db").display())).unwrap();
    let st = State::new(
        Arc::from(s),
        Tokens::new(Some("tok".into()), Some("rd".into())),
        Some(b"ck".to_vec()),
    );
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

/// A request with the read token.
fn read(b: axum::http::request::Builder, body: Body) -> Request<Body> {
    b.header("authorization", "Bearer rd").body(body).unwrap()
}

#[tokio::test]
async fn every_endpoint_but_health_needs_a_token() {
    let (app, st, _d) = app();
    let reads = [
        "/v1/audit",
        "/v1/audit/a",
        "/v1/traces/t",
        "/v1/costs",
        "/v1/checkpoint",
        "/metrics",
    ];
    for uri in reads {
        let anon = Request::get(uri).body(Body::empty()).unwrap();
        let (s, v) = call(&app, anon).await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("invalid_token")),
            "{uri}"
        );
        let wrong = Request::get(uri)
            .header("authorization", "Bearer rdx")
            .body(Body::empty())
            .unwrap();
        assert_eq!(call(&app, wrong).await.0, StatusCode::UNAUTHORIZED, "{uri}");
        let ok = call(&app, read(Request::get(uri), Body::empty())).await.0;
        assert_ne!(ok, StatusCode::UNAUTHORIZED, "{uri} with the read token");
    }
    let tester = Request::post("/v1/rules/test")
        .body(Body::from(r#"{"text":"x"}"#))
        .unwrap();
    assert_eq!(call(&app, tester).await.0, StatusCode::UNAUTHORIZED);
    for open in ["/healthz", "/"] {
        let r = app
            .clone()
            .oneshot(Request::get(open).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{open}");
    }
    // the read token cannot write
    let body = r#"{"records":[{"request_id":"a"}]}"#;
    assert_eq!(
        call(&app, batch(body, Some("rd"))).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(st.unauthorized.load(Relaxed), 14, "every refusal counted");
}

#[tokio::test]
async fn the_token_is_checked_before_the_body_is_read() {
    let (app, _st, _d) = app();
    // over the body limit: refused for the token, not for the size
    let huge = vec![b'x'; MAX_BATCH_BYTES + 1];
    let req = Request::post("/v1/audit/batch")
        .body(Body::from(huge))
        .unwrap();
    assert_eq!(call(&app, req).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_oversized_batch_is_refused_whole() {
    let (app, st, _d) = app();
    let record = format!(
        r#"{{"request_id":"big","request_payload":"{}"}}"#,
        "x".repeat(1 << 20)
    );
    let many: Vec<String> = (0..70)
        .map(|i| record.replace("big", &format!("big{i}")))
        .collect();
    let body = format!(r#"{{"records":[{}]}}"#, many.join(","));
    assert!(body.len() > MAX_BATCH_BYTES);
    let (s, _) = call(&app, batch(&body, Some("tok"))).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(st.store.count().unwrap(), 0, "nothing of it stored");
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
    let get = |uri: &str| read(Request::get(uri), Body::empty());
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
    let req = read(
        Request::post("/v1/rules/test"),
        Body::from(r#"{"text":"-----BEGIN RSA PRIVATE KEY-----"}"#),
    );
    let (s, v) = call(&app, req).await;
    assert_eq!((s, v["action"].as_str()), (StatusCode::OK, Some("block")));
    assert!(!v.to_string().contains("BEGIN"), "never echoes the text");
    let (s, v) = call(&app, get("/healthz")).await;
    assert_eq!((s, v["records"].as_i64()), (StatusCode::OK, Some(2)));
}

#[tokio::test]
async fn store_errors_become_statuses() {
    let (app, _st, _d) = app();
    let get = |uri: &str| read(Request::get(uri), Body::empty());
    let (s, v) = call(&app, get("/v1/audit/nope")).await;
    assert_eq!(
        (s, v["error"]["code"].as_str(), v["error"]["type"].as_str()),
        (
            StatusCode::NOT_FOUND,
            Some("not_found"),
            Some("invalid_request_error")
        )
    );
    let (s, v) = call(&app, get("/v1/audit?status=abc")).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_query"))
    );
    // a store that fails answers 503 with the error's code
    let resp = ApiError::from(StoreError::Other("disk gone".into())).into_response();
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
}

/// A body declared over the limit is refused (413) before it is read, and
/// only once the token checks out (401 first); the trickled body's 408 is
/// `e2e/test_trail_chain.py`'s (it needs a real connection).
#[tokio::test]
async fn an_oversized_body_is_refused_after_the_token_check() {
    let (app, _st, _d) = app();
    let big = |token: Option<&str>| {
        let mut b = Request::post("/v1/audit/batch")
            .header("content-length", (MAX_BATCH_BYTES + 1).to_string());
        if let Some(t) = token {
            b = b.header("authorization", format!("Bearer {t}"));
        }
        b.body(Body::empty()).unwrap()
    };
    assert_eq!(call(&app, big(None)).await.0, StatusCode::UNAUTHORIZED);
    let (s, v) = call(&app, big(Some("tok"))).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("body_too_large"))
    );
}

#[tokio::test]
async fn rate_sync_takes_the_write_token_and_answers_the_other_gateways() {
    let (app, _st, _d) = app();
    let sync = |token: &str, body: &str| {
        Request::post("/v1/ratelimits/sync")
            .header("authorization", format!("Bearer {token}"))
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let a = r#"{"gateway":"a","minute":9,"usage":[{"limit":"tpm","key":"*","minute":9,"requests":2,"tokens":36}]}"#;
    let (s, _) = call(&app, sync("rd", a)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "the read token cannot report");
    let (s, v) = call(&app, sync("tok", a)).await;
    assert_eq!(
        (s, v["usage"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(0))
    );
    let b = r#"{"gateway":"b","minute":9,"usage":[]}"#;
    let (s, v) = call(&app, sync("tok", b)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["minute"], 9);
    assert_eq!(v["usage"][0]["tokens"], 36, "{v}");
    for bad in [
        "nope",
        r#"{"gateway":"","minute":9}"#,
        r#"{"gateway":"a","minute":9,"usage":[{"limit":"","key":"k","minute":9,"requests":1,"tokens":1}]}"#,
        r#"{"gateway":"a","minute":9,"usage":[{"limit":"l","key":"k","minute":9,"requests":-1,"tokens":1}]}"#,
    ] {
        let (s, v) = call(&app, sync("tok", bad)).await;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("invalid_rate_sync")),
            "{bad}"
        );
    }
}
