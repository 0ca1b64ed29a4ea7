//! Root context: owns the parsed config and the worker state shared with
//! the HTTP contexts it creates, and ships audit batches from `on_tick`.

use super::http::Http;
use super::worker::Worker;
use crate::audit::queue::{batch_headers, AuditQueue};
use crate::config::{self, AuditConfig, PluginConfig};
use crate::metrics::{self, Every};
use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::ContextType;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, UNIX_EPOCH};

#[derive(Default)]
pub struct Root {
    config: Option<Rc<PluginConfig>>,
    worker: Rc<RefCell<Worker>>,
    audit: Option<AuditConfig>,
    /// When the next audit batch may go.
    ship: Every,
}

impl Root {
    fn now_ms(&self) -> u64 {
        self.get_current_time()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64)
    }

    /// Applies a batch outcome (status 0: not sent).
    fn batch_done(&mut self, status: u32) {
        let now = self.now_ms();
        if let Some(q) = &mut self.worker.borrow_mut().audit {
            if !q.on_response(status, now) {
                log::warn!(
                    "clawgate: audit batch not taken by the sidecar (status {status}); will retry"
                );
            }
        }
        self.report_counters();
    }

    fn ship_audit(&mut self, now: u64) {
        let Some(a) = self.audit.clone() else { return };
        let body = match &mut self.worker.borrow_mut().audit {
            Some(q) => q.take_batch(now),
            None => None,
        };
        let Some(body) = body else { return };
        let headers = batch_headers(&a);
        let sent = self.dispatch_http_call(
            &a.cluster,
            headers.iter().map(|(k, v)| (*k, v.as_str())).collect(),
            Some(&body),
            vec![],
            Duration::from_millis(a.timeout_ms),
        );
        if sent.is_err() {
            log::warn!(
                "clawgate: cannot dispatch audit batch to cluster `{}`; will retry",
                a.cluster
            );
            self.batch_done(0);
        }
    }

    /// Audit sent/failed/dropped counters, as deltas since the last report.
    fn report_counters(&mut self) {
        let mut w = self.worker.borrow_mut();
        let Worker { audit, metrics, .. } = &mut *w;
        if let Some(q) = audit {
            for (name, n) in q.counter_deltas() {
                metrics.add(name, n);
            }
        }
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
            .and_then(|b| String::from_utf8_lossy(&b).trim().parse::<u32>().ok())
            .unwrap_or(0);
        self.batch_done(status);
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
                // The token may come from the VM environment (a Secret
                // under Higress); the host reads it, the config decides.
                let audit = pc
                    .audit()
                    .cloned()
                    .map(|mut a| {
                        a.token = a.resolve_token(&|k| std::env::var(k).ok())?;
                        Ok::<_, String>(a)
                    })
                    .transpose();
                self.audit = match audit {
                    Ok(a) => a,
                    Err(e) => {
                        log::error!("clawgate: invalid configuration: {e}");
                        return false;
                    }
                };
                let tick = metrics::tick_ms(self.audit.as_ref().map(|a| a.flush_interval_ms));
                if let Some(a) = &self.audit {
                    let mut w = self.worker.borrow_mut();
                    // a reconfigure keeps records already queued
                    w.audit
                        .get_or_insert_with(|| AuditQueue::new(a.buffer_max_records, a.batch_max));
                    self.ship = Every::new(a.flush_interval_ms, tick);
                }
                self.set_tick_period(Duration::from_millis(tick));
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

    /// Ships an audit batch when one is due, then hands the counters to
    /// Envoy.
    fn on_tick(&mut self) {
        let now = self.now_ms();
        if self.ship.due(now) {
            self.ship_audit(now);
        }
        self.report_counters();
        self.worker.borrow_mut().metrics.flush();
    }

    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        let config = self.config.clone()?;
        Some(Box::new(Http::new(config, self.worker.clone())))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}
