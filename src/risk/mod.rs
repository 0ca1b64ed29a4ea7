//! Risk engine: scans every text a model will read against built-in packs
//! and custom rules.
//!
//! Pure Rust (no proxy-wasm). [`Engine::compile`] turns the `risk:` config
//! into a rule set; [`Engine::scan_request`] walks an OpenAI request body,
//! reports hits per rule and masks spans in place. Each rule's regex only
//! runs in small windows around its literal anchors (see `prefilter`), so
//! clean text costs one pass over the bytes whatever the number of rules.

mod packs;
mod prefilter;
mod request;
#[cfg(test)]
mod tests;
mod validators;

pub use packs::PACKS;
pub use request::visit_texts;

use packs::{Anchor, Validator};
use prefilter::Prefilter;
use regex_lite::Regex;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

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

/// One rule of a compiled engine, as listed by `clawgate rules list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    pub id: String,
    pub category: String,
    pub severity: Severity,
    pub action: Action,
    pub description: String,
    pub builtin: bool,
}

/// One validated match: rule index into [`Engine::rules`] and byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Match {
    pub rule: usize,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug)]
struct Rule {
    info: RuleInfo,
    regex: Regex,
    validator: Validator,
}

/// A compiled rule set. Cheap to share; scanning takes `&self`.
#[derive(Debug)]
pub struct Engine {
    rules: Vec<Rule>,
    prefilter: Prefilter,
    scope: ScanScope,
}

impl Default for Engine {
    fn default() -> Self {
        Engine {
            rules: Vec::new(),
            prefilter: Prefilter::new(&[]),
            scope: ScanScope::AllMessages,
        }
    }
}

/// A mistake in the `risk:` config. `path` is relative to `risk` (`rules[2].pattern`);
/// the config loader prefixes it, so this module does not depend on `config`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub path: String,
    pub message: String,
}

