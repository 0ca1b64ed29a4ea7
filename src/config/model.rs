//! The validated configuration the filter runs on: each domain's compiled
//! section, plus the few top-level settings of the gateway itself.

use crate::accounting::settings::AccountingConfig;
use crate::audit::settings::AuditConfig;
use crate::budget::settings::Budgets;
use crate::catalog::Catalog;
use crate::fallback::settings::FallbackConfig;
use crate::identity::settings::IdentityConfig;
use crate::metrics::settings::MetricsConfig;
use crate::paths::PathMatch;
use crate::routing::settings::Routing;

#[derive(Debug)]
pub struct Config {
    /// Providers and models.
    pub catalog: Catalog,
    /// Predicates, default provider, auto, assignments, secure model.
    pub routing: Routing,
    /// Who may use which model (`access`).
    pub access: Option<crate::access::Access>,
    /// Requests and tokens per minute (`rate_limits`).
    pub rate_limits: Option<crate::ratelimit::RateLimits>,
    pub identity: IdentityConfig,
    pub risk: crate::risk::Engine,
    /// How a content refusal is answered (`risk.refusal`).
    pub refusal: crate::risk::RefusalForm,
    pub fallback: FallbackConfig,
    pub accounting: AccountingConfig,
    pub audit: Option<AuditConfig>,
    pub budgets: Option<Budgets>,
    /// Stat label bounds, ai-statistics and `ai_log` (see `metrics/`).
    pub metrics: MetricsConfig,
    pub max_body_bytes: u64,
    pub path_prefix: String,
    pub path_match: PathMatch,
    /// Lower-cased; exact or `prefix*`.
    pub passthrough_paths: Vec<String>,
    /// Short stable hash of the source document, recorded in audit records.
    pub hash: String,
}
