//! The `access:` section as users write it.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawAccess {
    /// `allow` (default: what nobody's rule decides goes through, as
    /// before access existed) or `deny`.
    #[serde(default)]
    pub default: Verb,
    /// Tried in order; the first rule whose identity and model both match
    /// decides.
    #[serde(default)]
    pub rules: Vec<RawRule>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Verb {
    #[default]
    Allow,
    Deny,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    /// Named in records and refusals; default `access.rules[i]`.
    #[serde(default)]
    pub name: Option<String>,
    /// `user` (default) or `instance`, as in budgets.
    #[serde(default = "user")]
    pub identity: crate::budget::Who,
    /// Exact identity, `prefix*`, or `*` (any identity present).
    #[serde(rename = "match")]
    pub pattern: String,
    /// Model names or aliases, `prefix*`, `*`, or a tag: `tag:secure`,
    /// `tag:external`.
    pub models: Vec<String>,
    pub action: Verb,
}

fn user() -> crate::budget::Who {
    crate::budget::Who::User
}
