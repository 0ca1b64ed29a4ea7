//! `access:` → the rules the request path consults, with every mistake's
//! key path.

use super::settings::{KEYS, RULE_KEYS};
use super::{Access, ModelRef, Rule};
use crate::scope::Who;
use crate::section::{Doc, Fields};
use crate::settings_error::ConfigError;

pub fn compile(doc: &Doc, at: &str, errs: &mut Vec<ConfigError>) -> Access {
    let f = Fields::of(&doc.0, at, KEYS, errs);
    let default_allow = f.choice("default", &["allow", "deny"], "allow", errs) == "allow";
    let mut rules = Vec::new();
    for (i, (here, r)) in f.list("rules", errs).into_iter().enumerate() {
        let r = Fields::of(r, &here, RULE_KEYS, errs);
        let pattern = r
            .require("match", r.str("match", errs), errs)
            .unwrap_or_default();
        if pattern.is_empty() {
            errs.push(ConfigError::new(r.path("match"), "must not be empty"));
        }
        let names = r.strings("models", errs);
        if names.is_empty() {
            errs.push(ConfigError::new(
                r.path("models"),
                "must name at least one model, `prefix*`, `*` or `tag:secure`/`tag:external`",
            ));
        }
        let mut models = Vec::with_capacity(names.len());
        for (p, m) in names {
            match ModelRef::parse(m) {
                Ok(x) => models.push(x),
                Err(why) => errs.push(ConfigError::new(p, why)),
            }
        }
        let action = r.require("action", r.str("action", errs), errs);
        let allow = match action {
            Some("allow") | None => true,
            Some("deny") => false,
            Some(_) => {
                errs.push(ConfigError::new(
                    r.path("action"),
                    "must be one of: allow, deny",
                ));
                false
            }
        };
        let who = match r.choice("identity", &["user", "instance"], "user", errs) {
            "instance" => Who::Instance,
            _ => Who::User,
        };
        rules.push(Rule {
            name: r
                .str("name", errs)
                .map_or_else(|| format!("access.rules[{i}]"), str::to_string),
            who,
            pattern: pattern.to_string(),
            models,
            allow,
        });
    }
    Access {
        default_allow,
        rules,
    }
}
