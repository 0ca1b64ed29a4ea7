//! Audit's compile step: `audit:` -> the shipping settings.

use super::settings::{AuditConfig, RawAudit};
use crate::settings_error::ConfigError;

/// `audit:` at key path `at` -> the shipping settings.
pub fn compile(ra: &RawAudit, at: &str, errs: &mut Vec<ConfigError>) -> AuditConfig {
    let key = |k: &str| crate::settings_error::join(at, k);
    if ra.batch_max == 0 {
        errs.push(ConfigError::new(key("batch_max"), "must be >= 1"));
    }
    if ra.buffer_max_records < ra.batch_max {
        errs.push(ConfigError::new(
            key("buffer_max_records"),
            "must be >= batch_max",
        ));
    }
    if ra.flush_interval_ms == 0 {
        errs.push(ConfigError::new(key("flush_interval_ms"), "must be > 0"));
    }
    match (&ra.token, &ra.token_env) {
        (Some(_), Some(_)) => errs.push(ConfigError::new(
            key("token_env"),
            "set either audit.token or audit.token_env, not both",
        )),
        (_, Some(e)) if e.trim().is_empty() => errs.push(ConfigError::new(
            key("token_env"),
            "must name an environment variable",
        )),
        _ => {}
    }
    AuditConfig {
        cluster: ra.cluster.clone(),
        path: ra.path.clone(),
        authority: ra.authority.clone().unwrap_or_else(|| ra.cluster.clone()),
        token: ra.token.clone(),
        token_env: ra.token_env.clone(),
        flush_interval_ms: ra.flush_interval_ms,
        batch_max: ra.batch_max,
        buffer_max_records: ra.buffer_max_records,
        payloads: ra.payloads,
        max_payload_bytes: ra.max_payload_bytes,
        timeout_ms: ra.timeout_ms,
    }
}
