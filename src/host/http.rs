//! Per-request HTTP context: fetches inputs from Envoy, asks the pure
//! `pipeline` for a plan and applies it. Header values are read as bytes
//! (the SDK's String getters trap on non-UTF-8 client headers).

use super::root::Worker;
use crate::audit::record::{self, AuditRecord};
use crate::config::schema::PayloadMode;
use crate::config::{Config, PluginConfig, RequestAttrs};
use crate::fallback::{self, Attempt};
use crate::identity::{self, Identity};
use crate::openai::request::{classify, is_json_content_type, Endpoint, PathKind};
use crate::openai::stream::StreamObserver;
use crate::openai::usage::Usage;
use crate::openai::{models, notice, ClientError};
use crate::pipeline::{self, RequestPlan};
use crate::routing::Caller;
use crate::{accounting, metrics};
use proxy_wasm::traits::{Context, HttpContext};
use proxy_wasm::types::Action;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, UNIX_EPOCH};

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
    endpoint: Endpoint,
    /// Models to try if the upstream fails, and how many were tried.
    candidates: Vec<usize>,
    next_candidate: usize,
    /// The body as forwarded (masked, rewritten), kept only for replays.
    replay_body: Option<Vec<u8>>,
    attempts: Vec<Attempt>,
    attempt_started_ms: u64,
    /// Upstream status that started the fallback, while one is under way.
    fallback_trigger: Option<u32>,
    /// Model answering after a switch.
    switched_to: Option<usize>,
    /// The filter sent the final answer itself (fallback result).
    answered: bool,
    /// Non-streaming response held to add accounting headers.
    buffering: bool,
    obs: Observed,
    /// Forwarded request body, kept only with `payloads: full`.
    payload_request: Option<Vec<u8>>,
}

/// What the response told us, for headers, metrics and the audit record.
#[derive(Default)]
struct Observed {
    stream: Option<StreamObserver>,
    /// Copy of a JSON body that is not held (accounting headers off).
    json_copy: Vec<u8>,
    usage: Option<Usage>,
    /// Stream ended with `[DONE]`/`response.completed`, or JSON parsed.
    complete: bool,
    unparsed: bool,
    first_byte_ms: Option<u64>,
    first_token_ms: Option<u64>,
    status: u32,
    /// JSON response body, kept only with `payloads: full`.
    payload_response: Option<Vec<u8>>,
}

pub struct Http {
    plugin: Rc<PluginConfig>,
    worker: Rc<RefCell<Worker>>,
    cfg: Rc<Config>,
    request_id: String,
    phase: Phase,
    started_ms: u64,
    /// The filter refused the request on risk grounds.
    blocked: bool,
    /// Set for governed LLM calls: these get an audit record.
    path: Option<String>,
    identity: Identity,
    /// Why the filter answered itself: status, code, and what it learnt.
    refused: Option<Refused>,
}

struct Refused {
    status: u32,
    code: &'static str,
    requested_model: Option<String>,
    risk: crate::risk::Outcome,
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

