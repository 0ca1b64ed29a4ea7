use super::*;

type Events = Vec<(Option<String>, String)>;

/// The events of `chunks` (dispatched blocks only), the garbage count,
/// and the blocks' raw bytes joined (they must tile the stream).
fn run(chunks: &[&[u8]]) -> (Events, u32, Vec<u8>) {
    let mut r = SseFramer::new(true);
    let mut out = Vec::new();
    let mut raw = Vec::new();
    let mut on = |b: &Block| {
        raw.extend_from_slice(b.raw);
        if b.dispatch {
            out.push((
                b.name.map(str::to_string),
                String::from_utf8_lossy(b.data).into_owned(),
            ))
        }
    };
    for c in chunks {
        if r.lf_of_closed_block(c) {
            on(&Block {
                dispatch: false,
                name: None,
                data: &[],
                raw: b"\n",
                lead: 0,
                spilled: false,
                complete: true,
            });
            r.feed(&c[1..], &mut on);
        } else {
            r.feed(c, &mut on);
        }
    }
    r.finish(&mut on);
    (out, r.garbage, raw)
}

fn events(chunks: &[&[u8]]) -> (Events, u32) {
    let (e, g, _) = run(chunks);
    (e, g)
}

#[test]
fn split_at_every_byte_gives_the_same_events() {
    let stream = "event: gateway_notice\ndata: {\"a\":1}\n\n: comment\r\ndata: {\"t\":\"中文🙂\"}\r\n\r\ndata: a\ndata: b\n\ndata: [DONE]\n\n"
        .as_bytes();
    let (whole, g) = events(&[stream]);
    assert_eq!(g, 0);
    assert_eq!(whole.len(), 4);
    assert_eq!(
        whole[0],
        (Some("gateway_notice".into()), "{\"a\":1}".into())
    );
    assert_eq!(whole[1].1, "{\"t\":\"中文🙂\"}");
    assert_eq!(whole[2].1, "a\nb");
    for i in 0..stream.len() {
        assert_eq!(
            events(&[&stream[..i], &stream[i..]]).0,
            whole,
            "split at {i}"
        );
        for j in (i..stream.len()).step_by(7) {
            assert_eq!(
                events(&[&stream[..i], &stream[i..j], &stream[j..]]).0,
                whole,
                "split at {i},{j}"
            );
        }
    }
}

#[test]
fn garbage_is_counted_and_bounded() {
    let (ev, g) = events(&[b"random garbage\n\ndata: x\n\n"]);
    assert_eq!((ev.len(), g), (1, 1));
    let long = vec![b'x'; MAX_LINE + 10];
    let (ev, g) = events(&[b"data: ", &long, b"\n\ndata: ok\n\n"]);
    assert_eq!(g, 1);
    assert_eq!(ev.last().unwrap().1, "ok");
    // an over-long line whole in one chunk too
    let mut one = b"data: ".to_vec();
    one.extend_from_slice(&long);
    one.extend_from_slice(b"\n\ndata: ok\n\n");
    let (ev, g) = events(&[&one]);
    assert_eq!((ev.len(), g), (1, 1));
}

#[test]
fn unterminated_last_event_counts_at_finish() {
    let (ev, _) = events(&[b"data: last"]);
    assert_eq!(ev, vec![(None, "last".to_string())]);
}

/// The same three events written with LF, CRLF, lone CR and a mix of
/// them, split into two and three chunks at every byte offset: the same
/// events, no garbage, and the blocks give back every byte in order.
#[test]
fn cr_lf_crlf_and_mixed_line_ends_split_at_every_offset() {
    let want: Events = vec![
        (Some("message_start".into()), "{\"t\":\"你好\"}".into()),
        (None, "a\nb".into()),
        (None, "[DONE]".into()),
    ];
    let lines = [
        "event: message_start",
        "data: {\"t\":\"你好\"}",
        "",
        ": keep-alive",
        "data: a",
        "data: b",
        "",
        "",
        "data: [DONE]",
        "",
    ];
    let ends: [&[&str]; 5] = [
        &["\n"],
        &["\r\n"],
        &["\r"],
        &["\r", "\n", "\r\n"],
        &["\r\n", "\r", "\r", "\n", "\r\n"],
    ];
    for (k, e) in ends.iter().enumerate() {
        let mut s = String::new();
        for (i, l) in lines.iter().enumerate() {
            s.push_str(l);
            s.push_str(e[i % e.len()]);
        }
        let s = s.as_bytes();
        let (whole, g, raw) = run(&[s]);
        assert_eq!((&whole, g), (&want, 0), "line ends {k}");
        assert_eq!(raw, s, "line ends {k}: blocks tile the stream");
        for i in 0..=s.len() {
            let (ev, g, raw) = run(&[&s[..i], &s[i..]]);
            assert_eq!((&ev, g), (&want, 0), "line ends {k}, split at {i}");
            assert_eq!(raw, s, "line ends {k}, split at {i}");
            for j in (i..=s.len()).step_by(5) {
                let (ev, _, raw) = run(&[&s[..i], &s[i..j], &s[j..]]);
                assert_eq!(ev, want, "line ends {k}, split at {i},{j}");
                assert_eq!(raw, s, "line ends {k}, split at {i},{j}");
            }
        }
        // a byte at a time
        let bytes: Vec<&[u8]> = s.chunks(1).collect();
        assert_eq!(run(&bytes).0, want, "line ends {k}, bytewise");
    }
}

#[test]
fn a_cr_then_lf_is_one_line_end_and_two_crs_are_two() {
    // "\r\r" is a line end and a blank line: the event ends there
    let (ev, _) = events(&[b"data: x\r\r", b"data: y\r\n\r\n"]);
    assert_eq!(ev, vec![(None, "x".into()), (None, "y".into())]);
    // "\r" + "\n" across chunks is one line end, not a blank line
    let (ev, _) = events(&[b"data: x\r", b"\ndata: y\r\n\r\n"]);
    assert_eq!(ev, vec![(None, "x\ny".into())]);
}

#[test]
fn a_block_past_the_bound_is_spilled_and_passes_on() {
    let mut r = SseFramer::new(true);
    let big = vec![b'x'; MAX_BLOCK / 2];
    let mut blocks = Vec::new();
    let mut on = |b: &Block| blocks.push((b.spilled, b.raw.len()));
    for _ in 0..3 {
        r.feed(b"data: ", &mut on);
        r.feed(&big, &mut on);
        r.feed(b"\n", &mut on);
    }
    let spilled = r.spill().map_or(0, |s| s.len());
    assert!(spilled > MAX_BLOCK);
    r.feed(b"\n", &mut on);
    assert_eq!(blocks, vec![(true, 1)]);
}
