//! Anthropic-shaped error bodies, `{"type":"error","error":{"type",
//! "message"}}`, for every reply the filter sends on an Anthropic path.
//! The error `type` follows Anthropic's own per-status names; clawgate's
//! code rides along as `error.code` (clients ignore fields they do not
//! know).

use crate::wire::errors::ClientError;

/// Anthropic's error type for a status.
pub fn kind(status: u32) -> &'static str {
    match status {
        400 | 415 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        503 | 529 => "overloaded_error",
        504 => "timeout_error",
        _ => "api_error",
    }
}

pub fn body(e: &ClientError) -> String {
    // Written out, not `json!`: the message is the only value to escape.
    let message = serde_json::to_string(&e.message).unwrap_or_else(|_| "\"\"".into());
    format!(
        r#"{{"type":"error","error":{{"type":"{}","message":{message},"code":"{}"}}}}"#,
        kind(e.status()),
        e.code.wire_code()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::ErrorCode;
    use serde_json::Value;

    #[test]
    fn every_code_has_the_anthropic_shape() {
        for c in ErrorCode::ALL {
            let v: Value = serde_json::from_str(&body(&ClientError::new(c, "m"))).unwrap();
            assert_eq!(v["type"], "error");
            assert_eq!(v["error"]["message"], "m");
            assert_eq!(v["error"]["code"], c.wire_code());
            assert!(v["error"]["type"].as_str().unwrap().ends_with("error") || c.status() == 413);
        }
        assert_eq!(kind(403), "permission_error");
    }
}
