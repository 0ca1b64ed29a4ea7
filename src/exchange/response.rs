//! The response half: relay, hold for accounting, or fall back to the
//! next model and answer the client with the first success.

use super::clock::Clock;
use super::effect::{Effect, Flow, Step};
use super::upstream::Upstream;
use super::{
    capture_limit, upstream, ClientHeaders, Exchange, Flight, Relay, Response, State, Switch,
};
use crate::config::Config;
use crate::fallback::{self, Attempt};
use crate::paths::LlmPath;
use crate::wire::{ClientError, ErrorCode};

/// Largest JSON response copied for usage when it is not held.
const JSON_COPY_MAX: usize = 4 << 20;

impl Exchange {
    /// Upstream response headers: record the attempt; on a fallback status
    /// replay elsewhere and hold, else relay (holding JSON for accounting).
    pub fn on_response_headers(
        &mut self,
        status: u32,
        sse: bool,
        encoded: bool,
        end_of_stream: bool,
        clock: &Clock,
        up: &mut dyn Upstream,
    ) -> Step {
        let cfg = self.cfg.clone();
        let State::Forwarded(f) = &mut self.state else {
            return Step::go_on();
        };
        if !matches!(f.response, Response::AwaitingHeaders) {
            return Step::go_on(); // our own answer passing through
        }
        let now_ms = clock.ms();
        let (model, provider) = (f.plan.route.model_name.clone(), f.plan.route.provider);
        f.record_attempt(&cfg, model, provider, status, now_ms);
        if fallback::triggers(&cfg.fallback, status)
            && f.fall_back(
                &cfg,
                (&self.client, &self.path, &self.request_id),
                status,
                now_ms,
                up,
            )
        {
            f.response = Response::FallingBack;
            return Step::hold();
        }
        // Nothing to replay to (or nothing could be sent): relay as is.
        let mut effects: Vec<Effect> = f
            .route_headers(&cfg, &self.request_id)
            .into_iter()
            .map(|(k, v)| Effect::SetResponseHeader(k, v))
            .collect();
        if encoded {
            // Compressed though asked not to be: relayed as is, uncounted.
            f.obs.status = status;
            f.response = Response::Relaying(Relay::Encoded);
            if end_of_stream {
                f.finish(&cfg, Vec::new(), clock);
            }
            return Step::with(effects, Flow::Continue);
        }
        // A JSON answer with masks to restore is held whole, like one
        // held for its accounting headers.
        let restoring = f.restoring();
        let hold =
            !end_of_stream && !sse && (restoring || !f.plan.stream && cfg.accounting.headers);
        let strip = sse
            && f.plan.injected_usage
            && cfg.accounting.strip_injected_usage
            && f.endpoint.can_strip_injected_usage();
        if strip || restoring {
            effects.push(Effect::RemoveResponseHeader("content-length"));
        }
        f.obs.status = status;
        f.response = if hold {
            Response::Holding
        } else if sse {
            let mut st = f.endpoint.stream_observer(strip, capture_limit(&cfg));
            if restoring {
                // the chain's last link: after accounting saw the placeholders
                let map = f.plan.risk.restore.clone();
                st.rewrite_with(Box::new(super::restore::RestoreStream::new(map)));
            }
            Response::Relaying(Relay::Sse(Box::new(st)))
        } else {
            Response::Relaying(Relay::Json(Vec::new()))
        };
        if end_of_stream {
            f.finish(&cfg, Vec::new(), clock);
        }
        Step::with(effects, if hold { Flow::Pause } else { Flow::Continue })
    }

    /// Upstream response body. `read` fetches this chunk (or, when held,
    /// the whole body); it is only called when the bytes are needed.
    pub fn on_response_body(
        &mut self,
        size: usize,
        end_of_stream: bool,
        clock: &Clock,
        read: &mut dyn FnMut() -> Vec<u8>,
    ) -> Step {
        let cfg = self.cfg.clone();
        let State::Forwarded(f) = &mut self.state else {
            return Step::go_on();
        };
        match &mut f.response {
            Response::FallingBack => Step::hold(),
            Response::AwaitingHeaders | Response::Answered { .. } => Step::go_on(),
            Response::Holding if !end_of_stream => Step::hold(),
            Response::Holding => {
                let body = read();
                let restored = f
                    .restoring()
                    .then(|| super::restore::restore_body(&f.plan.risk.restore, &body))
                    .flatten();
                let mut effects = f.finish(&cfg, body, clock);
                effects.extend(restored.map(Effect::ReplaceResponseBody));
                Step::with(effects, Flow::Continue)
            }
            Response::Relaying(relay) => {
                let opaque = matches!(relay, Relay::Encoded);
                let chunk = if size > 0 && !opaque {
                    read()
                } else {
                    Vec::new()
                };
                let mut effects = Vec::new();
                let json_body = match relay {
                    Relay::Sse(st) => {
                        let mut replacement = st.feed(&chunk);
                        if end_of_stream {
                            if let Some(tail) = st.finish() {
                                replacement.get_or_insert_with(Vec::new).extend(tail);
                            }
                        }
                        if st.content_seen {
                            f.obs.first_token_ms.get_or_insert_with(|| clock.ms());
                        }
                        if let Some(r) = replacement {
                            effects.push(Effect::ReplaceResponseBody(r));
                        }
                        Vec::new()
                    }
                    Relay::Encoded => Vec::new(),
                    Relay::Json(copy) => {
                        if copy.len() + chunk.len() <= JSON_COPY_MAX {
                            copy.extend_from_slice(&chunk);
                        }
                        if end_of_stream {
                            std::mem::take(copy)
                        } else {
                            Vec::new()
                        }
                    }
                };
                if end_of_stream {
                    f.finish(&cfg, json_body, clock);
                }
                Step::with(effects, Flow::Continue)
            }
        }
    }

