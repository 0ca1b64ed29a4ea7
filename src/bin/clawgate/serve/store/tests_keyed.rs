//! Keyed links, writers, payload digests and config hashes, on SQLite and
//! (with `CLAWGATE_TEST_PG`) PostgreSQL. A forger here has write access to
//! the database and the code, not the key: a store opened without the key
//! (or with another) writes correctly linked records as one would.

use super::tests::{rec, PG};
use super::tests_chain::tamper;
use super::*;
use std::sync::atomic::Ordering;

/// A fresh database per backend, as URLs (more than one store opens each).
fn urls() -> Vec<(String, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("k.db").display());
    let mut v = vec![(url, Some(dir))];
    if let Some(url) = super::tests::test_pg("the keyed-chain tests ran on SQLite only") {
        drop(open(&url).unwrap());
        let mut c = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
        c.batch_execute("TRUNCATE audit_records, config_versions RESTART IDENTITY")
            .unwrap();
        v.push((url, None));
    }
    v
}

fn keyed(url: &str, writer: &str, key: &[u8], old: &[&[u8]]) -> Box<dyn Store> {
    let old: Vec<Vec<u8>> = old.iter().map(|k| k.to_vec()).collect();
    open_as(url, Writer::new(writer, Keys::new(Some(key), &old))).unwrap()
}

fn findings(s: &dyn Store, keys: Keys, writer: Option<&str>) -> (Vec<(i64, String)>, Report) {
    let o = Options {
        keys,
        writer: writer.map(str::to_string),
        ..Default::default()
    };
    let r = verify_all(s, &o).unwrap();
    let f = r
        .findings
        .iter()
        .map(|f| (f.seq, f.reason.clone()))
        .collect();
    (f, r)
}

fn batch(ids: &[&str]) -> Vec<AuditRecord> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| rec(id, "u", "m", i as u64 + 1, 1, "USD"))
        .collect()
}

#[test]
fn a_forged_link_is_named_skipped_and_never_chained_onto() {
    let _one_at_a_time = PG.lock().unwrap_or_else(|p| p.into_inner());
    for (url, d) in urls() {
        let path = d.as_ref().map(|d| d.path().join("k.db"));
        let sidecar = keyed(&url, "gw-a", b"k1", &[]);
        sidecar.insert_batch(&batch(&["a", "b"])).unwrap();
        // correctly linked, right digest, no key: as a forger writes it
        let forger = open_as(&url, Writer::new("gw-a", Keys::default())).unwrap();
        forger.insert_batch(&batch(&["forged"])).unwrap();
        let k1 = Keys::new(Some(b"k1"), &[]);
        let (f, _) = findings(forger.as_ref(), k1.clone(), None);
        assert_eq!(f.len(), 1, "{url}: {f:?}");
        assert!(f[0].1.starts_with("forged"), "{f:?}");
        // the sidecar's next link chains past it, onto `b`
        assert_eq!(sidecar.head().unwrap().map(|h| h.0), Some(2));
        sidecar.insert_batch(&batch(&["c"])).unwrap();
        assert_eq!(sidecar.writer().forged_seen.load(Ordering::Relaxed), 1);
        let (f, r) = findings(sidecar.as_ref(), k1.clone(), None);
        assert_eq!(f, [(3, f[0].1.clone())], "only the forgery: {f:?}");
        assert_eq!((r.keyed, r.unkeyed, r.links()), (3, 0, 3));
        // with no key the fork shows, at the link after the forgery
        assert!(matches!(
            verify(sidecar.as_ref(), &[]).unwrap(),
            Verify::Broken { seq: 4, .. }
        ));
        // a link naming a key nobody gave is forged too
        forger.insert_batch(&batch(&["other-key"])).unwrap();
        tamper(
            forger.as_ref(),
            path.as_deref(),
            "UPDATE audit_records SET mac = 'ab', key_id = '0123456789abcdef' \
             WHERE request_id = 'other-key'",
        );
        let (f, _) = findings(sidecar.as_ref(), k1.clone(), None);
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(f[1].1.contains("key id"), "{f:?}");
        // rotation: the new key signs, the old one still vouches
        let rotated = keyed(&url, "gw-a", b"k2", &[b"k1"]);
        rotated.insert_batch(&batch(&["d"])).unwrap();
        let both = Keys::new(Some(b"k2"), &[b"k1".to_vec()]);
        let (f, r) = findings(rotated.as_ref(), both, None);
        assert_eq!(f.len(), 2, "the two forgeries only: {f:?}");
        assert_eq!(r.keyed, 4);
        let (f, _) = findings(rotated.as_ref(), Keys::new(Some(b"k2"), &[]), None);
        assert_eq!(f[0], (1, f[0].1.clone()));
        assert!(
            f[0].1.contains("key id"),
            "old links name a key not given: {f:?}"
        );
        // nothing authentic in reach: the sidecar refuses, loudly
        let stranger = keyed(&url, "gw-a", b"k3", &[]);
        assert!(stranger.insert_batch(&batch(&["e"])).is_err());
        assert!(stranger.get("e").is_err());
    }
}

