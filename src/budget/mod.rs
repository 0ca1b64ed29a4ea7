//! Budgets: limits on tokens and cost per identity and calendar period.
//! The sidecar adds up spend from the audit trail (so gateways sharing one
//! store share one budget); the filter pulls that state on tick and
//! decides here, on the request path, without waiting for anyone.

pub mod period;
#[cfg(test)]
mod tests;

pub use period::Period;

use serde::Deserialize;
#[cfg(not(target_arch = "wasm32"))]
use serde::Serialize;
use std::collections::BTreeMap;

/// Which identity a limit counts spend by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[cfg_attr(not(target_arch = "wasm32"), derive(Serialize))]
#[serde(rename_all = "lowercase")]
pub enum Who {
    User,
    Instance,
}

impl Who {
    pub fn as_str(self) -> &'static str {
        match self {
            Who::User => "user",
            Who::Instance => "instance",
        }
    }
}

/// What happens once a limit is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OnOver {
    /// 429 `budget_exceeded`.
    Block,
    /// Route to this (cheaper) model instead, reason `budget`.
    Downgrade(usize),
}

/// What the filter does when it has no fresh state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum WhenUnknown {
    Open,
    Closed,
}

#[derive(Debug, Clone)]
pub struct Limit {
    pub name: String,
    pub who: Who,
    /// Exact identity, `prefix*`, or `*` (any identity present).
    pub pattern: String,
    /// One budget for every identity the pattern matches, instead of one
    /// each.
    pub shared: bool,
    /// Model indexes the limit counts and applies to; empty: all.
    pub models: Vec<usize>,
    /// The same, as names, for the sidecar (records carry names).
    pub model_names: Vec<String>,
    pub period: Period,
    pub max_tokens: Option<u64>,
    pub max_cost_micros: Option<u64>,
    pub currency: Option<String>,
    pub on_over: OnOver,
    /// Fraction (0, 1) of a maximum that adds the soft warning.
    pub soft_at: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Budgets {
    pub limits: Vec<Limit>,
    pub pull_interval_ms: u64,
    /// State older than this counts as unknown.
    pub stale_after_ms: u64,
    pub when_unknown: WhenUnknown,
    /// Minutes east of UTC the calendar periods are in.
    pub offset_min: i32,
    /// Sidecar path of the spend query.
    pub path: String,
}

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
    pub fn pull_headers(&self, audit: &crate::config::AuditConfig) -> Vec<(&'static str, String)> {
        let mut h = crate::audit::queue::batch_headers(audit);
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
                    "who": l.who.as_str(),
                    "pattern": l.pattern,
                    "shared": l.shared,
                    "models": l.model_names,
                    "period": l.period.as_str(),
                    "currency": l.currency,
                })
            })
            .collect();
        serde_json::json!({"offset_min": self.offset_min, "limits": limits})
    }
}

/// `*`, `prefix*` or an exact name.
pub fn matches(pattern: &str, who: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => who.starts_with(prefix),
        None => pattern == who,
    }
}

/// The key a spend is kept under: the identity, or `*` when shared.
pub fn spend_key(shared: bool, who: &str) -> &str {
    if shared {
        "*"
    } else {
        who
    }
}

/// The caller as budgets see it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Subject<'a> {
    pub user: Option<&'a str>,
    pub instance: Option<&'a str>,
}

/// What the request path hands the decision: the caller, the last state
/// pulled, and the time.
#[derive(Debug, Clone, Copy, Default)]
pub struct Check<'a> {
    pub subject: Subject<'a>,
    pub snapshot: Option<&'a Snapshot>,
    pub now_ms: u64,
}

/// A limit that was reached, for the error message and the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Over {
    pub limit: String,
    pub period: Period,
    /// "1200 of 1000 tokens" or "5.2 of 5 USD".
    pub spent: String,
    pub reset_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    /// Past a soft threshold: a header and a metric, nothing else.
    Soft {
        limit: String,
        percent: u32,
    },
    Downgrade {
        over: Over,
        to: usize,
    },
    Block(Over),
    /// No fresh state and `when_unknown: closed`.
    Unknown,
}

impl Over {
    /// The 429 message: which limit, what was spent, when it resets.
    pub fn message(&self) -> String {
        format!(
            "Budget `{}` exceeded: {} this {}; it resets at {}",
            self.limit,
            self.spent,
            self.period.as_str(),
            period::iso_utc(self.reset_ms)
        )
    }

