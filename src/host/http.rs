//! Per-request HTTP context: each callback fetches what the exchange needs,
//! feeds it one event and applies the effects it returns. Header values are
//! read as bytes (the SDK's String getters trap on non-UTF-8 headers).

use super::worker::{next_round_robin, Worker};
use crate::config::PluginConfig;
use crate::exchange::{Attr, ClientHeaders, Clock, Effect, Exchange, Flow, Step, UpstreamRequest};
use proxy_wasm::hostcalls;
use proxy_wasm::traits::{Context, HttpContext};
use proxy_wasm::types::{Action, BufferType};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, UNIX_EPOCH};

pub struct Http {
    plugin: Rc<PluginConfig>,
    worker: Rc<RefCell<Worker>>,
    /// Set at request headers; `None` only before them.
    ex: Option<Exchange>,
}

impl Http {
    pub fn new(plugin: Rc<PluginConfig>, worker: Rc<RefCell<Worker>>) -> Self {
        Http {
            plugin,
            worker,
            ex: None,
        }
    }

    /// Applies an event's effects and tells Envoy what to do next;
    /// `size` is the body buffer the callback was given.
    fn apply(&self, step: Step, size: usize) -> Action {
        for e in step.effects {
            self.apply_one(e, size);
        }
        match step.flow {
            Flow::Continue => Action::Continue,
            Flow::Pause => Action::Pause,
        }
    }

    fn apply_one(&self, e: Effect, size: usize) {
        match e {
            Effect::SetRequestHeader(k, v) => self.set_http_request_header(&k, Some(&v)),
            Effect::RemoveRequestHeader(k) => self.set_http_request_header(&k, None),
            Effect::ReplaceRequestBody(b) => self.set_http_request_body(0, size, &b),
            Effect::SetResponseHeader(k, v) => self.set_http_response_header(k, Some(&v)),
            Effect::RemoveResponseHeader(k) => self.set_http_response_header(k, None),
            Effect::ReplaceResponseBody(b) => self.set_http_response_body(0, size, &b),
            Effect::Reply(r) => {
                let headers = r.headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
                self.send_http_response(r.status, headers, Some(&r.body));
            }
            Effect::ResumeResponse => self.resume_http_response(),
            Effect::Metrics(deltas) => {
                let mut w = self.worker.borrow_mut();
                for (name, n) in deltas {
                    w.metrics.add(&name, n);
                }
            }
            Effect::SetProperty(path, value) => self.set_property(vec![&path], Some(&value)),
            Effect::Audit(rec) => {
                if let Some(q) = &mut self.worker.borrow_mut().audit {
                    q.push(rec.to_json());
                }
            }
        }
    }

    /// An attribute the exchange asks for at log time, as text.
    fn attr(&self, a: Attr) -> Option<String> {
        match a {
            Attr::RouteName => self.property("route_name"),
            Attr::ClusterName => self.property("cluster_name"),
            // Envoy hands integer attributes over as 8 little-endian bytes.
            Attr::ResponseCode => self
                .get_property(vec!["response", "code"])
                .and_then(|b| <[u8; 8]>::try_from(b.as_slice()).ok())
                .map(|b| i64::from_le_bytes(b).to_string()),
            Attr::AiLog => self
                .get_property(vec!["ai_log"])
                .map(|b| String::from_utf8_lossy(&b).into_owned()),
        }
    }

    /// Envoy attributes such as `xds.route_name`; Higress also exposes the
    /// bare `route_name`.
    fn property(&self, name: &str) -> Option<String> {
        self.get_property(vec!["xds", name])
            .or_else(|| self.get_property(vec![name]))
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .filter(|s| !s.is_empty())
    }
}

/// Unix milliseconds; the exchange reads it through a `Clock`, only when
/// an event needs the time.
fn unix_ms() -> u64 {
    hostcalls::get_current_time()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_millis() as u64)
}

/// A replay, sent with `dispatch_http_call`.
fn dispatch(req: &UpstreamRequest, timeout_ms: u64) -> bool {
    hostcalls::dispatch_http_call(
        &req.cluster,
        req.dispatch_headers(),
        Some(&req.body),
        vec![],
        Duration::from_millis(timeout_ms),
    )
    .is_ok()
}

