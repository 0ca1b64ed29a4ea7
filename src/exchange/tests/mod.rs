//! Table tests of the exchange: every event fed as Envoy would, effects
//! checked as the host would apply them. No host, so they run natively and
//! under the wasm test runner alike.

mod anthropic;
mod fallback;
mod paths;
mod refusal;
mod relay;
mod report;
mod request;
mod restore;
mod wire;

use super::*;
use crate::audit::AuditRecord;
use crate::config::from_value;
use serde_json::{json, Value};

/// Providers: `openai` (key), `backup` (no key, base path), `local` and
/// `vault` (secure). Models: gpt-4o (chain -> mini -> b), mini, b, twin
/// (same upstream as gpt-4o), local-qwen, vault-llm.
pub fn config() -> Value {
    json!({
        "providers": [
            {"name": "openai", "cluster": "openai", "host": "api.openai.com", "api_key": "sk-test"},
            {"name": "backup", "host": "backup.internal", "base_path": "/compat/v1"},
            {"name": "local", "secure": true},
            {"name": "vault", "secure": true, "timeout_ms": 700}
        ],
        "models": [
            {"name": "gpt-4o", "provider": "openai", "upstream_model": "gpt-4o-2024-08-06",
             "fallback": ["mini", "b"],
             "pricing": {"input_per_1m": 2.5, "output_per_1m": 10, "currency": "USD"}},
            {"name": "mini", "provider": "openai",
             "pricing": {"input_per_1m": 0.15, "output_per_1m": 0.6, "currency": "USD"}},
            {"name": "b", "provider": "backup"},
            {"name": "twin", "provider": "openai", "upstream_model": "gpt-4o-2024-08-06"},
            {"name": "local-qwen", "provider": "local", "fallback": ["vault-llm", "mini"]},
            {"name": "vault-llm", "provider": "vault"}
        ],
        "auto": {"models": ["mini", "b"], "strategy": "first"},
        "risk": {"rules": [
            {"id": "falcon", "category": "company", "pattern": "(?i)project falcon",
             "action": "route_secure_model", "severity": "high"},
            {"id": "nuke", "category": "security", "pattern": "(?i)launch codes",
             "action": "block", "severity": "high"}
        ], "secure_model": "local-qwen"},
        "fallback": {"max_attempts": 3, "timeout_ms": 30000},
        "identity": {"user": ["x-user"]},
        "audit": {"payloads": "full", "max_payload_bytes": 64}
    })
}

pub fn cfg(v: Value) -> Rc<Config> {
    match from_value(v, "cfghash") {
        Ok(pc) => pc.global.clone(),
        Err(e) => panic!("test config rejected: {e:?}"),
    }
}

/// Records replays; refuses those to the clusters listed.
#[derive(Default)]
pub struct FakeUpstream {
    pub sent: Vec<(UpstreamRequest, u64)>,
    pub refuse: Vec<&'static str>,
}

impl Upstream for FakeUpstream {
    fn dispatch(&mut self, req: &UpstreamRequest, timeout_ms: u64) -> bool {
        if self.refuse.contains(&req.cluster.as_str()) {
            return false;
        }
        self.sent.push((req.clone(), timeout_ms));
        true
    }
}

/// One request driven through the exchange, clock advancing 10 ms a step.
pub struct Run {
    pub ex: Exchange,
    pub up: FakeUpstream,
    pub now: u64,
    /// Effects of the request half (header edits, body replacement).
    pub forwarded: Step,
    /// What Envoy reports it sent the client (`response.code`).
    pub sent_status: Option<u32>,
}

/// What `on_log` gave: counter deltas, the audit record, the filter
/// state properties set (`ai_log`, span tags).
pub type Logged = (
    Vec<(String, u64)>,
    Option<AuditRecord>,
    Vec<(String, Vec<u8>)>,
);

pub fn chat(model: &str, stream: bool) -> Vec<u8> {
    json!({"model": model, "stream": stream, "messages": [{"role": "user", "content": "hi"}]})
        .to_string()
        .into_bytes()
}

pub fn headers(extra: &[(&str, &str)]) -> ClientHeaders {
    let mut h: Vec<(String, Vec<u8>)> = vec![
        (":method".into(), b"POST".to_vec()),
        (":path".into(), b"/v1/chat/completions".to_vec()),
        (":authority".into(), b"gateway".to_vec()),
        ("content-type".into(), b"application/json".to_vec()),
    ];
    for (k, v) in extra {
        h.retain(|(n, _)| n != k);
        h.push((k.to_string(), v.as_bytes().to_vec()));
    }
    ClientHeaders::new(h)
}

impl Run {
    /// Request headers and the whole body, as one body callback.
    pub fn new(config: Value, extra: &[(&str, &str)], body: &[u8]) -> Run {
        Self::with(cfg(config), headers(extra), body)
    }

    pub fn with(cfg: Rc<Config>, client: ClientHeaders, body: &[u8]) -> Run {
        let (mut ex, step) =
            Exchange::start(cfg, client, false, &Clock::new(&|| 1_000), &mut |_| {
                "rid".repeat(8)
            });
        assert_eq!(step.flow, Flow::Pause, "governed calls hold their headers");
        let mut rr = 0;
        let forwarded = ex.on_request_body(
            body.len(),
            true,
            &Clock::new(&|| 1_000),
            &mut || body.to_vec(),
            &mut || {
                rr += 1;
                rr - 1
            },
        );
        Run {
            ex,
            up: FakeUpstream::default(),
            now: 1_000,
            forwarded,
            sent_status: None,
        }
    }

