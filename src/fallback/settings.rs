//! The `fallback:` section: which statuses switch models, the global
//! chain, and how many attempts a request gets.

use serde::Deserialize;

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

#[derive(Debug, Clone)]
pub struct FallbackConfig {
    /// Global chain for pinned models without their own (model indexes).
    pub chain: Vec<usize>,
    pub on_status: Vec<u16>,
    pub max_attempts: u32,
    pub timeout_ms: u64,
}
