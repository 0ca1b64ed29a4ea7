//! What a finished request reports: counter deltas for Envoy stats and
//! the audit record, both pure functions of the exchange.

use super::{Attr, Exchange, Response, State};
use crate::accounting::Cost;
use crate::audit::record::{self, AuditRecord};
use crate::label_cap::Labels;
use crate::metrics;
use crate::wire::ErrorCode;
use std::mem::take;

impl Exchange {
    /// Counter deltas. `attr` reads Envoy attributes (`route_name`,
    /// `cluster_name`), only for forwarded requests; `cost` is the
    /// forwarded request's (`Flight::cost`, worked out once for the log).
    pub(super) fn metrics(
        &self,
        now_ms: u64,
        attr: &dyn Fn(Attr) -> Option<String>,
        labels: &mut Labels,
        cost: Option<&Cost>,
    ) -> Vec<(String, u64)> {
        let f = match &self.state {
            State::Forwarded(f) => f,
            State::Refused { refusal: r, .. }
                if matches!(
                    r.error.code,
                    ErrorCode::ContentBlocked | ErrorCode::UngovernedPath
                ) =>
            {
                return vec![(metrics::BLOCKED.to_string(), 1)];
            }
            State::Refused { refusal: r, .. } => {
                return r
                    .budget
                    .as_deref()
                    .and_then(crate::budget::Verdict::note)
                    .map(|(outcome, limit)| (metrics::budget(limit, outcome), 1))
                    .into_iter()
                    .collect();
            }
            _ => return Vec::new(),
        };
        let cfg = &self.cfg;
        let Labels { consumers, models } = labels;
        // a configured model keeps its name; a pass-through one is the
        // client's choice, so it is capped like consumers
        let mut passthrough = |name: &str| models.label(name, cfg.metrics.max_models).to_string();
        let answering = f.answering_model().and_then(|m| cfg.catalog.models.get(m));
        let model =
            answering.map_or_else(|| passthrough(&f.plan.route.model_name), |m| m.name.clone());
        // room for the usual ones: the request, the ai-statistics family, the cost
        let mut out = Vec::with_capacity(12);
        out.push((metrics::requests(f.plan.route.reason.as_str()), 1));
        if let Some((outcome, limit)) = f.plan.budget.note() {
            out.push((metrics::budget(limit, outcome), 1));
        }
        for h in &f.plan.risk.hits {
            // a shadow hit counts under `action.shadow_<action>`
            let action = if h.shadow {
                format!("shadow_{}", h.action.as_str())
            } else {
                h.action.as_str().to_string()
            };
            out.push((metrics::risk_hit(&h.rule, &action), u64::from(h.count)));
        }
        if let Some(to) = f.switch.and_then(|s| cfg.catalog.models.get(s.to)) {
            let from = match f.plan.route.model {
                Some(_) => f.plan.route.model_name.clone(),
                None => passthrough(&f.plan.route.model_name),
            };
            out.push((metrics::fallback(&from, &to.name), 1));
        }
        let streamed = match &f.response {
            Response::Relaying(super::Relay::Sse(_)) => true,
            Response::Answered { stream, .. } => stream.is_some(),
            _ => false,
        };
        let cluster = attr(Attr::ClusterName).unwrap_or_default();
        if let (true, Some(u)) = (
            metrics::emits_ai_family(cfg.metrics.ai_statistics, &cluster),
            f.obs.usage,
        ) {
            // The label values ai-statistics uses: raw route and cluster
            // names, the model sent upstream, the x-mse-consumer header.
            let labels = metrics::AiLabels {
                route: attr(Attr::RouteName).unwrap_or_default(),
                cluster,
                model: answering.map_or_else(
                    || passthrough(&f.plan.route.model_name),
                    |m| m.upstream_model.clone(),
                ),
                // capped: a client header must not grow stats without bound
                consumer: match self.client.get("x-mse-consumer") {
                    Some(c) if !c.is_empty() => {
                        consumers.label(&c, cfg.metrics.max_consumers).to_string()
                    }
                    _ => String::new(),
                },
            };
            let started = self.started_ms;
            let first_token = f.obs.first_token_ms.filter(|_| streamed);
            out.extend(labels.family(
                &u,
                now_ms.saturating_sub(started),
                first_token.map(|t| t.saturating_sub(started)),
            ));
        }
        if let Some(c) = cost.filter(|c| c.priced) {
            out.push((metrics::cost_micros(&model, &c.currency), c.micros()));
        }
        if f.obs.unparsed && (200..300).contains(&f.obs.status) {
            out.push((metrics::UNPARSED.to_string(), 1));
        }
        if streamed && !f.obs.complete {
            out.push((metrics::INCOMPLETE.to_string(), 1));
        }
        out.retain(|(_, n)| *n > 0);
        out
    }