#[test]
fn payloads_are_checked_against_their_digest() {
    let _one_at_a_time = PG.lock().unwrap_or_else(|p| p.into_inner());
    for (url, d) in urls() {
        let path = d.as_ref().map(|d| d.path().join("k.db"));
        let s = open(&url).unwrap();
        let with = |id: &str, t: u64| AuditRecord {
            request_payload: Some(format!("prompt {id}")),
            ..rec(id, "u", "m", t, 1, "USD")
        };
        s.insert_batch(&[with("a", 1), with("b", 5)]).unwrap();
        s.purge_payloads(3).unwrap();
        assert_eq!(verify(s.as_ref(), &[]).unwrap(), Verify::Ok(2));
        // a payload planted into the purged record
        let planted = "UPDATE audit_records SET record_json = replace(record_json, \
             '\"request_payload\":null', '\"request_payload\":\"planted\"') WHERE request_id = 'a'";
        tamper(s.as_ref(), path.as_deref(), planted);
        let Verify::Broken { seq, reason, .. } = verify(s.as_ref(), &[]).unwrap() else {
            panic!("{url}: a planted payload verified");
        };
        assert_eq!(seq, 1);
        assert!(reason.contains("payload present"), "{reason}");
        // a rewritten payload with the original's digest copied beside it
        let json = s.get("b").unwrap();
        let (_, digest) = chain::purge(&json).unwrap();
        let rewrite = format!(
            "UPDATE audit_records SET record_json = replace(record_json, 'prompt b', 'other'), \
             payload_digest = '{digest}' WHERE request_id = 'b'"
        );
        tamper(s.as_ref(), path.as_deref(), &rewrite);
        let o = Options::default();
        let r = verify_all(s.as_ref(), &o).unwrap();
        assert_eq!(r.findings.len(), 1, "the walk stops at the first: {r:?}");
        tamper(
            s.as_ref(),
            path.as_deref(),
            "UPDATE audit_records SET record_json = replace(record_json, '\"planted\"', 'null') \
             WHERE request_id = 'a'",
        );
        let Verify::Broken { seq, reason, .. } = verify(s.as_ref(), &[]).unwrap() else {
            panic!("{url}: a rewritten payload verified");
        };
        assert_eq!((seq, reason.contains("payload present")), (2, true));
    }
}

