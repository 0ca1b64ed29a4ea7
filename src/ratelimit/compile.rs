//! `rate_limits:` → the limits the request path counts against.

use super::settings::{KEYS, LIMIT_KEYS};
use super::{Limit, RateLimits};
use crate::catalog::Model;
use crate::scope::{Scope, Who};
use crate::section::{Doc, Fields};
use crate::settings_error::ConfigError;

pub fn compile(doc: &Doc, at: &str, models: &[Model], errs: &mut Vec<ConfigError>) -> RateLimits {
    let f = Fields::of(&doc.0, at, KEYS, errs);
    let mut limits: Vec<Limit> = Vec::new();
    for (here, l) in f.list("limits", errs) {
        let l = Fields::of(l, &here, LIMIT_KEYS, errs);
        let name = l
            .require("name", l.str("name", errs), errs)
            .unwrap_or_default();
        if name.is_empty()
            || name.len() > 64
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            errs.push(ConfigError::new(
                l.path("name"),
                "must be 1-64 of A-Z a-z 0-9 - _",
            ));
        } else if limits.iter().any(|x| x.name == name) {
            errs.push(ConfigError::new(
                l.path("name"),
                format!("duplicate limit `{name}`"),
            ));
        }
        let pattern = l
            .require("match", l.str("match", errs), errs)
            .unwrap_or_default();
        if pattern.is_empty() {
            errs.push(ConfigError::new(l.path("match"), "must not be empty"));
        }
        let mut idx = Vec::new();
        let mut model_names = Vec::new();
        for (p, m) in l.strings("models", errs) {
            model_names.push(m.to_string());
            match models
                .iter()
                .position(|x| x.name == m || x.aliases.iter().any(|a| a == m))
            {
                Some(i) => idx.push(i),
                None => errs.push(ConfigError::new(p, format!("unknown model `{m}`"))),
            }
        }
        let rpm = l.u64("requests_per_minute", errs);
        let tpm = l.u64("tokens_per_minute", errs);
        if rpm.is_none() && tpm.is_none() {
            errs.push(ConfigError::new(
                here.clone(),
                "needs `requests_per_minute`, `tokens_per_minute` or both",
            ));
        }
        if rpm == Some(0) || tpm == Some(0) {
            errs.push(ConfigError::new(
                here.clone(),
                "a limit of 0 refuses everything: use `access`",
            ));
        }
        limits.push(Limit {
            name: name.to_string(),
            scope: Scope {
                who: match l.choice("identity", &["user", "instance"], "user", errs) {
                    "instance" => Who::Instance,
                    _ => Who::User,
                },
                pattern: pattern.to_string(),
                shared: l.bool("shared", errs).unwrap_or(false),
                models: idx,
                model_names,
            },
            rpm,
            tpm,
        });
    }
    RateLimits { limits }
}
