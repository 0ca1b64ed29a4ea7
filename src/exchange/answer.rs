//! The filter's own answer after a fallback: the replay's result with
//! `gateway_notice` (and masks restored), or the last failure, accounted
//! as delivered.

use super::clock::Clock;
use super::effect::LocalReply;
use super::{Flight, Response};
use crate::config::Config;
use crate::wire::notice;

impl Flight {
    /// The filter's own answer after a fallback: the replay's result with
    /// `gateway_notice`, or the last failure. `head` is the status,
    /// content type and content encoding of that answer.
    pub(super) fn answer(
        &mut self,
        cfg: &Config,
        request_id: &str,
        (status, content_type, encoding): (u32, Option<String>, Option<String>),
        mut body: Vec<u8>,
        clock: &Clock,
    ) -> LocalReply {
        let ct = content_type.unwrap_or_else(|| "application/json".to_string());
        if let Some(enc) = encoding {
            // Compressed though asked not to be: passed on whole with its
            // coding (no notice, no restore), usage unknown.
            self.obs.status = status;
            self.obs.settle_encoded(clock);
            self.response = Response::Answered {
                local: true,
                stream: None,
            };
            let mut headers = vec![("content-type", ct), ("content-encoding", enc)];
            headers.extend(self.route_headers(cfg, request_id));
            return LocalReply {
                status,
                headers,
                body,
            };
        }
        let sse = ct.starts_with("text/event-stream");
        if let (true, Some(sw)) = ((200..300).contains(&status), self.switch) {
            if let Some(to) = cfg.catalog.models.get(sw.to) {
                let n = notice::Notice {
                    from_model: self.plan.route.model_name.clone(),
                    to_model: to.name.clone(),
                    trigger_status: u16::try_from(sw.trigger).unwrap_or(0),
                    attempts: self.attempts.len() as u32,
                };
                if sse {
                    let mut b = notice::sse_prefix(&n, self.endpoint.protocol());
                    b.extend_from_slice(&body);
                    body = b;
                } else if let Some(b) = notice::add_to_json(&body, &n) {
                    body = b;
                }
            }
        }
        // account for the answer that was actually delivered
        self.obs.status = status;
        // one pass of the chain: observe, then restore masks
        let restoring = self.restoring();
        let stream = sse.then(|| {
            let mut st = self.endpoint.stream_observer(false, None);
            if restoring {
                let map = self.plan.risk.restore.clone();
                st.rewrite_with(Box::new(super::restore::RestoreStream::new(map)));
            }
            if let Some(mut out) = st.feed(&body) {
                out.extend(st.finish().unwrap_or_default());
                body = out;
            } else {
                st.finish();
            }
            Box::new(st)
        });
        match &stream {
            Some(st) => self.obs.settle(st),
            None => {
                let usage = self.endpoint.usage_of_json(&body);
                self.obs.settle_json(cfg, usage, &body, clock)
            }
        }
        self.response = Response::Answered {
            local: true,
            stream,
        };
        if restoring && !sse {
            if let Some(b) = super::restore::restore_body(&self.plan.risk.restore, &body) {
                body = b;
            }
        }
        let mut headers = vec![("content-type", ct)];
        headers.extend(self.route_headers(cfg, request_id));
        if !sse && cfg.accounting.headers {
            headers.extend(self.accounting_headers(cfg));
        }
        LocalReply {
            status,
            headers,
            body,
        }
    }
}
