//! Plugin configuration, the composition root: parse the document, merge
//! `_rules_` over the global keys, hash it, and have each domain compile
//! its own section (`<domain>::compile`), collecting every error with its
//! key path. Pure: used by the filter and by `clawgate check-config` alike.

mod compose;
pub mod model;
mod path_error;
pub mod redact;
pub mod rules;
pub mod schema;
mod value_access;
mod value_de;

pub use crate::catalog::Env;
pub use crate::settings_error::ConfigError;
pub use model::Config;
pub use rules::{Matcher, RequestAttrs};

use crate::audit::settings::AuditConfig;

use serde_json::Value;
use std::rc::Rc;

/// The global config plus route-matched overrides.
#[derive(Debug)]
pub struct PluginConfig {
    pub global: Rc<Config>,
    pub rules: Vec<(Matcher, Rc<Config>)>,
    /// Only `_rules_` and no global keys: what Higress sends for a
    /// WasmPlugin with `defaultConfigDisable: true`. Requests no rule
    /// matches are then left alone.
    pub default_disabled: bool,
}

impl PluginConfig {
    /// The config for a request: the first matching rule's, else the global one.
    pub fn select(&self, at: &RequestAttrs) -> &Rc<Config> {
        self.rules
            .iter()
            .find(|(m, _)| m.matches(at))
            .map(|(_, c)| c)
            .unwrap_or(&self.global)
    }

    /// The config that governs a request, or `None` when the plugin is off
    /// for it (`defaultConfigDisable` and no rule matches).
    pub fn governing(
        &self,
        host: Option<&str>,
        consumer: Option<&str>,
        attr: &dyn Fn(&str) -> Option<String>,
    ) -> Option<&Rc<Config>> {
        let c = self.select_with(host, consumer, attr);
        (!self.default_disabled || !Rc::ptr_eq(c, &self.global)).then_some(c)
    }

    /// The audit section batches ship with: the global one, or with
    /// `defaultConfigDisable` the first rule's that has one.
    pub fn audit(&self) -> Option<&AuditConfig> {
        if !self.default_disabled {
            return self.global.audit.as_ref();
        }
        self.rules.iter().find_map(|(_, c)| c.audit.as_ref())
    }

    /// Like `select`, reading the Envoy attributes (`route_name`,
    /// `cluster_name`) only when there are rules to match them against.
    pub fn select_with(
        &self,
        host: Option<&str>,
        consumer: Option<&str>,
        attr: &dyn Fn(&str) -> Option<String>,
    ) -> &Rc<Config> {
        if self.rules.is_empty() {
            return &self.global;
        }
        let route = attr("route_name");
        let cluster = attr("cluster_name");
        self.select(&RequestAttrs {
            route_name: route.as_deref(),
            host,
            cluster_name: cluster.as_deref(),
            consumer,
        })
    }
}

/// Parses the filter configuration as Envoy hands it over (JSON bytes).
pub fn parse_json(bytes: &[u8]) -> Result<PluginConfig, Vec<ConfigError>> {
    parse_json_env(bytes, None)
}

/// `parse_json`, resolving `api_key_env` through `env` (the VM's
/// environment): a variable that is not set rejects the config.
pub fn parse_json_env(bytes: &[u8], env: Env<'_>) -> Result<PluginConfig, Vec<ConfigError>> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| vec![ConfigError::new("", "configuration is not UTF-8")])?;
    let value: Value = if text.trim().is_empty() {
        Value::Object(Default::default())
    } else {
        crate::json::strict::lenient(text.as_bytes())
            .map_err(|e| vec![ConfigError::new("", format!("invalid JSON: {e}"))])?
    };
    let hash = hash_of(&value);
    from_value_env(value, &hash, env)
}

/// The config's hash: over the normalised document (the same config as
/// YAML or JSON hashes the same) with its secrets redacted (a key rotation
/// keeps it; the hash tells nothing of a key).
pub fn hash_of(value: &Value) -> String {
    hash_hex(redact::redacted(value).to_string().as_bytes())
}

/// Builds the plugin config from a parsed document (JSON or YAML).
pub fn from_value(value: Value, hash: &str) -> Result<PluginConfig, Vec<ConfigError>> {
    from_value_env(value, hash, None)
}

/// `from_value` with the VM's environment for `api_key_env`.
pub fn from_value_env(
    value: Value,
    hash: &str,
    env: Env<'_>,
) -> Result<PluginConfig, Vec<ConfigError>> {
    let mut root = match value {
        Value::Object(m) => m,
        Value::Null => Default::default(),
        _ => {
            return Err(vec![ConfigError::new(
                "",
                "configuration must be a mapping",
            )])
        }
    };
    let rules_value = root.remove("_rules_");
    let default_disabled =
        root.is_empty() && matches!(&rules_value, Some(Value::Array(items)) if !items.is_empty());
    let mut errs = Vec::new();
    let global = match one(Value::Object(root.clone()), "", hash, env) {
        Ok(c) => Some(Rc::new(c)),
        Err(e) => {
            errs.extend(e);
            None
        }
    };
    let mut rules = Vec::new();
    match rules_value {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.into_iter().enumerate() {
                let at = format!("_rules_[{i}]");
                let Value::Object(mut obj) = item else {
                    errs.push(ConfigError::new(at, "must be a mapping"));
                    continue;
                };
                let matcher = match rules::take_matcher(&mut obj, &at) {
                    Ok(m) => m,
                    Err(e) => {
                        errs.push(e);
                        continue;
                    }
                };
                let mut merged = root.clone();
                for (k, v) in obj {
                    merged.insert(k, v);
                }
                match one(Value::Object(merged), &at, hash, env) {
                    Ok(c) => rules.push((matcher, Rc::new(c))),
                    Err(e) => errs.extend(e),
                }
            }
        }
        Some(_) => errs.push(ConfigError::new("_rules_", "must be a list")),
    }
    match global {
        Some(global) if errs.is_empty() => {
            // One piece-cache budget per worker, shared out among the
            // rule sets, so many `_rules_` do not multiply the memory.
            let share = crate::risk::cache::DEFAULT_BUDGET / (rules.len() + 1);
            for c in std::iter::once(&global).chain(rules.iter().map(|(_, c)| c)) {
                c.risk.reset_cache(share);
            }
            Ok(PluginConfig {
                global,
                rules,
                default_disabled,
            })
        }
        _ => Err(errs),
    }
}

fn one(mut value: Value, base: &str, hash: &str, env: Env<'_>) -> Result<Config, Vec<ConfigError>> {
    // Sections read by hand (`section`) are taken out before the typed
    // read, which never sees them: a `Value` deserializer costs the wasm
    // more than the whole reader.
    let mut take = |k: &str| {
        value
            .as_object_mut()
            .and_then(|m| m.remove(k))
            .filter(|v| !v.is_null())
            .map(crate::section::Doc)
    };
    let (access, rate_limits) = (take("access"), take("rate_limits"));
    let mut raw: schema::RawConfig = value_de::from_value(value).map_err(|e| {
        vec![ConfigError::new(
            crate::settings_error::join(base, &e.path()),
            e.message(),
        )]
    })?;
    raw.access = access;
    raw.rate_limits = rate_limits;
    compose::validate(raw, base, hash.to_string(), env)
}

/// FNV-1a 64: a dependency-free fingerprint of the config document.
pub fn hash_hex(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
pub(crate) mod tests;
#[cfg(test)]
mod tests_sections;
