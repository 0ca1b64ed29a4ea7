//! Per-request HTTP context: fetches inputs from Envoy, asks the pure
//! `pipeline` for a plan and applies it. Header values are read as bytes
//! (the SDK's String getters trap on non-UTF-8 client headers).

use super::root::Worker;
use crate::config::schema::PayloadMode;
use crate::config::{Config, PluginConfig, RequestAttrs};
use crate::fallback::{self, Attempt};
use crate::identity::{self, Identity};
use crate::openai::request::{classify, is_json_content_type, Endpoint, PathKind};
use crate::openai::stream::StreamObserver;
use crate::openai::usage::Usage;
use crate::openai::{models, ClientError};
use crate::pipeline::{self, RequestPlan};
use crate::routing::Caller;
use proxy_wasm::traits::{Context, HttpContext};
use proxy_wasm::types::Action;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::UNIX_EPOCH;

pub(super) enum Phase {
    /// Not an LLM call: untouched.
    Passthrough,
    /// Headers held until the whole body is in.
    AwaitBody(Endpoint),
    /// The filter answered itself; the response needs nothing more.
    Replied,
    /// Forwarded upstream with this plan.
    Forwarded(Box<Forwarded>),
}

pub(super) struct Forwarded {
    pub(super) plan: RequestPlan,
    pub(super) endpoint: Endpoint,
    /// Models to try if the upstream fails, and how many were tried.
    pub(super) candidates: Vec<usize>,
    pub(super) next_candidate: usize,
    /// The body as forwarded (masked, rewritten), kept only for replays.
    pub(super) replay_body: Option<Vec<u8>>,
    pub(super) attempts: Vec<Attempt>,
    pub(super) attempt_started_ms: u64,
    /// Upstream status that started the fallback, while one is under way.
    pub(super) fallback_trigger: Option<u32>,
    /// Model answering after a switch.
    pub(super) switched_to: Option<usize>,
    /// The filter sent the final answer itself (fallback result).
    pub(super) answered: bool,
    /// Non-streaming response held to add accounting headers.
    pub(super) buffering: bool,
    pub(super) obs: Observed,
    /// Forwarded request body, kept only with `payloads: full`.
    pub(super) payload_request: Option<Vec<u8>>,
}

/// What the response told us, for headers, metrics and the audit record.
#[derive(Default)]
pub(super) struct Observed {
    pub(super) stream: Option<StreamObserver>,
    /// Copy of a JSON body that is not held (accounting headers off).
    pub(super) json_copy: Vec<u8>,
    pub(super) usage: Option<Usage>,
    /// Stream ended with `[DONE]`/`response.completed`, or JSON parsed.
    pub(super) complete: bool,
    pub(super) unparsed: bool,
    pub(super) first_byte_ms: Option<u64>,
    pub(super) first_token_ms: Option<u64>,
    pub(super) status: u32,
    /// JSON response body, kept only with `payloads: full`.
    pub(super) payload_response: Option<Vec<u8>>,
}

pub struct Http {
    pub(super) plugin: Rc<PluginConfig>,
    pub(super) worker: Rc<RefCell<Worker>>,
    pub(super) cfg: Rc<Config>,
    pub(super) request_id: String,
    pub(super) phase: Phase,
    pub(super) started_ms: u64,
    /// The filter refused the request on risk grounds.
    pub(super) blocked: bool,
    /// Set for governed LLM calls: these get an audit record.
    pub(super) path: Option<String>,
    pub(super) identity: Identity,
    /// Why the filter answered itself: status, code, and what it learnt.
    pub(super) refused: Option<Refused>,
    /// Client request headers as received (routing headers removed).
    pub(super) client_headers: Vec<(String, Vec<u8>)>,
}