    /// A replay answered (status 0: it timed out or was reset). Either
    /// replays to the next candidate or answers the client.
    pub fn on_call_response(
        &mut self,
        status: u32,
        content_type: Option<String>,
        content_encoding: Option<String>,
        body: Vec<u8>,
        clock: &Clock,
        up: &mut dyn Upstream,
    ) -> Vec<Effect> {
        let cfg = self.cfg.clone();
        let State::Forwarded(f) = &mut self.state else {
            return Vec::new();
        };
        let (Response::FallingBack, Some(sw)) = (&f.response, f.switch) else {
            return Vec::new();
        };
        let Some(model) = cfg.catalog.models.get(sw.to) else {
            return Vec::new();
        };
        let now_ms = clock.ms();
        f.record_attempt(&cfg, model.name.clone(), model.provider, status, now_ms);
        let ok = (200..300).contains(&status);
        let retry = !ok && (status == 0 || fallback::triggers(&cfg.fallback, status));
        let origin = (&self.client, &self.path, self.request_id.as_str());
        if retry && f.fall_back(&cfg, origin, sw.trigger, now_ms, up) {
            return Vec::new();
        }
        let reply = if status == 0 {
            let e = ClientError::new(
                ErrorCode::UpstreamUnavailable,
                "All fallback attempts failed",
            );
            f.answer(
                &cfg,
                &self.request_id,
                (504, None, None),
                f.endpoint.protocol().error_body(&e).into_bytes(),
                clock,
            )
        } else {
            let head = (status, content_type, content_encoding);
            f.answer(&cfg, &self.request_id, head, body, clock)
        };
        vec![Effect::Reply(reply), Effect::ResumeResponse]
    }
}

impl Flight {
    pub(super) fn record_attempt(
        &mut self,
        cfg: &Config,
        model: String,
        provider: usize,
        status: u32,
        now_ms: u64,
    ) {
        self.attempts.push(Attempt {
            model,
            provider: cfg
                .catalog
                .providers
                .get(provider)
                .map_or(String::new(), |p| p.name.clone()),
            status,
            duration_ms: now_ms.saturating_sub(self.attempt_started_ms),
        });
    }

    /// Replays to the next candidate that can be sent; one that cannot
    /// counts as a failed attempt. False when none could be sent.
    pub(super) fn fall_back(
        &mut self,
        cfg: &Config,
        (client, path, request_id): (&ClientHeaders, &LlmPath, &str),
        trigger: u32,
        now_ms: u64,
        up: &mut dyn Upstream,
    ) -> bool {
        self.attempt_started_ms = now_ms;
        let Some(body) = &self.replay_body else {
            return false;
        };
        while let Some(&m) = self.candidates.get(self.next_candidate) {
            self.next_candidate += 1;
            let (Some(model), Some(provider)) =
                (cfg.catalog.models.get(m), cfg.catalog.provider_of(m))
            else {
                continue;
            };
            let body = if model.upstream_model == self.plan.route.upstream_model {
                body.clone()
            } else {
                match fallback::body_for(body, &model.upstream_model) {
                    Some(b) => b,
                    None => continue,
                }
            };
            let origin = upstream::Origin {
                client,
                path,
                endpoint: self.endpoint,
                request_id,
            };
            let mut req = upstream::build(provider, &model.upstream_model, &origin, body);
            req.carry_client_headers(client);
            if up.dispatch(&req, req.dispatch_timeout_ms(cfg.fallback.timeout_ms)) {
                self.switch = Some(Switch { trigger, to: m });
                return true;
            }
            self.attempts.push(Attempt {
                model: model.name.clone(),
                provider: provider.name.clone(),
                status: 0,
                duration_ms: 0,
            });
        }
        false
    }

    /// The response is complete: settles usage and, for a held JSON body,
    /// gives the accounting headers to add before it goes out.
    pub(super) fn finish(
        &mut self,
        cfg: &Config,
        json_body: Vec<u8>,
        clock: &Clock,
    ) -> Vec<Effect> {
        let held = matches!(self.response, Response::Holding);
        let old = std::mem::replace(&mut self.response, Response::AwaitingHeaders);
        let encoded = matches!(old, Response::Relaying(Relay::Encoded));
        let stream = match old {
            Response::Relaying(Relay::Sse(st)) => Some(st),
            _ => None,
        };
        if let Some(st) = &stream {
            self.obs.settle(st);
        } else if encoded {
            self.obs.settle_encoded(clock);
        } else {
            let usage = self.endpoint.usage_of_json(&json_body);
            self.obs.settle_json(cfg, usage, &json_body, clock);
        }
        self.response = Response::Answered {
            local: false,
            stream,
        };
        if held && cfg.accounting.headers {
            return self
                .accounting_headers(cfg)
                .into_iter()
                .map(|(k, v)| Effect::SetResponseHeader(k, v))
                .collect();
        }
        Vec::new()
    }

    /// The model that answered (after any switch).
    pub(super) fn answering_model(&self) -> Option<usize> {
        self.switch.map(|s| s.to).or(self.plan.route.model)
    }
}
