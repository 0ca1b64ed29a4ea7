//! One builder for every upstream request: the first attempt (which goes
//! through Envoy's router) and each fallback replay (`dispatch_http_call`)
//! carry the same path, auth, model, timeout and request id.

use super::client::ClientHeaders;
use super::effect::Effect;
use crate::config::{Config, Provider};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamRequest {
    pub cluster: String,
    pub authority: String,
    pub path: String,
    /// Regular headers, in a fixed order (pseudo-headers are fields).
    pub headers: Vec<(&'static str, String)>,
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

/// The request to `provider` asking for `upstream_model`, with `body`
/// already naming that model.
pub fn build(
    cfg: &Config,
    provider: &Provider,
    upstream_model: &str,
    client: &ClientHeaders,
    request_id: &str,
    body: Vec<u8>,
) -> UpstreamRequest {
    let client_path = client.get(":path").unwrap_or_default();
    let path = base_path(
        &client_path,
        &cfg.path_prefix,
        provider.base_path.as_deref(),
    )
    .unwrap_or(client_path);
    // A provider key replaces the client's; without one (Higress ai-proxy
    // holds keys) the client's own header goes on.
    let auth = match &provider.api_key {
        Some(k) => Some(format!("Bearer {k}")),
        None => client.get("authorization"),
    };
    let mut headers = vec![
        (
            "content-type",
            client
                .get("content-type")
                .unwrap_or_else(|| "application/json".into()),
        ),
        ("x-clawgate-provider", provider.name.clone()),
        ("x-higress-llm-model", upstream_model.to_string()),
        (
            "x-request-id",
            client
                .get("x-request-id")
                .unwrap_or_else(|| request_id.to_string()),
        ),
    ];
    if let Some(a) = auth {
        headers.push(("authorization", a));
    }
    // Envoy answers 504 past it, which the fallback treats like any
    // failed status.
    if let Some(t) = provider.timeout_ms {
        headers.push(("x-envoy-upstream-rq-timeout-ms", t.to_string()));
    }
    UpstreamRequest {
        cluster: provider.cluster.clone(),
        authority: provider.host.clone(),
        path,
        headers,
        body,
        timeout_ms: provider.timeout_ms,
    }
}

impl UpstreamRequest {
    /// Headers for `dispatch_http_call`, pseudo-headers first.
    pub fn dispatch_headers(&self) -> Vec<(&str, &str)> {
        let mut h = vec![
            (":method", "POST"),
            (":path", self.path.as_str()),
            (":authority", self.authority.as_str()),
        ];
        h.extend(self.headers.iter().map(|(k, v)| (*k, v.as_str())));
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
        let mut out = Vec::new();
        if client.raw(":path") != Some(self.path.as_bytes()) {
            out.push(Effect::SetRequestHeader(":path", self.path));
        }
        for (k, v) in self.headers {
            if client.raw(k) != Some(v.as_bytes()) {
                out.push(Effect::SetRequestHeader(k, v));
            }
        }
        if body_changed {
            out.push(Effect::SetRequestHeader(
                "content-length",
                self.body.len().to_string(),
            ));
            out.push(Effect::ReplaceRequestBody(self.body));
        }
        out
    }
}

/// Rewrites the client's path onto the provider's base path
/// (`/v1/chat/completions` -> `/compatible-mode/v1/chat/completions`).
pub fn base_path(path: &str, prefix: &str, base_path: Option<&str>) -> Option<String> {
    let base = base_path?;
    let rest = path.strip_prefix(prefix)?;
    Some(format!("{base}{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_rewrite() {
        assert_eq!(
            base_path(
                "/v1/chat/completions?a=1",
                "/v1",
                Some("/compatible-mode/v1")
            )
            .as_deref(),
            Some("/compatible-mode/v1/chat/completions?a=1")
        );
        assert_eq!(base_path("/v1/x", "/v1", None), None);
        assert_eq!(base_path("/other/x", "/v1", Some("/b")), None);
    }

    #[test]
    fn timeout_is_the_shorter_bound() {
        let mut r = UpstreamRequest {
            cluster: String::new(),
            authority: String::new(),
            path: String::new(),
            headers: Vec::new(),
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
