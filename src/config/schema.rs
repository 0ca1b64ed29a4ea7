//! The configuration document as users write it (YAML in the Higress
//! console, JSON in Envoy). Every struct denies unknown keys so a typo is an
//! error with its path instead of a silently ignored setting.
//!
//! Each section's type is its domain's (`<domain>::settings`); this is
//! only the document that holds them.

use crate::accounting::settings::RawAccounting;
use crate::audit::settings::RawAudit;
use crate::budget::settings::RawBudgets;
use crate::catalog::settings::{RawModel, RawProvider};
use crate::fallback::settings::RawFallback;
use crate::identity::settings::RawIdentity;
use crate::metrics::settings::RawMetrics;
use crate::routing::settings::{RawAssignments, RawAuto, RawPredicate};
use serde::Deserialize;

pub const DEFAULT_MAX_BODY_BYTES: u64 = 50 * 1024 * 1024;

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct RawConfig {
    pub providers: Vec<RawProvider>,
    pub models: Vec<RawModel>,
    pub predicates: Vec<RawPredicate>,
    pub default_provider: Option<String>,
    pub auto: RawAuto,
    pub assignments: Option<RawAssignments>,
    /// Who may use which model (`docs/access.md`).
    #[cfg_attr(
        not(target_arch = "wasm32"),
        schemars(with = "Option<crate::access::settings::RawAccess>")
    )]
    #[serde(skip_deserializing)]
    pub access: Option<crate::section::Doc>,
    /// Requests and tokens per minute (`docs/access.md`).
    #[cfg_attr(
        not(target_arch = "wasm32"),
        schemars(with = "Option<crate::ratelimit::settings::RawRateLimits>")
    )]
    #[serde(skip_deserializing)]
    pub rate_limits: Option<crate::section::Doc>,
    pub identity: RawIdentity,
    pub risk: crate::risk::RiskConfig,
    pub fallback: RawFallback,
    pub accounting: RawAccounting,
    pub audit: Option<RawAudit>,
    /// Spend limits per identity and period (needs `audit`: the sidecar
    /// adds up the spend).
    pub budgets: Option<RawBudgets>,
    pub metrics: RawMetrics,
    /// Bodies above this get 413 before any parsing.
    pub max_body_bytes: u64,
    /// With `path_match: prefix`, the one prefix of LLM endpoints
    /// (`<prefix>/chat/completions`, ...).
    pub path_prefix: String,
    /// `suffix` (default: any prefix, as Higress) or `prefix`.
    pub path_match: String,
    /// Paths (exact, or `prefix*`) whose LLM-shaped bodies pass ungoverned.
    pub passthrough_paths: Vec<String>,
}

impl Default for RawConfig {
    fn default() -> Self {
        RawConfig {
            providers: Vec::new(),
            models: Vec::new(),
            predicates: Vec::new(),
            default_provider: None,
            auto: RawAuto::default(),
            assignments: None,
            access: None,
            rate_limits: None,
            identity: RawIdentity::default(),
            risk: Default::default(),
            fallback: RawFallback::default(),
            accounting: RawAccounting::default(),
            audit: None,
            budgets: None,
            metrics: RawMetrics::default(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            path_prefix: "/v1".to_string(),
            path_match: "suffix".to_string(),
            passthrough_paths: Vec::new(),
        }
    }
}
