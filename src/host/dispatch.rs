//! Fallback dispatch: replays the request to the next candidate with
//! `dispatch_http_call` and answers the client with the first success.

use super::http::{Http, Phase};
use crate::fallback::{self, Attempt};
use crate::openai::stream::StreamObserver;
use crate::openai::{notice, ClientError};
use crate::pipeline;
use proxy_wasm::traits::{Context, HttpContext};
use std::time::Duration;

impl Http {
    /// Dispatches the replayed request to the next candidate that accepts
    /// it; a candidate that cannot be dispatched counts as a failed attempt.
    pub(super) fn dispatch_next(&mut self) -> bool {
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
    pub(super) fn answer(&mut self, status: u32, content_type: Option<String>, body: Vec<u8>) {
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
        self.response_done(body.clone(), now);
        if !sse && self.cfg.accounting.headers {
            route.extend(self.accounting_headers());
        }
        let mut headers: Vec<(&str, &str)> = vec![("content-type", ct.as_str())];
        headers.extend(route.iter().map(|(k, v)| (*k, v.as_str())));
        self.send_http_response(status, headers, Some(&body));
    }

    /// A dispatched attempt answered (or failed): answer the client, or
    /// try the next candidate.
    pub(super) fn on_fallback_response(&mut self, body_size: usize) {
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
