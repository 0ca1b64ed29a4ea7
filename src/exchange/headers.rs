//! Response headers built from the exchange: the routing headers every
//! routed answer carries, and the accounting headers of a non-streamed one.

use super::{Effect, Flight};
use crate::accounting::{self, Cost};
use crate::config::Config;

impl Flight {
    /// `x-gateway-*` and `x-clawgate-*` routing headers, upstream answer
    /// or the filter's own fallback answer alike.
    pub(super) fn route_headers(
        &self,
        cfg: &Config,
        request_id: &str,
    ) -> Vec<(&'static str, String)> {
        let route = &self.plan.route;
        let used = self
            .switch
            .and_then(|s| cfg.models.get(s.to))
            .map_or(route.model_name.clone(), |m| m.name.clone());
        let mut h = vec![
            ("x-gateway-model-used", used),
            (
                "x-gateway-attempt-count",
                self.attempts.len().max(1).to_string(),
            ),
            (
                "x-gateway-switched",
                if self.switch.is_some() { "1" } else { "0" }.to_string(),
            ),
            ("x-clawgate-route-reason", route.reason.as_str().to_string()),
            ("x-clawgate-request-id", request_id.to_string()),
        ];
        if let Some(a) = self.plan.risk.action {
            h.push(("x-clawgate-risk-action", a.as_str().to_string()));
        }
        if let Some(b) = self.plan.budget.header() {
            h.push(("x-clawgate-budget", b));
        }
        if let Some(a) = self.plan.risk.shadow_action {
            h.push(("x-clawgate-risk-shadow", a.as_str().to_string()));
        }
        h
    }

    /// `route_headers` as edits.
    pub(super) fn route_header_edits(&self, cfg: &Config, request_id: &str) -> Vec<Effect> {
        self.route_headers(cfg, request_id)
            .into_iter()
            .map(|(k, v)| Effect::SetResponseHeader(k, v))
            .collect()
    }

    /// Token counts and cost; nothing when usage is unknown.
    pub(super) fn accounting_headers(&self, cfg: &Config) -> Vec<(&'static str, String)> {
        let Some(u) = self.obs.usage else {
            return Vec::new();
        };
        let mut h: Vec<(&'static str, String)> = [
            ("x-clawgate-prompt-tokens", u.prompt),
            ("x-clawgate-completion-tokens", u.completion),
            ("x-clawgate-total-tokens", u.total),
            ("x-clawgate-cached-tokens", u.cached),
            ("x-clawgate-reasoning-tokens", u.reasoning),
        ]
        .into_iter()
        .filter_map(|(k, v)| Some((k, v?.to_string())))
        .collect();
        if let Some(c) = self.cost(cfg) {
            h.push(("x-clawgate-cost", c.to_decimal_string()));
            if c.priced {
                h.push(("x-clawgate-currency", c.currency));
            }
        }
        h
    }

    /// Cost at the answering model's prices.
    pub(super) fn cost(&self, cfg: &Config) -> Option<Cost> {
        let pricing = self
            .answering_model()
            .and_then(|m| cfg.models.get(m))
            .and_then(|m| m.pricing.as_ref());
        accounting::cost(&self.obs.usage?, pricing)
    }
}

/// Which header map an edit is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Request,
    Response,
}

/// From this many edits of one map in one callback, the host replaces the
/// map once instead of making one hostcall per header (about a
/// microsecond each under V8). A replacement costs one hostcall plus
/// Envoy removing and re-adding every header, which is cheaper only when
/// it stands in for several calls.
pub const FOLD_MIN: usize = 3;

/// A header edit of `side`: its name and the new value (`None` removes).
fn edit(side: Side, e: &Effect) -> Option<(&str, Option<&str>)> {
    match (side, e) {
        (Side::Request, Effect::SetRequestHeader(k, v)) => Some((k, Some(v))),
        (Side::Request, Effect::RemoveRequestHeader(k)) => Some((k, None)),
        (Side::Response, Effect::SetResponseHeader(k, v)) => Some((k, Some(v))),
        (Side::Response, Effect::RemoveResponseHeader(k)) => Some((k, None)),
        _ => None,
    }
}

/// `effects` with their `side` header edits folded into one map
/// replacement: `base` (the whole map as the filter read it, pseudo-headers
/// included) with each edit applied in order, where the first edit stood.
/// Below `FOLD_MIN` edits, `effects` unchanged. An edit sets or removes
/// every entry of its name, as Envoy's replace and remove do; other
/// repeated headers (`set-cookie`) stay as they were.
pub fn fold(side: Side, base: &[(String, Vec<u8>)], effects: Vec<Effect>) -> Vec<Effect> {
    if effects.iter().filter(|e| edit(side, e).is_some()).count() < FOLD_MIN {
        return effects;
    }
    let mut map = base.to_vec();
    let mut out = Vec::with_capacity(effects.len());
    let mut at = None;
    for e in effects {
        let Some((name, value)) = edit(side, &e) else {
            out.push(e);
            continue;
        };
        let name = name.to_ascii_lowercase();
        map.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
        if let Some(v) = value {
            map.push((name, v.as_bytes().to_vec()));
        }
        at.get_or_insert(out.len());
    }
    let whole = match side {
        Side::Request => Effect::ReplaceRequestHeaders(map),
        Side::Response => Effect::ReplaceResponseHeaders(map),
    };
    out.insert(at.unwrap_or(out.len()), whole);
    out
}
