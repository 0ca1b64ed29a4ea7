//! Response headers built from the exchange: the routing headers every
//! routed answer carries, and the accounting headers of a non-streamed one.

use super::Flight;
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
            .and_then(|s| cfg.catalog.models.get(s.to))
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
            .and_then(|m| cfg.catalog.models.get(m))
            .and_then(|m| m.pricing.as_ref());
        accounting::cost(&self.obs.usage?, pricing)
    }
}
