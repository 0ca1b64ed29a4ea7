//! The `audit:` section: where batches go, how often, how big, and what
//! of a payload a record keeps; compiled with every mistake's key path.

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PayloadMode {
    None,
    #[default]
    Metadata,
    Full,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawAudit {
    #[serde(default = "default_audit_cluster")]
    pub cluster: String,
    #[serde(default = "default_audit_path")]
    pub path: String,
    #[serde(default)]
    pub authority: Option<String>,
    #[serde(default)]
    pub token: Option<String>,
    /// Name of an environment variable of the Wasm VM holding the token
    /// (Envoy `vm_config.environment_variables`, Higress `vmConfig.env`),
    /// so it can come from a Kubernetes Secret instead of plugin config.
    #[serde(default)]
    pub token_env: Option<String>,
    #[serde(default = "default_flush")]
    pub flush_interval_ms: u64,
    #[serde(default = "default_batch_max")]
    pub batch_max: usize,
    #[serde(default = "default_buffer_max")]
    pub buffer_max_records: usize,
    #[serde(default)]
    pub payloads: PayloadMode,
    #[serde(default = "default_max_payload")]
    pub max_payload_bytes: usize,
    #[serde(default = "default_audit_timeout")]
    pub timeout_ms: u64,
}

fn default_audit_cluster() -> String {
    "clawgate_audit".to_string()
}
fn default_audit_path() -> String {
    "/v1/audit/batch".to_string()
}
fn default_flush() -> u64 {
    1000
}
fn default_batch_max() -> usize {
    200
}
fn default_buffer_max() -> usize {
    10_000
}
fn default_max_payload() -> usize {
    65_536
}
fn default_audit_timeout() -> u64 {
    5_000
}

#[derive(Debug, Clone)]
pub struct AuditConfig {
    pub cluster: String,
    pub path: String,
    pub authority: String,
    pub token: Option<String>,
    /// The VM environment variable the token is read from at configure.
    pub token_env: Option<String>,
    pub flush_interval_ms: u64,
    pub batch_max: usize,
    pub buffer_max_records: usize,
    pub payloads: PayloadMode,
    pub max_payload_bytes: usize,
    pub timeout_ms: u64,
}

impl AuditConfig {
    /// The bearer token, with `token_env` read through `env` (the Wasm
    /// VM's environment). A named variable that is unset or empty is an
    /// error: every batch would be refused by the sidecar.
    pub fn resolve_token(
        &self,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<String>, String> {
        let Some(name) = &self.token_env else {
            return Ok(self.token.clone());
        };
        match env(name).filter(|v| !v.is_empty()) {
            Some(v) => Ok(Some(v)),
            None => Err(format!(
                "audit.token_env: environment variable `{name}` is not set in the Wasm VM \
                 (Envoy vm_config.environment_variables, Higress vmConfig.env)"
            )),
        }
    }
}
