//! One builder for every upstream request: the first attempt (which goes
//! through Envoy's router) and each fallback replay (`dispatch_http_call`)
//! carry the same path, auth, model, timeout and request id.

use super::client::ClientHeaders;
use super::effect::Effect;
use crate::catalog::Provider;
use crate::paths::{self, LlmPath};
use crate::wire::Endpoint;
use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamRequest {
    pub cluster: String,
    pub authority: String,
    pub path: String,
    /// Regular headers, in a fixed order (pseudo-headers are fields).
    pub headers: Vec<(Cow<'static, str>, String)>,
    /// Client headers the first attempt must not carry upstream.
    pub strip: Vec<&'static str>,
    pub body: Vec<u8>,
    /// The provider's own bound on one attempt, when it sets one.
    pub timeout_ms: Option<u64>,
}

/// Sends a replayed request (`dispatch_http_call`); false when Envoy
/// refused to send it (unknown cluster, bad headers).
pub trait Upstream {
    fn dispatch(&mut self, req: &UpstreamRequest, timeout_ms: u64) -> bool;
}

impl<F: FnMut(&UpstreamRequest, u64) -> bool> Upstream for F {
    fn dispatch(&mut self, req: &UpstreamRequest, timeout_ms: u64) -> bool {
        self(req, timeout_ms)
    }
}

/// Where the request came in and what it is, for every attempt.
pub struct Origin<'a> {
    pub client: &'a ClientHeaders,
    pub path: &'a LlmPath,
    pub endpoint: Endpoint,
    pub request_id: &'a str,
}

/// The request to `provider` asking for `upstream_model`, with `body`
/// already naming that model.
pub fn build(
    provider: &Provider,
    upstream_model: &str,
    o: &Origin<'_>,
    body: Vec<u8>,
) -> UpstreamRequest {
    let client = o.client;
    let path = paths::upstream_path(o.path, o.endpoint, provider.base_path.as_deref());
    // A provider key replaces the client's; without one (Higress ai-proxy
    // holds keys) the client's own credentials go on, as in the first attempt.
    let auth: Vec<(Cow<'static, str>, String)> = match &provider.api_key {
        Some(k) => vec![(
            provider.auth_header.clone().into(),
            format!("{}{k}", provider.auth_prefix),
        )],
        None => CLIENT_AUTH_HEADERS
            .iter()
            .filter_map(|h| Some(((*h).into(), client.get(h)?)))
            .collect(),
    };
    let mut headers: Vec<(Cow<'static, str>, String)> = vec![
        (
            "content-type".into(),
            client
                .get("content-type")
                .unwrap_or_else(|| "application/json".into()),
        ),
        ("x-clawgate-provider".into(), provider.name.clone()),
        ("x-higress-llm-model".into(), upstream_model.to_string()),
        (
            "x-request-id".into(),
            client
                .get("x-request-id")
                .unwrap_or_else(|| o.request_id.to_string()),
        ),
    ];
    // Usage is read from the answer's bytes: a compressed one could not be
    // counted. Clients ask for gzip, br, zstd (Claude Code, Codex); the
    // provider is asked for none. See docs/wire.md.
    headers.push(("accept-encoding".into(), "identity".into()));
    headers.extend(auth);
    // Fixed provider headers win over the client's of the same name.
    for (k, v) in &provider.headers {
        headers.retain(|(n, _)| n != k);
        headers.push((k.clone().into(), v.clone()));
    }
    // Envoy answers 504 past it, which the fallback treats like any
    // failed status.
    if let Some(t) = provider.timeout_ms {
        headers.push(("x-envoy-upstream-rq-timeout-ms".into(), t.to_string()));
    }
    // With the provider's key in its own header, the client's credentials
    // (a gateway key) are not forwarded to the provider.
    let strip = if provider.api_key.is_some() {
        CLIENT_AUTH_HEADERS
            .iter()
            .filter(|h| **h != provider.auth_header && client.raw(h).is_some())
            .copied()
            .collect()
    } else {
        Vec::new()
    };
    UpstreamRequest {
        cluster: provider.cluster.clone(),
        authority: provider.host.clone(),
        path,
        headers,
        strip,
        body,
        timeout_ms: provider.timeout_ms,
    }
}

