//! Root context: owns the parsed config and the worker state shared with
//! the HTTP contexts it creates, and ships audit batches from `on_tick`.
//! Hostcalls go through `abi` (the SDK's `dispatch_http_call` excepted:
//! only it registers the answer's token); an HTTP call that failed is
//! status 0.

use super::abi::{self, Buffer};
use super::http::{call_response, unix_ms, CallAnswer, Http};
use super::worker::Worker;
use crate::audit::queue::{batch_headers, AuditQueue};
use crate::budget::{Budgets, Snapshot};
use crate::config::{self, AuditConfig, PluginConfig};
use crate::metrics::{self, Every};
use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::ContextType;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

#[derive(Default)]
pub struct Root {
    config: Option<Rc<PluginConfig>>,
    worker: Rc<RefCell<Worker>>,
    audit: Option<AuditConfig>,
    /// When counters next go to Envoy.
    counters: Every,
    budgets: Option<Budgets>,
    /// The spend query's body, built once per config.
    budget_query: Vec<u8>,
    /// When the next budget pull may go, and the one in flight.
    pull: Every,
    pull_call: Option<u32>,
    /// Shared-data key other workers read the state from.
    budget_key: String,
    /// The config for the sidecar's history (redacted), until it took it.
    history: Option<Vec<u8>>,
    history_call: Option<u32>,
    history_retry: Every,
}

impl Root {
    fn now_ms(&self) -> u64 {
        unix_ms()
    }

    /// Applies a batch outcome (status 0: not sent).
    fn batch_done(&mut self, status: u32) {
        let now = self.now_ms();
        if let Some(q) = &mut self.worker.borrow_mut().audit {
            use crate::audit::queue::Answer;
            match q.on_response(status, now) {
                Answer::Taken => {}
                Answer::Retry => log::warn!(
                    "clawgate: audit batch not taken by the sidecar (status {status}); will retry"
                ),
                Answer::Split => log::warn!(
                    "clawgate: audit batch refused by the sidecar (status {status}); sending it in halves"
                ),
                Answer::Quarantined => log::warn!(
                    "clawgate: the sidecar refused one audit record (status {status}); storing a quarantined stub"
                ),
                Answer::StubDropped => log::error!(
                    "clawgate: the sidecar refused a quarantine stub (status {status}); dropped"
                ),
            }
        }
        self.report_counters();
        // a full batch waiting goes now, not at the next tick
        self.ship_audit(now);
    }

