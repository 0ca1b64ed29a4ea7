//! One request's life in the filter, as a state machine with no host.
//! Events come in (request headers, request body, response headers, body
//! chunks, a replay's answer, log); effects go out (edit these headers,
//! replace this body, answer the client, count these metrics, queue this
//! record). `host::http` only fetches inputs and applies effects.
//!
//! The request half is `request.rs`: headers checked, body planned by
//! `pipeline::plan_request`, the first attempt built by `upstream::build`.
//! The response half, fallback included, reads top to bottom in
//! `response.rs`: `on_response_headers` records a failed attempt and
//! `fall_back` dispatches a replay built the same way, holding the
//! response (`FallingBack`); `on_call_response` records that attempt and
//! falls back again or `answer`s the client itself. `on_log` reports the
//! metrics and the audit record (`report.rs`).

mod ai_log;
mod answer;
mod checks;
mod client;
mod clock;
mod effect;
mod headers;
mod observed;
mod rate;
mod report;
mod request;
mod response;
mod restore;
#[cfg(test)]
mod tests;
mod upstream;

pub use client::{is_routing_header, ClientHeaders};
pub use clock::Clock;
pub use effect::{Effect, Flow, LocalReply, Step};
pub use upstream::{Upstream, UpstreamRequest};

use crate::config::Config;
use crate::fallback::Attempt;
use crate::identity::Identity;
use crate::label_cap::Labels;
use crate::paths::LlmPath;
use crate::pipeline::{Refusal, RequestPlan};
use crate::wire::Endpoint;
use crate::wire::Protocol;
use crate::wire::StreamObserver;
use observed::{capture_limit, clip, Observed};
use std::rc::Rc;

/// Marks a refusal answered as the model's answer (a 200 the client might
/// otherwise take for the model's own).
pub const REFUSAL_HEADER: &str = "x-clawgate-refusal";

pub struct Exchange {
    cfg: Rc<Config>,
    client: ClientHeaders,
    /// The wire format of the request, for the filter's own errors.
    protocol: Protocol,
    /// The normalised path a governed call came in on.
    path: LlmPath,
    request_id: String,
    started_ms: u64,
    identity: Identity,
    /// The budget state pulled last, when the config has budgets.
    budget: Option<Rc<crate::budget::Snapshot>>,
    /// Where rate-limit counts live, when the config has rate limits.
    limiter: Option<Rc<dyn crate::ratelimit::Store>>,
    /// What other gateways counted, as the sidecar last said.
    rate_remote: Option<Rc<crate::ratelimit::Remote>>,
    state: State,
}

enum State {
    /// Not a governed call (or the model list): nothing to track.
    Untracked,
    /// Request headers held until the whole body is in.
    AwaitingBody(Endpoint),
    /// A POST on a path clawgate does not govern, held until its body
    /// shows whether it is an LLM call.
    Sniffing,
    /// The filter answered itself: an error, or a content refusal as the
    /// model's answer; `sent` is the status the client got.
    /// Boxed: a refusal carries what was learnt before refusing.
    Refused { refusal: Box<Refusal>, sent: u32 },
    /// Sent upstream with this plan.
    Forwarded(Box<Flight>),
}

/// A forwarded request and what its response has shown so far.
struct Flight {
    plan: RequestPlan,
    endpoint: Endpoint,
    /// Models to try if the upstream fails, and how many were taken.
    candidates: Vec<usize>,
    next_candidate: usize,
    /// The body as forwarded (masked, rewritten), kept only for replays.
    replay_body: Option<Vec<u8>>,
    attempts: Vec<Attempt>,
    attempt_started_ms: u64,
    /// Set once a replay went out.
    switch: Option<Switch>,
    response: Response,
    obs: Observed,
    /// Forwarded request body, clipped, kept only with `payloads: full`.
    payload_request: Option<String>,
    /// The rate limits the request was counted against (tokens charged at the end).
    rate_held: Vec<crate::ratelimit::Held>,
}

impl Flight {
    /// Placeholders to put back in the answer, if any mask restores.
    fn restoring(&self) -> bool {
        !self.plan.risk.restore.is_empty()
    }
}