pub(super) struct Refused {
    pub(super) status: u32,
    pub(super) code: &'static str,
    pub(super) requested_model: Option<String>,
    pub(super) risk: crate::risk::Outcome,
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
            started_ms: 0,
            blocked: false,
            path: None,
            identity: Identity::default(),
            refused: None,
            client_headers: Vec::new(),
        }
    }

    /// A client request header, from the copy taken once at request start
    /// (one hostcall instead of one per header the filter consults).
    pub(super) fn req_header(&self, name: &str) -> Option<String> {
        self.client_headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
    }

    /// Envoy attributes such as `xds.route_name`; Higress also exposes the
    /// bare `route_name`.
    pub(super) fn property(&self, name: &str) -> Option<String> {
        self.get_property(vec!["xds", name])
            .or_else(|| self.get_property(vec![name]))
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .filter(|s| !s.is_empty())
    }

    pub(super) fn now_ms(&self) -> u64 {
        self.get_current_time()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64)
    }

    /// Only the filter decides routes: client copies of routing headers go.
    /// Takes the client's headers once, dropping routing headers a client
    /// must not set: only the filter decides routes.
    fn take_client_headers(&mut self) {
        let mut headers = self.get_http_request_headers_bytes();
        headers.retain(|(name, _)| {
            let routing = name.starts_with("x-clawgate-") || name == "x-higress-llm-model";
            if routing {
                self.set_http_request_header(name, None);
            }
            !routing
        });
        self.client_headers = headers;
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

    pub(super) fn reply_error(&mut self, e: &ClientError) -> Action {
        if self.refused.is_none() {
            self.refused = Some(Refused {
                status: e.status,
                code: e.code,
                requested_model: None,
                risk: Default::default(),
            });
        }
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
            Err(refusal) => {
                self.blocked = refusal.error.code == "content_blocked";
                self.refused = Some(Refused {
                    status: refusal.error.status,
                    code: refusal.error.code,
                    requested_model: refusal.requested_model.clone(),
                    risk: refusal.risk.clone(),
                });
                return self.reply_error(&refusal.error);
            }
        };
        if self.identity.session.is_none() {
            self.identity.session = plan.user.clone();
        }
        let full = cfg
            .audit
            .as_ref()
            .is_some_and(|a| a.payloads == PayloadMode::Full);
        let payload_request = full.then(|| plan.new_body.clone().unwrap_or_else(|| body.clone()));
        let requested_auto = plan.requested_model == cfg.auto.model_name;
        let candidates = fallback::candidates(&cfg, &plan.route, requested_auto);
        let replay_body =
            (!candidates.is_empty()).then(|| plan.new_body.clone().unwrap_or_else(|| body.clone()));
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
        // A provider timeout bounds the first attempt; Envoy answers 504
        // past it, which the fallback treats like any failed status.
        if let Some(t) = provider.timeout_ms {
            self.set_http_request_header("x-envoy-upstream-rq-timeout-ms", Some(&t.to_string()));
        }
        let now = self.now_ms();
        self.phase = Phase::Forwarded(Box::new(Forwarded {
            plan,
            endpoint,
            candidates,
            next_candidate: 0,
            replay_body,
            attempts: Vec::new(),
            attempt_started_ms: now,
            fallback_trigger: None,
            switched_to: None,
            answered: false,
            buffering: false,
            obs: Observed::default(),
            payload_request,
        }));
        Action::Continue
    }

    pub(super) fn set_route_headers(&self, f: &Forwarded) {
        for (k, v) in self.route_headers(f) {
            self.set_http_response_header(k, Some(&v));
        }
    }

    /// Headers every routed answer carries, upstream or fallback.
    pub(super) fn route_headers(&self, f: &Forwarded) -> Vec<(&'static str, String)> {
        let p = &f.plan;
        let used = f
            .switched_to
            .and_then(|m| self.cfg.models.get(m))
            .map_or(p.route.model_name.clone(), |m| m.name.clone());
        let mut h = vec![
            ("x-gateway-model-used", used),
            (
                "x-gateway-attempt-count",
                f.attempts.len().max(1).to_string(),
            ),
            (
                "x-gateway-switched",
                if f.switched_to.is_some() { "1" } else { "0" }.to_string(),
            ),
            (
                "x-clawgate-route-reason",
                p.route.reason.as_str().to_string(),
            ),
            ("x-clawgate-request-id", self.request_id.clone()),
        ];
        if let Some(a) = p.risk.action {
            h.push(("x-clawgate-risk-action", a.as_str().to_string()));
        }
        h
    }

    pub(super) fn forwarded(&mut self) -> Option<&mut Forwarded> {
        match &mut self.phase {
            Phase::Forwarded(f) => Some(f),
            _ => None,
        }
    }
}

impl Context for Http {
    fn on_http_call_response(
        &mut self,
        _token: u32,
        _n_headers: usize,
        body_size: usize,
        _n_trailers: usize,
    ) {
        self.on_fallback_response(body_size);
    }
}

