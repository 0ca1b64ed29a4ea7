//! The audit record of a request, from what the filter saw.

use super::http::{clip_payload, Http, Phase};
use crate::audit::record::{self, AuditRecord};
use crate::config::schema::PayloadMode;

impl Http {
    /// The request's audit record, from what the filter saw.
    pub(super) fn audit_record(&self) -> AuditRecord {
        let now = self.now_ms();
        let id = &self.identity;
        let mut r = AuditRecord {
            request_id: self.request_id.clone(),
            trace_id: id.trace.clone(),
            session_id: id.session.clone(),
            user: id.user.clone(),
            instance: id.instance.clone(),
            started_ms: self.started_ms,
            finished_ms: now,
            duration_ms: now.saturating_sub(self.started_ms),
            path: self.path.clone().unwrap_or_default(),
            config_hash: self.cfg.hash.clone(),
            ..Default::default()
        };
        match &self.phase {
            Phase::Forwarded(f) => {
                let cfg = &self.cfg;
                let answering = self.answering_model(f);
                let model = answering.and_then(|m| cfg.models.get(m));
                r.stream = f.plan.stream;
                r.model_requested = Some(f.plan.requested_model.clone());
                r.model_used =
                    Some(model.map_or(f.plan.route.model_name.clone(), |m| m.name.clone()));
                let provider = model.map_or(f.plan.route.provider, |m| m.provider);
                r.provider = cfg.providers.get(provider).map(|p| p.name.clone());
                r.secure = model.map_or_else(|| f.plan.route.secure(cfg), |m| m.secure);
                r.route_reason = Some(f.plan.route.reason.as_str().to_string());
                r.risk = record::Risk::from(&f.plan.risk);
                r.attempts = f.attempts.iter().map(record::AttemptRecord::from).collect();
                r.status = f.obs.status as u16;
                r.first_token_ms = f
                    .obs
                    .first_token_ms
                    .map(|t| t.saturating_sub(self.started_ms));
                if f.obs.status >= 400 {
                    r.error = Some("upstream_error".to_string());
                } else if f.obs.status == 0 {
                    r.error = Some("client_disconnected".to_string());
                }
                if let Some(u) = f.obs.usage {
                    r.usage = record::UsageRecord::from(&u);
                }
                r.usage_complete = f.obs.complete;
                if let Some(c) = self.cost() {
                    r.cost = Some(c.to_decimal_string());
                    r.cost_micros = Some(c.micros());
                    r.currency = c.priced.then_some(c.currency);
                }
                if let Some(a) = cfg
                    .audit
                    .as_ref()
                    .filter(|a| a.payloads == PayloadMode::Full)
                {
                    r.request_payload = f
                        .payload_request
                        .as_deref()
                        .map(|b| clip_payload(b, a.max_payload_bytes));
                    r.response_payload = f
                        .obs
                        .stream
                        .as_ref()
                        .and_then(|s| s.captured().map(str::to_string))
                        .or_else(|| {
                            f.obs
                                .payload_response
                                .as_deref()
                                .map(|b| clip_payload(b, a.max_payload_bytes))
                        });
                }
            }
            _ => {
                if let Some(x) = &self.refused {
                    r.status = x.status as u16;
                    r.error = Some(x.code.to_string());
                    r.model_requested = x.requested_model.clone();
                    r.risk = record::Risk::from(&x.risk);
                }
                r.usage_complete = true;
            }
        }
        r
    }
}
