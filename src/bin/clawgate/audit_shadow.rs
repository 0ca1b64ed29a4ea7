//! `clawgate audit shadow [--from MS] [--to MS] [--json]`: what the rules
//! in shadow (`risk.mode: shadow` or `shadow: true`) would have done over a
//! time window, read from the stored records: per rule and would-be action,
//! the requests and hits, and how many requests would have been blocked,
//! rerouted or masked. Read this before turning a pack on.

use crate::serve::store::{self, Filter};
use clawgate::audit::AuditRecord;
use serde::Serialize;
use std::collections::BTreeMap;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: crate::db_arg::Db,
    /// Window start, Unix ms (inclusive).
    #[arg(long)]
    from: Option<i64>,
    /// Window end, Unix ms.
    #[arg(long)]
    to: Option<i64>,
    /// One JSON document instead of a table.
    #[arg(long)]
    json: bool,
}

/// One rule's would-be effect.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct RuleEffect {
    pub rule: String,
    pub action: String,
    /// Requests it hit.
    pub requests: u64,
    /// Matches over those requests.
    pub hits: u64,
}

#[derive(Debug, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Records in the window.
    pub records: u64,
    /// Requests with at least one shadow hit.
    pub requests_with_shadow_hits: u64,
    /// Requests per strongest would-be action.
    pub would_be: BTreeMap<String, u64>,
    pub rules: Vec<RuleEffect>,
}

/// Adds one record's shadow hits to the report.
pub fn add(
    report: &mut Report,
    by_rule: &mut BTreeMap<(String, String), RuleEffect>,
    r: &AuditRecord,
) {
    report.records += 1;
    let shadow: Vec<_> = r.risk.hits.iter().filter(|h| h.shadow).collect();
    if shadow.is_empty() {
        return;
    }
    report.requests_with_shadow_hits += 1;
    if let Some(a) = &r.risk.shadow_action {
        *report.would_be.entry(a.clone()).or_default() += 1;
    }
    for h in shadow {
        let e = by_rule
            .entry((h.rule.clone(), h.action.clone()))
            .or_insert_with(|| RuleEffect {
                rule: h.rule.clone(),
                action: h.action.clone(),
                ..Default::default()
            });
        e.requests += 1;
        e.hits += u64::from(h.count);
    }
}

/// The report over every record of `store` in the window.
pub fn report(s: &dyn store::Store, from: Option<i64>, to: Option<i64>) -> store::Result<Report> {
    let f = Filter {
        from,
        to,
        ascending: true,
        ..Default::default()
    };
    let mut rep = Report::default();
    let mut by_rule = BTreeMap::new();
    store::export(s, &f, 5000, &mut |row| {
        let r: AuditRecord =
            serde_json::from_str(row).map_err(|e| store::StoreError::Other(e.to_string()))?;
        add(&mut rep, &mut by_rule, &r);
        Ok(())
    })?;
    rep.rules = by_rule.into_values().collect();
    rep.rules
        .sort_by(|a, b| b.requests.cmp(&a.requests).then(a.rule.cmp(&b.rule)));
    Ok(rep)
}

pub fn run(a: Args) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let s = store::open(&a.db.db)?;
    let rep = report(s.as_ref(), a.from, a.to)?;
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&rep)?);
        return Ok(ExitCode::SUCCESS);
    }
    outln!(
        "{} records, {} with shadow hits",
        rep.records,
        rep.requests_with_shadow_hits
    );
    for (action, n) in &rep.would_be {
        outln!("  would have been {action}: {n} requests");
    }
    if !rep.rules.is_empty() {
        outln!(
            "{:<34} {:<20} {:>9} {:>9}",
            "rule",
            "would-be action",
            "requests",
            "hits"
        );
    }
    for r in &rep.rules {
        outln!(
            "{:<34} {:<20} {:>9} {:>9}",
            r.rule,
            r.action,
            r.requests,
            r.hits
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clawgate::audit::record::{Risk, RiskHit};

    fn rec(id: &str, started: u64, hits: Vec<RiskHit>, shadow_action: Option<&str>) -> AuditRecord {
        AuditRecord {
            request_id: id.into(),
            started_ms: started,
            risk: Risk {
                hits,
                shadow_action: shadow_action.map(String::from),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn hit(rule: &str, action: &str, shadow: bool) -> RiskHit {
        RiskHit {
            rule: rule.into(),
            action: action.into(),
            count: 2,
            shadow,
            ..Default::default()
        }
    }

    #[test]
    fn counts_shadow_hits_in_the_window_only() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("a.db").display());
        let s = store::open(&url).unwrap();
        s.insert_batch(&[
            rec(
                "a",
                1000,
                vec![hit("email_address", "mask", true)],
                Some("mask"),
            ),
            rec(
                "b",
                2000,
                vec![
                    hit("email_address", "mask", true),
                    hit("api_key_like", "block", true),
                ],
                Some("block"),
            ),
            rec("c", 3000, vec![hit("private_ip", "audit", false)], None),
            rec(
                "d",
                9000,
                vec![hit("api_key_like", "block", true)],
                Some("block"),
            ),
        ])
        .unwrap();
        let rep = report(s.as_ref(), Some(0), Some(5000)).unwrap();
        assert_eq!(rep.records, 3);
        assert_eq!(rep.requests_with_shadow_hits, 2);
        assert_eq!(rep.would_be.get("block"), Some(&1));
        assert_eq!(rep.would_be.get("mask"), Some(&1));
        assert_eq!(
            rep.rules,
            vec![
                RuleEffect {
                    rule: "email_address".into(),
                    action: "mask".into(),
                    requests: 2,
                    hits: 4
                },
                RuleEffect {
                    rule: "api_key_like".into(),
                    action: "block".into(),
                    requests: 1,
                    hits: 2
                },
            ]
        );
    }
}
