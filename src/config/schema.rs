//! The configuration document as users write it (YAML in the Higress
//! console, JSON in Envoy). Every struct denies unknown keys so a typo is an
//! error with its path instead of a silently ignored setting.

pub use super::budgets::{RawBudgets, RawLimit};
pub use super::metrics_schema::{AiLog, AiStatistics, RawMetrics, DEFAULT_MAX_CONSUMERS};
use serde::Deserialize;
use std::collections::BTreeMap;

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
    pub access: Option<crate::section::Doc>,
    /// Requests and tokens per minute (`docs/access.md`).
    #[cfg_attr(
        not(target_arch = "wasm32"),
        schemars(with = "Option<crate::ratelimit::settings::RawRateLimits>")
    )]
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

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawProvider {
    pub name: String,
    /// Envoy/Higress cluster; defaults to the provider name.
    #[serde(default)]
    pub cluster: Option<String>,
    /// `:authority` for dispatched calls (fallback); defaults to the cluster.
    #[serde(default)]
    pub host: Option<String>,
    /// Path prefix the upstream expects, replacing the client's `/v1`.
    #[serde(default)]
    pub base_path: Option<String>,
    #[serde(default)]
    pub api_key: Option<String>,
    /// Environment variable of the Envoy VM holding the key
    /// (`vm_config.environment_variables`).
    #[serde(default)]
    pub api_key_env: Option<String>,
    /// Header that carries the key (default `authorization`).
    #[serde(default)]
    pub auth_header: Option<String>,
    /// Text before the key (default `Bearer ` for `authorization`, else none).
    #[serde(default)]
    pub auth_prefix: Option<String>,
    /// Fixed headers sent with every request to this provider.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Wire formats it accepts (default `[openai]`). Strings, checked in
    /// validation: one more derived enum costs the wasm more than the check.
    #[serde(default)]
    pub protocols: Option<Vec<String>>,
    #[serde(default)]
    pub secure: bool,
    /// Whole-response timeout for this provider (Envoy's route timeout when
    /// unset). It also bounds streams, so set it generously.
    #[serde(default)]
    pub timeout_ms: Option<u64>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawModel {
    pub name: String,
    pub provider: String,
    #[serde(default)]
    pub upstream_model: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub secure: bool,
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default)]
    pub context_window: Option<u64>,
    #[serde(default)]
    pub max_tokens: Option<u64>,
    #[serde(default)]
    pub reasoning: bool,
    #[serde(default)]
    pub pricing: Option<RawPricing>,
    #[serde(default)]
    pub fallback: Vec<String>,
    /// Wire formats it accepts (default: its provider's).
    #[serde(default)]
    pub protocols: Option<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawPricing {
    #[serde(default)]
    pub input_per_1m: f64,
    #[serde(default)]
    pub output_per_1m: f64,
    #[serde(default)]
    pub cached_input_per_1m: Option<f64>,
    #[serde(default)]
    pub cache_write_per_1m: Option<f64>,
    #[serde(default)]
    pub reasoning_per_1m: Option<f64>,
    #[serde(default = "usd")]
    pub currency: String,
}

fn usd() -> String {
    "USD".to_string()
}

/// Exactly one of `prefix`, `exact`, `regex`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawPredicate {
    #[serde(default)]
    pub prefix: Option<String>,
    #[serde(default)]
    pub exact: Option<String>,
    #[serde(default)]
    pub regex: Option<String>,
    pub provider: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AutoStrategy {
    #[default]
    RoundRobin,
    First,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct RawAuto {
    pub model_name: String,
    pub strategy: AutoStrategy,
    /// Candidate models for `auto`; default: every enabled non-secure model.
    pub models: Vec<String>,
}

impl Default for RawAuto {
    fn default() -> Self {
        RawAuto {
            model_name: "auto".to_string(),
            strategy: AutoStrategy::RoundRobin,
            models: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawAssignments {
    #[serde(default = "default_assignment_header")]
    pub header: String,
    /// Identity value or `prefix*` glob -> model name.
    pub map: BTreeMap<String, String>,
    #[serde(default)]
    pub enforce: bool,
}

fn default_assignment_header() -> String {
    "x-mse-consumer".to_string()
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct RawIdentity {
    pub user: Vec<String>,
    pub instance: Vec<String>,
    pub session: Vec<String>,
    pub trace: Vec<String>,
}

impl Default for RawIdentity {
    fn default() -> Self {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect();
        RawIdentity {
            user: v(&["x-mse-consumer", "x-openclaw-user"]),
            instance: v(&["x-openclaw-instance"]),
            // Claude Code's and Codex CLI's own session headers
            session: v(&[
                "x-openclaw-session-key",
                "x-claude-code-session-id",
                "session-id",
            ]),
            trace: v(&["x-openclaw-run-id", "traceparent", "x-request-id"]),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct RawFallback {
    /// Chain for pinned models that have no `fallback` of their own.
    pub chain: Vec<String>,
    pub on_status: Vec<u16>,
    pub max_attempts: u32,
    pub timeout_ms: u64,
}

impl Default for RawFallback {
    fn default() -> Self {
        RawFallback {
            chain: Vec::new(),
            on_status: vec![412, 429, 500, 502, 503, 504],
            max_attempts: 3,
            timeout_ms: 30_000,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct RawAccounting {
    pub headers: bool,
    pub inject_stream_usage: bool,
    pub strip_injected_usage: bool,
}

impl Default for RawAccounting {
    fn default() -> Self {
        RawAccounting {
            headers: true,
            inject_stream_usage: true,
            strip_injected_usage: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PayloadMode {
    None,
    #[default]
    Metadata,
    Full,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawAudit {
    #[serde(default = "default_audit_cluster")]
    pub cluster: String,
    #[serde(default = "default_audit_path")]
    pub path: String,
    #[serde(default)]
    pub authority: Option<String>,
    #[serde(default)]
    pub token: Option<String>,
    /// Name of an environment variable of the Wasm VM holding the token
    /// (Envoy `vm_config.environment_variables`, Higress `vmConfig.env`),
    /// so it can come from a Kubernetes Secret instead of plugin config.
    #[serde(default)]
    pub token_env: Option<String>,
    #[serde(default = "default_flush")]
    pub flush_interval_ms: u64,
    #[serde(default = "default_batch_max")]
    pub batch_max: usize,
    #[serde(default = "default_buffer_max")]
    pub buffer_max_records: usize,
    #[serde(default)]
    pub payloads: PayloadMode,
    #[serde(default = "default_max_payload")]
    pub max_payload_bytes: usize,
    #[serde(default = "default_audit_timeout")]
    pub timeout_ms: u64,
}

fn default_audit_cluster() -> String {
    "clawgate_audit".to_string()
}
fn default_audit_path() -> String {
    "/v1/audit/batch".to_string()
}
fn default_flush() -> u64 {
    1000
}
fn default_batch_max() -> usize {
    200
}
fn default_buffer_max() -> usize {
    10_000
}
fn default_max_payload() -> usize {
    65_536
}
fn default_audit_timeout() -> u64 {
    5_000
}
