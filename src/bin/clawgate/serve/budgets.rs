//! `POST /v1/budgets/state`: the spend of every identity a budget limit
//! covers, in the limit's current calendar period, added up from the
//! audit trail. Every gateway on one store reads the same sums.

use super::store::{spend_column, Result, Store};
use clawgate::budget::{LimitState, Query, Snapshot};
use clawgate::scope::{matches, spend_key};

/// The state for `q` at `now_ms` (the filter stamps its own fetch time).
pub fn state(store: &dyn Store, q: &Query, now_ms: i64) -> Result<Snapshot> {
    let mut limits = Vec::new();
    for l in &q.limits {
        let (start, end) = l.period.bounds(now_ms, q.offset_min);
        let mut st = LimitState {
            name: l.name.clone(),
            period_start_ms: start,
            reset_ms: end,
            ..Default::default()
        };
        for row in store.spend(spend_column(l.who), start, end)? {
            if !matches(&l.pattern, &row.who) {
                continue;
            }
            if !l.models.is_empty() && !row.model.as_ref().is_some_and(|m| l.models.contains(m)) {
                continue;
            }
            let s = st
                .spend
                .entry(spend_key(l.shared, &row.who).to_string())
                .or_default();
            s.tokens += u64::try_from(row.tokens).unwrap_or(0);
            // cost counts only in the limit's currency
            if row.currency.is_some() && row.currency == l.currency {
                s.cost_micros += u64::try_from(row.cost_micros).unwrap_or(0);
            }
        }
        limits.push(st);
    }
    Ok(Snapshot {
        fetched_ms: 0,
        limits,
    })
}

/// Limits with their maxima, spend and what remains, for people.
pub fn view(b: &clawgate::budget::Budgets, st: &Snapshot, config_hash: &str) -> serde_json::Value {
    use clawgate::accounting::micros_decimal;
    let limits: Vec<serde_json::Value> = b
        .limits
        .iter()
        .map(|l| {
            let s = st.limits.iter().find(|s| s.name == l.name);
            let spend: Vec<serde_json::Value> = s
                .map(|s| {
                    s.spend
                        .iter()
                        .map(|(who, sp)| {
                            serde_json::json!({
                                "who": who,
                                "tokens": sp.tokens,
                                "tokens_left": l.max_tokens.map(|m| m.saturating_sub(sp.tokens)),
                                "cost": micros_decimal(sp.cost_micros),
                                "cost_left": l.max_cost_micros.map(|m| micros_decimal(m.saturating_sub(sp.cost_micros))),
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            serde_json::json!({
                "name": l.name,
                "match": l.scope.pattern,
                "shared": l.scope.shared,
                "period": l.period.as_str(),
                "max_tokens": l.max_tokens,
                "max_cost": l.max_cost_micros.map(micros_decimal),
                "currency": l.currency,
                "reset_ms": s.map(|s| s.reset_ms),
                "spend": spend,
            })
        })
        .collect();
    serde_json::json!({"config_hash": config_hash, "limits": limits})
}

#[cfg(test)]
mod tests {
    use super::*;
    use clawgate::audit::AuditRecord;
    use clawgate::budget::{Period, QueryLimit, Spend, Who};

    fn rec(
        id: &str,
        user: &str,
        model: &str,
        started: u64,
        tokens: u64,
        micros: u64,
    ) -> AuditRecord {
        AuditRecord {
            request_id: id.into(),
            user: Some(user.into()),
            model_used: Some(model.into()),
            started_ms: started,
            usage: clawgate::audit::record::UsageRecord {
                total: Some(tokens),
                ..Default::default()
            },
            cost_micros: Some(micros),
            currency: Some("USD".into()),
            ..Default::default()
        }
    }

    #[test]
    fn sums_per_identity_period_model_and_currency() {
        let dir = tempfile::tempdir().unwrap();
        let s =
            super::super::store::open(&format!("sqlite://{}", dir.path().join("b.db").display()))
                .unwrap();
        let day = 86_400_000u64;
        let now = 20_000 * day + 5_000;
        s.insert_batch(&[
            rec("a", "worker-1", "big", now - 1000, 100, 10),
            rec("b", "worker-1", "small", now - 2000, 50, 1),
            rec("c", "worker-2", "big", now - 3000, 7, 2),
            rec("d", "worker-1", "big", now - day, 999, 999), // yesterday
            rec("e", "boss", "big", now - 10, 1, 1),
            AuditRecord {
                currency: Some("EUR".into()),
                ..rec("f", "worker-2", "big", now - 5, 3, 500)
            },
        ])
        .unwrap();
        let limit = |name: &str, shared: bool, models: &[&str]| QueryLimit {
            name: name.into(),
            who: Who::User,
            pattern: "worker-*".into(),
            shared,
            models: models.iter().map(|m| m.to_string()).collect(),
            period: Period::Day,
            currency: Some("USD".into()),
        };
        let q = Query {
            offset_min: 0,
            limits: vec![limit("each", false, &[]), limit("pool", true, &["big"])],
        };
        let st = state(s.as_ref(), &q, now as i64).unwrap();
        let each = &st.limits[0];
        assert_eq!(
            (each.period_start_ms, each.reset_ms),
            (20_000 * day as i64, 20_001 * day as i64)
        );
        assert_eq!(
            each.spend["worker-1"],
            Spend {
                tokens: 150,
                cost_micros: 11
            }
        );
        assert_eq!(
            each.spend["worker-2"],
            Spend {
                tokens: 10,
                cost_micros: 2
            },
            "EUR cost not added"
        );
        assert!(!each.spend.contains_key("boss"));
        assert_eq!(st.limits[1].spend.len(), 1);
        assert_eq!(
            st.limits[1].spend["*"],
            Spend {
                tokens: 110,
                cost_micros: 12
            }
        );
    }
}
