//! Keyset export, concurrent writers on PostgreSQL, and the column table
//! against the migrated schema.

use super::tests::{rec, stores, test_pg, PG};
use super::*;

fn ids(rows: &[String]) -> Vec<String> {
    rows.iter()
        .map(|j| serde_json::from_str::<AuditRecord>(j).unwrap().request_id)
        .collect()
}

#[test]
fn export_pages_return_every_record_once_in_order() {
    let _one_at_a_time = PG.lock().unwrap_or_else(|p| p.into_inner());
    for (s, _d) in stores() {
        // out-of-order starts and ties on started_ms across batches, so a
        // page boundary falls inside a run of equal started_ms
        let mut expected = Vec::new();
        for b in 0..4u64 {
            let batch: Vec<AuditRecord> = (0..9u64)
                .map(|i| {
                    let user = if i % 2 == 0 { "even" } else { "odd" };
                    rec(
                        &format!("b{b}i{i}"),
                        user,
                        "m",
                        100 + (i * 7 + b) % 5,
                        1,
                        "USD",
                    )
                })
                .collect();
            s.insert_batch(&batch).unwrap();
            expected.extend(batch);
        }
        // (started_ms, then insertion order) is the export order
        let mut order: Vec<(u64, usize, String)> = expected
            .iter()
            .enumerate()
            .map(|(i, r)| (r.started_ms, i, r.request_id.clone()))
            .collect();
        order.sort();
        let want: Vec<String> = order.iter().map(|(_, _, id)| id.clone()).collect();
        for page in [1, 4, 5, 36, 100] {
            let mut got = Vec::new();
            let n = export(s.as_ref(), &Filter::default(), page, &mut |j| {
                got.push(j.to_string());
                Ok(())
            })
            .unwrap();
            assert_eq!(n, 36, "{} page {page}", s.backend());
            assert_eq!(ids(&got), want, "{} page {page}", s.backend());
        }
        let mut f = Filter::default();
        f.set("user", "odd").unwrap();
        let mut got = Vec::new();
        export(s.as_ref(), &f, 3, &mut |j| {
            got.push(j.to_string());
            Ok(())
        })
        .unwrap();
        let want_odd: Vec<String> = want
            .iter()
            .filter(|id| id.ends_with(['1', '3', '5', '7']))
            .cloned()
            .collect();
        assert_eq!(ids(&got), want_odd, "{}", s.backend());
        // a page is exactly its limit, resuming strictly after the key
        let first = s
            .page(
                &Filter {
                    limit: 5,
                    ..f.clone()
                },
                None,
            )
            .unwrap();
        let next = s
            .page(&Filter { limit: 5, ..f }, first.last().map(|(k, _)| *k))
            .unwrap();
        assert_eq!((first.len(), next.len()), (5, 5));
        assert!(first.last().unwrap().0 < next[0].0);
    }
}

