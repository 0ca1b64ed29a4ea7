//! The validated configuration the filter runs on: names resolved to
//! indexes, regexes compiled, defaults filled in.

use super::schema::{AutoStrategy, PayloadMode};
use crate::paths::PathMatch;
use crate::wire::Protocol;
use regex_lite::Regex;

#[derive(Debug, Clone)]
pub struct Provider {
    pub name: String,
    pub cluster: String,
    pub host: String,
    /// Replaces the client's path prefix when set (e.g. `/compatible-mode/v1`).
    pub base_path: Option<String>,
    pub api_key: Option<String>,
    /// Where the key goes, lower-cased (`authorization`, `x-api-key`, `api-key`).
    pub auth_header: String,
    pub auth_prefix: String,
    /// Fixed extra headers (names lower-cased).
    pub headers: Vec<(String, String)>,
    pub protocols: Vec<Protocol>,
    pub secure: bool,
    pub timeout_ms: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct Pricing {
    /// Prices in micro-units of the currency per million tokens.
    pub input_per_1m: u64,
    pub output_per_1m: u64,
    /// Cache reads (OpenAI cached tokens, Anthropic cache_read).
    pub cached_input_per_1m: u64,
    /// Cache writes (Anthropic cache_creation).
    pub cache_write_per_1m: u64,
    pub reasoning_per_1m: u64,
    pub currency: String,
}

#[derive(Debug, Clone)]
pub struct Model {
    pub name: String,
    pub provider: usize,
    pub upstream_model: String,
    pub aliases: Vec<String>,
    pub secure: bool,
    pub enabled: bool,
    pub context_window: Option<u64>,
    pub max_tokens: Option<u64>,
    pub reasoning: bool,
    pub pricing: Option<Pricing>,
    /// Indexes into `Config::models`.
    pub fallback: Vec<usize>,
    pub protocols: Vec<Protocol>,
}

impl Model {
    pub fn speaks(&self, p: Protocol) -> bool {
        self.protocols.contains(&p)
    }
}

#[derive(Debug, Clone)]
pub enum PredicateKind {
    Prefix(String),
    Exact(String),
    Regex(Regex),
}

#[derive(Debug, Clone)]
pub struct Predicate {
    pub kind: PredicateKind,
    pub provider: usize,
}

impl Predicate {
    pub fn matches(&self, model: &str) -> bool {
        match &self.kind {
            PredicateKind::Prefix(p) => model.starts_with(p.as_str()),
            PredicateKind::Exact(e) => model == e,
            PredicateKind::Regex(r) => r.is_match(model),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Auto {
    pub model_name: String,
    pub strategy: AutoStrategy,
    /// Candidate model indexes in configured order.
    pub models: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Assignments {
    pub header: String,
    /// (pattern, model index); exact patterns are tried before globs.
    pub rules: Vec<(String, usize)>,
    pub enforce: bool,
}

impl Assignments {
    /// The model assigned to an identity value: exact match first, then the
    /// longest `prefix*` glob.
    pub fn lookup(&self, who: &str) -> Option<usize> {
        if let Some((_, m)) = self.rules.iter().find(|(p, _)| p == who) {
            return Some(*m);
        }
        self.rules
            .iter()
            .filter_map(|(p, m)| {
                let prefix = p.strip_suffix('*')?;
                who.starts_with(prefix).then_some((prefix.len(), *m))
            })
            .max_by_key(|(len, _)| *len)
            .map(|(_, m)| m)
    }
}

#[derive(Debug, Clone)]
pub struct IdentityConfig {
    pub user: Vec<String>,
    pub instance: Vec<String>,
    pub session: Vec<String>,
    pub trace: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct FallbackConfig {
    /// Global chain for pinned models without their own (model indexes).
    pub chain: Vec<usize>,
    pub on_status: Vec<u16>,
    pub max_attempts: u32,
    pub timeout_ms: u64,
}

#[derive(Debug, Clone)]
pub struct AccountingConfig {
    pub headers: bool,
    pub inject_stream_usage: bool,
    pub strip_injected_usage: bool,
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

#[derive(Debug)]
pub struct Config {
    pub providers: Vec<Provider>,
    pub models: Vec<Model>,
    pub predicates: Vec<Predicate>,
    pub default_provider: Option<usize>,
    pub auto: Auto,
    pub assignments: Option<Assignments>,
    pub identity: IdentityConfig,
    pub risk: crate::risk::Engine,
    /// Model used when a risk rule routes to the secure model.
    pub secure_model: Option<usize>,
    /// How a content refusal is answered (`risk.refusal`).
    pub refusal: crate::risk::RefusalForm,
    pub fallback: FallbackConfig,
    pub accounting: AccountingConfig,
    pub audit: Option<AuditConfig>,
    pub budgets: Option<crate::budget::Budgets>,
    /// Distinct consumers a worker names in stats (`metrics.max_consumers`).
    pub max_consumers: usize,
    /// Distinct pass-through model names a worker names (`metrics.max_models`).
    pub max_models: usize,
    /// Who emits the ai-statistics token family (see `metrics.rs`).
    pub ai_statistics: crate::config::schema::AiStatistics,
    /// When to write `ai_log` and the span tags.
    pub ai_log: crate::config::schema::AiLog,
    pub max_body_bytes: u64,
    pub path_prefix: String,
    pub path_match: PathMatch,
    /// Lower-cased; exact or `prefix*`.
    pub passthrough_paths: Vec<String>,
    /// Short stable hash of the source document, recorded in audit records.
    pub hash: String,
}

impl Config {
    /// Finds an enabled or disabled model by display name or alias.
    pub fn find_model(&self, name: &str) -> Option<usize> {
        self.models
            .iter()
            .position(|m| m.name == name || m.aliases.iter().any(|a| a == name))
    }

    /// Whether the route's model (or, for a predicate/default route, its
    /// provider) accepts this wire format.
    pub fn route_speaks(&self, model: Option<usize>, provider: usize, p: Protocol) -> bool {
        match model {
            Some(m) => self.models.get(m).is_some_and(|m| m.speaks(p)),
            None => self
                .providers
                .get(provider)
                .is_some_and(|x| x.protocols.contains(&p)),
        }
    }

    pub fn provider_of(&self, model: usize) -> Option<&Provider> {
        self.models
            .get(model)
            .and_then(|m| self.providers.get(m.provider))
    }
}