#[test]
fn config_versions_are_checked_against_their_hash() {
    let _one_at_a_time = PG.lock().unwrap_or_else(|p| p.into_inner());
    for (url, d) in urls() {
        let path = d.as_ref().map(|d| d.path().join("k.db"));
        let s = open(&url).unwrap();
        let doc = serde_json::json!({"secure_model": "local", "models": []});
        let hash = clawgate::config::hash_of(&doc);
        s.put_config(&hash, &doc.to_string(), 1).unwrap();
        assert!(s.config(&hash).is_ok());
        assert_eq!(
            verify_all(s.as_ref(), &Options::default()).unwrap().configs,
            1
        );
        tamper(
            s.as_ref(),
            path.as_deref(),
            "UPDATE config_versions SET config_json = replace(config_json, 'local', 'cloud')",
        );
        let err = s.config(&hash).unwrap_err().to_string();
        assert!(err.contains("does not match its hash"), "{err}");
        let r = verify_all(s.as_ref(), &Options::default()).unwrap();
        assert_eq!(r.findings.len(), 1, "{url}: {r:?}");
        assert!(r.findings[0].reason.contains(&hash));
    }
}

#[test]
fn writers_chain_alone_and_verify_alone_and_together() {
    let _one_at_a_time = PG.lock().unwrap_or_else(|p| p.into_inner());
    for (url, _d) in urls() {
        let ws: Vec<Box<dyn Store>> = ["gw-a", "gw-b", "gw-c"]
            .iter()
            .map(|w| keyed(&url, w, b"k", &[]))
            .collect();
        let accepted: usize = std::thread::scope(|sc| {
            let hs: Vec<_> = (0..6usize)
                .map(|t| {
                    let s = ws[t % 3].as_ref();
                    sc.spawn(move || {
                        (0..8usize)
                            .map(|b| {
                                // threads of one writer share ids: duplicates race
                                let ids: Vec<String> =
                                    (0..10).map(|i| format!("w{}-{b}-{i}", t % 3)).collect();
                                let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
                                s.insert_batch(&batch(&ids)).unwrap().0
                            })
                            .sum::<usize>()
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).sum()
        });
        assert_eq!(accepted, 3 * 8 * 10, "{url}: each id once");
        let k = Keys::new(Some(b"k"), &[]);
        let (f, r) = findings(ws[0].as_ref(), k.clone(), None);
        assert!(f.is_empty(), "{url}: {f:?}");
        let per: Vec<(&str, u64)> = r.writers.iter().map(|(w, n)| (w.as_str(), *n)).collect();
        assert_eq!(per, [("gw-a", 80), ("gw-b", 80), ("gw-c", 80)]);
        let (f, r) = findings(ws[0].as_ref(), k, Some("gw-b"));
        assert!(f.is_empty() && r.links() == 80, "{f:?} {r:?}");
        // each writer's checkpoint is its own head
        let heads: Vec<i64> = ws.iter().map(|s| s.head().unwrap().unwrap().0).collect();
        assert_eq!(
            heads.iter().collect::<std::collections::HashSet<_>>().len(),
            3
        );
    }
}

#[test]
fn writers_racing_for_the_same_ids_store_each_once_and_keep_their_chains() {
    let _one_at_a_time = PG.lock().unwrap_or_else(|p| p.into_inner());
    for (url, _d) in urls() {
        let ws: Vec<Box<dyn Store>> = ["gw-a", "gw-b"]
            .iter()
            .map(|w| keyed(&url, w, b"k", &[]))
            .collect();
        // both writers get every id: one stores it, the other counts a duplicate
        let accepted: usize = std::thread::scope(|sc| {
            let hs: Vec<_> = ws
                .iter()
                .map(|s| {
                    sc.spawn(move || {
                        (0..20usize)
                            .map(|b| {
                                let ids: Vec<String> =
                                    (0..25).map(|i| format!("x-{b}-{i}")).collect();
                                let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
                                let (a, d) = s.insert_batch(&batch(&ids)).unwrap();
                                assert_eq!(a + d, 25);
                                a
                            })
                            .sum::<usize>()
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).sum()
        });
        assert_eq!(accepted, 500, "{url}");
        assert_eq!(ws[0].count().unwrap(), 500);
        let (f, r) = findings(ws[0].as_ref(), Keys::new(Some(b"k"), &[]), None);
        assert!(f.is_empty(), "{url}: {f:?}");
        assert_eq!(r.links(), 500);
    }
}
