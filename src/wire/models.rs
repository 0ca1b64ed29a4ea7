//! `GET /v1/models` answered from the config: enabled models plus `auto`,
//! in the shape of the client's dialect (`Protocol::list_models`).
//! Written out rather than through `json!`, which costs the wasm more.

use crate::config::{Config, Model};

/// A JSON string.
pub(crate) fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

pub(crate) fn enabled(cfg: &Config) -> impl Iterator<Item = &Model> {
    cfg.models.iter().filter(|m| m.enabled)
}
