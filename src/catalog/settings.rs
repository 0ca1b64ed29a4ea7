//! The `providers:` and `models:` sections as users write them.

use crate::accounting::settings::RawPricing;
use serde::Deserialize;
use std::collections::BTreeMap;

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
