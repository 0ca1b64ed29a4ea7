use super::*;

fn scan(n: usize) -> Arc<PieceScan> {
    Arc::new(PieceScan {
        model_item: n.is_multiple_of(2),
        ..PieceScan::default()
    })
}

fn piece(i: usize) -> Vec<u8> {
    format!("{{\"id\":{i},\"t\":\"{}\"}}", "x".repeat(1000)).into_bytes()
}

#[test]
fn a_hit_needs_the_same_bytes_key_and_depth() {
    let mut c = ScanCache::with_budget(1 << 20);
    let p = piece(7);
    c.put("messages", 2, &p, scan(0));
    let mut body = b"[".to_vec();
    body.extend_from_slice(&p);
    body.extend_from_slice(b"]");
    assert_eq!(c.find("messages", 2, &body, 1).map(|f| f.0), Some(p.len()));
    assert!(c.find("input", 2, &body, 1).is_none());
    assert!(c.find("messages", 1, &body, 1).is_none());
    // same prefix (so the same bucket), one byte changed near the end
    let mut other = body.clone();
    other[p.len() - 2] = b'y';
    assert!(c.find("messages", 2, &other, 1).is_none());
    // cut short
    assert!(c.find("messages", 2, &body[..p.len()], 1).is_none());
    assert_ne!(hash("a", 1, b"bc"), hash("ab", 1, b"c"));
    assert_ne!(hash("a", 1, b"bc"), hash("a", 2, b"bc"));
}

#[test]
fn only_values_that_close_themselves_are_kept() {
    let mut c = ScanCache::with_budget(1 << 20);
    let number = "1".repeat(200);
    c.put("n", 1, number.as_bytes(), scan(0));
    let longer = "1".repeat(201);
    assert!(c.find("n", 1, longer.as_bytes(), 0).is_none());
    assert!(!keepable(b"{}"));
    assert!(keepable(&piece(1)));
    // a short piece is found by its exact bytes only
    c.put("n", 1, b"12345678901234567890123456", scan(0));
    assert!(c
        .find_short("n", 1, b"12345678901234567890123456")
        .is_some());
    assert!(c
        .find_short("n", 1, b"123456789012345678901234567")
        .is_none());
    assert!(c.find_short("n", 1, b"1234567890123456789012345").is_none());
}

#[test]
fn stays_within_its_budget_and_keeps_what_is_used() {
    let budget = 64 * 1024;
    let mut c = ScanCache::with_budget(budget);
    let hot = piece(0);
    c.put("k", 1, &hot, scan(0));
    for i in 1..500 {
        c.put("k", 1, &piece(i), scan(i));
        assert!(
            c.find("k", 1, &hot, 0).is_some(),
            "hot piece evicted at {i}"
        );
        assert!(c.held_bytes() <= budget, "{} > {budget}", c.held_bytes());
    }
    assert!(c.find("k", 1, &piece(1), 0).is_none());
}

#[test]
fn pieces_that_begin_alike_are_told_apart() {
    let mut c = ScanCache::with_budget(1 << 20);
    let alike = |i: usize| format!("{{\"t\":\"{}{i}\"}}", "x".repeat(200)).into_bytes();
    for i in 0..30 {
        c.put("k", 1, &alike(i), scan(i));
    }
    for i in 0..30 {
        let found = c
            .find("k", 1, &alike(i), 0)
            .map(|(len, s)| (len, s.model_item));
        assert_eq!(found, Some((alike(i).len(), i.is_multiple_of(2))), "{i}");
    }
    assert_eq!((c.hits, c.misses), (30, 0));
}

/// A message of a session whose pieces all open with the same reminder,
/// differing only after it (and some only in their last bytes).
fn reminded(i: usize, tail: usize) -> Vec<u8> {
    let reminder =
        "<system-reminder>Use the tools; keep answers short.</system-reminder> ".repeat(5);
    format!(
        "{{\"role\":\"user\",\"content\":\"{reminder}{}{i}\"}}",
        "y".repeat(tail)
    )
    .into_bytes()
}

#[test]
fn a_shared_opening_never_turns_a_held_piece_into_a_rescan() {
    // Hundreds of pieces open with the same 360 bytes: each is found, as
    // itself, and a lookup never confuses one with another that begins
    // like it, is longer, or has the same length.
    let mut c = ScanCache::with_budget(4 << 20);
    let n = 300;
    for i in 0..n {
        c.put("messages", 2, &reminded(i, i % 7), scan(i));
    }
    let mut body = b"[".to_vec();
    let mut starts = Vec::new();
    for i in 0..n {
        starts.push(body.len());
        body.extend_from_slice(&reminded(i, i % 7));
        body.push(b',');
    }
    body.extend_from_slice(b"1]");
    for (i, &at) in starts.iter().enumerate() {
        let found = c
            .find("messages", 2, &body, at)
            .map(|(len, s)| (len, s.model_item));
        assert_eq!(
            found,
            Some((reminded(i, i % 7).len(), i.is_multiple_of(2))),
            "{i}"
        );
    }
    assert_eq!((c.hits, c.misses), (n as u64, 0));
    // not held: the same opening, then other bytes (same length, longer)
    for other in [reminded(n + 1, 0), reminded(1, 40)] {
        let mut b = b"[".to_vec();
        b.extend_from_slice(&other);
        b.push(b']');
        assert!(c.find("messages", 2, &b, 1).is_none());
    }
    // one byte changed in the middle of a held piece: same length, same opening
    let mut b = body.clone();
    b[starts[5] + 200] ^= 1;
    assert!(c.find("messages", 2, &b, starts[5]).is_none());
    assert!(c.find("input", 2, &body, starts[5]).is_none());
    // cut short, or not JSON past the opening: a miss, never a panic
    assert!(c
        .find("messages", 2, &body[..starts[5] + 300], starts[5])
        .is_none());
    assert!(c
        .find("messages", 2, &body[..starts[5] + 200], starts[5])
        .is_none());
}

