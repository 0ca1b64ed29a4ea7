//! Routing's settings: `predicates`, `default_provider`, `auto`,
//! `assignments` and `risk.secure_model` as users write them, and the
//! compiled table routing reads (model and provider indexes into the
//! catalog).

use regex_lite::Regex;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Exactly one of `prefix`, `exact`, `regex`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawPredicate {
    #[serde(default)]
    pub prefix: Option<String>,
    #[serde(default)]
    pub exact: Option<String>,
    #[serde(default)]
    pub regex: Option<String>,
    pub provider: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AutoStrategy {
    #[default]
    RoundRobin,
    First,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct RawAuto {
    pub model_name: String,
    pub strategy: AutoStrategy,
    /// Candidate models for `auto`; default: every enabled non-secure model.
    pub models: Vec<String>,
}

impl Default for RawAuto {
    fn default() -> Self {
        RawAuto {
            model_name: "auto".to_string(),
            strategy: AutoStrategy::RoundRobin,
            models: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawAssignments {
    #[serde(default = "default_assignment_header")]
    pub header: String,
    /// Identity value or `prefix*` glob -> model name.
    pub map: BTreeMap<String, String>,
    #[serde(default)]
    pub enforce: bool,
}

fn default_assignment_header() -> String {
    "x-mse-consumer".to_string()
}

#[derive(Debug, Clone)]
pub enum PredicateKind {
    Prefix(String),
    Exact(String),
    Regex(Regex),
}

#[derive(Debug, Clone)]
pub struct Predicate {
    pub kind: PredicateKind,
    pub provider: usize,
}

impl Predicate {
    pub fn matches(&self, model: &str) -> bool {
        match &self.kind {
            PredicateKind::Prefix(p) => model.starts_with(p.as_str()),
            PredicateKind::Exact(e) => model == e,
            PredicateKind::Regex(r) => r.is_match(model),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Auto {
    pub model_name: String,
    pub strategy: AutoStrategy,
    /// Candidate model indexes in configured order.
    pub models: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Assignments {
    pub header: String,
    /// (pattern, model index); exact patterns are tried before globs.
    pub rules: Vec<(String, usize)>,
    pub enforce: bool,
}

impl Assignments {
    /// The model assigned to an identity value: exact match first, then the
    /// longest `prefix*` glob.
    pub fn lookup(&self, who: &str) -> Option<usize> {
        if let Some((_, m)) = self.rules.iter().find(|(p, _)| p == who) {
            return Some(*m);
        }
        self.rules
            .iter()
            .filter_map(|(p, m)| {
                let prefix = p.strip_suffix('*')?;
                who.starts_with(prefix).then_some((prefix.len(), *m))
            })
            .max_by_key(|(len, _)| *len)
            .map(|(_, m)| m)
    }
}

/// The compiled routing table.
#[derive(Debug, Clone)]
pub struct Routing {
    pub predicates: Vec<Predicate>,
    pub default_provider: Option<usize>,
    pub auto: Auto,
    pub assignments: Option<Assignments>,
    /// Model used when a risk rule routes to the secure model.
    pub secure_model: Option<usize>,
}
