//! The `rate_limits:` section as users write it. Read by hand (`section`);
//! the types below describe it for `clawgate schema` only.

pub const KEYS: &[&str] = &["limits"];
pub const LIMIT_KEYS: &[&str] = &[
    "name",
    "identity",
    "match",
    "shared",
    "models",
    "requests_per_minute",
    "tokens_per_minute",
];

#[cfg(not(target_arch = "wasm32"))]
pub use schema::RawRateLimits;

#[cfg(not(target_arch = "wasm32"))]
mod schema {
    #![allow(dead_code)]
    use schemars::JsonSchema;

    /// Requests and tokens per minute by identity and model
    /// (docs/access.md).
    #[derive(JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct RawRateLimits {
        pub limits: Vec<RawRateLimit>,
    }

    #[derive(JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct RawRateLimit {
        /// Named in refusals, headers and records.
        pub name: String,
        /// `user` (default) or `instance`, as in budgets.
        // no `serde(default)`: `Who` serialises, and schemars would
        // then write `"default": null` into the schema
        pub identity: Option<crate::scope::Who>,
        /// Exact identity, `prefix*`, or `*` (any identity present).
        #[serde(rename = "match")]
        pub pattern: String,
        /// Everyone the pattern matches shares one count.
        #[serde(default)]
        pub shared: bool,
        /// Model names the limit counts; absent: all.
        #[serde(default)]
        pub models: Vec<String>,
        #[serde(default)]
        pub requests_per_minute: Option<u64>,
        /// Charged when the answer's usage is known (estimated for a
        /// stream that ends without it).
        #[serde(default)]
        pub tokens_per_minute: Option<u64>,
    }
}