    /// Seconds until the reset, for `retry-after`.
    pub fn retry_after_s(&self, now_ms: u64) -> u64 {
        let reset = u64::try_from(self.reset_ms).unwrap_or(0);
        reset.saturating_sub(now_ms).div_ceil(1000)
    }
}

impl Verdict {
    /// (outcome, limit) for the header, the metric and the record;
    /// `None` when no limit had anything to say.
    pub fn note(&self) -> Option<(&'static str, &str)> {
        match self {
            Verdict::Allow => None,
            Verdict::Soft { limit, .. } => Some(("soft", limit)),
            Verdict::Downgrade { over, .. } => Some(("downgraded", &over.limit)),
            Verdict::Block(over) => Some(("exceeded", &over.limit)),
            Verdict::Unknown => Some(("unknown", "*")),
        }
    }

    /// `x-clawgate-budget` on a served answer.
    pub fn header(&self) -> Option<String> {
        match self {
            Verdict::Soft { limit, percent } => {
                Some(format!("soft; limit={limit}; used={percent}%"))
            }
            Verdict::Downgrade { over, .. } => Some(format!("downgraded; limit={}", over.limit)),
            _ => None,
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Verdict::Allow => 0,
            Verdict::Soft { .. } => 1,
            Verdict::Downgrade { .. } => 2,
            Verdict::Block(_) | Verdict::Unknown => 3,
        }
    }
}

/// The strongest verdict over every limit that applies to this caller and
/// model. A downgrade limit does not apply to its own cheaper model, or a
/// downgrade could never be served.
pub fn decide(
    b: &Budgets,
    snap: Option<&Snapshot>,
    subject: Subject,
    model: Option<usize>,
    now_ms: u64,
) -> Verdict {
    let fresh = snap.filter(|s| now_ms.saturating_sub(s.fetched_ms) <= b.stale_after_ms);
    let mut verdict = Verdict::Allow;
    for l in &b.limits {
        let who = match l.who {
            Who::User => subject.user,
            Who::Instance => subject.instance,
        };
        let Some(who) = who.filter(|w| matches(&l.pattern, w)) else {
            continue;
        };
        if !l.models.is_empty() && !model.is_some_and(|m| l.models.contains(&m)) {
            continue;
        }
        if matches!(l.on_over, OnOver::Downgrade(to) if Some(to) == model) {
            continue;
        }
        let v = match fresh {
            None => match b.when_unknown {
                WhenUnknown::Open => Verdict::Allow,
                WhenUnknown::Closed => Verdict::Unknown,
            },
            Some(s) => judge(l, s, who, now_ms),
        };
        if v.rank() > verdict.rank() {
            verdict = v;
        }
    }
    verdict
}

fn judge(l: &Limit, s: &Snapshot, who: &str, now_ms: u64) -> Verdict {
    let Some(st) = s.limits.iter().find(|st| st.name == l.name) else {
        return Verdict::Allow;
    };
    // past the reset the period is new: nothing spent in it yet
    if i64::try_from(now_ms).unwrap_or(i64::MAX) >= st.reset_ms {
        return Verdict::Allow;
    }
    let spend = st
        .spend
        .get(spend_key(l.shared, who))
        .copied()
        .unwrap_or_default();
    let money = |m: u64| crate::accounting::micros_decimal(m);
    let cur = l.currency.as_deref().unwrap_or("");
    let checks = [
        l.max_tokens.map(|max| {
            (
                spend.tokens,
                max,
                format!("{} of {max} tokens", spend.tokens),
            )
        }),
        l.max_cost_micros.map(|max| {
            (
                spend.cost_micros,
                max,
                format!("{} of {} {cur}", money(spend.cost_micros), money(max)),
            )
        }),
    ];
    let mut soft = None;
    for (used, max, spent) in checks.into_iter().flatten() {
        if used >= max {
            let over = Over {
                limit: l.name.clone(),
                period: l.period,
                spent,
                reset_ms: st.reset_ms,
            };
            return match l.on_over {
                OnOver::Block => Verdict::Block(over),
                OnOver::Downgrade(to) => Verdict::Downgrade { over, to },
            };
        }
        let frac = used as f64 / max.max(1) as f64;
        if l.soft_at.is_some_and(|at| frac >= at) {
            let percent = (frac * 100.0) as u32;
            soft = Some(soft.map_or(percent, |p: u32| p.max(percent)));
        }
    }
    match soft {
        Some(percent) => Verdict::Soft {
            limit: l.name.clone(),
            percent,
        },
        None => Verdict::Allow,
    }
}
