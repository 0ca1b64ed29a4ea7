//! `budgets:` -> `Budgets`, with every mistake's key path.

use super::period;
use super::settings::{Budgets, Limit, OnOver, RawBudgets};
use crate::catalog::Catalog;
use crate::scope::Scope;
use crate::settings_error::ConfigError;
use std::collections::HashSet;

/// What compiling budgets needs from outside them.
pub struct Ctx<'a> {
    /// Limits name models.
    pub catalog: &'a Catalog,
    /// The sidecar adds up the spend from the audit trail.
    pub has_audit: bool,
}

/// `budgets:` at key path `at`; `None` when anything in it is wrong.
pub fn compile(
    raw: &RawBudgets,
    at: &str,
    ctx: &Ctx<'_>,
    errs: &mut Vec<ConfigError>,
) -> Option<Budgets> {
    let before = errs.len();
    let mut err = |path: String, msg: &str| errs.push(ConfigError::new(path, msg));
    if !ctx.has_audit {
        err(
            at.to_string(),
            "needs an `audit` section: the sidecar adds up the spend",
        );
    }
    if raw.pull_interval_ms == 0 {
        err(format!("{at}.pull_interval_ms"), "must be > 0");
    }
    let offset = period::parse_offset(&raw.time_zone);
    if offset.is_none() {
        err(
            format!("{at}.time_zone"),
            "must be a fixed offset such as +08:00, -05:00 or UTC",
        );
    }
    if !raw.path.starts_with('/') {
        err(format!("{at}.path"), "must start with `/`");
    }
    let find = |name: &str| ctx.catalog.models.iter().position(|m| m.name == name);
    let mut names = HashSet::new();
    let mut limits = Vec::new();
    for (i, rl) in raw.limits.iter().enumerate() {
        let at = format!("{at}.limits[{i}]");
        if rl.name.is_empty() || !names.insert(rl.name.clone()) {
            err(format!("{at}.name"), "must be a unique, non-empty name");
        }
        let head = rl.pattern.strip_suffix('*').unwrap_or(&rl.pattern);
        if rl.pattern.is_empty() || head.contains('*') {
            err(
                format!("{at}.match"),
                "must be an identity, `prefix*` or `*`",
            );
        }
        let mut idx = Vec::new();
        for (j, m) in rl.models.iter().enumerate() {
            match find(m) {
                Some(k) => idx.push(k),
                None => err(format!("{at}.models[{j}]"), "unknown model"),
            }
        }
        if rl.max_tokens.is_none() && rl.max_cost.is_none() {
            err(at.clone(), "needs `max_tokens`, `max_cost` or both");
        }
        let max_cost_micros = rl.max_cost.and_then(|c| {
            if !c.is_finite() || c < 0.0 {
                err(format!("{at}.max_cost"), "must be a non-negative number");
                None
            } else {
                Some((c * 1_000_000.0).round() as u64)
            }
        });
        if rl.max_cost.is_some() {
            match &rl.currency {
                Some(c) if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) => {}
                _ => err(
                    format!("{at}.currency"),
                    "a cost limit needs its 3-letter currency (the models' pricing currency)",
                ),
            }
        }
        if rl.soft_at.is_some_and(|f| !(f > 0.0 && f < 1.0)) {
            err(format!("{at}.soft_at"), "must be between 0 and 1");
        }
        let on_over = match (rl.action.as_str(), &rl.downgrade_to) {
            ("block", None) => Some(OnOver::Block),
            ("downgrade", Some(to)) => match find(to) {
                Some(k) if !idx.is_empty() && idx.contains(&k) => {
                    err(
                        format!("{at}.downgrade_to"),
                        "must not be one of the models the limit covers",
                    );
                    None
                }
                Some(k) => Some(OnOver::Downgrade(k)),
                None => {
                    err(format!("{at}.downgrade_to"), "unknown model");
                    None
                }
            },
            ("downgrade", None) => {
                err(format!("{at}.downgrade_to"), "`downgrade` needs a model");
                None
            }
            ("block", Some(_)) => {
                err(
                    format!("{at}.downgrade_to"),
                    "only with `action: downgrade`",
                );
                None
            }
            _ => {
                err(format!("{at}.action"), "must be `block` or `downgrade`");
                None
            }
        };
        if let Some(on_over) = on_over {
            limits.push(Limit {
                name: rl.name.clone(),
                scope: Scope {
                    who: rl.identity,
                    pattern: rl.pattern.clone(),
                    shared: rl.shared,
                    models: idx,
                    model_names: rl.models.clone(),
                },
                period: rl.period,
                max_tokens: rl.max_tokens,
                max_cost_micros,
                currency: rl.currency.clone(),
                on_over,
                soft_at: rl.soft_at,
            });
        }
    }
    (errs.len() == before).then(|| Budgets {
        limits,
        pull_interval_ms: raw.pull_interval_ms,
        stale_after_ms: raw
            .stale_after_ms
            .unwrap_or(raw.pull_interval_ms.saturating_mul(10)),
        when_unknown: raw.when_unknown,
        offset_min: offset.unwrap_or(0),
        path: raw.path.clone(),
    })
}
