//! Metrics' compile step: `metrics:` -> what the filter reads.

use super::settings::{MetricsConfig, RawMetrics};
use crate::settings_error::ConfigError;

/// `metrics:` -> its compiled form. Every value deserialised is valid
/// today; the key path is there for the next knob.
pub fn compile(raw: &RawMetrics, _at: &str, _errs: &mut Vec<ConfigError>) -> MetricsConfig {
    MetricsConfig {
        max_consumers: raw.max_consumers,
        max_models: raw.max_models,
        ai_statistics: raw.ai_statistics,
        ai_log: raw.ai_log,
    }
}
