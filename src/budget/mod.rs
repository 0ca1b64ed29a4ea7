//! Budgets: limits on tokens and cost per identity and calendar period.
//! The sidecar adds up spend from the audit trail (so gateways sharing one
//! store share one budget); the filter pulls that state on tick and
//! decides here, on the request path, without waiting for anyone.

mod compile;
pub mod period;
pub mod settings;
mod sidecar;
#[cfg(test)]
mod tests;

pub use compile::{compile, Ctx};
pub use period::Period;
pub use settings::{Budgets, Limit, OnOver, WhenUnknown, Who};
pub use sidecar::{LimitState, Snapshot, Spend};
#[cfg(not(target_arch = "wasm32"))]
pub use sidecar::{Query, QueryLimit};

pub use crate::scope::{matches, spend_key, Subject};

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
        let Some(who) = l.scope.identity(subject) else {
            continue;
        };
        if !l.scope.covers(model) {
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
        .get(l.scope.key_of(who))
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
