//! OpenAI-shaped error bodies, `{"error":{"message","type","code"}}`.

use crate::wire::errors::ClientError;
use serde_json::json;

pub fn body(e: &ClientError) -> String {
    let (kind, code) = (e.code.kind(), e.code.wire_code());
    json!({"error": {"message": e.message, "type": kind, "code": code}}).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::ErrorCode;

    #[test]
    fn codes_are_unique_and_bodies_openai_shaped() {
        let mut seen = std::collections::HashSet::new();
        for c in ErrorCode::ALL {
            assert!(seen.insert(c.as_str()), "{c:?} repeated");
            let v: serde_json::Value =
                serde_json::from_str(&body(&ClientError::new(c, "m"))).unwrap();
            assert_eq!(v["error"]["code"], c.wire_code());
            assert_eq!(v["error"]["type"], c.kind());
        }
    }

    #[test]
    fn a_content_refusal_is_never_an_auth_or_permission_error() {
        // agents read 401/403 as a bad key (Claude Code: "Failed to
        // authenticate"; OpenClaw disables the key), and retry 5xx
        let c = ErrorCode::ContentBlocked;
        assert_eq!((c.status(), c.kind()), (400, "invalid_request_error"));
        let v: serde_json::Value = serde_json::from_str(&body(&ClientError::new(c, "m"))).unwrap();
        assert_eq!(v["error"]["code"], "content_policy_violation");
        assert_eq!(c.as_str(), "content_blocked", "the record's code stays");
    }
}