#[test]
fn concurrent_batches_keep_one_chain_on_postgres() {
    let _one_at_a_time = PG.lock().unwrap_or_else(|p| p.into_inner());
    let Some(url) = test_pg("concurrent batches on one PostgreSQL not tested") else {
        return;
    };
    drop(stores()); // truncates
                    // two stores stand for two sidecars sharing the database
    let sidecars: Vec<Box<dyn Store>> = vec![open(&url).unwrap(), open(&url).unwrap()];
    let accepted: usize = std::thread::scope(|sc| {
        let handles: Vec<_> = (0..8usize)
            .map(|t| {
                let s = sidecars[t % 2].as_ref();
                sc.spawn(move || {
                    let mut n = 0;
                    for b in 0..10usize {
                        // every id is sent by two threads: duplicates race too
                        let batch: Vec<AuditRecord> = (0..20usize)
                            .map(|i| {
                                let id = format!("t{}-b{b}-i{i}", t / 2);
                                rec(&id, "u", "m", (b * 20 + i) as u64, 1, "USD")
                            })
                            .collect();
                        n += s.insert_batch(&batch).unwrap().0;
                    }
                    n
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    assert_eq!(accepted, 4 * 10 * 20, "each id accepted once");
    assert_eq!(sidecars[0].count().unwrap(), 800);
    assert_eq!(verify(sidecars[1].as_ref(), &[]).unwrap(), Verify::Ok(800));
}

/// Every stored COLUMNS entry exists with its type once migrated, and
/// every schema column is either in COLUMNS or the chain's.
#[test]
fn column_table_matches_the_migrated_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    drop(open(&format!("sqlite://{}", path.display())).unwrap());
    let c = rusqlite::Connection::open(&path).unwrap();
    let mut stmt = c.prepare("PRAGMA table_info(audit_records)").unwrap();
    let schema: Vec<(String, String, bool)> = stmt
        .query_map([], |r| Ok((r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    for col in columns::stored() {
        let (_, ty, not_null) = schema
            .iter()
            .find(|(n, _, _)| n == col.name)
            .unwrap_or_else(|| panic!("{} is not in the schema: add a migration", col.name));
        let want = match col.sql {
            Some(columns::Sql::Int) => ("INTEGER", true),
            Some(columns::Sql::Id) => ("TEXT", true),
            _ => ("TEXT", false),
        };
        assert_eq!((ty.as_str(), *not_null), want, "{}", col.name);
    }
    for (name, _, _) in &schema {
        assert!(
            columns::stored().any(|c| c.name == name)
                || columns::CHAIN_COLUMNS.contains(&name.as_str())
                || name == "payload_digest",
            "schema column {name} is not in the column table"
        );
    }
    if let Some(url) = test_pg("the PostgreSQL schema not compared with the column table") {
        let _one_at_a_time = PG.lock().unwrap_or_else(|p| p.into_inner());
        drop(open(&url).unwrap());
        let mut pg = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
        for col in columns::stored() {
            let r = pg
                .query_one(
                    "SELECT data_type, is_nullable FROM information_schema.columns \
                     WHERE table_name = 'audit_records' AND column_name = $1",
                    &[&col.name],
                )
                .unwrap_or_else(|e| panic!("{} not in the PostgreSQL schema: {e}", col.name));
            let want = match col.sql {
                Some(columns::Sql::Int) => ("bigint", "NO"),
                Some(columns::Sql::Id) => ("text", "NO"),
                _ => ("text", "YES"),
            };
            assert_eq!((r.get(0), r.get(1)), want, "{}", col.name);
        }
    }
    // the INSERT names every stored column once and binds as many values
    let sql = sql::insert_sql(&|i| format!("?{i}"));
    let n = columns::stored().count() + columns::CHAIN_COLUMNS.len();
    assert_eq!(sql.matches('?').count(), n);
    let row = sql::Row::from_record(&rec("x", "u", "m", 1, 1, "USD")).unwrap();
    assert_eq!(row.values.len(), columns::stored().count());
}

#[test]
fn csv_cells_that_a_spreadsheet_would_run_are_neutralised() {
    for (user, cell) in [
        (
            "=HYPERLINK(\"http://x\")",
            "\"'=HYPERLINK(\"\"http://x\"\")\"",
        ),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "\"'\rx\""),
        ("a=b", "a=b"),
    ] {
        let r = rec("id", user, "m", 7, 1, "USD");
        let row = csv_row(&r);
        assert!(
            row.starts_with(&format!("id,7,0,{cell},")),
            "{user:?}: {row}"
        );
    }
}

#[test]
fn csv_export_format_is_stable() {
    assert_eq!(
        csv_header(),
        "request_id,started_ms,duration_ms,user,instance,session_id,trace_id,model_requested,\
         model_used,provider,route_reason,risk_action,status,error,prompt_tokens,\
         completion_tokens,total_tokens,cost,currency"
    );
    let mut r = rec("a,b", "u", "m", 7, 1, "USD");
    r.usage.completion = None;
    r.error = Some("say \"hi\"".into());
    assert_eq!(
        csv_row(&r),
        "\"a,b\",7,0,u,,s-u,t1,m,m,p,,,200,\"say \"\"hi\"\"\",10,,15,,USD"
    );
}

#[test]
fn filters_check_their_values() {
    let mut f = Filter::default();
    assert!(f.set("status", "abc").is_err());
    assert!(f.set("colour", "red").is_err());
    f.set("status", "200").unwrap();
    f.set("model", "m").unwrap();
    let (w, args) = sql::where_clause(&f, None, &|i| format!("?{i}"));
    assert_eq!(
        w,
        " WHERE (status = ?1) AND (model_requested = ?2 OR model_used = ?2)"
    );
    assert_eq!(args.len(), 2);
    assert_eq!(
        params(),
        [
            "user",
            "instance",
            "session",
            "trace",
            "model",
            "risk_action",
            "status"
        ]
    );
}