    fn tick(&mut self) -> u64 {
        self.now += 10;
        self.now
    }

    pub fn headers(&mut self, status: u32, sse: bool, eos: bool) -> Step {
        self.headers_coded(status, sse, false, eos)
    }

    /// Response headers with `encoded`: a `content-encoding` was set.
    pub fn headers_coded(&mut self, status: u32, sse: bool, encoded: bool, eos: bool) -> Step {
        let now = self.tick();
        let now = || now;
        let clock = Clock::new(&now);
        self.ex
            .on_response_headers(status, sse, encoded, eos, &clock, &mut self.up)
    }

    /// A body callback; fails the test if the exchange reads bytes it said
    /// it would not need.
    pub fn body(&mut self, chunk: &[u8], eos: bool) -> Step {
        let now = self.tick();
        self.ex
            .on_response_body(chunk.len(), eos, &Clock::new(&|| now), &mut || {
                chunk.to_vec()
            })
    }

    /// A body callback whose bytes must not be read (held or ignored).
    pub fn body_unread(&mut self, size: usize, eos: bool) -> Step {
        let now = self.tick();
        self.ex
            .on_response_body(size, eos, &Clock::new(&|| now), &mut || {
                panic!("body read while it should not be")
            })
    }

    pub fn call(&mut self, status: u32, ct: Option<&str>, body: &[u8]) -> Vec<Effect> {
        self.call_coded(status, ct, None, body)
    }

    /// A replay's answer with a `content-encoding`.
    pub fn call_coded(
        &mut self,
        status: u32,
        ct: Option<&str>,
        encoding: Option<&str>,
        body: &[u8],
    ) -> Vec<Effect> {
        let now = self.tick();
        self.ex.on_call_response(
            status,
            ct.map(str::to_string),
            encoding.map(str::to_string),
            body.to_vec(),
            &Clock::new(&|| now),
            &mut self.up,
        )
    }

    /// Logs the request: counter deltas and the audit record.
    pub fn log(&mut self) -> (Vec<(String, u64)>, Option<AuditRecord>) {
        let (m, r, _) = self.log_in("cluster_name-x", None, &mut Default::default());
        (m, r)
    }

    /// Logs the request upstream of `cluster`, with the `ai_log` other
    /// plugins wrote and a worker's consumer-label cap; also returns the
    /// filter state properties set.
    pub fn log_in(
        &mut self,
        cluster: &str,
        ai_log: Option<&str>,
        consumers: &mut crate::label_cap::Labels,
    ) -> Logged {
        let now = self.tick();
        let sent = self.sent_status;
        let attr = |a: Attr| match a {
            Attr::RouteName => Some("route_name-x".to_string()),
            Attr::ClusterName => Some(cluster.to_string()),
            Attr::ResponseCode => sent.map(|s| s.to_string()),
            Attr::AiLog => ai_log.map(str::to_string),
        };
        let mut metrics = Vec::new();
        let mut record = None;
        let mut props = Vec::new();
        for e in self.ex.on_log(&Clock::new(&|| now), &attr, true, consumers) {
            match e {
                Effect::Metrics(m) => metrics = m,
                Effect::Audit(r) => record = Some(*r),
                Effect::SetProperty(k, v) => props.push((k, v)),
                other => panic!("unexpected effect at log: {other:?}"),
            }
        }
        (metrics, record, props)
    }
}

/// The value an effect list sets for a response header.
pub fn response_header(effects: &[Effect], name: &str) -> Option<String> {
    effects.iter().rev().find_map(|e| match e {
        Effect::SetResponseHeader(k, v) if *k == name => Some(v.clone()),
        _ => None,
    })
}

pub fn request_header(effects: &[Effect], name: &str) -> Option<String> {
    effects.iter().rev().find_map(|e| match e {
        Effect::SetRequestHeader(k, v) if *k == name => Some(v.clone()),
        _ => None,
    })
}

/// The request body an effect list forwards instead of the client's.
pub fn request_body(effects: &[Effect]) -> Option<&[u8]> {
    effects.iter().find_map(|e| match e {
        Effect::ReplaceRequestBody(b) => Some(b.as_slice()),
        _ => None,
    })
}

/// The response bytes an effect list sends instead of the chunk.
pub fn response_body(effects: &[Effect]) -> Option<&[u8]> {
    effects.iter().find_map(|e| match e {
        Effect::ReplaceResponseBody(b) => Some(b.as_slice()),
        _ => None,
    })
}

pub fn reply(effects: &[Effect]) -> Option<&LocalReply> {
    effects.iter().find_map(|e| match e {
        Effect::Reply(r) => Some(r),
        _ => None,
    })
}

pub fn reply_header<'a>(r: &'a LocalReply, name: &str) -> Option<&'a str> {
    r.headers
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.as_str())
}

pub fn metric(m: &[(String, u64)], suffix: &str) -> Option<u64> {
    m.iter().find(|(k, _)| k.ends_with(suffix)).map(|(_, v)| *v)
}

pub fn json_usage(prompt: u64, completion: u64) -> Vec<u8> {
    json!({"id": "x", "choices": [{"message": {"role": "assistant", "content": "ok"}}],
           "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                     "total_tokens": prompt + completion}})
    .to_string()
    .into_bytes()
}
