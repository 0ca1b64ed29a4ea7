//! The `identity:` section: which headers name the user, the instance,
//! the session and the trace (first present wins).

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct RawIdentity {
    pub user: Vec<String>,
    pub instance: Vec<String>,
    pub session: Vec<String>,
    pub trace: Vec<String>,
}

impl Default for RawIdentity {
    fn default() -> Self {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect();
        RawIdentity {
            user: v(&["x-mse-consumer", "x-openclaw-user"]),
            instance: v(&["x-openclaw-instance"]),
            // Claude Code's and Codex CLI's own session headers
            session: v(&[
                "x-openclaw-session-key",
                "x-claude-code-session-id",
                "session-id",
            ]),
            trace: v(&["x-openclaw-run-id", "traceparent", "x-request-id"]),
        }
    }
}

#[derive(Debug, Clone)]
pub struct IdentityConfig {
    pub user: Vec<String>,
    pub instance: Vec<String>,
    pub session: Vec<String>,
    pub trace: Vec<String>,
}
