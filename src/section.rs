//! A config section read by hand from the document instead of through a
//! serde derive: a derived `Deserialize` costs the wasm about 3 KB per
//! struct, a walk over the `Value` a few hundred bytes. Sections that use
//! it keep a derived `JsonSchema` (native only) for `clawgate schema`, and
//! a test holds the two to the same keys.

use crate::settings_error::ConfigError;
use serde_json::{Map, Value};

/// A section's document as written, parsed by its domain's compile
/// step. `config::one` takes it out of the document before the typed read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doc(pub Value);

/// Reads one mapping's keys, reporting each mistake with its key path.
pub struct Fields<'a> {
    map: Option<&'a Map<String, Value>>,
    at: String,
    known: &'static [&'static str],
}

impl<'a> Fields<'a> {
    /// `None` (and an error) unless `v` is a mapping whose keys are all
    /// `known`.
    pub fn of(
        v: &'a Value,
        at: &str,
        known: &'static [&'static str],
        errs: &mut Vec<ConfigError>,
    ) -> Fields<'a> {
        let map = v.as_object();
        match map {
            None => errs.push(ConfigError::new(at, "must be a mapping")),
            Some(m) => {
                for k in m.keys().filter(|k| !known.contains(&k.as_str())) {
                    errs.push(ConfigError::new(
                        join(at, k),
                        format!("unknown key (expected one of: {})", known.join(", ")),
                    ));
                }
            }
        }
        Fields {
            map,
            at: at.to_string(),
            known,
        }
    }

    pub fn path(&self, key: &str) -> String {
        join(&self.at, key)
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        debug_assert!(self.known.contains(&key));
        self.map?.get(key).filter(|v| !v.is_null())
    }

    pub fn str(&self, key: &str, errs: &mut Vec<ConfigError>) -> Option<&'a str> {
        let v = self.get(key)?;
        let s = v.as_str();
        if s.is_none() {
            errs.push(ConfigError::new(self.path(key), "must be a string"));
        }
        s
    }

    pub fn u64(&self, key: &str, errs: &mut Vec<ConfigError>) -> Option<u64> {
        let v = self.get(key)?;
        let n = v.as_u64();
        if n.is_none() {
            errs.push(ConfigError::new(
                self.path(key),
                "must be a whole number >= 0",
            ));
        }
        n
    }

    pub fn bool(&self, key: &str, errs: &mut Vec<ConfigError>) -> Option<bool> {
        let v = self.get(key)?;
        let b = v.as_bool();
        if b.is_none() {
            errs.push(ConfigError::new(self.path(key), "must be true or false"));
        }
        b
    }

    /// A list's items with their paths (`key[i]`).
    pub fn list(&self, key: &str, errs: &mut Vec<ConfigError>) -> Vec<(String, &'a Value)> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        let Some(items) = v.as_array() else {
            errs.push(ConfigError::new(self.path(key), "must be a list"));
            return Vec::new();
        };
        let at = self.path(key);
        items
            .iter()
            .enumerate()
            .map(|(i, x)| (format!("{at}[{i}]"), x))
            .collect()
    }

    /// A list of strings.
    pub fn strings(&self, key: &str, errs: &mut Vec<ConfigError>) -> Vec<(String, &'a str)> {
        let mut out = Vec::new();
        for (at, v) in self.list(key, errs) {
            match v.as_str() {
                Some(s) => out.push((at, s)),
                None => errs.push(ConfigError::new(at, "must be a string")),
            }
        }
        out
    }

    /// One of `choices`, or `default` when absent.
    pub fn choice(
        &self,
        key: &str,
        choices: &[&'static str],
        default: &'static str,
        errs: &mut Vec<ConfigError>,
    ) -> &'static str {
        let Some(s) = self.str(key, errs) else {
            return default;
        };
        match choices.iter().find(|c| **c == s) {
            Some(c) => c,
            None => {
                errs.push(ConfigError::new(
                    self.path(key),
                    format!("must be one of: {}", choices.join(", ")),
                ));
                default
            }
        }
    }

    /// Reports a missing required key.
    pub fn require<T>(&self, key: &str, v: Option<T>, errs: &mut Vec<ConfigError>) -> Option<T> {
        if v.is_none() && self.map.is_some() && self.get(key).is_none() {
            errs.push(ConfigError::new(self.path(key), "is required"));
        }
        v
    }
}

use crate::settings_error::join;

/// A section's schema object names exactly the keys its reader reads.
#[cfg(test)]
pub fn assert_schema_keys(schema: &Value, keys: &[&str]) {
    let mut have: Vec<&str> = schema["properties"]
        .as_object()
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let mut want = keys.to_vec();
    have.sort_unstable();
    want.sort_unstable();
    assert_eq!(have, want);
}
