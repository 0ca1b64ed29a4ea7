//! Per-request HTTP context: each callback fetches what the exchange needs,
//! feeds it one event and applies the effects it returns. Every hostcall
//! goes through `abi` (a failed one is a value, never a trap); header
//! values are read as bytes (a header need not be UTF-8).

use super::abi::{self, Buffer, Map};
use super::worker::{next_round_robin, Worker};
use crate::config::PluginConfig;
use crate::exchange::{Attr, ClientHeaders, Clock, Effect, Exchange, Flow, Step, UpstreamRequest};
use proxy_wasm::hostcalls;
use proxy_wasm::traits::{Context, HttpContext};
use proxy_wasm::types::Action;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

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
        // A hostcall that fails here fails because the stream is gone
        // (the client left, or Envoy already answered it): there is
        // nothing left to change, so the status is dropped.
        let _ = match e {
            Effect::SetRequestHeader(k, v) => abi::set_header(Map::Request, &k, Some(v.as_bytes())),
            Effect::RemoveRequestHeader(k) => abi::set_header(Map::Request, &k, None),
            Effect::ReplaceRequestBody(b) => abi::set_buffer(Buffer::RequestBody, size, &b),
            Effect::SetResponseHeader(k, v) => {
                abi::set_header(Map::Response, k, Some(v.as_bytes()))
            }
            Effect::RemoveResponseHeader(k) => abi::set_header(Map::Response, k, None),
            Effect::ReplaceResponseBody(b) => abi::set_buffer(Buffer::ResponseBody, size, &b),
            Effect::Reply(r) => {
                let headers: Vec<_> = r.headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
                abi::send_response(r.status, &headers, &r.body)
            }
            Effect::ResumeResponse => abi::resume_response(),
            Effect::Metrics(deltas) => {
                let mut w = self.worker.borrow_mut();
                for (name, n) in deltas {
                    w.metrics.add(&name, n);
                }
                Ok(())
            }
            Effect::SetProperty(path, value) => abi::set_property(&[&path], &value),
            Effect::Audit(rec) => {
                self.worker.borrow_mut().link.push(rec.to_json());
                Ok(())
            }
        };
    }

    /// An attribute the exchange asks for at log time, as text.
    fn attr(&self, a: Attr) -> Option<String> {
        match a {
            Attr::RouteName => self.property("route_name"),
            Attr::ClusterName => self.property("cluster_name"),
            // Envoy hands integer attributes over as 8 little-endian bytes.
            Attr::ResponseCode => property(&["response", "code"])
                .and_then(|b| <[u8; 8]>::try_from(b.as_slice()).ok())
                .map(|b| i64::from_le_bytes(b).to_string()),
            Attr::AiLog => property(&["ai_log"]).map(|b| String::from_utf8_lossy(&b).into_owned()),
        }
    }

    /// Envoy attributes such as `xds.route_name`; Higress also exposes the
    /// bare `route_name`.
    fn property(&self, name: &str) -> Option<String> {
        property(&["xds", name])
            .or_else(|| property(&[name]))
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .filter(|s| !s.is_empty())
    }
}

/// A property's bytes; a failed read is an unknown attribute.
fn property(path: &[&str]) -> Option<Vec<u8>> {
    abi::property(path).ok().flatten()
}

/// Unix milliseconds; the exchange reads it through a `Clock`, only when
/// an event needs the time.
pub fn unix_ms() -> u64 {
    abi::now_ns().map_or(0, |ns| ns / 1_000_000)
}

/// A replay, sent with the SDK's `dispatch_http_call` (the one call that
/// registers the token its answer is routed by; see `abi`).
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

/// A body buffer; one that cannot be read is empty (what the exchange
/// gets from a body it could not see).
fn buffer(kind: Buffer, size: usize) -> Vec<u8> {
    abi::buffer(kind, size).unwrap_or_default()
}

/// A `content-encoding` that changes the bytes (not empty, not `identity`).
fn is_coded(v: &[u8]) -> bool {
    let v = v.trim_ascii();
    !v.is_empty() && !v.eq_ignore_ascii_case(b"identity")
}

pub fn status_of(v: Option<&[u8]>) -> u32 {
    v.and_then(|b| std::str::from_utf8(b).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0)
}

/// An HTTP call's answer: (status, content-type, body), status 0 for a
/// call that failed (reset, timed out, over the buffer limit): Envoy then
/// reports no headers, and has none to read (asking for them is the
/// BadArgument the SDK traps on).
/// What a dispatched call answered; a call that failed (no headers: refused,
/// reset, timed out) is status 0 with nothing else.
pub struct CallAnswer {
    pub status: u32,
    pub content_type: Option<String>,
    /// Only an encoding that changes the bytes (not `identity`).
    pub content_encoding: Option<String>,
    pub body: Vec<u8>,
}

pub fn call_response(num_headers: usize, body_size: usize) -> CallAnswer {
    let mut a = CallAnswer {
        status: 0,
        content_type: None,
        content_encoding: None,
        body: Vec::new(),
    };
    if num_headers == 0 {
        return a;
    }
    for (name, value) in abi::headers(Map::CallResponse).unwrap_or_default() {
        match name.as_str() {
            ":status" => a.status = status_of(Some(&value)),
            "content-type" => a.content_type = Some(String::from_utf8_lossy(&value).into_owned()),
            "content-encoding" if is_coded(&value) => {
                a.content_encoding = Some(String::from_utf8_lossy(&value).into_owned())
            }
            _ => {}
        }
    }
    a.body = buffer(Buffer::CallResponseBody, body_size);
    a
}

impl Context for Http {
    fn on_http_call_response(
        &mut self,
        _token: u32,
        num_headers: usize,
        body_size: usize,
        _trailers: usize,
    ) {
        let CallAnswer {
            status,
            content_type,
            content_encoding,
            body,
        } = call_response(num_headers, body_size);
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
        let client = ClientHeaders::new(abi::headers(Map::Request).unwrap_or_default());
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
        ex.set_budget(worker.borrow().link.budget());
        if ex.has_rate_limits() {
            let w = worker.borrow();
            let counters = super::worker::SharedCounters {
                touched: w.rate_keys.clone(),
            };
            ex.set_limiter(std::rc::Rc::new(counters), w.link.rate_remote());
        }
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
            &mut || buffer(Buffer::RequestBody, size),
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
        for (name, value) in abi::headers(Map::Response).unwrap_or_default() {
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
            buffer(Buffer::ResponseBody, size)
        });
        self.apply(step, size)
    }

    fn on_log(&mut self) {
        let clock = Clock::new(&unix_ms);
        let Some(mut ex) = self.ex.take() else { return };
        let effects = {
            let mut w = self.worker.borrow_mut();
            let audit = w.link.audits();
            ex.on_log(&clock, &|a| self.attr(a), audit, &mut w.labels)
        };
        for e in effects {
            self.apply_one(e, 0);
        }
    }
}
