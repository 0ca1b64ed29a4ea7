//! Model resolution: request + identity + config -> route decision and the
//! reason for it. First match wins: assignment, auto, explicit, predicate,
//! default provider; otherwise 404.

use crate::config::{schema::AutoStrategy, Config};
use crate::wire::Protocol;
use crate::wire::{ClientError, ErrorCode};

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
    pub fn for_model(cfg: &Config, idx: usize, reason: RouteReason) -> Option<Route> {
        let m = cfg.models.get(idx)?;
        Some(Route {
            model: Some(idx),
            model_name: m.name.clone(),
            upstream_model: m.upstream_model.clone(),
            provider: m.provider,
            reason,
        })
    }

    pub fn secure(&self, cfg: &Config) -> bool {
        match self.model {
            Some(m) => cfg.models.get(m).is_some_and(|m| m.secure),
            None => cfg.providers.get(self.provider).is_some_and(|p| p.secure),
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
}

/// Resolves the requested model name. `rr` yields the shared round-robin
/// counter; it is called only for `auto` with the round_robin strategy.
pub fn resolve(
    cfg: &Config,
    requested: &str,
    caller: &Caller,
    rr: &mut dyn FnMut() -> u64,
) -> Result<Route, ClientError> {
    resolve_for(cfg, requested, caller, rr, Protocol::Openai)
}

/// `resolve` for a request in wire format `protocol`: `auto` picks among
/// the models that accept it; any other route to a model (or provider)
/// that does not is refused, never sent.
pub fn resolve_for(
    cfg: &Config,
    requested: &str,
    caller: &Caller,
    rr: &mut dyn FnMut() -> u64,
    protocol: Protocol,
) -> Result<Route, ClientError> {
    let route = pick(cfg, requested, caller, rr, protocol)?;
    if !cfg.route_speaks(route.model, route.provider, protocol) {
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
    cfg: &Config,
    requested: &str,
    caller: &Caller,
    rr: &mut dyn FnMut() -> u64,
    protocol: Protocol,
) -> Result<Route, ClientError> {
    let is_auto = requested == cfg.auto.model_name;
    if let (Some(asg), Some(who)) = (&cfg.assignments, caller.assignee) {
        if is_auto || asg.enforce {
            if let Some(m) = asg.lookup(who).filter(|&m| cfg.models[m].enabled) {
                if let Some(r) = Route::for_model(cfg, m, RouteReason::Assignment) {
                    return Ok(r);
                }
            }
        }
    }
    if is_auto {
        return auto_pick(cfg, rr, protocol)
            .and_then(|m| Route::for_model(cfg, m, RouteReason::Auto))
            .ok_or_else(|| {
                ClientError::new(
                    ErrorCode::NoModelAvailable,
                    "No enabled model is available for `auto`",
                )
            });
    }
    if let Some(m) = cfg.find_model(requested) {
        if !cfg.models[m].enabled {
            return Err(ClientError::model_not_found(requested));
        }
        if let Some(r) = Route::for_model(cfg, m, RouteReason::Explicit) {
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
    if let Some(p) = cfg.predicates.iter().find(|p| p.matches(requested)) {
        return Ok(passthrough(p.provider, RouteReason::Predicate));
    }
    if let Some(p) = cfg.default_provider {
        return Ok(passthrough(p, RouteReason::DefaultProvider));
    }
    Err(ClientError::model_not_found(requested))
}

/// The auto candidates that are enabled, in configured order.
pub fn auto_candidates(cfg: &Config) -> Vec<usize> {
    cfg.auto
        .models
        .iter()
        .copied()
        .filter(|&m| cfg.models[m].enabled)
        .collect()
}

fn auto_pick(cfg: &Config, rr: &mut dyn FnMut() -> u64, protocol: Protocol) -> Option<usize> {
    let mut c = auto_candidates(cfg);
    c.retain(|&m| cfg.models[m].speaks(protocol));
    if c.is_empty() {
        return None;
    }
    match cfg.auto.strategy {
        AutoStrategy::First => c.first().copied(),
        AutoStrategy::RoundRobin => c.get((rr() % c.len() as u64) as usize).copied(),
    }
}

/// Switches a route to the secure model after a `route_secure_model` hit.
/// Already secure routes stay; no secure model means fail closed (the
/// caller turns it into a content refusal naming the rules).
pub fn to_secure(cfg: &Config, route: &Route) -> Result<Route, ClientError> {
    to_secure_for(cfg, route, Protocol::Openai)
}

/// `to_secure` for a request in `protocol`: a secure model that cannot
/// read the request is no secure model (fail closed).
pub fn to_secure_for(
    cfg: &Config,
    route: &Route,
    protocol: Protocol,
) -> Result<Route, ClientError> {
    if route.secure(cfg) {
        return Ok(route.clone());
    }
    cfg.secure_model
        .filter(|&m| cfg.models[m].enabled && cfg.models[m].speaks(protocol))
        .and_then(|m| Route::for_model(cfg, m, RouteReason::Secure))
        .ok_or_else(|| {
            ClientError::new(
                ErrorCode::ContentBlocked,
                "Request contains sensitive content and no secure model is available",
            )
        })
}

#[cfg(test)]
mod tests;
