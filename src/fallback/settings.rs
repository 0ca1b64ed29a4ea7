//! The `fallback:` section: which statuses switch models, the global
//! chain, and how many attempts a request gets.

use crate::catalog::Catalog;
use crate::settings_error::{join, ConfigError};
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

/// `fallback:` at key path `at` -> the policy, its chain resolved in `cat`.
pub fn compile(
    fb: &RawFallback,
    at: &str,
    cat: &Catalog,
    errs: &mut Vec<ConfigError>,
) -> FallbackConfig {
    let mut chain = Vec::new();
    for (j, n) in fb.chain.iter().enumerate() {
        match cat.find_model(n) {
            Some(x) => chain.push(x),
            None => errs.push(ConfigError::new(
                join(at, &format!("chain[{j}]")),
                format!("unknown model `{n}`"),
            )),
        }
    }
    if fb.max_attempts == 0 {
        errs.push(ConfigError::new(join(at, "max_attempts"), "must be >= 1"));
    }
    for (j, s) in fb.on_status.iter().enumerate() {
        if !(100..=599).contains(s) {
            errs.push(ConfigError::new(
                join(at, &format!("on_status[{j}]")),
                "not an HTTP status",
            ));
        }
    }
    FallbackConfig {
        chain,
        on_status: fb.on_status.clone(),
        max_attempts: fb.max_attempts,
        timeout_ms: fb.timeout_ms,
    }
}
