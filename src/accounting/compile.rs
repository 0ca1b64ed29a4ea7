//! Accounting's compile step: a model's `pricing:` and the `accounting:`
//! section, errors under their key paths.

use super::settings::{AccountingConfig, Pricing, RawAccounting, RawPricing};
use crate::settings_error::ConfigError;

/// A model's `pricing:` at key path `at` -> micro-units per 1M tokens, with
/// key paths for bad numbers and currencies.
pub fn compile_pricing(pr: &RawPricing, at: &str, errs: &mut Vec<ConfigError>) -> Pricing {
    let mut micro = |v: f64, key: &str| -> u64 {
        if !v.is_finite() || v < 0.0 {
            errs.push(ConfigError::new(
                format!("{at}.{key}"),
                "must be a non-negative number",
            ));
            0
        } else {
            (v * 1_000_000.0).round() as u64
        }
    };
    let input = micro(pr.input_per_1m, "input_per_1m");
    let output = micro(pr.output_per_1m, "output_per_1m");
    let cached = pr
        .cached_input_per_1m
        .map(|v| micro(v, "cached_input_per_1m"))
        .unwrap_or(input);
    let cache_write = pr
        .cache_write_per_1m
        .map(|v| micro(v, "cache_write_per_1m"))
        .unwrap_or(input);
    let reasoning = pr
        .reasoning_per_1m
        .map(|v| micro(v, "reasoning_per_1m"))
        .unwrap_or(output);
    if pr.currency.len() != 3 || !pr.currency.bytes().all(|b| b.is_ascii_uppercase()) {
        errs.push(ConfigError::new(
            format!("{at}.currency"),
            "must be a 3-letter ISO code such as USD",
        ));
    }
    Pricing {
        input_per_1m: input,
        output_per_1m: output,
        cached_input_per_1m: cached,
        cache_write_per_1m: cache_write,
        reasoning_per_1m: reasoning,
        currency: pr.currency.clone(),
    }
}

/// `accounting:` -> what the filter adds to requests and answers. Nothing
/// in it can be wrong today; the key path is there for the next knob.
pub fn compile(raw: &RawAccounting, _at: &str, _errs: &mut Vec<ConfigError>) -> AccountingConfig {
    AccountingConfig {
        headers: raw.headers,
        inject_stream_usage: raw.inject_stream_usage,
        strip_injected_usage: raw.strip_injected_usage,
    }
}
