//! OpenAI-shaped error bodies for every reply the filter sends itself.

use serde_json::json;

/// An error the filter answers with instead of forwarding the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientError {
    pub status: u32,
    pub kind: &'static str,
    pub code: &'static str,
    pub message: String,
}

impl ClientError {
    pub fn new(
        status: u32,
        kind: &'static str,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        ClientError {
            status,
            kind,
            code,
            message: message.into(),
        }
    }
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(400, "invalid_request_error", code, message)
    }
    pub fn model_not_found(model: &str) -> Self {
        Self::new(
            404,
            "invalid_request_error",
            "model_not_found",
            format!(
                "The model `{}` does not exist or is not enabled on this gateway",
                clip(model)
            ),
        )
    }
    pub fn too_large(limit: u64) -> Self {
        Self::new(
            413,
            "invalid_request_error",
            "request_too_large",
            format!("Request body exceeds the gateway limit of {limit} bytes"),
        )
    }

    pub fn body(&self) -> String {
        error_body(&self.message, self.kind, self.code)
    }
}

pub fn error_body(message: &str, kind: &str, code: &str) -> String {
    json!({"error": {"message": message, "type": kind, "code": code}}).to_string()
}

/// Client-supplied names are echoed in messages; keep them short.
fn clip(s: &str) -> String {
    if s.chars().count() > 64 {
        let mut out: String = s.chars().take(64).collect();
        out.push('…');
        out
    } else {
        s.to_string()
    }
}
