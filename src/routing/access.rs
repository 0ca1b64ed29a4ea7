//! What the `access` rules say of a route: the target a rule sees (the
//! names a model answers to, whether it is secure) and the refusal.

use super::{Caller, Route};
use crate::access::{Access, Decision, Target};
use crate::catalog::{Catalog, Model};
use crate::scope::Subject;
use crate::wire::{ClientError, ErrorCode};

/// What the rules say of a route for this caller; `None` when the config
/// has no `access` section.
pub fn access(cat: &Catalog, caller: &Caller, route: &Route) -> Option<Decision> {
    let a = caller.access?;
    let target = match route.model.and_then(|m| cat.models.get(m)) {
        Some(m) => target_of(m),
        None => Target {
            names: vec![route.model_name.as_str()],
            secure: route.secure(cat),
        },
    };
    Some(a.decide(caller.who, &target))
}

/// Whether the caller may use configured model `m` (always, without an
/// `access` section).
pub fn may_use(cat: &Catalog, access: Option<&Access>, who: Subject, m: usize) -> bool {
    match (access, cat.models.get(m)) {
        (None, _) => true,
        (Some(a), Some(model)) => a.decide(who, &target_of(model)).allow,
        (Some(_), None) => false,
    }
}

fn target_of(m: &Model) -> Target<'_> {
    let mut names = Vec::with_capacity(1 + m.aliases.len());
    names.push(m.name.as_str());
    names.extend(m.aliases.iter().map(String::as_str));
    Target {
        names,
        secure: m.secure,
    }
}

/// The refusal for a route the caller may not use: 403, naming the rule.
pub fn not_allowed(route: &Route, d: &Decision) -> ClientError {
    ClientError::new(
        ErrorCode::ModelNotAllowed,
        format!(
            "You are not allowed to use the model `{}` on this gateway ({})",
            route.model_name,
            d.rule.as_deref().unwrap_or("access.default")
        ),
    )
}
