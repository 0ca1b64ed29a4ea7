//! Root context: owns the parsed config and per-worker state shared with
//! the HTTP contexts it creates.

use super::http::Http;
use super::ids::IdGen;
use crate::config::{self, PluginConfig};
use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::ContextType;
use std::cell::RefCell;
use std::rc::Rc;

/// State every HTTP context of this worker reaches through an `Rc`.
#[derive(Default)]
pub struct Worker {
    pub ids: IdGen,
    pub metrics: super::metrics::Metrics,
}

#[derive(Default)]
pub struct Root {
    config: Option<Rc<PluginConfig>>,
    worker: Rc<RefCell<Worker>>,
}

impl Context for Root {}

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

    fn create_http_context(&self, context_id: u32) -> Option<Box<dyn HttpContext>> {
        let config = self.config.clone()?;
        Some(Box::new(Http::new(context_id, config, self.worker.clone())))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}
