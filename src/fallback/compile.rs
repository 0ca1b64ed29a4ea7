//! Fallback's compile step: `fallback:` -> the policy.

use super::settings::{FallbackConfig, RawFallback};
use crate::catalog::Catalog;
use crate::settings_error::{join, ConfigError};

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
