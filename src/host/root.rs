//! Root context: owns the parsed config and per-worker state shared with
//! the HTTP contexts it creates, and ships audit batches from `on_tick`.

use super::http::Http;
use super::ids::IdGen;
use super::metrics::Metrics;
use crate::audit::queue::AuditQueue;
use crate::config::{self, AuditConfig, PluginConfig};
use crate::metrics as names;
use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::ContextType;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, UNIX_EPOCH};

/// State every HTTP context of this worker reaches through an `Rc`.
#[derive(Default)]
pub struct Worker {
    pub ids: IdGen,
    pub metrics: Metrics,
    /// Records waiting for the sidecar (per worker; each ships its own).
    pub audit: Option<AuditQueue>,
}

#[derive(Default)]
pub struct Root {
    config: Option<Rc<PluginConfig>>,
    worker: Rc<RefCell<Worker>>,
    audit: Option<AuditConfig>,
    /// Counters already reported, so metrics get deltas.
    reported: (u64, u64, u64),
}

impl Root {
    fn now_ms(&self) -> u64 {
        self.get_current_time()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64)
    }

    fn report_audit_metrics(&mut self) {
        let mut w = self.worker.borrow_mut();
        let Some(q) = &w.audit else { return };
        let (sent, failed, dropped) = (q.sent, q.failed_batches, q.dropped);
        let (s0, f0, d0) = self.reported;
        self.reported = (sent, failed, dropped);
        w.metrics.add(names::AUDIT_SENT, sent - s0);
        w.metrics.add(names::AUDIT_FAILED, failed - f0);
        w.metrics.add(names::AUDIT_DROPPED, dropped - d0);
    }
}

impl Context for Root {
    fn on_http_call_response(
        &mut self,
        _token: u32,
        _headers: usize,
        _body: usize,
        _trailers: usize,
    ) {
        let status = self
            .get_http_call_response_header_bytes(":status")
            .and_then(|b| String::from_utf8_lossy(&b).parse::<u32>().ok())
            .unwrap_or(0);
        let now = self.now_ms();
        if let Some(q) = &mut self.worker.borrow_mut().audit {
            if (200..300).contains(&status) {
                q.on_success();
            } else {
                log::warn!(
                    "clawgate: audit batch refused by the sidecar (status {status}); will retry"
                );
                q.on_failure(now);
            }
        }
        self.report_audit_metrics();
    }
}

impl RootContext for Root {
    fn on_configure(&mut self, _size: usize) -> bool {
        let bytes = self.get_plugin_configuration().unwrap_or_default();
        match config::parse_json(&bytes) {
            Ok(pc) => {
                log::info!(
                    "clawgate: configured {} providers, {} models, {} route rules",
                    pc.global.providers.len(),
                    pc.global.models.len(),
                    pc.rules.len()
                );
                self.audit = pc.global.audit.clone();
                if let Some(a) = &self.audit {
                    let mut w = self.worker.borrow_mut();
                    // a reconfigure keeps records already queued
                    if w.audit.is_none() {
                        w.audit = Some(AuditQueue::new(a.buffer_max_records, a.batch_max));
                    }
                    self.set_tick_period(Duration::from_millis(a.flush_interval_ms));
                }
                self.config = Some(Rc::new(pc));
                true
            }
            Err(errs) => {
                // Rejecting keeps the previous config (never half-applied).
                for e in errs {
                    log::error!("clawgate: invalid configuration: {e}");
                }
                false
            }
        }
    }

    fn on_tick(&mut self) {
        let Some(a) = self.audit.clone() else { return };
        let now = self.now_ms();
        let body = match &mut self.worker.borrow_mut().audit {
            Some(q) => q.take_batch(now),
            None => None,
        };
        if let Some(body) = body {
            let auth = a.token.as_ref().map(|t| format!("Bearer {t}"));
            let mut headers = vec![
                (":method", "POST"),
                (":path", a.path.as_str()),
                (":authority", a.authority.as_str()),
                ("content-type", "application/json"),
            ];
            if let Some(v) = auth.as_deref() {
                headers.push(("authorization", v));
            }
            let sent = self.dispatch_http_call(
                &a.cluster,
                headers,
                Some(&body),
                vec![],
                Duration::from_millis(a.timeout_ms),
            );
            if sent.is_err() {
                log::warn!(
                    "clawgate: cannot dispatch audit batch to cluster `{}`; will retry",
                    a.cluster
                );
                if let Some(q) = &mut self.worker.borrow_mut().audit {
                    q.on_failure(now);
                }
            }
        }
        self.report_audit_metrics();
    }

    fn create_http_context(&self, context_id: u32) -> Option<Box<dyn HttpContext>> {
        let config = self.config.clone()?;
        Some(Box::new(Http::new(context_id, config, self.worker.clone())))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}