#[test]
fn a_crowded_opening_stays_within_the_budget() {
    let budget = 64 * 1024;
    let mut c = ScanCache::with_budget(budget);
    for i in 0..2000 {
        c.put("messages", 2, &reminded(i, i % 50), scan(i));
        assert!(c.held_bytes() <= budget, "{} > {budget}", c.held_bytes());
    }
    // the newest are held and found
    let last = reminded(1999, 1999 % 50);
    assert!(c.find("messages", 2, &last, 0).is_some());
}

#[test]
fn pieces_under_one_whole_hash_are_told_apart_and_a_long_chain_stops() {
    // Forced collisions: every entry claims the same whole hash.
    let mut g = Gen::default();
    let p = |i: usize| reminded(i, 3);
    for i in 0..CHAIN + 2 {
        g.insert(Entry {
            key: "messages".into(),
            depth: 2,
            bytes: p(i).into(),
            whole: 7,
            next: None,
            opening: None,
            scan: scan(i),
        });
    }
    for i in 0..CHAIN {
        let at = g
            .exact(7, "messages", 2, &p(i))
            .map(|j| g.entries[j].scan.model_item);
        assert_eq!(at, Some(i.is_multiple_of(2)), "{i}");
    }
    // past the chain's length a colliding piece is not kept: a rescan
    assert!(g.exact(7, "messages", 2, &p(CHAIN)).is_none());
    assert_eq!(g.entries.len(), CHAIN);
    assert!(g.exact(8, "messages", 2, &p(0)).is_none());
}

#[test]
fn pieces_sharing_long_openings_are_found_whatever_order_they_came_in() {
    // JSON strings over a two-letter alphabet share long runs: pieces that
    // differ late, in their last byte, or in length, hundreds under one
    // opening; each is found as itself and nothing that is not held is.
    let mut rng = crate::test_rng::Rng(0x5eed_cafe);
    let opening = "o".repeat(PREFIX + 40);
    let mut held: Vec<Vec<u8>> = Vec::new();
    for _ in 0..400 {
        let tail: String = (0..rng.below(300))
            .map(|_| if rng.below(8) == 0 { 'a' } else { 'b' })
            .collect();
        let p = format!("\"{opening}{tail}\"").into_bytes();
        if !held.contains(&p) {
            held.push(p);
        }
    }
    let mut c = ScanCache::with_budget(64 << 20);
    for (i, p) in held.iter().enumerate() {
        c.put("input", 2, p, scan(i));
    }
    for (i, p) in held.iter().enumerate() {
        let mut body = p.clone();
        body.extend_from_slice(b",\"bbbb\"]");
        let found = c.find("input", 2, &body, 0).map(|(n, s)| (n, s.model_item));
        assert_eq!(found, Some((p.len(), i.is_multiple_of(2))), "{i}");
        assert!(c.find("messages", 2, &body, 0).is_none());
        assert!(c.find("input", 3, &body, 0).is_none());
        // not held: one byte more or one byte changed before the close
        let mut longer = p.clone();
        longer.insert(p.len() - 1, b'a');
        let mut changed = p.clone();
        let at = p.len() - 2;
        changed[at] = if changed[at] == b'a' { b'c' } else { b'a' };
        for q in [longer, changed] {
            if !held.contains(&q) {
                assert!(c.find("input", 2, &q, 0).is_none(), "{i}");
            }
        }
    }
}

#[test]
fn a_crowded_opening_is_told_apart_by_length_then_by_whole_bytes() {
    // 40 pieces of one length (past `FEW`: found by their whole hash) and
    // 40 of as many lengths (found among those of their length), all
    // opening alike; a piece of a held length that is not held is a miss.
    let same = |i: usize| reminded(100 + i, 0);
    let long = |i: usize| reminded(1, 10 + i);
    let mut c = ScanCache::with_budget(4 << 20);
    for i in 0..40 {
        c.put("messages", 2, &same(i), scan(i));
        c.put("messages", 2, &long(i), scan(i + 1));
    }
    for i in 0..40 {
        for (p, odd) in [(same(i), 0), (long(i), 1)] {
            let mut body = p.clone();
            body.extend_from_slice(b",1]");
            let found = c
                .find("messages", 2, &body, 0)
                .map(|(n, s)| (n, s.model_item));
            assert_eq!(found, Some((p.len(), (i + odd).is_multiple_of(2))), "{i}");
        }
    }
    assert_eq!((c.hits, c.misses), (80, 0));
    for other in [reminded(199, 0), reminded(2, 15)] {
        assert!(c.find("messages", 2, &other, 0).is_none());
    }
}
