//! The configuration with its secrets taken out: what the filter sends the
//! sidecar's config history and what the config hash is computed over, so
//! neither holds an API key or a token and rotating a key keeps the hash.

use serde_json::Value;

pub const REDACTED: &str = "[redacted]";

/// A key whose string value is a secret: `api_key`, `token`, `password`,
/// `secret`, `*_key` — but not names of where a secret lives (`*_env`).
fn secret_key(k: &str) -> bool {
    let k = k.to_ascii_lowercase();
    if k.ends_with("_env") {
        return false;
    }
    ["api_key", "apikey", "token", "password", "secret"]
        .iter()
        .any(|s| k.contains(s))
        || k.ends_with("_key")
}

/// A copy of `v` with every secret string replaced by `[redacted]`.
pub fn redacted(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let v = match v {
                        Value::String(s) if secret_key(k) && !s.is_empty() => {
                            Value::String(REDACTED.to_string())
                        }
                        other => redacted(other),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(redacted).collect()),
        other => other.clone(),
    }
}

/// The body the filter sends the sidecar's config history for a config
/// document as Envoy handed it over: `{"hash", "config"}`, redacted.
pub fn history_body(source: &[u8], hash: &str) -> Option<Vec<u8>> {
    let v: Value = serde_json::from_slice(source).ok()?;
    serde_json::to_vec(&serde_json::json!({"hash": hash, "config": redacted(&v)})).ok()
}

/// Where the filter sends it on the audit sidecar.
pub const HISTORY_PATH: &str = "/v1/config";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_go_structure_stays() {
        let v = json!({
            "providers": [{"name": "p", "api_key": "sk-live-123", "api_key_env": "OPENAI_KEY"}],
            "audit": {"token": "t0k", "cluster": "c"},
            "_rules_": [{"_match_route_": ["r"], "providers": [{"name": "q", "api_key": "sk-2"}]}],
            "risk": {"rules": [{"id": "token_like", "pattern": "tok"}]},
            "x": {"client_secret": "s", "signing_key": "k", "monkey": "m"}
        });
        let r = redacted(&v);
        let text = r.to_string();
        for secret in ["sk-live-123", "t0k", "sk-2", "\"s\"", "\"k\""] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert_eq!(r["providers"][0]["api_key_env"], "OPENAI_KEY");
        assert_eq!(
            r["risk"]["rules"][0]["id"], "token_like",
            "ids are not secrets"
        );
        assert_eq!(r["x"]["monkey"], "m");
        assert_eq!(r["audit"]["cluster"], "c");
    }

    #[test]
    fn the_history_body_hashes_as_the_filter_does() {
        let src = br#"{"providers":[{"name":"p","api_key":"sk-1"}]}"#;
        let pc = crate::config::parse_json(src).unwrap();
        let body = history_body(src, &pc.global.hash).unwrap();
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(crate::config::hash_of(&v["config"]), pc.global.hash);
        assert!(!String::from_utf8_lossy(&body).contains("sk-1"));
        // a rotated key keeps the hash
        let rotated =
            crate::config::parse_json(br#"{"providers":[{"name":"p","api_key":"sk-2"}]}"#).unwrap();
        assert_eq!(rotated.global.hash, pc.global.hash);
    }
}
