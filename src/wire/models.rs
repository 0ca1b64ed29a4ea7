//! `GET /v1/models` answered from the config: the enabled models the
//! caller may use (`access`) plus `auto`, in the shape of the client's
//! dialect (`Protocol::list_models`). Written out rather than through
//! `json!`, which costs the wasm more.

use crate::catalog::Model;
use crate::config::Config;

/// Which configured models the caller may use (`access`).
pub type May<'a> = &'a dyn Fn(usize) -> bool;

/// A JSON string.
pub(crate) fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

pub(crate) fn enabled<'a>(cfg: &'a Config, may: May<'a>) -> impl Iterator<Item = &'a Model> {
    cfg.catalog
        .models
        .iter()
        .enumerate()
        .filter(move |(i, m)| m.enabled && may(*i))
        .map(|(_, m)| m)
}

/// Whether `auto` is listed: with no `access` section as before (when one
/// of its models `fits` the dialect); with one, only when it could pick a
/// model the caller may use.
pub(crate) fn auto_listed(cfg: &Config, may: May, fits: impl Fn(&Model) -> bool) -> bool {
    let mut models = cfg
        .routing
        .auto
        .models
        .iter()
        .filter_map(|&i| Some((i, cfg.catalog.models.get(i)?)));
    if cfg.access.is_some() {
        models.any(|(i, m)| m.enabled && fits(m) && may(i))
    } else {
        models.any(|(_, m)| fits(m))
    }
}