#[derive(Debug, Clone, Copy)]
struct Switch {
    /// The upstream status that started the fallback.
    trigger: u32,
    /// The model of the latest replay.
    to: usize,
}

/// Where the response stands. Each state holds only what it needs.
enum Response {
    AwaitingHeaders,
    /// The upstream's answer passing through.
    Relaying(Relay),
    /// A JSON answer held whole so accounting headers can go on it.
    Holding,
    /// A replay is in flight; the failed answer is held meanwhile.
    FallingBack,
    /// Complete; `local` when the filter sent the answer itself.
    Answered {
        local: bool,
        stream: Option<Box<StreamObserver>>,
    },
}

enum Relay {
    /// Boxed: an observer is large next to a JSON copy's Vec.
    Sse(Box<StreamObserver>),
    /// A JSON copy (bounded) for usage.
    Json(Vec<u8>),
    /// A compressed answer (`content-encoding`), passed on untouched:
    /// its usage is unknown (docs/wire.md).
    Encoded,
}

/// Envoy attributes the exchange may ask for when the request is logged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attr {
    RouteName,
    ClusterName,
    /// The status Envoy sent the client.
    ResponseCode,
    /// The `ai_log` filter state other plugins wrote (escaped JSON).
    AiLog,
}

/// Where an exchange stands (for tests and debugging).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Untracked,
    Sniffing,
    AwaitingBody,
    Refused,
    AwaitingHeaders,
    Relaying,
    Holding,
    FallingBack,
    Answered,
    AnsweredLocally,
}

impl Exchange {
    /// The request is over: its metrics and, when a sidecar takes records,
    /// its audit record. `read` fetches an Envoy attribute (a hostcall);
    /// each is asked for at most once, and only when needed.
    pub fn on_log(
        &mut self,
        clock: &Clock,
        read: &dyn Fn(Attr) -> Option<String>,
        audit: bool,
        labels: &mut Labels,
    ) -> Vec<Effect> {
        let seen: std::cell::RefCell<Vec<(Attr, Option<String>)>> = Default::default();
        let attr = &|a: Attr| {
            if let Some((_, v)) = seen.borrow().iter().find(|(k, _)| *k == a) {
                return v.clone();
            }
            let v = read(a);
            seen.borrow_mut().push((a, v.clone()));
            v
        };
        if let State::Forwarded(f) = &mut self.state {
            // A client that hangs up right after `[DONE]` can end the
            // request before the last body callback; its usage still counts.
            match &f.response {
                Response::Relaying(Relay::Sse(st)) => f.obs.settle(st),
                // The held answer never went out: Envoy answered the client
                // itself, straight past the filters (an upstream that sends
                // headers, then stalls past its timeout, gets a 504).
                Response::Holding => {
                    let sent = attr(Attr::ResponseCode).and_then(|c| c.trim().parse().ok());
                    f.obs.status = sent.unwrap_or(0);
                    if let Some(a) = f.attempts.last_mut() {
                        a.status = f.obs.status;
                    }
                }
                _ => {}
            }
        }
        let mut effects = Vec::new();
        if matches!(self.state, State::Untracked | State::Sniffing) {
            return effects;
        }
        let now_ms = clock.ms();
        self.charge_rate(now_ms);
        // worked out once for the counters and the record
        let cost = match &self.state {
            State::Forwarded(f) => f.cost(&self.cfg),
            _ => None,
        };
        let m = self.metrics(now_ms, attr, labels, cost.as_ref());
        if !m.is_empty() {
            effects.push(Effect::Metrics(m));
        }
        let ai_log = self
            .cfg
            .metrics
            .ai_log
            .writes(&|| attr(Attr::ClusterName).unwrap_or_default());
        if !audit && !ai_log {
            return effects;
        }
        let mut rec = self.audit_record(now_ms, cost);
        rec.make_storable();
        if ai_log {
            let family = matches!(self.state, State::Forwarded(_))
                && crate::metrics::emits_ai_family(
                    self.cfg.metrics.ai_statistics,
                    &attr(Attr::ClusterName).unwrap_or_default(),
                );
            effects.extend(ai_log::effects(&rec, family, attr(Attr::AiLog).as_deref()));
        }
        if audit {
            effects.push(Effect::Audit(Box::new(rec)));
        }
        effects
    }