impl HttpContext for Http {
    fn on_http_request_headers(&mut self, _n: usize, end_of_stream: bool) -> Action {
        self.take_client_headers();
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
                self.started_ms = (now / 1_000_000) as u64;
                self.path = Some(path.clone());
                let cfg = self.cfg.clone();
                self.identity = identity::resolve(&cfg.identity, &|n| self.req_header(n), None);
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
        let now = self.now_ms();
        // One hostcall for both headers the filter reads.
        let (mut status, mut sse) = (0, false);
        for (name, value) in self.get_http_response_headers_bytes() {
            match name.as_str() {
                ":status" => {
                    status = std::str::from_utf8(&value)
                        .ok()
                        .and_then(|s| s.trim().parse::<u32>().ok())
                        .unwrap_or(0)
                }
                "content-type" => sse = value.starts_with(b"text/event-stream"),
                _ => {}
            }
        }
        let cfg = self.cfg.clone();
        let Some(f) = self.forwarded() else {
            return Action::Continue;
        };
        if f.answered {
            return Action::Continue; // our own fallback answer passing through
        }
        let provider = cfg
            .providers
            .get(f.plan.route.provider)
            .map_or(String::new(), |p| p.name.clone());
        f.attempts.push(Attempt {
            model: f.plan.route.model_name.clone(),
            provider,
            status,
            duration_ms: now.saturating_sub(f.attempt_started_ms),
        });
        if fallback::triggers(&cfg, status) && !f.candidates.is_empty() {
            f.fallback_trigger = Some(status);
            if self.dispatch_next() {
                return Action::Pause;
            }
            // nothing could be dispatched: relay the upstream error as is
        }
        let Phase::Forwarded(f) = &self.phase else {
            return Action::Continue;
        };
        self.set_route_headers(f);
        let buffering = !end_of_stream && !sse && !f.plan.stream && cfg.accounting.headers;
        let strip = sse
            && f.plan.injected_usage
            && cfg.accounting.strip_injected_usage
            && f.endpoint == Endpoint::ChatCompletions;
        if strip {
            self.set_http_response_header("content-length", None);
        }
        let capture = cfg
            .audit
            .as_ref()
            .filter(|a| a.payloads == PayloadMode::Full)
            .map(|a| a.max_payload_bytes);
        if let Some(f) = self.forwarded() {
            f.buffering = buffering;
            f.obs.status = status;
            if sse {
                f.obs.stream = Some(StreamObserver::new(strip, capture));
            }
        }
        if end_of_stream {
            self.response_done(Vec::new(), now);
        }
        if buffering {
            Action::Pause
        } else {
            Action::Continue
        }
    }

    fn on_http_response_body(&mut self, size: usize, end_of_stream: bool) -> Action {
        let now = self.now_ms();
        let Phase::Forwarded(f) = &self.phase else {
            return Action::Continue;
        };
        if f.fallback_trigger.is_some() && !f.answered {
            return Action::Pause; // hold the failed body until the fallback answers
        }
        if f.answered {
            return Action::Continue;
        }
        if f.buffering {
            if !end_of_stream {
                return Action::Pause;
            }
            let body = self.get_http_response_body(0, size).unwrap_or_default();
            if let Some(f) = self.forwarded() {
                f.obs.first_byte_ms.get_or_insert(now);
            }
            self.response_done(body, now);
            return Action::Continue;
        }
        let chunk = if size > 0 {
            self.get_http_response_body(0, size).unwrap_or_default()
        } else {
            Vec::new()
        };
        let Some(f) = self.forwarded() else {
            return Action::Continue;
        };
        if !chunk.is_empty() {
            f.obs.first_byte_ms.get_or_insert(now);
        }
        let mut replacement = None;
        if let Some(st) = &mut f.obs.stream {
            replacement = st.feed(&chunk);
            if end_of_stream {
                if let Some(tail) = st.finish() {
                    replacement.get_or_insert_with(Vec::new).extend(tail);
                }
            }
            if st.content_seen {
                f.obs.first_token_ms.get_or_insert(now);
            }
        } else if f.obs.json_copy.len() + chunk.len() <= JSON_COPY_MAX {
            f.obs.json_copy.extend_from_slice(&chunk);
        }
        if let Some(r) = replacement {
            self.set_http_response_body(0, size, &r);
        }
        if end_of_stream {
            let copy = self
                .forwarded()
                .map(|f| std::mem::take(&mut f.obs.json_copy))
                .unwrap_or_default();
            self.response_done(copy, now);
        }
        Action::Continue
    }

    fn on_log(&mut self) {
        self.settle_stream();
        self.record_metrics();
        // Routes without an audit sidecar skip building the record.
        if self.path.is_some() && self.worker.borrow().audit.is_some() {
            let rec = self.audit_record();
            let json = serde_json::to_string(&rec);
            if let (Some(q), Ok(json)) = (&mut self.worker.borrow_mut().audit, json) {
                q.push(json);
            }
        }
    }
}

/// Payloads are cut at `max_payload_bytes`, on a character boundary.
pub(super) fn clip_payload(b: &[u8], max: usize) -> String {
    let s = String::from_utf8_lossy(&b[..b.len().min(max)]);
    s.trim_end_matches('\u{fffd}').to_string()
}

/// Largest JSON response copied for usage when it is not held.
const JSON_COPY_MAX: usize = 4 << 20;
