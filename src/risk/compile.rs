//! Builds an [`Engine`] from the `risk:` config and the built-in packs,
//! checking every custom rule and name on the way; [`compile`] is the
//! `risk:` section's compile step (the engine and the refusal form, errors
//! under the section's key path; `risk.secure_model` is routing's).

use super::builtin::{Anchor, Builtin, Confirm, Validator};
use super::cache::ScanCache;
use super::packs::{builtins, PACKS};
use super::prefilter::{Prefilter, RuleAnchors};
use super::{Action, RefusalForm, RiskConfig, RiskMode, ScanScope, Severity};
use crate::settings_error::{join, ConfigError};
use regex_lite::Regex;
use serde::Serialize;
use std::collections::HashSet;
use std::sync::Mutex;

/// One rule of a compiled engine, as listed by `clawgate rules list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    pub id: String,
    pub category: String,
    pub severity: Severity,
    pub action: Action,
    pub description: String,
    pub builtin: bool,
    /// Hits are recorded with the would-be action; nothing is done.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub shadow: bool,
    /// `mask` with placeholders that are put back in the answer.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub restore: bool,
}

#[derive(Debug)]
pub(super) struct Rule {
    pub(super) info: RuleInfo,
    pub(super) regex: Regex,
    pub(super) validator: Validator,
    /// Evidence score a match needs to act (0: none).
    pub(super) evidence: u32,
}

/// A compiled rule set. Cheap to share; scanning takes `&self`.
#[derive(Debug)]
pub struct Engine {
    pub(super) rules: Vec<Rule>,
    pub(super) prefilter: Prefilter,
    pub(super) scope: ScanScope,
    /// Pieces of bodies scanned before (see `cache`); this rule set's own.
    pub(super) cache: Mutex<ScanCache>,
}

impl Default for Engine {
    fn default() -> Self {
        Engine {
            rules: Vec::new(),
            prefilter: Prefilter::new(&[]),
            scope: ScanScope::AllMessages,
            cache: Mutex::default(),
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

impl Engine {
    /// Compiles the rule set; errors carry paths relative to `risk`.
    pub fn compile(cfg: &RiskConfig) -> Result<Engine, Vec<RuleError>> {
        let mut errs = Vec::new();
        let known: HashSet<&str> = builtins().map(|b| b.id).collect();
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
        for b in builtins() {
            if !enabled_packs.contains(b.pack) || disabled.contains(b.id) {
                continue;
            }
            let regex = match Regex::new(&b.full_pattern()) {
                Ok(r) => r,
                Err(e) => {
                    // A bug in a pack table (packs/); the unit tests compile every rule.
                    errs.push(RuleError::new("", format!("built-in rule `{}`: {e}", b.id)));
                    continue;
                }
            };
            rules.push(Rule {
                info: RuleInfo::from(b),
                regex,
                validator: b.validator,
                evidence: b.evidence,
            });
            anchors.push(RuleAnchors {
                anchors: b.all_anchors(),
                before: b.before,
                after: b.after,
                confirm: b.confirm,
            });
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
                    shadow: r.shadow,
                    restore: r.restore,
                },
                regex,
                validator: Validator::None,
                evidence: 0,
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
            anchors.push(RuleAnchors {
                anchors: kws,
                before: CUSTOM_WINDOW,
                after: CUSTOM_WINDOW,
                confirm: Confirm::None,
            });
        }

        for rule in &mut rules {
            if let Some(o) = cfg.overrides.get(&rule.info.id) {
                if let Some(a) = o.action {
                    rule.info.action = a;
                }
                if let Some(s) = o.severity {
                    rule.info.severity = s;
                }
                if let Some(s) = o.shadow {
                    rule.info.shadow = s;
                }
                if let Some(r) = o.restore {
                    rule.info.restore = r;
                }
            }
            rule.info.shadow |= cfg.mode == RiskMode::Shadow;
            rule.info.restore |= cfg.restore;
        }

        if !errs.is_empty() {
            return Err(errs);
        }
        Ok(Engine {
            prefilter: Prefilter::new(&anchors),
            rules,
            scope: cfg.scan,
            cache: Mutex::default(),
        })
    }

    /// Hits and misses of the piece cache so far, and its budget in bytes.
    pub fn cache_stats(&self) -> (u64, u64) {
        self.cache.lock().map_or((0, 0), |c| (c.hits, c.misses))
    }

    pub fn cache_budget(&self) -> usize {
        self.cache.lock().map_or(0, |c| c.budget())
    }

    /// Starts this engine's piece cache over with room for `bytes`.
    pub fn reset_cache(&self, bytes: usize) {
        if let Ok(mut c) = self.cache.lock() {
            *c = ScanCache::with_budget(bytes);
        }
    }

    /// The enabled rules, in the order hits are reported.
    pub fn rules(&self) -> impl ExactSizeIterator<Item = &RuleInfo> {
        self.rules.iter().map(|r| &r.info)
    }

    /// Information on rule `idx` of a [`Match`](super::Match).
    pub fn rule(&self, idx: usize) -> Option<&RuleInfo> {
        self.rules.get(idx).map(|r| &r.info)
    }

    /// Every built-in rule with its default action, all packs.
    pub fn builtin_rules() -> Vec<RuleInfo> {
        builtins().map(RuleInfo::from).collect()
    }

    pub fn scope(&self) -> ScanScope {
        self.scope
    }
}

impl From<&Builtin> for RuleInfo {
    fn from(b: &Builtin) -> Self {
        RuleInfo {
            id: b.id.to_string(),
            category: b.pack.to_string(),
            severity: b.severity,
            action: b.action,
            description: b.description.to_string(),
            builtin: true,
            shadow: false,
            restore: false,
        }
    }
}

/// Compiles `risk:` at key path `at`; `None` for the engine when a rule is
/// wrong.
pub fn compile(
    raw: &RiskConfig,
    at: &str,
    errs: &mut Vec<ConfigError>,
) -> (Option<Engine>, RefusalForm) {
    let engine = match Engine::compile(raw) {
        Ok(e) => Some(e),
        // The engine's errors name paths relative to `risk`.
        Err(es) => {
            errs.extend(
                es.into_iter()
                    .map(|e| ConfigError::new(join(at, &e.path), e.message)),
            );
            None
        }
    };
    let refusal = RefusalForm::parse(raw.refusal.as_deref()).unwrap_or_else(|| {
        errs.push(ConfigError::new(
            join(at, "refusal"),
            "must be `message` or `error`",
        ));
        RefusalForm::Message
    });
    (engine, refusal)
}