    /// Whether upstream response headers would be looked at: a forwarded
    /// request's first answer (not the filter's own, nor an untracked one).
    pub fn awaits_response(&self) -> bool {
        matches!(&self.state, State::Forwarded(f) if matches!(f.response, Response::AwaitingHeaders))
    }

    pub fn phase(&self) -> Phase {
        let f = match &self.state {
            State::Untracked => return Phase::Untracked,
            State::Sniffing => return Phase::Sniffing,
            State::AwaitingBody(_) => return Phase::AwaitingBody,
            State::Refused { .. } => return Phase::Refused,
            State::Forwarded(f) => f,
        };
        match f.response {
            Response::AwaitingHeaders => Phase::AwaitingHeaders,
            Response::Relaying(_) => Phase::Relaying,
            Response::Holding => Phase::Holding,
            Response::FallingBack => Phase::FallingBack,
            Response::Answered { local: false, .. } => Phase::Answered,
            Response::Answered { local: true, .. } => Phase::AnsweredLocally,
        }
    }

    /// Answers with an error, or a content refusal per `risk.refusal`, and
    /// remembers why, for metrics and audit; marks the request so a
    /// fallback route's redirect cannot send it on.
    fn refuse(&mut self, refusal: Refusal) -> Vec<Effect> {
        let reply = match self.refusal_answer(&refusal) {
            Some(reply) => reply,
            None => {
                let body = self.protocol.error_body(&refusal.error).into_bytes();
                let mut reply = self.json_reply(refusal.error.status(), body);
                if let Some(s) = refusal.error.retry_after_s {
                    reply.headers.push(("retry-after", s.to_string()));
                }
                reply.headers.extend(refusal.error.headers.iter().cloned());
                reply
            }
        };
        let mark = Effect::SetRequestHeader(
            client::REFUSED.into(),
            refusal.error.code.as_str().to_string(),
        );
        self.state = State::Refused {
            refusal: Box::new(refusal),
            sent: reply.status,
        };
        vec![mark, Effect::Reply(reply)]
    }

    /// A content refusal as the model's answer (`risk.refusal: message`)
    /// on an endpoint that answers with a message; `None` means the error.
    fn refusal_answer(&self, refusal: &Refusal) -> Option<LocalReply> {
        let State::AwaitingBody(endpoint) = self.state else {
            return None;
        };
        if refusal.error.code != crate::wire::ErrorCode::ContentBlocked
            || self.cfg.refusal != crate::risk::RefusalForm::Message
        {
            return None;
        }
        let answer = crate::refusal::Answer {
            id: &self.request_id,
            model: refusal.requested_model.as_deref().unwrap_or_default(),
            created_s: self.started_ms / 1000,
            text: &refusal.error.message,
        };
        let body = crate::refusal::body(endpoint, &answer, refusal.stream)?;
        let kind = if refusal.stream {
            "text/event-stream"
        } else {
            "application/json"
        };
        let mut reply = self.reply(200, kind, body);
        reply
            .headers
            .push((REFUSAL_HEADER, refusal.error.code.as_str().into()));
        Some(reply)
    }

    fn json_reply(&self, status: u32, body: Vec<u8>) -> LocalReply {
        self.reply(status, "application/json", body)
    }

    fn reply(&self, status: u32, content_type: &str, body: Vec<u8>) -> LocalReply {
        let mut headers = vec![("content-type", content_type.to_string())];
        if !self.request_id.is_empty() {
            headers.push(("x-clawgate-request-id", self.request_id.clone()));
        }
        LocalReply {
            status,
            headers,
            body,
        }
    }
}

/// A `multipart/…` content type, however cased, leading spaces allowed:
/// checked in place, where lowercasing a copy cost an allocation a request.
fn is_multipart(content_type: &str) -> bool {
    content_type
        .trim_start()
        .as_bytes()
        .get(..10)
        .is_some_and(|p| p.eq_ignore_ascii_case(b"multipart/"))
}
