//! The `budgets:` section as users write it, and the limits it compiles
//! to (model names resolved to catalog indexes, costs in micro-units).

use super::period::Period;
use crate::scope::Scope;
pub use crate::scope::Who;
use serde::Deserialize;

/// What happens once a limit is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OnOver {
    /// 429 `budget_exceeded`.
    Block,
    /// Route to this (cheaper) model instead, reason `budget`.
    Downgrade(usize),
}

/// What the filter does when it has no fresh state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum WhenUnknown {
    Open,
    Closed,
}

#[derive(Debug, Clone)]
pub struct Limit {
    pub name: String,
    /// Who and which models the limit counts (and applies to).
    pub scope: Scope,
    pub period: Period,
    pub max_tokens: Option<u64>,
    pub max_cost_micros: Option<u64>,
    pub currency: Option<String>,
    pub on_over: OnOver,
    /// Fraction (0, 1) of a maximum that adds the soft warning.
    pub soft_at: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Budgets {
    pub limits: Vec<Limit>,
    pub pull_interval_ms: u64,
    /// State older than this counts as unknown.
    pub stale_after_ms: u64,
    pub when_unknown: WhenUnknown,
    /// Minutes east of UTC the calendar periods are in.
    pub offset_min: i32,
    /// Sidecar path of the spend query.
    pub path: String,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawBudgets {
    /// How often the filter pulls spend from the sidecar.
    #[serde(default = "default_pull")]
    pub pull_interval_ms: u64,
    /// State older than this is unknown (default 10 pull intervals).
    #[serde(default)]
    pub stale_after_ms: Option<u64>,
    /// `open` (default): an unknown state lets requests through;
    /// `closed`: they get 503 `budget_unavailable`.
    #[serde(default = "default_when_unknown")]
    pub when_unknown: WhenUnknown,
    /// Fixed UTC offset of the calendar periods: `+08:00`, `-05:00`, `UTC`.
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
    /// Sidecar path of the spend query.
    #[serde(default = "default_budget_path")]
    pub path: String,
    pub limits: Vec<RawLimit>,
}

fn default_pull() -> u64 {
    5000
}
fn default_when_unknown() -> WhenUnknown {
    WhenUnknown::Open
}
fn default_time_zone() -> String {
    "UTC".to_string()
}
fn default_budget_path() -> String {
    "/v1/budgets/state".to_string()
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawLimit {
    pub name: String,
    /// `user` (default) or `instance`.
    #[serde(default = "default_who")]
    pub identity: Who,
    /// Exact identity, `prefix*`, or `*`.
    #[serde(rename = "match")]
    pub pattern: String,
    /// Everyone the pattern matches shares one budget.
    #[serde(default)]
    pub shared: bool,
    /// Model names the limit covers; absent: all.
    #[serde(default)]
    pub models: Vec<String>,
    pub period: Period,
    #[serde(default)]
    pub max_tokens: Option<u64>,
    /// In `currency`, e.g. 50 or 12.5.
    #[serde(default)]
    pub max_cost: Option<f64>,
    #[serde(default)]
    pub currency: Option<String>,
    /// `block` (default) or `downgrade` (with `downgrade_to`).
    #[serde(default = "default_on_over")]
    pub action: String,
    #[serde(default)]
    pub downgrade_to: Option<String>,
    /// Fraction of a maximum (e.g. 0.8) that adds a warning header.
    #[serde(default)]
    pub soft_at: Option<f64>,
}

fn default_who() -> Who {
    Who::User
}
fn default_on_over() -> String {
    "block".to_string()
}