fn buffer(kind: BufferType, size: usize) -> Vec<u8> {
    hostcalls::get_buffer(kind, 0, size)
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// A `content-encoding` that changes the bytes (not empty, not `identity`).
fn is_coded(v: &[u8]) -> bool {
    let v = v.trim_ascii();
    !v.is_empty() && !v.eq_ignore_ascii_case(b"identity")
}

fn status_of(v: Option<&[u8]>) -> u32 {
    v.and_then(|b| std::str::from_utf8(b).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0)
}

impl Context for Http {
    fn on_http_call_response(
        &mut self,
        _token: u32,
        _headers: usize,
        body_size: usize,
        _trailers: usize,
    ) {
        let status = status_of(
            self.get_http_call_response_header_bytes(":status")
                .as_deref(),
        );
        let text = |name| {
            self.get_http_call_response_header_bytes(name)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
        };
        let content_type = text("content-type");
        let content_encoding = text("content-encoding").filter(|e| is_coded(e.as_bytes()));
        let body = self
            .get_http_call_response_body(0, body_size)
            .unwrap_or_default();
        let Some(ex) = &mut self.ex else { return };
        let clock = Clock::new(&unix_ms);
        let effects = ex.on_call_response(
            status,
            content_type,
            content_encoding,
            body,
            &clock,
            &mut dispatch,
        );
        for e in effects {
            self.apply_one(e, 0);
        }
    }
}

impl HttpContext for Http {
    fn on_http_request_headers(&mut self, _n: usize, end_of_stream: bool) -> Action {
        let client = ClientHeaders::new(self.get_http_request_headers_bytes());
        let Some(cfg) = self
            .plugin
            .governing(
                client.get(":authority").as_deref(),
                client.get("x-mse-consumer").as_deref(),
                &|n| self.property(n),
            )
            .cloned()
        else {
            // defaultConfigDisable and no rule matches: not ours.
            return Action::Continue;
        };
        let clock = Clock::new(&unix_ms);
        let worker = self.worker.clone();
        let (mut ex, step) = Exchange::start(cfg, client, end_of_stream, &clock, &mut |ms| {
            worker.borrow_mut().ids.next(u128::from(ms) * 1_000_000)
        });
        ex.set_budget(worker.borrow().budget.clone());
        self.ex = Some(ex);
        self.apply(step, 0)
    }

    fn on_http_request_body(&mut self, size: usize, end_of_stream: bool) -> Action {
        let Some(ex) = &mut self.ex else {
            return Action::Continue;
        };
        let clock = Clock::new(&unix_ms);
        let step = ex.on_request_body(
            size,
            end_of_stream,
            &clock,
            &mut || buffer(BufferType::HttpRequestBody, size),
            // one document, one hash: rules share the global config's
            &mut || next_round_robin(&self.plugin.global.hash),
        );
        self.apply(step, size)
    }

    fn on_http_response_headers(&mut self, _n: usize, end_of_stream: bool) -> Action {
        // Only a forwarded request's answer is read (untracked ones and
        // the filter's own answers pass through), in one hostcall for both
        // headers the exchange reads.
        if !self.ex.as_ref().is_some_and(Exchange::awaits_response) {
            return Action::Continue;
        }
        let (mut status, mut sse, mut encoded) = (0, false, false);
        for (name, value) in self.get_http_response_headers_bytes() {
            match name.as_str() {
                ":status" => status = status_of(Some(&value)),
                "content-type" => sse = value.starts_with(b"text/event-stream"),
                "content-encoding" => encoded = is_coded(&value),
                _ => {}
            }
        }
        let Some(ex) = &mut self.ex else {
            return Action::Continue;
        };
        let clock = Clock::new(&unix_ms);
        let step =
            ex.on_response_headers(status, sse, encoded, end_of_stream, &clock, &mut dispatch);
        self.apply(step, 0)
    }

    fn on_http_response_body(&mut self, size: usize, end_of_stream: bool) -> Action {
        let Some(ex) = &mut self.ex else {
            return Action::Continue;
        };
        let clock = Clock::new(&unix_ms);
        let step = ex.on_response_body(size, end_of_stream, &clock, &mut || {
            buffer(BufferType::HttpResponseBody, size)
        });
        self.apply(step, size)
    }

    fn on_log(&mut self) {
        let clock = Clock::new(&unix_ms);
        let Some(mut ex) = self.ex.take() else { return };
        let effects = {
            let mut w = self.worker.borrow_mut();
            let audit = w.audit.is_some();
            ex.on_log(&clock, &|a| self.attr(a), audit, &mut w.consumers)
        };
        for e in effects {
            self.apply_one(e, 0);
        }
    }
}
