//! The `risk:` config section as users write it, and the action and
//! severity vocabulary shared with the rest of the filter.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What happens when a rule hits. Ordered weakest to strongest: the
/// strongest action over all hits wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
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
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Low,
    Medium,
    High,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ScanScope {
    #[default]
    AllMessages,
    LastUser,
}

/// `enforce` acts on hits; `shadow` records what every rule would have
/// done and acts on none (roll a pack out on live traffic first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RiskMode {
    #[default]
    Enforce,
    Shadow,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RuleOverride {
    #[serde(default)]
    pub action: Option<Action>,
    #[serde(default)]
    pub severity: Option<Severity>,
    /// Record the would-be action only.
    #[serde(default)]
    pub shadow: Option<bool>,
    /// With `mask`: stable placeholders, put back in the answer.
    #[serde(default)]
    pub restore: Option<bool>,
}

/// A custom risk rule (`risk.rules[]`).
///
/// `pattern` uses the `regex-lite` syntax, which differs from PCRE and from
/// the full `regex` crate:
///
/// - `\d`, `\s`, `\w` and `\b` are ASCII-only: `\d` does not match
///   full-width digits such as `１２３`, `\w` does not match Chinese
///   characters, and `\b` treats every non-ASCII character as a non-word
///   character (so `\bsalary\b` matches in `发送salary数据`).
/// - No Unicode classes (`\p{Han}`, `\p{L}`) and no Unicode case folding:
///   `(?i)` folds ASCII letters only. Write CJK text as literals
///   (`机密|绝密`) or as code-point ranges (`[\x{4e00}-\x{9fff}]`).
/// - No look-around (`(?=`, `(?!`, `(?<=`) and no backreferences.
/// - A pattern that matches the empty string is rejected.
///
/// `keywords` (optional, case-insensitive literals) make the rule fast: the
/// pattern then only runs within 256 bytes around an occurrence of one of
/// them, so every match must lie near a keyword. Without keywords the
/// pattern runs over the whole text of every request.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
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
    #[serde(default)]
    pub shadow: bool,
    #[serde(default)]
    pub restore: bool,
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

/// How a refused request is answered (`risk.refusal`): a `block` hit, or
/// a secure reroute with no secure model. Never an authentication or
/// permission error: agents read those as a bad key (docs/refusals.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalForm {
    /// 400 `invalid_request_error`, as providers answer their own
    /// content-policy refusals.
    Error,
    /// 200, the refusal as the model's answer in the caller's wire format
    /// (streamed when the request streamed), marked `x-clawgate-refusal`.
    Message,
}

impl RefusalForm {
    /// The config's word for it; `None` when it is neither. A string in
    /// the schema, not a derived enum: that costs the wasm more.
    pub fn parse(s: Option<&str>) -> Option<RefusalForm> {
        match s {
            None | Some("message") => Some(RefusalForm::Message),
            Some("error") => Some(RefusalForm::Error),
            Some(_) => None,
        }
    }
}

/// The `risk:` section of the plugin config.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct RiskConfig {
    /// Built-in packs to enable; `None` means all of them.
    pub packs: Option<Vec<String>>,
    pub disable: Vec<String>,
    pub overrides: BTreeMap<String, RuleOverride>,
    pub rules: Vec<CustomRule>,
    pub scan: ScanScope,
    pub secure_model: Option<String>,
    pub mode: RiskMode,
    /// Every `mask` rule restores (as `restore: true` on each).
    pub restore: bool,
    /// How a request a rule refuses is answered: `message` (default; 200,
    /// the refusal as the model's answer, streamed when the request
    /// streamed) or `error` (400 `invalid_request_error`, as providers
    /// refuse content). Never 401/403, which agents read as a bad key.
    pub refusal: Option<String>,
}
