//! The chain under tampering, on SQLite and (with `CLAWGATE_TEST_PG`)
//! PostgreSQL: edited records and columns, purges, deletions, and keyed
//! links against forged ones.

use super::tests::{rec, stores, PG};
use super::*;

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
    assert_eq!(verify(s.as_ref(), &[]).unwrap(), Verify::Ok(3));
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute("UPDATE audit_records SET record_json = replace(record_json, '\"duration_ms\":0', '\"duration_ms\":9') WHERE request_id = 'b'", [])
        .unwrap();
    assert!(matches!(
        verify(s.as_ref(), &[]).unwrap(),
        Verify::Broken { seq: 2, .. }
    ));
    // rewriting the hash too is caught by the next link
    let fixed = link_hash(
        2,
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
        None,
    )
    .unwrap();
    c.execute("UPDATE audit_records SET hash = ?1 WHERE seq = 2", [&fixed])
        .unwrap();
    assert!(matches!(
        verify(s.as_ref(), &[]).unwrap(),
        Verify::Broken { seq: 3, .. }
    ));
}

/// Runs `sql` on the store's database directly, as someone with write
/// access to it would.
pub(super) fn tamper(s: &dyn Store, sqlite: Option<&std::path::Path>, sql: &str) {
    match (s.backend(), sqlite) {
        ("sqlite", Some(p)) => {
            rusqlite::Connection::open(p)
                .unwrap()
                .execute_batch(sql)
                .unwrap();
        }
        _ => {
            let url = std::env::var("CLAWGATE_TEST_PG").unwrap();
            let mut c = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
            c.batch_execute(sql).unwrap();
        }
    }
}

pub(super) fn broken_reason(s: &dyn Store, cps: &[Checkpoint]) -> Option<(i64, String)> {
    match verify(s, cps).unwrap() {
        Verify::Ok(_) => None,
        Verify::Broken { seq, reason, .. } => Some((seq, reason)),
    }
}

#[test]
fn edited_columns_purges_and_deletions() {
    let _one_at_a_time = PG.lock().unwrap_or_else(|p| p.into_inner());
    for (s, d) in stores() {
        let path = d.as_ref().map(|d| d.path().join("a.db"));
        let s = s.as_ref();
        let with_payload = |id: &str, started: u64| AuditRecord {
            request_payload: Some(format!("prompt of {id}")),
            response_payload: Some("answer".into()),
            ..rec(id, "u", "m", started, 10, "USD")
        };
        s.insert_batch(&[
            with_payload("a", 1),
            with_payload("b", 2),
            with_payload("c", 3),
        ])
        .unwrap();
        assert_eq!(broken_reason(s, &[]), None, "{}", s.backend());
        // what searches and cost reports read is checked against the record
        for (col, bad) in [
            ("model_used", "'cheap'"),
            ("user_id", "'bob'"),
            ("status", "500"),
            ("cost_micros", "1"),
        ] {
            tamper(
                s,
                path.as_deref(),
                &format!("UPDATE audit_records SET {col} = {bad} WHERE request_id = 'b'"),
            );
            assert_eq!(
                broken_reason(s, &[]),
                Some((2, format!("column `{col}` does not match the record"))),
                "{} {col}",
                s.backend()
            );
            let fix = match col {
                "user_id" => "'u'".to_string(),
                "status" => "200".into(),
                "cost_micros" => "10".into(),
                _ => "'m'".into(),
            };
            tamper(
                s,
                path.as_deref(),
                &format!("UPDATE audit_records SET {col} = {fix} WHERE request_id = 'b'"),
            );
        }
        assert_eq!(broken_reason(s, &[]), None);
        // a purge drops the payloads of older records; the chain holds
        let head = s.head().unwrap().unwrap();
        let cp = Checkpoint::signed(None, head.0, head.1.clone(), 7, None);
        assert_eq!(
            s.purge_payloads(3).unwrap(),
            Purged {
                purged: 2,
                kept_v1: 0
            }
        );
        assert_eq!(s.purge_payloads(3).unwrap(), Purged::default(), "once");
        assert!(!s.get("a").unwrap().contains("prompt of a"));
        assert!(s.get("c").unwrap().contains("prompt of c"));
        assert_eq!(
            broken_reason(s, std::slice::from_ref(&cp)),
            None,
            "{}",
            s.backend()
        );
        // an edit of a purged record's metadata still breaks it
        tamper(s, path.as_deref(), "UPDATE audit_records SET record_json = replace(record_json, '\"status\":200', '\"status\":201') WHERE request_id = 'a'");
        assert_eq!(broken_reason(s, &[]).map(|b| b.0), Some(1));
        tamper(s, path.as_deref(), "UPDATE audit_records SET record_json = replace(record_json, '\"status\":201', '\"status\":200') WHERE request_id = 'a'");
        // deleting the newest record passes alone, not against a checkpoint
        tamper(
            s,
            path.as_deref(),
            "DELETE FROM audit_records WHERE request_id = 'c'",
        );
        assert_eq!(broken_reason(s, &[]), None);
        let (seq, reason) = broken_reason(s, &[cp]).unwrap();
        assert_eq!(seq, 3);
        assert!(reason.starts_with("records deleted"), "{reason}");
    }
}

#[test]
fn version_1_links_keep_their_payloads() {
    let mut done = Purged::default();
    let json = r#"{"request_id":"a","request_payload":"p","response_payload":null}"#;
    let none = r#"{"request_id":"b","request_payload":null,"response_payload":null}"#;
    let rows = [
        (1, 1, json.to_string()),
        (2, 2, json.to_string()),
        (3, 2, none.to_string()),
    ];
    let plan = plan_purge(&rows, &mut done).unwrap();
    assert_eq!(plan.iter().map(|p| p.0).collect::<Vec<_>>(), [2]);
    assert_eq!(
        done,
        Purged {
            purged: 1,
            kept_v1: 1
        }
    );
}
