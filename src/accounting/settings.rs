//! Accounting's settings: a model's `pricing:` (integer micro-units per 1M
//! tokens, so costs add up exactly) and the `accounting:` section (which
//! headers and stream options the filter adds).

use serde::Deserialize;

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

#[derive(Debug, Clone)]
pub struct Pricing {
    /// Prices in micro-units of the currency per million tokens.
    pub input_per_1m: u64,
    pub output_per_1m: u64,
    /// Cache reads (OpenAI cached tokens, Anthropic cache_read).
    pub cached_input_per_1m: u64,
    /// Cache writes (Anthropic cache_creation).
    pub cache_write_per_1m: u64,
    pub reasoning_per_1m: u64,
    pub currency: String,
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

#[derive(Debug, Clone)]
pub struct AccountingConfig {
    pub headers: bool,
    pub inject_stream_usage: bool,
    pub strip_injected_usage: bool,
}