    /// The request's audit record, from what the exchange saw (`cost` as
    /// for `metrics`). The log is the exchange's last step, so the strings
    /// it owns move into the record instead of being copied: the exchange
    /// is left without its id, identity, attempts and payloads.
    pub(super) fn audit_record(&mut self, now_ms: u64, cost: Option<Cost>) -> AuditRecord {
        let id = &mut self.identity;
        let mut r = AuditRecord {
            request_id: take(&mut self.request_id),
            trace_id: take(&mut id.trace),
            session_id: take(&mut id.session),
            user: take(&mut id.user),
            instance: take(&mut id.instance),
            started_ms: self.started_ms,
            finished_ms: now_ms,
            duration_ms: now_ms.saturating_sub(self.started_ms),
            path: record::redact_query(&self.client.text(":path").unwrap_or_default()),
            config_hash: self.cfg.hash.clone(),
            usage_complete: true,
            ..Default::default()
        };
        let f = match &mut self.state {
            State::Forwarded(f) => f,
            State::Refused { refusal: x, sent } => {
                // a refusal answered as a message is a 200 whose `error`
                // still says it was refused
                r.status = u16::try_from(*sent).unwrap_or(0);
                r.stream = x.stream;
                r.error = Some(x.error.code.as_str().to_string());
                r.model_requested = x.requested_model.clone();
                r.risk = record::Risk::from(&x.risk);
                r.budget = x.budget.as_deref().and_then(record::BudgetRecord::of);
                r.access = x.access.as_ref().map(|d| access_record(d, 0));
                r.rate_limit = x.rate_limit.clone();
                return r;
            }
            State::Untracked | State::Sniffing | State::AwaitingBody(_) => return r,
        };
        let cfg = &self.cfg;
        let model = f.answering_model().and_then(|m| cfg.catalog.models.get(m));
        r.stream = f.plan.stream;
        r.model_requested = Some(take(&mut f.plan.requested_model));
        r.model_used = Some(model.map_or(f.plan.route.model_name.clone(), |m| m.name.clone()));
        let provider = model.map_or(f.plan.route.provider, |m| m.provider);
        r.provider = cfg.catalog.providers.get(provider).map(|p| p.name.clone());
        r.secure = model.map_or_else(|| f.plan.route.secure(&cfg.catalog), |m| m.secure);
        r.route_reason = Some(f.plan.route.reason.as_str().to_string());
        r.risk = record::Risk::from(&f.plan.risk);
        r.budget = record::BudgetRecord::of(&f.plan.budget);
        r.access = f
            .plan
            .access
            .as_ref()
            .map(|d| access_record(d, f.plan.access_skipped));
        r.attempts = take(&mut f.attempts)
            .into_iter()
            .map(|a| record::AttemptRecord {
                model: a.model,
                provider: a.provider,
                status: u16::try_from(a.status).unwrap_or(0),
                duration_ms: a.duration_ms,
            })
            .collect();
        r.status = u16::try_from(f.obs.status).unwrap_or(0);
        r.first_token_ms = f
            .obs
            .first_token_ms
            .map(|t| t.saturating_sub(self.started_ms));
        if f.obs.status >= 400 {
            r.error = Some("upstream_error".to_string());
        } else if f.obs.status == 0 {
            r.error = Some("client_disconnected".to_string());
        } else if f.obs.stream_error {
            r.error = Some("upstream_stream_error".to_string());
        }
        if let Some(u) = f.obs.usage {
            r.usage = record::UsageRecord::from(&u);
        }
        r.usage_complete = f.obs.complete;
        r.usage_estimated = f.obs.estimated;
        if let Some(c) = cost {
            r.cost = Some(c.to_decimal_string());
            r.cost_micros = Some(c.micros());
            r.currency = c.priced.then_some(c.currency);
        }
        // Payloads were kept (clipped) only with `payloads: full`.
        r.request_payload = take(&mut f.payload_request);
        let captured = match &f.response {
            Response::Relaying(super::Relay::Sse(st)) => st.captured(),
            Response::Answered {
                stream: Some(st), ..
            } => st.captured(),
            _ => None,
        };
        r.response_payload = captured
            .map(str::to_string)
            .or_else(|| take(&mut f.obs.payload_response));
        r
    }
}

fn access_record(d: &crate::access::Decision, skipped: u32) -> record::AccessRecord {
    record::AccessRecord {
        rule: d.rule.clone().unwrap_or_else(|| "access.default".into()),
        outcome: if d.allow { "allowed" } else { "denied" }.into(),
        skipped,
    }
}
