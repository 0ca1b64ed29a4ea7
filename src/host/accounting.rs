//! Response accounting: usage, cost, accounting headers and metrics.

use super::http::{Forwarded, Http, Phase};
use crate::config::schema::PayloadMode;
use crate::openai::usage::Usage;
use crate::{accounting, metrics};
use proxy_wasm::traits::HttpContext;

impl Http {
    /// The response is complete: settle usage and, for a held JSON body,
    /// add the accounting headers before it goes out.
    /// Takes what the stream observer saw. Also called when the request is
    /// logged: a client that hangs up right after `[DONE]` can end the
    /// request before the last body callback, and its usage still counts.
    pub(super) fn settle_stream(&mut self) -> bool {
        let Some(f) = self.forwarded() else {
            return false;
        };
        let Some(st) = &f.obs.stream else {
            return false;
        };
        f.obs.usage = st.usage;
        f.obs.complete = st.done;
        f.obs.unparsed = st.garbage() > 0 || st.usage.is_none();
        true
    }

    pub(super) fn response_done(&mut self, json_body: Vec<u8>, now: u64) {
        let headers = self.cfg.accounting.headers;
        let full = self
            .cfg
            .audit
            .as_ref()
            .is_some_and(|a| a.payloads == PayloadMode::Full);
        if self.settle_stream() {
            return;
        }
        let Some(f) = self.forwarded() else { return };
        f.obs.first_token_ms.get_or_insert(now);
        f.obs.usage = Usage::from_json_body(&json_body);
        if full {
            f.obs.payload_response = Some(json_body);
        }
        f.obs.complete = true;
        f.obs.unparsed = f.obs.usage.is_none();
        if headers && f.buffering {
            let h = self.accounting_headers();
            for (k, v) in h {
                self.set_http_response_header(k, Some(&v));
            }
        }
    }

    pub(super) fn accounting_headers(&self) -> Vec<(&'static str, String)> {
        let Phase::Forwarded(f) = &self.phase else {
            return Vec::new();
        };
        let Some(u) = f.obs.usage else {
            return Vec::new();
        };
        let mut h = Vec::new();
        for (k, v) in [
            ("x-clawgate-prompt-tokens", u.prompt),
            ("x-clawgate-completion-tokens", u.completion),
            ("x-clawgate-total-tokens", u.total),
            ("x-clawgate-cached-tokens", u.cached),
            ("x-clawgate-reasoning-tokens", u.reasoning),
        ] {
            if let Some(v) = v {
                h.push((k, v.to_string()));
            }
        }
        if let Some(c) = self.cost() {
            h.push(("x-clawgate-cost", c.to_decimal_string()));
            if c.priced {
                h.push(("x-clawgate-currency", c.currency));
            }
        }
        h
    }

    /// The model that answered (after any switch).
    pub(super) fn answering_model(&self, f: &Forwarded) -> Option<usize> {
        f.switched_to.or(f.plan.route.model)
    }

    pub(super) fn cost(&self) -> Option<accounting::Cost> {
        let Phase::Forwarded(f) = &self.phase else {
            return None;
        };
        let pricing = self
            .answering_model(f)
            .and_then(|m| self.cfg.models.get(m))
            .and_then(|m| m.pricing.as_ref());
        accounting::cost(&f.obs.usage?, pricing)
    }

    pub(super) fn record_metrics(&mut self) {
        let Phase::Forwarded(f) = &self.phase else {
            if matches!(self.phase, Phase::Replied) && self.blocked {
                self.worker.borrow_mut().metrics.add(metrics::BLOCKED, 1);
            }
            return;
        };
        let route = self.property("route_name").unwrap_or_default();
        let cluster = self.property("cluster_name").unwrap_or_default();
        let model = self
            .answering_model(f)
            .and_then(|m| self.cfg.models.get(m))
            .map_or(f.plan.route.model_name.clone(), |m| m.name.clone());
        let consumer = self.identity.user.clone().unwrap_or_default();
        let cost = self.cost();
        let now = self.now_ms();
        let mut w = self.worker.borrow_mut();
        let m = &mut w.metrics;
        m.add(&metrics::requests(f.plan.route.reason.as_str()), 1);
        for h in &f.plan.risk.hits {
            m.add(
                &metrics::risk_hit(&h.rule, h.action.as_str()),
                u64::from(h.count),
            );
        }
        if let (Some(to), true) = (
            f.switched_to.and_then(|x| self.cfg.models.get(x)),
            f.fallback_trigger.is_some(),
        ) {
            m.add(&metrics::fallback(&f.plan.route.model_name, &to.name), 1);
        }
        let ai = |name: &str| metrics::ai(&route, &cluster, &model, &consumer, name);
        if let Some(u) = f.obs.usage {
            m.add(&ai("input_token"), u.prompt.unwrap_or(0));
            m.add(&ai("output_token"), u.completion.unwrap_or(0));
            m.add(
                &ai("total_token"),
                u.total
                    .unwrap_or(u.prompt.unwrap_or(0) + u.completion.unwrap_or(0)),
            );
        }
        m.add(
            &ai("llm_service_duration"),
            now.saturating_sub(self.started_ms),
        );
        if let Some(t) = f.obs.first_token_ms {
            m.add(
                &ai("llm_first_token_duration"),
                t.saturating_sub(self.started_ms),
            );
        }
        if let Some(c) = cost.filter(|c| c.priced) {
            m.add(&metrics::cost_micros(&model, &c.currency), c.micros());
        }
        if f.obs.unparsed && (200..300).contains(&f.obs.status) {
            m.add(metrics::UNPARSED, 1);
        }
        if f.obs.stream.is_some() && !f.obs.complete {
            m.add(metrics::INCOMPLETE, 1);
        }
    }
}
