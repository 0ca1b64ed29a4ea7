//! The `access:` section as users write it. Read by hand (`section`); the
//! types below describe it for `clawgate schema` only.

/// The section's keys, for the reader and the schema test.
pub const KEYS: &[&str] = &["default", "rules"];
pub const RULE_KEYS: &[&str] = &["name", "identity", "match", "models", "action"];

#[cfg(not(target_arch = "wasm32"))]
pub use schema::RawAccess;

#[cfg(not(target_arch = "wasm32"))]
mod schema {
    #![allow(dead_code)]
    use schemars::JsonSchema;

    /// Who may use which model (docs/access.md).
    #[derive(JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct RawAccess {
        /// `allow` (default: what no rule decides goes through, as before
        /// access existed) or `deny`.
        #[serde(default)]
        pub default: Option<Verb>,
        /// Tried in order; the first rule whose identity and model both
        /// match decides.
        #[serde(default)]
        pub rules: Vec<RawRule>,
    }

    #[derive(JsonSchema)]
    #[serde(rename_all = "snake_case")]
    pub enum Verb {
        Allow,
        Deny,
    }

    #[derive(JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct RawRule {
        /// Named in records and refusals; default `access.rules[i]`.
        #[serde(default)]
        pub name: Option<String>,
        /// `user` (default) or `instance`, as in budgets.
        // no `serde(default)`: `Who` serialises, and schemars would
        // then write `"default": null` into the schema
        pub identity: Option<crate::scope::Who>,
        /// Exact identity, `prefix*`, or `*` (any identity present).
        #[serde(rename = "match")]
        pub pattern: String,
        /// Model names or aliases, `prefix*`, `*`, or a tag: `tag:secure`,
        /// `tag:external`.
        pub models: Vec<String>,
        pub action: Verb,
    }
}
