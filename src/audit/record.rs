//! The audit record: one per request, shipped by the filter and stored by
//! the sidecar. Plain strings for enums keep this module free of other
//! modules' types, so both sides (wasm and native) share it as is.

pub use super::storable::redact_query;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditRecord {
    pub request_id: String,
    pub trace_id: Option<String>,
    pub session_id: Option<String>,
    pub user: Option<String>,
    pub instance: Option<String>,
    /// Unix milliseconds.
    pub started_ms: u64,
    pub finished_ms: u64,
    pub duration_ms: u64,
    /// Time to the first content token (streams) or the response (JSON).
    pub first_token_ms: Option<u64>,
    pub path: String,
    pub stream: bool,
    pub model_requested: Option<String>,
    pub model_used: Option<String>,
    pub provider: Option<String>,
    pub secure: bool,
    pub route_reason: Option<String>,
    pub risk: Risk,
    pub attempts: Vec<AttemptRecord>,
    /// HTTP status sent to the client.
    pub status: u16,
    /// Error code only (`content_blocked`, `model_not_found`…), never text.
    pub error: Option<String>,
    pub usage: UsageRecord,
    /// False when a stream was cut before it completed.
    pub usage_complete: bool,
    /// `usage` is clawgate's estimate: the stream ended without one.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub usage_estimated: bool,
    /// Decimal string in `currency`.
    pub cost: Option<String>,
    pub cost_micros: Option<u64>,
    pub currency: Option<String>,
    pub config_hash: String,
    /// A budget limit's say: `soft`, `downgraded`, `exceeded`, `unknown`.
    pub budget: Option<BudgetRecord>,
    /// What `access` said: the rule (or `access.default`), the outcome
    /// (`allowed`, `denied`) and the fallback candidates it left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access: Option<AccessRecord>,
    /// The rate limit that refused the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<String>,
    pub request_payload: Option<String>,
    pub response_payload: Option<String>,
    /// Client-supplied fields cut to their limit (`audit::storable`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub clipped: Vec<String>,
    /// A stub standing in for a record the sidecar refused
    /// (`audit::quarantine`); left out of the JSON when false, so other
    /// records hash as before.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub quarantined: bool,
    /// Why the record was quarantined (the sidecar's status, never its text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quarantine_reason: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Risk {
    pub action: Option<String>,
    pub hits: Vec<RiskHit>,
    /// The strongest action shadow rules would have taken (none was).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shadow_action: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BudgetRecord {
    pub limit: String,
    pub outcome: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccessRecord {
    pub rule: String,
    pub outcome: String,
    #[serde(skip_serializing_if = "is_zero")]
    pub skipped: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl BudgetRecord {
    pub fn of(v: &crate::budget::Verdict) -> Option<BudgetRecord> {
        v.note().map(|(outcome, limit)| BudgetRecord {
            limit: limit.to_string(),
            outcome: outcome.to_string(),
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RiskHit {
    pub rule: String,
    pub category: String,
    pub severity: String,
    pub action: String,
    pub count: u32,
    /// Evidence that made a keyword rule act (`amount`, `date`…).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// A shadow rule: `action` is what it would have done.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub shadow: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AttemptRecord {
    pub model: String,
    pub provider: String,
    /// 0 when no response arrived.
    pub status: u16,
    pub duration_ms: u64,
}

/// `None` = unknown (not reported or invalid), never silently zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UsageRecord {
    pub prompt: Option<u64>,
    pub completion: Option<u64>,
    pub total: Option<u64>,
    pub cached: Option<u64>,
    /// Input written to a provider cache; left out of the JSON when
    /// unknown, so records without it hash as before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache_write: Option<u64>,
    pub reasoning: Option<u64>,
}

/// Wire format of `POST /v1/audit/batch`: `{"records":[...]}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Batch {
    pub records: Vec<AuditRecord>,
}

impl From<&crate::risk::Outcome> for Risk {
    fn from(o: &crate::risk::Outcome) -> Self {
        Risk {
            action: o.action.map(|a| a.as_str().to_string()),
            hits: o
                .hits
                .iter()
                .map(|h| RiskHit {
                    rule: h.rule.clone(),
                    category: h.category.clone(),
                    severity: format!("{:?}", h.severity).to_ascii_lowercase(),
                    action: h.action.as_str().to_string(),
                    count: h.count,
                    evidence: h.evidence.iter().map(|e| e.to_string()).collect(),
                    shadow: h.shadow,
                })
                .collect(),
            shadow_action: o.shadow_action.map(|a| a.as_str().to_string()),
        }
    }
}

impl From<&crate::fallback::Attempt> for AttemptRecord {
    fn from(a: &crate::fallback::Attempt) -> Self {
        AttemptRecord {
            model: a.model.clone(),
            provider: a.provider.clone(),
            status: u16::try_from(a.status).unwrap_or(0),
            duration_ms: a.duration_ms,
        }
    }
}

impl From<&crate::wire::Usage> for UsageRecord {
    fn from(u: &crate::wire::Usage) -> Self {
        UsageRecord {
            prompt: u.prompt,
            completion: u.completion,
            total: u.total,
            cached: u.cached,
            cache_write: u.cache_write,
            reasoning: u.reasoning,
        }
    }
}
