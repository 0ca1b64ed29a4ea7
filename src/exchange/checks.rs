//! The checks on a request's headers, before any body is read: a
//! request refused before, a write to an unscanned API, an ambiguous
//! identity, a compressed or non-JSON body, a declared size over the
//! limit, and whether an ungoverned request must be held for its body.

use super::Exchange;
use crate::paths;
use crate::wire::request::is_json_content_type;
use crate::wire::sniff;
use crate::wire::{ClientError, ErrorCode};

impl Exchange {
    /// Whether an ungoverned request must be held to look at its body: a
    /// POST, PUT or PATCH with a body, on a path not listed as
    /// pass-through.
    pub(super) fn may_be_llm_call(&self, method: &str, path: &str, end_of_stream: bool) -> bool {
        // A PUT or PATCH reaches a provider that takes it as well as a POST
        // does (an `X-HTTP-Method-Override` turns the one into the other);
        // GET, HEAD, DELETE and OPTIONS carry no call to a model.
        if !matches!(method, "POST" | "PUT" | "PATCH")
            || end_of_stream
            || paths::is_passthrough(&self.cfg.passthrough_paths, path)
        {
            return false;
        }
        let ct = self.client.text("content-type").unwrap_or_default();
        let multipart = super::is_multipart(&ct);
        // uploads whose form carries a prompt are read; other uploads pass
        !multipart || crate::multipart::is_upload_path(path)
    }

    /// A request clawgate already refused, back through an internal
    /// redirect (an AI route's fallback fires on 4xx too): the same answer,
    /// never a forward.
    pub(super) fn refused_before(&self) -> Option<ClientError> {
        let code = self.client.refused()?;
        let code = ErrorCode::ALL
            .into_iter()
            .find(|c| c.as_str() == code)
            .unwrap_or(ErrorCode::ContentBlocked);
        Some(ClientError::new(
            code,
            "Request was refused by the gateway and is not sent to a fallback route",
        ))
    }

    /// A write to an OpenAI API that carries prompts clawgate does not scan
    /// (files, batches, assistants, threads, conversations, realtime):
    /// refused unless `passthrough_paths` lists the path.
    pub(super) fn unscanned_api(&self, method: &str, path: &str) -> Option<ClientError> {
        if paths::is_passthrough(&self.cfg.passthrough_paths, path) {
            return None;
        }
        let upgrade = self.client.raw("upgrade").is_some();
        let api = sniff::unscanned_api(method, path, upgrade)?;
        Some(ClientError::new(
            ErrorCode::UngovernedPath,
            format!(
                "The `{api}` API carries text a model reads, and the gateway does not scan it; \
                 send prompts through a governed endpoint (…/chat/completions, …/responses, \
                 …/messages), or list this path in passthrough_paths to let it through ungoverned"
            ),
        ))
    }

    /// An identity header with more than one value: refused, since which
    /// one is read would be the client's choice (a client's own
    /// `x-mse-consumer` ahead of the one Higress's auth appends). The record
    /// names no user: none of the values can be trusted.
    pub(super) fn ambiguous_identity(&mut self) -> Option<ClientError> {
        let cfg = &self.cfg.identity;
        let name = cfg
            .user
            .iter()
            .map(String::as_str)
            .chain(["x-mse-consumer"])
            .find(|n| self.client.has_many(n))?;
        self.identity.user = None;
        Some(ClientError::new(
            ErrorCode::AmbiguousIdentity,
            format!(
                "The identity header `{name}` carries more than one value; the gateway cannot \
                 tell which caller this is. Send it once (a gateway's authentication sets it)."
            ),
        ))
    }

    /// A body with a `content-encoding` that changes its bytes cannot be
    /// read, so it is refused, never forwarded unscanned. Decoding is left
    /// out on purpose: gzip, brotli and zstd decoders would not fit the
    /// wasm's size budget (docs/governs.md).
    pub(super) fn coded_body(&self) -> Option<ClientError> {
        let coded = self.client.iter().any(|(n, v)| {
            let v = v.trim_ascii();
            n == "content-encoding" && !v.is_empty() && !v.eq_ignore_ascii_case(b"identity")
        });
        coded.then(|| {
            ClientError::new(
                ErrorCode::UnsupportedMediaType,
                "The gateway does not read compressed request bodies (Content-Encoding); \
                 send the body uncompressed",
            )
        })
    }

    pub(super) fn check_headers(&self, end_of_stream: bool) -> Result<(), ClientError> {
        if let Some(e) = self.coded_body() {
            return Err(e);
        }
        if let Some(ct) = self.client.text("content-type") {
            if !is_json_content_type(&ct) {
                return Err(ClientError::new(
                    ErrorCode::UnsupportedMediaType,
                    "Content-Type must be application/json",
                ));
            }
        }
        if end_of_stream {
            return Err(ClientError::new(
                ErrorCode::InvalidJson,
                "Request body is empty; expected a JSON object",
            ));
        }
        let declared = self
            .client
            .get("content-length")
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > self.cfg.max_body_bytes) {
            return Err(ClientError::too_large(self.cfg.max_body_bytes));
        }
        Ok(())
    }
}
