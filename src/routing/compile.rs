//! The routing sections -> the routing table: names resolved against the
//! catalog, regexes compiled, every mistake with its key path.

use super::settings::{
    Assignments, Auto, Predicate, PredicateKind, RawAssignments, RawAuto, RawPredicate, Routing,
};
use crate::catalog::Catalog;
use crate::settings_error::{join, ConfigError};
use regex_lite::Regex;

/// Routing's part of the document: top-level keys, and `risk.secure_model`.
pub struct Raw<'a> {
    pub predicates: &'a [RawPredicate],
    pub default_provider: Option<&'a str>,
    pub auto: &'a RawAuto,
    pub assignments: Option<&'a RawAssignments>,
    pub secure_model: Option<&'a str>,
}

/// Compiles the routing table; `base` is the document's key path.
pub fn compile(raw: &Raw<'_>, base: &str, cat: &Catalog, errs: &mut Vec<ConfigError>) -> Routing {
    let p = |s: &str| join(base, s);
    let predicates = predicates(raw.predicates, base, cat, errs);
    let default_provider = raw.default_provider.and_then(|d| {
        let x = cat.provider_idx(d);
        if x.is_none() {
            errs.push(ConfigError::new(
                p("default_provider"),
                format!("unknown provider `{d}`"),
            ));
        }
        x
    });
    let auto = auto(raw.auto, base, cat, errs);
    let assignments = raw.assignments.map(|ra| {
        let mut rules = Vec::new();
        for (who, m) in &ra.map {
            match cat.find_model(m) {
                Some(x) => rules.push((who.clone(), x)),
                None => errs.push(ConfigError::new(
                    p(&format!("assignments.map.{who}")),
                    format!("unknown model `{m}`"),
                )),
            }
        }
        Assignments {
            header: ra.header.to_ascii_lowercase(),
            rules,
            enforce: ra.enforce,
        }
    });
    let models = &cat.models;
    let secure_model = match raw.secure_model {
        Some(n) => match cat.find_model(n) {
            Some(x) if models[x].secure => Some(x),
            Some(_) => {
                errs.push(ConfigError::new(
                    p("risk.secure_model"),
                    format!("model `{n}` is not secure (set `secure: true` on it or its provider)"),
                ));
                None
            }
            None => {
                errs.push(ConfigError::new(
                    p("risk.secure_model"),
                    format!("unknown model `{n}`"),
                ));
                None
            }
        },
        None => models.iter().position(|m| m.secure && m.enabled),
    };
    Routing {
        predicates,
        default_provider,
        auto,
        assignments,
        secure_model,
    }
}

fn predicates(
    raw: &[RawPredicate],
    base: &str,
    cat: &Catalog,
    errs: &mut Vec<ConfigError>,
) -> Vec<Predicate> {
    let mut predicates = Vec::new();
    for (i, rp) in raw.iter().enumerate() {
        let at = join(base, &format!("predicates[{i}]"));
        let provider = match cat.provider_idx(&rp.provider) {
            Some(x) => x,
            None => {
                errs.push(ConfigError::new(
                    format!("{at}.provider"),
                    format!("unknown provider `{}`", rp.provider),
                ));
                0
            }
        };
        let kind = match (&rp.prefix, &rp.exact, &rp.regex) {
            (Some(x), None, None) => Some(PredicateKind::Prefix(x.clone())),
            (None, Some(x), None) => Some(PredicateKind::Exact(x.clone())),
            (None, None, Some(x)) => match Regex::new(x) {
                Ok(r) => Some(PredicateKind::Regex(r)),
                Err(e) => {
                    errs.push(ConfigError::new(
                        format!("{at}.regex"),
                        format!("invalid regex: {e}"),
                    ));
                    None
                }
            },
            _ => {
                errs.push(ConfigError::new(
                    at,
                    "needs exactly one of `prefix`, `exact`, `regex`",
                ));
                None
            }
        };
        if let Some(kind) = kind {
            predicates.push(Predicate { kind, provider });
        }
    }
    predicates
}

fn auto(raw: &RawAuto, base: &str, cat: &Catalog, errs: &mut Vec<ConfigError>) -> Auto {
    if raw.model_name.is_empty() {
        errs.push(ConfigError::new(
            join(base, "auto.model_name"),
            "must not be empty",
        ));
    }
    let models = if raw.models.is_empty() {
        let m = &cat.models;
        (0..m.len())
            .filter(|&i| m[i].enabled && !m[i].secure)
            .collect()
    } else {
        let mut v = Vec::new();
        for (j, n) in raw.models.iter().enumerate() {
            match cat.find_model(n) {
                Some(x) => v.push(x),
                None => errs.push(ConfigError::new(
                    join(base, &format!("auto.models[{j}]")),
                    format!("unknown model `{n}`"),
                )),
            }
        }
        v
    };
    Auto {
        model_name: raw.model_name.clone(),
        strategy: raw.strategy,
        models,
    }
}