/// The headers a client's credentials come in.
const CLIENT_AUTH_HEADERS: [&str; 3] = ["authorization", "x-api-key", "api-key"];

/// Client headers a replay does not copy: set by clawgate itself (auth
/// goes by the provider's key, the model and routing headers by the
/// route), hop-by-hop ones, and `content-length` (the body may differ).
const NOT_REPLAYED: [&str; 11] = [
    "content-length",
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "te",
    "upgrade",
    "trailer",
    "expect",
    "host",
    "proxy-authorization",
];

impl UpstreamRequest {
    /// A replay is sent from scratch (`dispatch_http_call`): the client's
    /// own headers (`user-agent`, `traceparent`, `anthropic-version`,
    /// `anthropic-beta`, agents' session ids...) are copied onto it, as
    /// the first attempt carried them, except those clawgate owns: its
    /// own and Envoy's (`x-clawgate-*` never reach here, `x-envoy-*`
    /// would steer the replay), pseudo-headers, credentials (set per
    /// provider by `build`), headers already set, and `NOT_REPLAYED`.
    /// Values that are not UTF-8 are left out rather than altered.
    pub fn carry_client_headers(&mut self, client: &ClientHeaders) {
        for (name, value) in client.iter() {
            let skip = name.starts_with(':')
                || name.starts_with("x-envoy-")
                || NOT_REPLAYED.contains(&name)
                || CLIENT_AUTH_HEADERS.contains(&name)
                || self.headers.iter().any(|(n, _)| n == name);
            if skip {
                continue;
            }
            if let Ok(v) = std::str::from_utf8(value) {
                self.headers.push((name.to_string().into(), v.to_string()));
            }
        }
    }

    /// Headers for `dispatch_http_call`, pseudo-headers first.
    pub fn dispatch_headers(&self) -> Vec<(&str, &str)> {
        let mut h = vec![
            (":method", "POST"),
            (":path", self.path.as_str()),
            (":authority", self.authority.as_str()),
        ];
        h.extend(self.headers.iter().map(|(k, v)| (k.as_ref(), v.as_str())));
        h
    }

    /// A replay's timeout: the fallback's per-attempt bound, or the
    /// provider's when that is shorter.
    pub fn dispatch_timeout_ms(&self, fallback_timeout_ms: u64) -> u64 {
        self.timeout_ms
            .map_or(fallback_timeout_ms, |t| t.min(fallback_timeout_ms))
    }

    /// The first attempt as edits of the client's request. Envoy's route
    /// (matching `x-clawgate-provider`) picks the cluster and authority;
    /// headers already equal to the client's are not set again.
    pub fn into_first_attempt(self, client: &ClientHeaders, body_changed: bool) -> Vec<Effect> {
        let mut out: Vec<Effect> = self
            .strip
            .iter()
            .map(|h| Effect::RemoveRequestHeader(h.to_string()))
            .collect();
        if client.raw(":path") != Some(self.path.as_bytes()) {
            out.push(Effect::SetRequestHeader(":path".into(), self.path));
        }
        for (k, v) in self.headers {
            if client.raw(&k) != Some(v.as_bytes()) {
                out.push(Effect::SetRequestHeader(k, v));
            }
        }
        if body_changed {
            out.push(Effect::SetRequestHeader(
                "content-length".into(),
                self.body.len().to_string(),
            ));
            out.push(Effect::ReplaceRequestBody(self.body));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeout_is_the_shorter_bound() {
        let mut r = UpstreamRequest {
            cluster: String::new(),
            authority: String::new(),
            path: String::new(),
            headers: Vec::new(),
            strip: Vec::new(),
            body: Vec::new(),
            timeout_ms: None,
        };
        assert_eq!(r.dispatch_timeout_ms(30_000), 30_000);
        r.timeout_ms = Some(500);
        assert_eq!(r.dispatch_timeout_ms(30_000), 500);
        r.timeout_ms = Some(90_000);
        assert_eq!(r.dispatch_timeout_ms(30_000), 30_000);
    }
}
