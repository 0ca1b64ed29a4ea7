//! The sidecar's routes: which handler answers each path, behind which
//! token. Kept apart from the handlers so that handler modules (`api`,
//! `rates`) import the shared state without importing each other.

use super::api::{
    budget_state, budgets, checkpoint, config_version, configs, costs, guard, healthz, ingest,
    list, metrics, one, put_config, rules_test, trace, Shared,
};
use super::auth::Scope;
use super::rates;
use axum::middleware::from_fn_with_state;
use axum::response::Html;
use axum::routing::{get, post};
use axum::Router;

pub fn router(state: Shared) -> Router {
    // the token is checked in a layer, before any handler reads a body
    let write = Router::new()
        .route("/v1/audit/batch", post(ingest))
        .route("/v1/config", post(put_config))
        .route("/v1/ratelimits/sync", post(rates::sync))
        .route_layer(from_fn_with_state(state.clone(), guard::read_body))
        .route_layer(from_fn_with_state(
            (state.clone(), Scope::Write),
            guard::require,
        ));
    let read = Router::new()
        .route("/metrics", get(metrics))
        .route("/v1/audit", get(list))
        .route("/v1/audit/{request_id}", get(one))
        .route("/v1/traces/{trace_id}", get(trace))
        .route("/v1/costs", get(costs))
        .route("/v1/checkpoint", get(checkpoint))
        .route("/v1/budgets/state", post(budget_state))
        .route("/v1/budgets", get(budgets))
        .route("/v1/ratelimits", get(rates::current))
        .route("/v1/configs", get(configs))
        .route("/v1/config/{hash}", get(config_version))
        .route("/v1/rules/test", post(rules_test))
        .route_layer(from_fn_with_state(state.clone(), guard::read_body))
        .route_layer(from_fn_with_state(
            (state.clone(), Scope::Read),
            guard::require,
        ));
    Router::new()
        // the page is static and holds no data; it asks for the token
        .route("/", get(|| async { Html(include_str!("index.html")) }))
        .route("/healthz", get(healthz))
        .merge(write)
        .merge(read)
        .layer(axum::extract::DefaultBodyLimit::max(state.max_batch_bytes))
        .layer(axum::middleware::map_response(super::headers::add))
        .with_state(state)
}
