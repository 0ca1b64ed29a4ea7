//! What the filter asks the sidecar about spend and what it keeps of the
//! answer.

#[cfg(not(target_arch = "wasm32"))]
use super::period::Period;
use super::settings::Budgets;
#[cfg(not(target_arch = "wasm32"))]
use super::settings::Who;
use crate::audit::settings::AuditConfig;
#[cfg(not(target_arch = "wasm32"))]
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

// The state's serde derives are native only (the sidecar writes it): the
// filter reads it through `serde_json::Value`, which it links anyway, and
// saves the derived code's size in the wasm.

/// Spend of one identity (or `*` for a shared limit) in the current period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Serialize, Deserialize))]
pub struct Spend {
    pub tokens: u64,
    pub cost_micros: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Serialize, Deserialize))]
pub struct LimitState {
    pub name: String,
    pub period_start_ms: i64,
    pub reset_ms: i64,
    #[cfg_attr(not(target_arch = "wasm32"), serde(default))]
    pub spend: BTreeMap<String, Spend>,
}

/// What the sidecar answered, as the filter keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Serialize, Deserialize))]
pub struct Snapshot {
    /// When the filter received it (its own clock).
    #[cfg_attr(not(target_arch = "wasm32"), serde(default))]
    pub fetched_ms: u64,
    pub limits: Vec<LimitState>,
}

impl Snapshot {
    /// What a worker puts in shared data: its fetch time, then the
    /// sidecar's answer as received.
    pub fn shared_bytes(body: &[u8], fetched_ms: u64) -> Vec<u8> {
        let mut v = fetched_ms.to_le_bytes().to_vec();
        v.extend_from_slice(body);
        v
    }

    /// The state in shared data when it is newer than this worker's.
    pub fn newer(mine: Option<&std::rc::Rc<Snapshot>>, shared: &[u8]) -> Option<Snapshot> {
        let (at, body) = shared.split_at_checked(8)?;
        let fetched_ms = u64::from_le_bytes(at.try_into().ok()?);
        if fetched_ms <= mine.map_or(0, |m| m.fetched_ms) {
            return None;
        }
        Snapshot::from_sidecar(body, fetched_ms)
    }

    /// Parses the sidecar's answer; `None` for anything else.
    pub fn from_sidecar(body: &[u8], fetched_ms: u64) -> Option<Snapshot> {
        let v: serde_json::Value = serde_json::from_slice(body).ok()?;
        let num = |v: &serde_json::Value, k: &str| v.get(k).and_then(serde_json::Value::as_i64);
        let mut limits = Vec::new();
        for l in v.get("limits")?.as_array()? {
            let mut spend = BTreeMap::new();
            if let Some(m) = l.get("spend").and_then(serde_json::Value::as_object) {
                for (who, s) in m {
                    let n = |k| num(s, k).and_then(|n| u64::try_from(n).ok()).unwrap_or(0);
                    spend.insert(
                        who.clone(),
                        Spend {
                            tokens: n("tokens"),
                            cost_micros: n("cost_micros"),
                        },
                    );
                }
            }
            limits.push(LimitState {
                name: l.get("name")?.as_str()?.to_string(),
                period_start_ms: num(l, "period_start_ms")?,
                reset_ms: num(l, "reset_ms")?,
                spend,
            });
        }
        Some(Snapshot { fetched_ms, limits })
    }
}

/// The spend query the filter sends the sidecar (`Budgets::query`), as
/// the sidecar parses it.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Query {
    pub offset_min: i32,
    pub limits: Vec<QueryLimit>,
}

#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryLimit {
    pub name: String,
    pub who: Who,
    pub pattern: String,
    pub shared: bool,
    #[serde(default)]
    pub models: Vec<String>,
    pub period: Period,
    pub currency: Option<String>,
}

impl Budgets {
    /// The pull's headers: the audit call's, to the budget path.
    pub fn pull_headers(&self, audit: &AuditConfig) -> Vec<(&'static str, String)> {
        let mut h = crate::sidecar_call::batch_headers(audit);
        for (k, v) in &mut h {
            if *k == ":path" {
                *v = self.path.clone();
            }
        }
        h
    }

    /// The spend query's JSON body (a `Query`).
    pub fn query(&self) -> serde_json::Value {
        let limits: Vec<serde_json::Value> = self
            .limits
            .iter()
            .map(|l| {
                serde_json::json!({
                    "name": l.name,
                    "who": l.scope.who.as_str(),
                    "pattern": l.scope.pattern,
                    "shared": l.scope.shared,
                    "models": l.scope.model_names,
                    "period": l.period.as_str(),
                    "currency": l.currency,
                })
            })
            .collect();
        serde_json::json!({"offset_min": self.offset_min, "limits": limits})
    }
}
