//! Per-request HTTP context: fetches inputs from Envoy, asks the pure
//! `pipeline` for a plan and applies it. Header values are read as bytes
//! (the SDK's String getters trap on non-UTF-8 client headers).

use super::root::Worker;
use crate::config::{Config, PluginConfig, RequestAttrs};
use crate::openai::request::{classify, is_json_content_type, Endpoint, PathKind};
use crate::openai::{models, ClientError};
use crate::pipeline::{self, RequestPlan};
use crate::routing::Caller;
use proxy_wasm::traits::{Context, HttpContext};
use proxy_wasm::types::Action;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::UNIX_EPOCH;

enum Phase {
    /// Not an LLM call: untouched.
    Passthrough,
    /// Headers held until the whole body is in.
    AwaitBody(Endpoint),
    /// The filter answered itself; the response needs nothing more.
    Replied,
    /// Forwarded upstream with this plan.
    Forwarded(Box<Forwarded>),
}

struct Forwarded {
    plan: RequestPlan,
    /// Non-streaming response held to add accounting headers.
    buffering: bool,
}

pub struct Http {
    plugin: Rc<PluginConfig>,
    worker: Rc<RefCell<Worker>>,
    cfg: Rc<Config>,
    request_id: String,
    phase: Phase,
}

impl Http {
    pub fn new(_context_id: u32, plugin: Rc<PluginConfig>, worker: Rc<RefCell<Worker>>) -> Self {
        let cfg = plugin.global.clone();
        Http {
            plugin,
            worker,
            cfg,
            request_id: String::new(),
            phase: Phase::Passthrough,
        }
    }

    fn req_header(&self, name: &str) -> Option<String> {
        self.get_http_request_header_bytes(name)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    }

    fn resp_header(&self, name: &str) -> Option<String> {
        self.get_http_response_header_bytes(name)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    }

    fn property(&self, path: &str) -> Option<String> {
        self.get_property(vec![path])
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    }

    fn now_ms(&self) -> u64 {
        self.get_current_time()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64)
    }

    /// Only the filter decides routes: client copies of routing headers go.
    fn strip_client_routing_headers(&self) {
        for (name, _) in self.get_http_request_headers_bytes() {
            if name.starts_with("x-clawgate-") || name == "x-higress-llm-model" {
                self.set_http_request_header(&name, None);
            }
        }
    }

    fn select_config(&mut self) {
        if self.plugin.rules.is_empty() {
            return;
        }
        let route = self.property("route_name");
        let host = self.req_header(":authority");
        let cluster = self.property("cluster_name");
        let at = RequestAttrs {
            route_name: route.as_deref(),
            host: host.as_deref(),
            cluster_name: cluster.as_deref(),
        };
        self.cfg = self.plugin.select(&at).clone();
    }

    fn reply_error(&mut self, e: &ClientError) -> Action {
        self.reply(e.status, &e.body());
        Action::Pause
    }

    fn reply(&mut self, status: u32, body: &str) {
        let rid = self.request_id.clone();
        let mut headers = vec![("content-type", "application/json")];
        if !rid.is_empty() {
            headers.push(("x-clawgate-request-id", rid.as_str()));
        }
        self.send_http_response(status, headers, Some(body.as_bytes()));
        self.phase = Phase::Replied;
    }

    /// The shared round-robin counter: one sequence across all workers.
    fn next_round_robin(&self) -> u64 {
        let key = format!("clawgate.rr.{}", self.cfg.hash);
        for _ in 0..16 {
            let (data, cas) = self.get_shared_data(&key);
            let cur = data
                .and_then(|b| <[u8; 8]>::try_from(b.as_slice()).ok())
                .map_or(0, u64::from_le_bytes);
            if self
                .set_shared_data(&key, Some(&cur.wrapping_add(1).to_le_bytes()), cas)
                .is_ok()
            {
                return cur;
            }
        }
        0
    }

    fn on_body_complete(&mut self, endpoint: Endpoint, size: usize) -> Action {
        let body = self.get_http_request_body(0, size).unwrap_or_default();
        let cfg = self.cfg.clone();
        let assignee = cfg
            .assignments
            .as_ref()
            .and_then(|a| self.req_header(&a.header));
        let caller = Caller {
            assignee: assignee.as_deref(),
        };
        let plan = match pipeline::plan_request(&cfg, endpoint, &body, &caller, &mut || {
            self.next_round_robin()
        }) {
            Ok(p) => p,
            Err(refusal) => return self.reply_error(&refusal.error),
        };
        if let Some(nb) = &plan.new_body {
            self.set_http_request_body(0, size, nb);
            self.set_http_request_header("content-length", Some(&nb.len().to_string()));
        }
        let Some(provider) = cfg.providers.get(plan.route.provider) else {
            return self.reply_error(&ClientError::new(
                500,
                "server_error",
                "internal_error",
                "provider missing",
            ));
        };
        if let Some(path) = self.req_header(":path") {
            if let Some(p) =
                pipeline::upstream_path(&path, &cfg.path_prefix, provider.base_path.as_deref())
            {
                self.set_http_request_header(":path", Some(&p));
            }
        }
        self.set_http_request_header("x-clawgate-provider", Some(&provider.name));
        self.set_http_request_header("x-higress-llm-model", Some(&plan.route.upstream_model));
        if let Some(key) = &provider.api_key {
            self.set_http_request_header("authorization", Some(&format!("Bearer {key}")));
        }
        self.phase = Phase::Forwarded(Box::new(Forwarded {
            plan,
            buffering: false,
        }));
        Action::Continue
    }

    fn set_route_headers(&self, f: &Forwarded) {
        let p = &f.plan;
        self.set_http_response_header("x-gateway-model-used", Some(&p.route.model_name));
        self.set_http_response_header("x-gateway-attempt-count", Some("1"));
        self.set_http_response_header("x-gateway-switched", Some("0"));
        self.set_http_response_header("x-clawgate-route-reason", Some(p.route.reason.as_str()));
        self.set_http_response_header("x-clawgate-request-id", Some(&self.request_id));
        if let Some(a) = p.risk.action {
            self.set_http_response_header("x-clawgate-risk-action", Some(a.as_str()));
        }
    }
}