impl RuleError {
    fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        RuleError {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// Bytes around a custom keyword searched by the rule's pattern.
const CUSTOM_WINDOW: usize = 256;
/// Extra bytes after a window so `\b` and `$` see the real next character.
const SLACK: usize = 8;
/// Extra bytes before a window so `\b` and `^` see the real previous one.
const CONTEXT: usize = 4;

impl Engine {
    /// Compiles the rule set; errors carry paths relative to `risk`.
    pub fn compile(cfg: &RiskConfig) -> Result<Engine, Vec<RuleError>> {
        let mut errs = Vec::new();
        let builtins = packs::builtins();
        let known: HashSet<&str> = builtins.iter().map(|b| b.id).collect();
        let mut enabled_packs: HashSet<&str> = PACKS.iter().copied().collect();
        if let Some(list) = &cfg.packs {
            enabled_packs.clear();
            for (i, p) in list.iter().enumerate() {
                match PACKS.iter().find(|k| **k == p.as_str()) {
                    Some(k) => {
                        enabled_packs.insert(k);
                    }
                    None => errs.push(RuleError::new(
                        format!("packs[{i}]"),
                        format!("unknown pack `{p}` (known: {})", PACKS.join(", ")),
                    )),
                }
            }
        }
        let custom_ids: HashSet<&str> = cfg.rules.iter().map(|r| r.id.as_str()).collect();
        let is_known = |id: &str| known.contains(id) || custom_ids.contains(id);
        for (i, id) in cfg.disable.iter().enumerate() {
            if !is_known(id) {
                errs.push(RuleError::new(
                    format!("disable[{i}]"),
                    format!("unknown rule `{id}`"),
                ));
            }
        }
        for id in cfg.overrides.keys() {
            if !is_known(id) {
                errs.push(RuleError::new(
                    format!("overrides.{id}"),
                    format!("unknown rule `{id}`"),
                ));
            }
        }
        let disabled: HashSet<&str> = cfg.disable.iter().map(String::as_str).collect();

        let mut rules = Vec::new();
        let mut anchors = Vec::new();
        for b in &builtins {
            if !enabled_packs.contains(b.pack) || disabled.contains(b.id) {
                continue;
            }
            let regex = match Regex::new(&b.pattern) {
                Ok(r) => r,
                Err(e) => {
                    // A bug in packs.rs; the unit tests compile every rule.
                    errs.push(RuleError::new("", format!("built-in rule `{}`: {e}", b.id)));
                    continue;
                }
            };
            rules.push(Rule {
                info: RuleInfo::from(b),
                regex,
                validator: b.validator,
            });
            anchors.push((b.anchors.clone(), b.before, b.after, b.confirm));
        }

        let mut seen = HashSet::new();
        for (i, r) in cfg.rules.iter().enumerate() {
            let at = format!("rules[{i}]");
            if r.id.is_empty() {
                errs.push(RuleError::new(format!("{at}.id"), "must not be empty"));
            } else if known.contains(r.id.as_str()) {
                errs.push(RuleError::new(
                    format!("{at}.id"),
                    format!("`{}` is a built-in rule id", r.id),
                ));
            } else if !seen.insert(r.id.as_str()) {
                errs.push(RuleError::new(
                    format!("{at}.id"),
                    format!("duplicate rule id `{}`", r.id),
                ));
            }
            for (j, k) in r.keywords.iter().enumerate() {
                if k.is_empty() {
                    errs.push(RuleError::new(
                        format!("{at}.keywords[{j}]"),
                        "must not be empty",
                    ));
                }
            }
            let regex = match Regex::new(&r.pattern) {
                Ok(re) if re.is_match("") => {
                    errs.push(RuleError::new(
                        format!("{at}.pattern"),
                        "pattern matches the empty string",
                    ));
                    continue;
                }
                Ok(re) => re,
                Err(e) => {
                    errs.push(RuleError::new(
                        format!("{at}.pattern"),
                        format!("invalid regex: {e}"),
                    ));
                    continue;
                }
            };
            if disabled.contains(r.id.as_str()) {
                continue;
            }
            rules.push(Rule {
                info: RuleInfo {
                    id: r.id.clone(),
                    category: r.category.clone(),
                    severity: r.severity,
                    action: r.action,
                    description: r.description.clone().unwrap_or_default(),
                    builtin: false,
                },
                regex,
                validator: Validator::None,
            });
            let kws = r
                .keywords
                .iter()
                .filter(|k| !k.is_empty())
                .map(|k| Anchor::Lit {
                    text: k.to_ascii_lowercase(),
                    word: false,
                })
                .collect();
            anchors.push((kws, CUSTOM_WINDOW, CUSTOM_WINDOW, packs::Confirm::None));
        }

        for rule in &mut rules {
            if let Some(o) = cfg.overrides.get(&rule.info.id) {
                if let Some(a) = o.action {
                    rule.info.action = a;
                }
                if let Some(s) = o.severity {
                    rule.info.severity = s;
                }
            }
        }

        if !errs.is_empty() {
            return Err(errs);
        }
        Ok(Engine {
            prefilter: Prefilter::new(&anchors),
            rules: rules.into_iter().collect(),
            scope: cfg.scan,
        })
    }

    /// The enabled rules, in the order hits are reported.
    pub fn rules(&self) -> impl ExactSizeIterator<Item = &RuleInfo> {
        self.rules.iter().map(|r| &r.info)
    }

    /// Information on rule `idx` of a [`Match`].
    pub fn rule(&self, idx: usize) -> Option<&RuleInfo> {
        self.rules.get(idx).map(|r| &r.info)
    }

    /// Every built-in rule with its default action, all packs.
    pub fn builtin_rules() -> Vec<RuleInfo> {
        packs::builtins().iter().map(RuleInfo::from).collect()
    }

    pub fn scope(&self) -> ScanScope {
        self.scope
    }

    /// Runs `rule`'s regex over `text[start..end]`, keeping validated,
    /// non-empty matches.
    fn run_rule(&self, idx: usize, text: &str, start: usize, end: usize, out: &mut Vec<Match>) {
        let rule = &self.rules[idx];
        // The haystack starts a few bytes early so `\b` and `^` see the real
        // previous character, and is small so regex-lite can use its
        // bounded backtracker instead of the slower PikeVM.
        let base = prefilter::floor_char(text, start.saturating_sub(CONTEXT));
        let tail = &text[base..];
        let hay = &text[base..prefilter::ceil_char(text, end.saturating_add(SLACK))];
        let (start, end) = (start - base, end - base);
        let mut pos = start;
        while pos < end {
            let Some(mut m) = rule.regex.find_at(hay, pos) else {
                break;
            };
            if m.start() >= end {
                break;
            }
            if m.end() == hay.len() && hay.len() < tail.len() {
                // Cut by the window: redo on the rest of the text for the true end.
                match rule.regex.find_at(tail, m.start()) {
                    Some(full) => m = full,
                    None => break,
                }
            }
            let (ms, me) = (base + m.start(), base + m.end());
            if me > ms && validators::check(rule.validator, text, ms, me) {
                out.push(Match {
                    rule: idx,
                    start: ms,
                    end: me,
                });
                pos = m.end();
            } else {
                pos = prefilter::ceil_char(tail, m.start() + 1);
            }
        }
    }

    /// Every validated match in `text`, sorted by position then rule.
    pub fn scan_text(&self, text: &str) -> Vec<Match> {
        let mut out = Vec::new();
        for w in self.prefilter.windows(text) {
            self.run_rule(w.rule as usize, text, w.start, w.end, &mut out);
        }
        out.sort_unstable_by_key(|m| (m.start, m.rule, m.end));
        out.dedup();
        out
    }

    /// Reference implementation without the prefilter: every rule's regex
    /// over the whole text. Same result as [`Engine::scan_text`] (tested on
    /// the corpus); used by tests and the benchmark.
    pub fn scan_text_naive(&self, text: &str) -> Vec<Match> {
        let mut out = Vec::new();
        for i in 0..self.rules.len() {
            self.run_rule(i, text, 0, text.len(), &mut out);
        }
        out.sort_unstable_by_key(|m| (m.start, m.rule, m.end));
        out.dedup();
        out
    }

    /// Aggregates matches into per-rule hits and the strongest action.
    pub fn summarize(&self, matches: &[Match]) -> Outcome {
        let mut counts = vec![0u32; self.rules.len()];
        for m in matches {
            if let Some(c) = counts.get_mut(m.rule) {
                *c = c.saturating_add(1);
            }
        }
        let mut out = Outcome::default();
        for (rule, &count) in self.rules.iter().zip(&counts) {
            if count == 0 {
                continue;
            }
            out.action = out.action.max(Some(rule.info.action));
            out.hits.push(HitSummary {
                rule: rule.info.id.clone(),
                category: rule.info.category.clone(),
                severity: rule.info.severity,
                action: rule.info.action,
                count,
            });
        }
        out
    }

    /// Replaces the spans of `mask`-action matches with `[MASKED:<rule>]`.
    /// Overlapping spans are merged (the earliest match names the mask).
    /// Returns whether anything changed.
    pub fn mask_text(&self, text: &mut String, matches: &[Match]) -> bool {
        let mut spans: Vec<(usize, usize, usize)> = matches
            .iter()
            .filter(|m| {
                self.rules
                    .get(m.rule)
                    .is_some_and(|r| r.info.action == Action::Mask)
            })
            .map(|m| (m.start, m.end, m.rule))
            .collect();
        if spans.is_empty() {
            return false;
        }
        spans.sort_unstable();
        let mut merged: Vec<(usize, usize, usize)> = Vec::new();
        for s in spans {
            match merged.last_mut() {
                Some(last) if s.0 < last.1 => last.1 = last.1.max(s.1),
                _ => merged.push(s),
            }
        }
        let mut res = String::with_capacity(text.len());
        let mut pos = 0;
        for (s, e, r) in merged {
            if s < pos || e > text.len() {
                continue;
            }
            res.push_str(&text[pos..s]);
            res.push_str("[MASKED:");
            res.push_str(&self.rules[r].info.id);
            res.push(']');
            pos = e;
        }
        res.push_str(&text[pos..]);
        *text = res;
        true
    }

    /// Scans every text a model will read in an OpenAI request body and
    /// masks spans in place where rules say `mask` (unless the final action
    /// is `block`, in which case nothing is forwarded anyway).
    pub fn scan_request(&self, body: &mut serde_json::Map<String, serde_json::Value>) -> Outcome {
        if self.rules.is_empty() {
            return Outcome::default();
        }
        let mut per_text: Vec<Vec<Match>> = Vec::new();
        visit_texts(body, self.scope, &mut |s: &mut String| {
            per_text.push(self.scan_text(s));
        });
        let all: Vec<Match> = per_text.iter().flatten().copied().collect();
        let mut out = self.summarize(&all);
        let any_mask = out.hits.iter().any(|h| h.action == Action::Mask);
        if any_mask && out.action != Some(Action::Block) {
            let mut i = 0;
            let mut masked = false;
            visit_texts(body, self.scope, &mut |s: &mut String| {
                if let Some(ms) = per_text.get(i) {
                    masked |= self.mask_text(s, ms);
                }
                i += 1;
            });
            out.masked = masked;
        }
        out
    }

    #[doc(hidden)]
    pub fn debug_windows(&self, text: &str) -> Vec<(String, usize, usize)> {
        self.prefilter
            .windows(text)
            .into_iter()
            .map(|w| (self.rules[w.rule as usize].info.id.clone(), w.start, w.end))
            .collect()
    }

    /// Scans one plain text (no masking): hits and final action.
    pub fn scan_str(&self, text: &str) -> Outcome {
        self.summarize(&self.scan_text(text))
    }
}

impl From<&packs::Builtin> for RuleInfo {
    fn from(b: &packs::Builtin) -> Self {
        RuleInfo {
            id: b.id.to_string(),
            category: b.pack.to_string(),
            severity: b.severity,
            action: b.action,
            description: b.description.to_string(),
            builtin: true,
        }
    }
}