    /// Runs on every tick and answer: the config is only read once a
    /// batch is due.
    fn ship_audit(&mut self, now: u64) {
        let body = match &mut self.worker.borrow_mut().audit {
            Some(q) => q.take_due(now),
            None => None,
        };
        let (Some(body), Some(a)) = (body, &self.audit) else {
            return;
        };
        let headers = batch_headers(a);
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

    fn pull_budgets(&mut self) {
        let (Some(b), Some(a)) = (&self.budgets, &self.audit) else {
            return;
        };
        let headers = b.pull_headers(a);
        match self.dispatch_http_call(
            &a.cluster,
            headers.iter().map(|(k, v)| (*k, v.as_str())).collect(),
            Some(&self.budget_query),
            vec![],
            Duration::from_millis(a.timeout_ms),
        ) {
            Ok(token) => self.pull_call = Some(token),
            Err(_) => log::warn!("clawgate: cannot pull budgets from `{}`", a.cluster),
        }
    }

    fn send_history(&mut self) {
        let (Some(a), Some(body)) = (&self.audit, &self.history) else {
            return;
        };
        let mut headers = batch_headers(a);
        for (k, v) in &mut headers {
            if *k == ":path" {
                *v = config::redact::HISTORY_PATH.to_string();
            }
        }
        if let Ok(token) = self.dispatch_http_call(
            &a.cluster,
            headers.iter().map(|(k, v)| (*k, v.as_str())).collect(),
            Some(body),
            vec![],
            Duration::from_millis(a.timeout_ms),
        ) {
            self.history_call = Some(token);
        }
    }

    /// The sidecar's budget answer: kept, and shared with the other workers.
    fn budgets_pulled(&mut self, status: u32, body: Vec<u8>) {
        self.pull_call = None;
        let now = self.now_ms();
        let body = if status == 200 { body } else { Vec::new() };
        let Some(snap) = Snapshot::from_sidecar(&body, now) else {
            // the last known state holds until it is stale
            log::warn!("clawgate: budget pull failed (status {status}); keeping the last state");
            return;
        };
        let shared = Snapshot::shared_bytes(&body, now);
        let _ = abi::set_shared_data(&self.budget_key, &shared, 0);
        self.worker.borrow_mut().budget = Some(std::rc::Rc::new(snap));
    }

    /// Adopts a newer state another worker pulled.
    fn adopt_shared_budgets(&mut self) {
        if self.budgets.is_none() {
            return;
        }
        let Ok((Some(bytes), _)) = abi::shared_data(&self.budget_key) else {
            return;
        };
        let mut w = self.worker.borrow_mut();
        if let Some(s) = Snapshot::newer(w.budget.as_ref(), &bytes) {
            w.budget = Some(std::rc::Rc::new(s));
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
    /// A failed call (no headers) is status 0 to each: the audit batch is
    /// retried, a budget pull keeps the last state, the history is sent
    /// again at the next retry tick.
    fn on_http_call_response(
        &mut self,
        token: u32,
        num_headers: usize,
        body_size: usize,
        _trailers: usize,
    ) {
        let CallAnswer { status, body, .. } = call_response(num_headers, body_size);
        if self.pull_call == Some(token) {
            self.budgets_pulled(status, body);
        } else if self.history_call == Some(token) {
            self.history_call = None;
            if (200..300).contains(&status) {
                self.history = None;
            }
        } else {
            self.batch_done(status);
        }
    }
}

impl RootContext for Root {
    fn on_configure(&mut self, _size: usize) -> bool {
        let bytes = abi::buffer(Buffer::PluginConfiguration, usize::MAX).unwrap_or_default();
        // `api_key_env`: WASI environ, which Envoy fills from
        // `vm_config.environment_variables`.
        let env = |k: &str| std::env::var(k).ok();
        match config::parse_json_env(&bytes, Some(&env)) {
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
                    let flush = Every::new(a.flush_interval_ms, tick);
                    // a reconfigure keeps records already queued
                    match &mut w.audit {
                        Some(q) => q.configure(a.buffer_max_records, a.batch_max, flush),
                        None => {
                            w.audit =
                                Some(AuditQueue::new(a.buffer_max_records, a.batch_max, flush));
                        }
                    }
                }
                self.counters = Every::new(metrics::FLUSH_INTERVAL_MS, tick);
                // each worker sends it; the sidecar keeps one per hash
                self.history = self
                    .audit
                    .as_ref()
                    .and_then(|_| config::redact::history_body(&bytes, &pc.global.hash));
                self.history_retry = Every::new(5000, tick);
                self.budgets = pc.global.budgets.clone();
                if let Some(b) = &self.budgets {
                    self.budget_query = serde_json::to_vec(&b.query()).unwrap_or_default();
                    self.pull = Every::new(b.pull_interval_ms, tick);
                    self.budget_key = format!("clawgate.budget.{}", pc.global.hash);
                }
                if let Err(e) = abi::set_tick_period_ms(tick) {
                    // without ticks nothing ships; say so rather than trap
                    log::error!("clawgate: cannot set the tick period ({e:?})");
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

    /// Ships an audit batch when one is due, then hands the counters to
    /// Envoy once a second.
    fn on_tick(&mut self) {
        let now = self.now_ms();
        self.ship_audit(now);
        if self.history.is_some() && self.history_call.is_none() && self.history_retry.due(now) {
            self.send_history();
        }
        if self.budgets.is_some() {
            self.adopt_shared_budgets();
            if self.pull_call.is_none() && self.pull.due(now) {
                self.pull_budgets();
            }
        }
        if self.counters.due(now) {
            self.report_counters();
            self.worker.borrow_mut().metrics.flush();
        }
    }

    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        let config = self.config.clone()?;
        Some(Box::new(Http::new(config, self.worker.clone())))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}
