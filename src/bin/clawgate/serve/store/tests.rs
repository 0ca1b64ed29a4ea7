//! The same store tests on SQLite and, when `CLAWGATE_TEST_PG` names a
//! database, on PostgreSQL (`scripts/pg.sh start` prints one).

use super::*;
use clawgate::audit::record::{Risk, UsageRecord};

pub(super) fn rec(
    id: &str,
    user: &str,
    model: &str,
    started: u64,
    cost: u64,
    currency: &str,
) -> AuditRecord {
    AuditRecord {
        request_id: id.into(),
        user: Some(user.into()),
        session_id: Some(format!("s-{user}")),
        trace_id: Some("t1".into()),
        model_requested: Some(model.into()),
        model_used: Some(model.into()),
        provider: Some("p".into()),
        started_ms: started,
        status: 200,
        usage: UsageRecord {
            prompt: Some(10),
            completion: Some(5),
            total: Some(15),
            ..Default::default()
        },
        cost_micros: Some(cost),
        currency: Some(currency.into()),
        risk: Risk {
            action: (cost == 0).then(|| "audit".to_string()),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// PostgreSQL tests share one database: run them one at a time.
pub(super) static PG: std::sync::Mutex<()> = std::sync::Mutex::new(());

pub(super) fn stores() -> Vec<(Box<dyn Store>, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let mut v: Vec<(Box<dyn Store>, Option<tempfile::TempDir>)> = vec![(
        open(&format!("sqlite://{}", path.display())).unwrap(),
        Some(dir),
    )];
    if let Some(url) = test_pg("the store tests ran on SQLite only") {
        let pg = open(&url).unwrap();
        // a fresh table per run keeps the tests independent
        let mut c = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
        c.batch_execute("TRUNCATE audit_records, config_versions RESTART IDENTITY")
            .unwrap();
        v.push((pg, None));
    }
    v
}

/// `CLAWGATE_TEST_PG`, or `None` after saying what was not tested on the
/// real stderr: libtest swallows a passing test's `eprintln!`, and a skip
/// nobody sees reads as a pass.
pub(super) fn test_pg(what: &str) -> Option<String> {
    let url = std::env::var("CLAWGATE_TEST_PG").ok();
    if url.is_none() {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED PostgreSQL: {what}; set CLAWGATE_TEST_PG (`scripts/pg.sh start` prints a URL)"
        );
    }
    url
}

#[test]
fn idempotent_and_atomic_batches() {
    let _one_at_a_time = PG.lock().unwrap_or_else(|p| p.into_inner());
    for (s, _d) in stores() {
        let b = [
            rec("a", "u1", "m", 1, 10, "USD"),
            rec("b", "u1", "m", 2, 10, "USD"),
        ];
        assert_eq!(s.insert_batch(&b).unwrap(), (2, 0), "{}", s.backend());
        assert_eq!(
            s.insert_batch(&[
                rec("b", "u1", "m", 2, 10, "USD"),
                rec("c", "u2", "m", 3, 1, "EUR")
            ])
            .unwrap(),
            (1, 1)
        );
        assert_eq!(
            s.insert_batch(&[
                rec("d", "u", "m", 4, 1, "USD"),
                rec("d", "u", "m", 4, 1, "USD")
            ])
            .unwrap(),
            (1, 1)
        );
        assert_eq!(s.count().unwrap(), 4);
        // a duplicate takes no seq: the links follow each other
        let mut seqs = Vec::new();
        s.chain(None, &mut |l| {
            seqs.push(l.seq);
            true
        })
        .unwrap();
        assert_eq!(seqs, [1, 2, 3, 4], "{}", s.backend());
        let got: AuditRecord = serde_json::from_str(&s.get("c").unwrap()).unwrap();
        assert_eq!(got, rec("c", "u2", "m", 3, 1, "EUR"));
        assert_eq!(s.get("zzz"), Err(StoreError::NotFound));
        assert_eq!(verify(s.as_ref(), &[]).unwrap(), Verify::Ok(4));
    }
}

#[test]
fn filters_pagination_and_costs() {
    let _one_at_a_time = PG.lock().unwrap_or_else(|p| p.into_inner());
    for (s, _d) in stores() {
        let mut batch = Vec::new();
        for i in 0..30u64 {
            let user = if i % 3 == 0 { "alice" } else { "bob" };
            let model = if i % 2 == 0 { "gpt" } else { "qwen" };
            batch.push(rec(
                &format!("r{i}"),
                user,
                model,
                1000 + i,
                1000 * i,
                if i % 5 == 0 { "EUR" } else { "USD" },
            ));
        }
        s.insert_batch(&batch).unwrap();
        let q = |f: Filter| s.query(&Filter { limit: 100, ..f }).unwrap();
        let by = |p: &str, v: &str| {
            let mut f = Filter::default();
            f.set(p, v).unwrap();
            f
        };
        let (rows, total) = q(by("user", "alice"));
        assert_eq!((rows.len(), total), (10, 10), "{}", s.backend());
        let first: AuditRecord = serde_json::from_str(&rows[0]).unwrap();
        assert_eq!(first.request_id, "r27", "newest first");
        assert_eq!(q(by("model", "qwen")).1, 15);
        assert_eq!(
            q(Filter {
                from: Some(1010),
                to: Some(1020),
                ..Default::default()
            })
            .1,
            10
        );
        assert_eq!(q(by("risk_action", "audit")).1, 1);
        let (page, total) = s
            .query(&Filter {
                limit: 7,
                offset: 28,
                ..Default::default()
            })
            .unwrap();
        assert_eq!((page.len(), total), (2, 30));
        let trace = s
            .query(&Filter {
                ascending: true,
                limit: 5,
                ..by("trace", "t1")
            })
            .unwrap();
        assert!(trace.0[0].contains("\"r0\""));

        let costs = s
            .costs(GroupBy::parse("user").unwrap(), None, None, false)
            .unwrap();
        let alice_usd: i64 = (0..30)
            .filter(|i| i % 3 == 0 && i % 5 != 0)
            .map(|i| 1000 * i)
            .sum();
        let g = costs
            .iter()
            .find(|g| g.key.as_deref() == Some("alice") && g.currency.as_deref() == Some("USD"))
            .unwrap();
        assert_eq!(g.cost_micros, alice_usd);
        assert_eq!(g.cost, decimal_micros(alice_usd));
        assert_eq!(g.prompt_tokens, 10 * g.requests);
        let by_model = s
            .costs(
                GroupBy::parse("model").unwrap(),
                Some(1000),
                Some(1010),
                false,
            )
            .unwrap();
        assert_eq!(by_model.iter().map(|g| g.requests).sum::<i64>(), 10);
    }
}

#[test]
fn decimal_formatting() {
    assert_eq!(decimal_micros(0), "0");
    assert_eq!(decimal_micros(25), "0.000025");
    assert_eq!(decimal_micros(12_500_000), "12.5");
}

#[test]
fn sql_looking_filter_values_are_only_values() {
    let _one_at_a_time = PG.lock().unwrap_or_else(|p| p.into_inner());
    for (s, _d) in stores() {
        s.insert_batch(&[rec("a", "u1", "m", 1, 10, "USD")])
            .unwrap();
        for evil in [
            "' OR '1'='1",
            "u1' --",
            "x'; DROP TABLE audit_records; --",
            "u1\" OR \"\"=\"",
        ] {
            for param in ["user", "model", "trace", "risk_action"] {
                let mut f = Filter {
                    limit: 10,
                    ..Default::default()
                };
                f.set(param, evil).unwrap();
                assert_eq!(s.query(&f).unwrap().1, 0, "{} {param}={evil}", s.backend());
            }
        }
        let mut f = Filter::default();
        assert!(
            f.set("status", "200 OR 1=1").is_err(),
            "integers are parsed"
        );
        assert!(
            f.set("user_id; --", "x").is_err(),
            "names come from the table"
        );
        assert!(GroupBy::parse("user; DROP TABLE audit_records").is_none());
        assert_eq!(
            s.count().unwrap(),
            1,
            "{}: the table is intact",
            s.backend()
        );
    }
}

#[test]
fn costs_per_day() {
    let _one_at_a_time = PG.lock().unwrap_or_else(|p| p.into_inner());
    let day = 86_400_000u64;
    for (s, _d) in stores() {
        s.insert_batch(&[
            rec("d1", "u1", "m", 3 * day + 5, 10, "USD"),
            rec("d2", "u1", "m", 3 * day + 9, 5, "USD"),
            rec("d3", "u1", "m", 4 * day + 1, 7, "USD"),
            rec("d4", "u2", "m", 4 * day + 2, 1, "EUR"),
        ])
        .unwrap();
        let g = s
            .costs(GroupBy::parse("user").unwrap(), None, None, true)
            .unwrap();
        let rows: Vec<(Option<i64>, Option<&str>, i64, i64)> = g
            .iter()
            .map(|c| (c.day_ms, c.key.as_deref(), c.requests, c.cost_micros))
            .collect();
        let d = |n: u64| Some((n * day) as i64);
        assert_eq!(
            rows,
            [
                (d(3), Some("u1"), 2, 15),
                (d(4), Some("u1"), 1, 7),
                (d(4), Some("u2"), 1, 1)
            ],
            "{}",
            s.backend()
        );
    }
}