    /// Envoy attributes such as `xds.route_name`; Higress also exposes the
    /// bare `route_name`.
    fn property(&self, name: &str) -> Option<String> {
        self.get_property(vec!["xds", name])
            .or_else(|| self.get_property(vec![name]))
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .filter(|s| !s.is_empty())
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
        // The provider's timeout bounds the first attempt; Envoy answers 504
        // past it, which the fallback treats like any failed status.
        self.set_http_request_header(
            "x-envoy-upstream-rq-timeout-ms",
            Some(&provider.timeout_ms.to_string()),
        );
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

    fn set_route_headers(&self, f: &Forwarded) {
        for (k, v) in self.route_headers(f) {
            self.set_http_response_header(k, Some(&v));
        }
    }

    /// Headers every routed answer carries, upstream or fallback.
    fn route_headers(&self, f: &Forwarded) -> Vec<(&'static str, String)> {
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

    fn forwarded(&mut self) -> Option<&mut Forwarded> {
        match &mut self.phase {
            Phase::Forwarded(f) => Some(f),
            _ => None,
        }
    }

    /// Dispatches the replayed request to the next candidate that accepts
    /// it; a candidate that cannot be dispatched counts as a failed attempt.
    fn dispatch_next(&mut self) -> bool {
        let cfg = self.cfg.clone();
        let now = self.now_ms();
        let path = self.req_header(":path").unwrap_or_default();
        let client_auth = self.req_header("authorization");
        let rid = self.request_id.clone();
        let Some(f) = self.forwarded() else {
            return false;
        };
        let Some(body) = f.replay_body.clone() else {
            return false;
        };
        let mut failed = Vec::new();
        let mut chosen = None;
        while let Some(&m) = f.candidates.get(f.next_candidate) {
            f.next_candidate += 1;
            let (Some(model), Some(provider)) = (cfg.models.get(m), cfg.provider_of(m)) else {
                continue;
            };
            let Some(b) = fallback::body_for(&body, &model.upstream_model) else {
                continue;
            };
            let path =
                pipeline::upstream_path(&path, &cfg.path_prefix, provider.base_path.as_deref())
                    .unwrap_or_else(|| path.clone());
            let auth = provider
                .api_key
                .as_ref()
                .map(|k| format!("Bearer {k}"))
                .or_else(|| client_auth.clone());
            let mut headers = vec![
                (":method", "POST"),
                (":path", path.as_str()),
                (":authority", provider.host.as_str()),
                ("content-type", "application/json"),
                ("x-clawgate-provider", provider.name.as_str()),
                ("x-higress-llm-model", model.upstream_model.as_str()),
                ("x-request-id", rid.as_str()),
            ];
            if let Some(a) = auth.as_deref() {
                headers.push(("authorization", a));
            }
            let timeout = Duration::from_millis(cfg.fallback.timeout_ms);
            match proxy_wasm::hostcalls::dispatch_http_call(
                &provider.cluster,
                headers,
                Some(&b),
                vec![],
                timeout,
            ) {
                Ok(_) => {
                    chosen = Some(m);
                    break;
                }
                Err(_) => failed.push(Attempt {
                    model: model.name.clone(),
                    provider: provider.name.clone(),
                    status: 0,
                    duration_ms: 0,
                }),
            }
        }
        f.attempts.extend(failed);
        f.attempt_started_ms = now;
        match chosen {
            Some(m) => {
                f.switched_to = Some(m);
                true
            }
            None => false,
        }
    }

    /// Answers the client with a fallback result (or the last failure).
    fn answer(&mut self, status: u32, content_type: Option<String>, body: Vec<u8>) {
        let Some(f) = self.forwarded() else { return };
        f.answered = true;
        let Phase::Forwarded(f) = &self.phase else {
            return;
        };
        let mut body = body;
        if (200..300).contains(&status) {
            if let (Some(trigger), Some(to)) = (
                f.fallback_trigger,
                f.switched_to.and_then(|m| self.cfg.models.get(m)),
            ) {
                let notice = notice::Notice {
                    from_model: f.plan.route.model_name.clone(),
                    to_model: to.name.clone(),
                    trigger_status: trigger as u16,
                    attempts: f.attempts.len() as u32,
                };
                let sse = content_type
                    .as_deref()
                    .is_some_and(|c| c.starts_with("text/event-stream"));
                if sse {
                    let mut b = notice::sse_prefix(&notice);
                    b.extend_from_slice(&body);
                    body = b;
                } else if let Some(b) = notice::add_to_json(&body, &notice) {
                    body = b;
                }
            }
        }
        let ct = content_type.unwrap_or_else(|| "application/json".to_string());
        let sse = ct.starts_with("text/event-stream");
        let mut route = self.route_headers(f);
        let now = self.now_ms();
        if let Some(f) = self.forwarded() {
            // account for the answer that was actually delivered
            f.obs.status = status;
            f.obs.first_byte_ms.get_or_insert(now);
            if sse {
                let mut st = StreamObserver::new(false, None);
                st.feed(&body);
                st.finish();
                f.obs.stream = Some(st);
            }
        }
        self.response_done(body.clone());
        if !sse && self.cfg.accounting.headers {
            route.extend(self.accounting_headers());
        }
        let mut headers: Vec<(&str, &str)> = vec![("content-type", ct.as_str())];
        headers.extend(route.iter().map(|(k, v)| (*k, v.as_str())));
        self.send_http_response(status, headers, Some(&body));
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
        let now = self.now_ms();
        let status = self
            .get_http_call_response_header_bytes(":status")
            .and_then(|b| String::from_utf8_lossy(&b).trim().parse::<u32>().ok())
            .unwrap_or(0);
        let content_type = self
            .get_http_call_response_header_bytes("content-type")
            .map(|b| String::from_utf8_lossy(&b).into_owned());
        let body = self
            .get_http_call_response_body(0, body_size)
            .unwrap_or_default();
        let cfg = self.cfg.clone();
        let Some(f) = self.forwarded() else { return };
        let Some(model) = f.switched_to.and_then(|m| cfg.models.get(m)) else {
            return;
        };
        f.attempts.push(Attempt {
            model: model.name.clone(),
            provider: cfg
                .provider_of(f.switched_to.unwrap_or(0))
                .map_or(String::new(), |p| p.name.clone()),
            status,
            duration_ms: now.saturating_sub(f.attempt_started_ms),
        });
        let ok = (200..300).contains(&status);
        let retry = !ok && (status == 0 || fallback::triggers(&cfg, status));
        if retry && self.dispatch_next() {
            return;
        }
        if status == 0 {
            // timed out or reset: no upstream body to relay
            let e = ClientError::new(
                504,
                "server_error",
                "upstream_unavailable",
                "All fallback attempts failed",
            );
            self.answer(504, None, e.body().into_bytes());
        } else {
            self.answer(status, content_type, body);
        }
        self.resume_http_response();
    }
}

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
        let status = self
            .resp_header(":status")
            .and_then(|s| s.trim().parse::<u32>().ok())
            .unwrap_or(0);
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
        let sse = self
            .resp_header("content-type")
            .is_some_and(|ct| ct.starts_with("text/event-stream"));
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
            self.response_done(Vec::new());
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
            self.response_done(body);
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
            self.response_done(copy);
        }
        Action::Continue
    }

    fn on_log(&mut self) {
        self.record_metrics();
        if self.path.is_some() {
            let rec = self.audit_record();
            let mut w = self.worker.borrow_mut();
            if let Some(q) = &mut w.audit {
                if let Ok(json) = serde_json::to_string(&rec) {
                    q.push(json);
                }
            }
        }
    }
}

