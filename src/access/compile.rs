//! `access:` → the rules the request path consults, with every mistake's
//! key path.

use super::settings::{RawAccess, Verb};
use super::{Access, ModelRef, Rule};
use crate::config::ConfigError;

pub fn compile(raw: &RawAccess, at: &str, errs: &mut Vec<ConfigError>) -> Access {
    let mut rules = Vec::with_capacity(raw.rules.len());
    for (i, r) in raw.rules.iter().enumerate() {
        let here = format!("{at}.rules[{i}]");
        if r.pattern.is_empty() {
            errs.push(ConfigError::new(
                format!("{here}.match"),
                "must not be empty",
            ));
        }
        if r.models.is_empty() {
            errs.push(ConfigError::new(
                format!("{here}.models"),
                "must name at least one model, `prefix*`, `*` or `tag:secure`/`tag:external`",
            ));
        }
        let mut models = Vec::with_capacity(r.models.len());
        for (j, m) in r.models.iter().enumerate() {
            match ModelRef::parse(m) {
                Ok(x) => models.push(x),
                Err(why) => errs.push(ConfigError::new(format!("{here}.models[{j}]"), why)),
            }
        }
        rules.push(Rule {
            name: r
                .name
                .clone()
                .unwrap_or_else(|| format!("access.rules[{i}]")),
            who: r.identity,
            pattern: r.pattern.clone(),
            models,
            allow: r.action == Verb::Allow,
        });
    }
    Access {
        default_allow: raw.default == Verb::Allow,
        rules,
    }
}
