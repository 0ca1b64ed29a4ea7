//! Root context: owns the parsed config and the worker state shared with
//! the HTTP contexts it creates. Its link to the sidecar (audit batches,
//! budget pulls, config history) is the pure `sidecar::Link`: this only
//! fetches its inputs and applies what it returns. Hostcalls go through
//! `abi` (the SDK's `dispatch_http_call` excepted: only it registers the
//! answer's token); an HTTP call that failed is status 0.

use super::abi::{self, Buffer};
use super::http::{call_response, unix_ms, CallAnswer, Http};
use super::metrics::Metrics;
use super::worker::Worker;
use crate::config::{self, PluginConfig};
use crate::sidecar::{Call, Effects, Level, Link, Out};
use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::ContextType;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

#[derive(Default)]
pub struct Root {
    config: Option<Rc<PluginConfig>>,
    worker: Rc<RefCell<Worker>>,
}

impl Root {
    /// Feeds the link one input and applies what it returns.
    fn drive(&self, input: impl FnOnce(&mut Link, u64) -> Vec<Out>) {
        let worker = self.worker.clone();
        let mut w = worker.borrow_mut();
        let Worker { link, metrics, .. } = &mut *w;
        let now = unix_ms();
        let outs = input(link, now);
        link.run(
            outs,
            now,
            &mut Host {
                root: self,
                metrics,
            },
        );
    }
}

/// Where the link's effects land: calls through the SDK, counters in the
/// worker's pending deltas, budget state in Envoy shared data.
struct Host<'a> {
    root: &'a Root,
    metrics: &'a mut Metrics,
}

impl Effects for Host<'_> {
    fn dispatch(&mut self, c: &Call) -> Option<u32> {
        let timeout = Duration::from_millis(c.timeout_ms);
        self.root
            .dispatch_http_call(&c.cluster, c.header_pairs(), Some(&c.body), vec![], timeout)
            .ok()
    }

    fn apply(&mut self, out: Out) {
        match out {
            // `Link::run` dispatches calls itself
            Out::Dispatch(_) => {}
            Out::Share { key, bytes } => {
                let _ = abi::set_shared_data(&key, &bytes, 0);
            }
            Out::Count(name, n) => self.metrics.add(name, n),
            Out::FlushCounters => self.metrics.flush(),
            Out::Log(Level::Info, m) => log::info!("{m}"),
            Out::Log(Level::Warn, m) => log::warn!("{m}"),
            Out::Log(Level::Error, m) => log::error!("{m}"),
        }
    }
}

impl Context for Root {
    fn on_http_call_response(&mut self, token: u32, headers: usize, body: usize, _: usize) {
        let CallAnswer { status, body, .. } = call_response(headers, body);
        self.drive(|link, now| link.answer(token, status, body, now));
    }
}

impl RootContext for Root {
    fn on_configure(&mut self, _size: usize) -> bool {
        let bytes = abi::buffer(Buffer::PluginConfiguration, usize::MAX).unwrap_or_default();
        // `api_key_env`, `token_env`: WASI environ, which Envoy fills from
        // `vm_config.environment_variables`.
        let env = |k: &str| std::env::var(k).ok();
        let pc = match config::parse_json_env(&bytes, Some(&env)) {
            Ok(pc) => pc,
            Err(errs) => {
                // Rejecting keeps the previous config (never half-applied).
                for e in errs {
                    log::error!("clawgate: invalid configuration: {e}");
                }
                return false;
            }
        };
        let tick = match self.worker.borrow_mut().link.configure(&pc, &bytes, &env) {
            Ok(tick) => tick,
            Err(e) => {
                log::error!("clawgate: invalid configuration: {e}");
                return false;
            }
        };
        log::info!(
            "clawgate: configured {} providers, {} models, {} route rules",
            pc.global.catalog.providers.len(),
            pc.global.catalog.models.len(),
            pc.rules.len()
        );
        if let Err(e) = abi::set_tick_period_ms(tick) {
            // without ticks nothing ships; say so rather than trap
            log::error!("clawgate: cannot set the tick period ({e:?})");
        }
        self.config = Some(Rc::new(pc));
        true
    }

    /// Reads the budget state other workers shared (when budgets are on)
    /// and this gateway's rate-limit counts (when they sync), and lets the
    /// link ship, pull, sync and report.
    fn on_tick(&mut self) {
        let now = unix_ms();
        let (shared, rates) = {
            let mut w = self.worker.borrow_mut();
            let shared = w
                .link
                .shared_key()
                .and_then(|k| abi::shared_data(k).ok())
                .and_then(|(data, _)| data);
            // this gateway's counts for the rate-limit sync (a few keys)
            let rates = w.link.syncs_rates().then(|| {
                let gw = super::worker::gateway_id(&mut w.ids, now);
                (gw, w.rate_windows(now / 60_000))
            });
            (shared, rates)
        };
        self.drive(|link, now| {
            let mut out = link.tick(now, shared.as_deref());
            if let Some((gw, windows)) = &rates {
                out.extend(link.sync_rates(now, gw, windows));
            }
            out
        });
    }

    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        let config = self.config.clone()?;
        Some(Box::new(Http::new(config, self.worker.clone())))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}