/// Payloads are cut at `max_payload_bytes`, on a character boundary.
fn clip_payload(b: &[u8], max: usize) -> String {
    let s = String::from_utf8_lossy(&b[..b.len().min(max)]);
    s.trim_end_matches('\u{fffd}').to_string()
}

/// Largest JSON response copied for usage when it is not held.
const JSON_COPY_MAX: usize = 4 << 20;

impl Http {
    /// The response is complete: settle usage and, for a held JSON body,
    /// add the accounting headers before it goes out.
    fn response_done(&mut self, json_body: Vec<u8>) {
        let now = self.now_ms();
        let headers = self.cfg.accounting.headers;
        let full = self
            .cfg
            .audit
            .as_ref()
            .is_some_and(|a| a.payloads == PayloadMode::Full);
        let Some(f) = self.forwarded() else { return };
        if let Some(st) = &f.obs.stream {
            f.obs.usage = st.usage;
            f.obs.complete = st.done;
            f.obs.unparsed = st.garbage() > 0 || st.usage.is_none();
            return;
        }
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

    fn accounting_headers(&self) -> Vec<(&'static str, String)> {
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
    fn answering_model(&self, f: &Forwarded) -> Option<usize> {
        f.switched_to.or(f.plan.route.model)
    }

    fn cost(&self) -> Option<accounting::Cost> {
        let Phase::Forwarded(f) = &self.phase else {
            return None;
        };
        let pricing = self
            .answering_model(f)
            .and_then(|m| self.cfg.models.get(m))
            .and_then(|m| m.pricing.as_ref());
        accounting::cost(&f.obs.usage?, pricing)
    }

    /// The request's audit record, from what the filter saw.
    fn audit_record(&self) -> AuditRecord {
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

    fn record_metrics(&mut self) {
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
