//! Risk engine: scans every text a model will read against built-in packs
//! and custom rules. (Skeleton: the engine is filled in by the risk work.)

use crate::config::ConfigError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What happens when a rule hits. Ordered weakest to strongest: the
/// strongest action over all hits wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Audit,
    Mask,
    RouteSecureModel,
    Block,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Audit => "audit",
            Action::Mask => "mask",
            Action::RouteSecureModel => "route_secure_model",
            Action::Block => "block",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Low,
    Medium,
    High,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScanScope {
    #[default]
    AllMessages,
    LastUser,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleOverride {
    #[serde(default)]
    pub action: Option<Action>,
    #[serde(default)]
    pub severity: Option<Severity>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomRule {
    pub id: String,
    #[serde(default = "custom_category")]
    pub category: String,
    pub pattern: String,
    #[serde(default = "default_action")]
    pub action: Action,
    #[serde(default = "default_severity")]
    pub severity: Severity,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
}

fn custom_category() -> String {
    "custom".to_string()
}
fn default_action() -> Action {
    Action::RouteSecureModel
}
fn default_severity() -> Severity {
    Severity::Medium
}

/// The `risk:` section of the plugin config.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RiskConfig {
    /// Built-in packs to enable; `None` means all of them.
    pub packs: Option<Vec<String>>,
    pub disable: Vec<String>,
    pub overrides: BTreeMap<String, RuleOverride>,
    pub rules: Vec<CustomRule>,
    pub scan: ScanScope,
    pub secure_model: Option<String>,
}

/// One rule's hits on a request, as kept for headers, metrics and audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HitSummary {
    pub rule: String,
    pub category: String,
    pub severity: Severity,
    pub action: Action,
    pub count: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Strongest action over all hits; `None` when nothing hit.
    pub action: Option<Action>,
    pub hits: Vec<HitSummary>,
    /// True when `mask` rewrote text in the body.
    pub masked: bool,
}

#[derive(Debug, Default)]
pub struct Engine {}

impl Engine {
    /// Compiles the rule set; errors carry paths relative to `risk`.
    pub fn compile(_cfg: &RiskConfig) -> Result<Engine, Vec<ConfigError>> {
        Ok(Engine {})
    }

    /// Scans every text a model will read in an OpenAI request body and
    /// masks spans in place where the winning rules say `mask`.
    pub fn scan_request(&self, _body: &mut serde_json::Map<String, serde_json::Value>) -> Outcome {
        Outcome::default()
    }
}
