//! Model resolution: request + identity + config -> route decision and the
//! reason for it. First match wins: assignment, auto, explicit, predicate,
//! default provider; otherwise 404.

mod access;
mod compile;
pub mod settings;

pub use access::{access, may_use, not_allowed};
pub use compile::{compile, Raw};
pub use settings::Routing;

use crate::catalog::Catalog;
use crate::wire::Protocol;
use crate::wire::{ClientError, ErrorCode};
use settings::AutoStrategy;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteReason {
    Assignment,
    Auto,
    Explicit,
    Predicate,
    DefaultProvider,
    Secure,
    Fallback,
    /// A budget limit sent the request to its cheaper model.
    Budget,
}

impl RouteReason {
    pub fn as_str(self) -> &'static str {
        match self {
            RouteReason::Assignment => "assignment",
            RouteReason::Auto => "auto",
            RouteReason::Explicit => "explicit",
            RouteReason::Predicate => "predicate",
            RouteReason::DefaultProvider => "default_provider",
            RouteReason::Secure => "secure",
            RouteReason::Fallback => "fallback",
            RouteReason::Budget => "budget",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// Configured model, when the name resolved to one.
    pub model: Option<usize>,
    /// Name reported to the client (`x-gateway-model-used`).
    pub model_name: String,
    /// Name sent upstream in the body.
    pub upstream_model: String,
    pub provider: usize,
    pub reason: RouteReason,
}

impl Route {
    pub fn for_model(cat: &Catalog, idx: usize, reason: RouteReason) -> Option<Route> {
        let m = cat.models.get(idx)?;
        Some(Route {
            model: Some(idx),
            model_name: m.name.clone(),
            upstream_model: m.upstream_model.clone(),
            provider: m.provider,
            reason,
        })
    }

    pub fn secure(&self, cat: &Catalog) -> bool {
        match self.model {
            Some(m) => cat.models.get(m).is_some_and(|m| m.secure),
            None => cat.providers.get(self.provider).is_some_and(|p| p.secure),
        }
    }
}

/// Everything about the caller that routing may use.
#[derive(Debug, Default, Clone)]
pub struct Caller<'a> {
    /// Value of the assignment header, if present.
    pub assignee: Option<&'a str>,
    /// Who the caller is to budgets and what the filter knows of spend.
    pub budget: Option<crate::budget::Check<'a>>,
    /// Who the caller is to `access` rules and rate limits.
    pub who: crate::scope::Subject<'a>,
    /// The `access` rules, when the config has them.
    pub access: Option<&'a crate::access::Access>,
}

/// Resolves the requested model name. `rr` yields the shared round-robin
/// counter; it is called only for `auto` with the round_robin strategy.
pub fn resolve(
    cat: &Catalog,
    rt: &Routing,
    requested: &str,
    caller: &Caller,
    rr: &mut dyn FnMut() -> u64,
) -> Result<Route, ClientError> {
    resolve_for(cat, rt, requested, caller, rr, Protocol::OPENAI)
}

/// `resolve` for a request in wire format `protocol`: `auto` picks among
/// the models that accept it; any other route to a model (or provider)
/// that does not is refused, never sent.
pub fn resolve_for(
    cat: &Catalog,
    rt: &Routing,
    requested: &str,
    caller: &Caller,
    rr: &mut dyn FnMut() -> u64,
    protocol: Protocol,
) -> Result<Route, ClientError> {
    let route = pick(cat, rt, requested, caller, rr, protocol)?;
    if !cat.route_speaks(route.model, route.provider, protocol) {
        return Err(ClientError::new(
            ErrorCode::ProtocolMismatch,
            format!(
                "The model `{}` does not accept {} requests on this gateway",
                route.model_name,
                protocol.as_str()
            ),
        ));
    }
    Ok(route)
}