impl Context for Http {}

impl HttpContext for Http {
    fn on_http_request_headers(&mut self, _n: usize, end_of_stream: bool) -> Action {
        self.strip_client_routing_headers();
        self.select_config();
        let method = self.req_header(":method").unwrap_or_default();
        let path = self.req_header(":path").unwrap_or_default();
        match classify(&method, &path, &self.cfg.path_prefix) {
            PathKind::Other => Action::Continue,
            PathKind::ListModels => {
                let body = models::list(&self.cfg, self.now_ms() / 1000);
                self.reply(200, &body);
                Action::Pause
            }
            PathKind::Llm(endpoint) => {
                let now = self
                    .get_current_time()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos());
                self.request_id = self.worker.borrow_mut().ids.next(now);
                if self.req_header("x-request-id").is_none() {
                    self.set_http_request_header("x-request-id", Some(&self.request_id));
                }
                if let Some(ct) = self.req_header("content-type") {
                    if !is_json_content_type(&ct) {
                        return self.reply_error(&ClientError::new(
                            415,
                            "invalid_request_error",
                            "unsupported_media_type",
                            "Content-Type must be application/json",
                        ));
                    }
                }
                if end_of_stream {
                    return self.reply_error(&ClientError::bad_request(
                        "invalid_json",
                        "Request body is empty; expected a JSON object",
                    ));
                }
                let declared = self
                    .req_header("content-length")
                    .and_then(|v| v.trim().parse::<u64>().ok());
                if declared.is_some_and(|n| n > self.cfg.max_body_bytes) {
                    return self.reply_error(&ClientError::too_large(self.cfg.max_body_bytes));
                }
                self.phase = Phase::AwaitBody(endpoint);
                Action::Pause
            }
        }
    }

    fn on_http_request_body(&mut self, size: usize, end_of_stream: bool) -> Action {
        let Phase::AwaitBody(endpoint) = self.phase else {
            return Action::Continue;
        };
        if size as u64 > self.cfg.max_body_bytes {
            return self.reply_error(&ClientError::too_large(self.cfg.max_body_bytes));
        }
        if !end_of_stream {
            return Action::Pause;
        }
        self.on_body_complete(endpoint, size)
    }

    fn on_http_response_headers(&mut self, _n: usize, end_of_stream: bool) -> Action {
        let Phase::Forwarded(f) = &self.phase else {
            return Action::Continue;
        };
        self.set_route_headers(f);
        let sse = self
            .resp_header("content-type")
            .is_some_and(|ct| ct.starts_with("text/event-stream"));
        let buffering = !end_of_stream && !sse && !f.plan.stream && self.cfg.accounting.headers;
        if let Phase::Forwarded(f) = &mut self.phase {
            f.buffering = buffering;
        }
        if buffering {
            Action::Pause
        } else {
            Action::Continue
        }
    }

    fn on_http_response_body(&mut self, _size: usize, end_of_stream: bool) -> Action {
        let Phase::Forwarded(f) = &self.phase else {
            return Action::Continue;
        };
        if f.buffering && !end_of_stream {
            return Action::Pause;
        }
        Action::Continue
    }
}
