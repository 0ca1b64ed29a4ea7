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
    match std::env::var("CLAWGATE_TEST_PG") {
        Ok(url) => {
            let pg = open(&url).unwrap();
            // a fresh table per run keeps the tests independent
            let mut c = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
            c.batch_execute("TRUNCATE audit_records").unwrap();
            v.push((pg, None));
        }
        Err(_) => eprintln!("CLAWGATE_TEST_PG not set: PostgreSQL store tests skipped"),
    }
    v
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
        let got: AuditRecord = serde_json::from_str(&s.get("c").unwrap()).unwrap();
        assert_eq!(got, rec("c", "u2", "m", 3, 1, "EUR"));
        assert_eq!(s.get("zzz"), Err(StoreError::NotFound));
        assert_eq!(verify(s.as_ref()).unwrap(), Verify::Ok(4));
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
            .costs(GroupBy::parse("user").unwrap(), None, None)
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
            .costs(GroupBy::parse("model").unwrap(), Some(1000), Some(1010))
            .unwrap();
        assert_eq!(by_model.iter().map(|g| g.requests).sum::<i64>(), 10);
    }
}

#[test]
fn tampering_breaks_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let s = open(&format!("sqlite://{}", path.display())).unwrap();
    s.insert_batch(&[
        rec("a", "u", "m", 1, 1, "USD"),
        rec("b", "u", "m", 2, 1, "USD"),
        rec("c", "u", "m", 3, 1, "USD"),
    ])
    .unwrap();
    assert_eq!(verify(s.as_ref()).unwrap(), Verify::Ok(3));
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute("UPDATE audit_records SET record_json = replace(record_json, '\"status\":200', '\"status\":500') WHERE request_id = 'b'", [])
        .unwrap();
    assert!(matches!(
        verify(s.as_ref()).unwrap(),
        Verify::Broken { seq: 2, .. }
    ));
    // rewriting the hash too is caught by the next link
    let fixed = chain_hash(
        &c.query_row(
            "SELECT prev_hash FROM audit_records WHERE seq = 2",
            [],
            |r| r.get::<_, String>(0),
        )
        .unwrap(),
        &c.query_row(
            "SELECT record_json FROM audit_records WHERE seq = 2",
            [],
            |r| r.get::<_, String>(0),
        )
        .unwrap(),
    );
    c.execute("UPDATE audit_records SET hash = ?1 WHERE seq = 2", [&fixed])
        .unwrap();
    assert!(matches!(
        verify(s.as_ref()).unwrap(),
        Verify::Broken { seq: 3, .. }
    ));
}

#[test]
fn decimal_formatting() {
    assert_eq!(decimal_micros(0), "0");
    assert_eq!(decimal_micros(25), "0.000025");
    assert_eq!(decimal_micros(12_500_000), "12.5");
}