fn pick(
    cat: &Catalog,
    rt: &Routing,
    requested: &str,
    caller: &Caller,
    rr: &mut dyn FnMut() -> u64,
    protocol: Protocol,
) -> Result<Route, ClientError> {
    let is_auto = requested == rt.auto.model_name;
    if let (Some(asg), Some(who)) = (&rt.assignments, caller.assignee) {
        if is_auto || asg.enforce {
            if let Some(m) = asg.lookup(who).filter(|&m| cat.models[m].enabled) {
                if let Some(r) = Route::for_model(cat, m, RouteReason::Assignment) {
                    return Ok(r);
                }
            }
        }
    }
    if is_auto {
        return auto_pick(cat, rt, rr, protocol, caller)
            .and_then(|m| Route::for_model(cat, m, RouteReason::Auto))
            .ok_or_else(|| {
                let denied = caller.access.is_some()
                    && auto_candidates(cat, rt)
                        .iter()
                        .any(|&m| cat.models[m].speaks(protocol));
                if denied {
                    // there were models; this caller may use none of them
                    ClientError::new(
                        ErrorCode::ModelNotAllowed,
                        "You are not allowed to use any of the models `auto` picks from on this gateway",
                    )
                } else {
                    ClientError::new(
                        ErrorCode::NoModelAvailable,
                        "No enabled model is available for `auto`",
                    )
                }
            });
    }
    if let Some(m) = cat.find_model(requested) {
        if !cat.models[m].enabled {
            return Err(ClientError::model_not_found(requested));
        }
        if let Some(r) = Route::for_model(cat, m, RouteReason::Explicit) {
            return Ok(r);
        }
    }
    let passthrough = |provider: usize, reason| Route {
        model: None,
        model_name: requested.to_string(),
        upstream_model: requested.to_string(),
        provider,
        reason,
    };
    if let Some(p) = rt.predicates.iter().find(|p| p.matches(requested)) {
        return Ok(passthrough(p.provider, RouteReason::Predicate));
    }
    if let Some(p) = rt.default_provider {
        return Ok(passthrough(p, RouteReason::DefaultProvider));
    }
    Err(ClientError::model_not_found(requested))
}

/// The auto candidates that are enabled, in configured order.
pub fn auto_candidates(cat: &Catalog, rt: &Routing) -> Vec<usize> {
    rt.auto
        .models
        .iter()
        .copied()
        .filter(|&m| cat.models[m].enabled)
        .collect()
}

fn auto_pick(
    cat: &Catalog,
    rt: &Routing,
    rr: &mut dyn FnMut() -> u64,
    protocol: Protocol,
    caller: &Caller,
) -> Option<usize> {
    let mut c = auto_candidates(cat, rt);
    c.retain(|&m| cat.models[m].speaks(protocol) && may_use(cat, caller.access, caller.who, m));
    if c.is_empty() {
        return None;
    }
    match rt.auto.strategy {
        AutoStrategy::First => c.first().copied(),
        AutoStrategy::RoundRobin => c.get((rr() % c.len() as u64) as usize).copied(),
    }
}

/// Switches a route to the secure model after a `route_secure_model` hit.
/// Already secure routes stay; no secure model means fail closed (the
/// caller turns it into a content refusal naming the rules).
pub fn to_secure(cat: &Catalog, rt: &Routing, route: &Route) -> Result<Route, ClientError> {
    to_secure_for(cat, rt, route, Protocol::OPENAI)
}

/// `to_secure` for a request in `protocol`: a secure model that cannot
/// read the request is no secure model (fail closed).
pub fn to_secure_for(
    cat: &Catalog,
    rt: &Routing,
    route: &Route,
    protocol: Protocol,
) -> Result<Route, ClientError> {
    if route.secure(cat) {
        return Ok(route.clone());
    }
    rt.secure_model
        .filter(|&m| cat.models[m].enabled && cat.models[m].speaks(protocol))
        .and_then(|m| Route::for_model(cat, m, RouteReason::Secure))
        .ok_or_else(|| {
            ClientError::new(
                ErrorCode::ContentBlocked,
                "Request contains sensitive content and no secure model is available",
            )
        })
}

#[cfg(test)]
mod tests;
