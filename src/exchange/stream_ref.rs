//! The response pipeline as it was before the one chain (test only): the
//! usage observer's own SSE reader (lines end in LF; it rewrote only to
//! strip), then restore's own framing of what the observer let through
//! (events end at LF LF or LF CR LF). The chain must give the same bytes
//! and the same observations on every stream those two read alike (LF
//! and CRLF line ends), whatever the chunking.

use super::RestoreStream;
use crate::risk::restore::Placeholders;
use crate::test_rng::Rng;
use crate::wire::openai::stream::OpenaiEvents;
use crate::wire::stream::{Events, StreamObserver};
use serde_json::Value;

/// The old observer's reader, its framing only (raw kept when stripping).
#[derive(Default)]
struct OldReader {
    line: Vec<u8>,
    event: bool,
    data: Vec<u8>,
    has_data: bool,
    raw: Option<Vec<u8>>,
}

impl OldReader {
    fn feed(&mut self, chunk: &[u8], on_event: &mut dyn FnMut(&[u8], &[u8])) {
        for part in chunk.split_inclusive(|c| *c == b'\n') {
            if let Some(raw) = &mut self.raw {
                raw.extend_from_slice(part);
            }
            self.line.extend_from_slice(part);
            if part.ends_with(b"\n") {
                let line = std::mem::take(&mut self.line);
                self.line_done(&line, on_event);
            }
        }
    }

    fn finish(&mut self, on_event: &mut dyn FnMut(&[u8], &[u8])) {
        let line = std::mem::take(&mut self.line);
        if !line.is_empty() {
            self.line_done(&line, on_event);
        }
        self.line_done(b"\n", on_event);
    }

    fn line_done(&mut self, line: &[u8], on_event: &mut dyn FnMut(&[u8], &[u8])) {
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            if self.has_data || self.event {
                on_event(&self.data, self.raw.as_deref().unwrap_or(&[]));
            }
            (self.event, self.has_data) = (false, false);
            self.data.clear();
            if let Some(raw) = &mut self.raw {
                raw.clear();
            }
            return;
        }
        let (field, value) = match line.iter().position(|c| *c == b':') {
            Some(0) => return,
            Some(i) => (
                &line[..i],
                line[i + 1..].strip_prefix(b" ").unwrap_or(&line[i + 1..]),
            ),
            None => (line, &[][..]),
        };
        if field == b"data" {
            if self.has_data {
                self.data.push(b'\n');
            }
            self.data.extend_from_slice(value);
            self.has_data = true;
        } else if field == b"event" {
            self.event = true;
        }
    }
}

/// What the old observer saw, and the bytes it let through.
#[derive(Debug, PartialEq)]
pub(super) struct Seen {
    usage: Option<crate::wire::Usage>,
    done: bool,
    content: bool,
    text: Option<String>,
    out: Vec<u8>,
}

/// The old observer: strip mode passed each event's raw bytes but the
/// usage-only chunk, and the raw tail at the end.
fn old_observe(chunks: &[&[u8]], strip: bool) -> (Seen, Vec<Vec<u8>>) {
    let mut r = OldReader {
        raw: strip.then(Vec::new),
        ..OldReader::default()
    };
    let mut ev = OpenaiEvents;
    let (mut usage, mut done, mut content, mut text) = (None, false, false, String::new());
    let mut look = |data: &[u8]| -> bool {
        if data.trim_ascii() == b"[DONE]" {
            done = true;
            return true;
        }
        let Ok(v) = serde_json::from_slice::<Value>(data) else {
            return true;
        };
        let s = ev.observe(&v);
        done |= s.done;
        content |= s.content;
        usage = s.usage.or(usage);
        s.text.iter().for_each(|t| text.push_str(t));
        !(strip && s.usage_only)
    };
    let mut sent = Vec::new();
    for c in chunks {
        let mut out = Vec::new();
        r.feed(c, &mut |data, raw| {
            if look(data) {
                out.extend_from_slice(raw);
            }
        });
        sent.push(if strip { out } else { c.to_vec() });
    }
    let tail = r.raw.as_mut().map(std::mem::take).unwrap_or_default();
    r.finish(&mut |data, _| {
        look(data);
    });
    if strip {
        sent.push(tail);
    }
    let seen = Seen {
        usage,
        done,
        content,
        text: Some(text),
        out: Vec::new(),
    };
    (seen, sent)
}

/// Restore's old framing of the bytes the observer let through.
fn old_restore(map: &Placeholders, sent: &[Vec<u8>]) -> Vec<u8> {
    let mut rs = RestoreStream::new(map.clone());
    let (mut buf, mut out) = (Vec::new(), Vec::new());
    let event = |rs: &mut RestoreStream, raw: &[u8], out: &mut Vec<u8>| {
        let (mut name, mut data, mut first) = (None, Vec::new(), true);
        for line in raw.split(|c| *c == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if let Some(v) = line.strip_prefix(b"data:") {
                if !first {
                    data.push(b'\n');
                }
                first = false;
                data.extend_from_slice(v.strip_prefix(b" ").unwrap_or(v));
            } else if let Some(v) = line.strip_prefix(b"event:") {
                name =
                    Some(String::from_utf8_lossy(v.strip_prefix(b" ").unwrap_or(v)).into_owned());
            }
        }
        if data.trim_ascii() == b"[DONE]" {
            rs.flush_all(out);
            out.extend_from_slice(raw);
            return;
        }
        match serde_json::from_slice::<Value>(&data) {
            Ok(mut v) => {
                if rs.rewrite(&mut v) {
                    super::write_event(out, name.as_deref(), &v)
                } else {
                    out.extend_from_slice(raw)
                }
            }
            _ => out.extend_from_slice(raw),
        }
    };
    for s in sent {
        buf.extend_from_slice(s);
        let mut start = 0;
        while let Some(end) = (start..buf.len()).find(|&i| {
            buf[i] == b'\n'
                && (buf[i + 1..].starts_with(b"\n") || buf[i + 1..].starts_with(b"\r\n"))
        }) {
            let end = end + if buf[end + 1] == b'\n' { 2 } else { 3 };
            event(&mut rs, &buf[start..end], &mut out);
            start = end;
        }
        buf.drain(..start);
    }
    if !buf.is_empty() {
        event(&mut rs, &buf.clone(), &mut out);
    }
    rs.flush_all(&mut out);
    out
}

fn old_pipeline(chunks: &[&[u8]], strip: bool, map: Option<&Placeholders>) -> Seen {
    let (mut seen, sent) = old_observe(chunks, strip);
    seen.out = match map {
        Some(m) => old_restore(m, &sent),
        None => sent.concat(),
    };
    seen
}

/// The chain, fed as `exchange/response.rs` feeds it.
fn chain(chunks: &[&[u8]], strip: bool, map: Option<&Placeholders>) -> Seen {
    let mut st: StreamObserver = crate::wire::openai::stream::observer(strip, Some(1 << 20));
    if let Some(m) = map {
        st.rewrite_with(Box::new(RestoreStream::new(m.clone())));
    }
    let mut out = Vec::new();
    for c in chunks {
        out.extend(st.feed(c).unwrap_or_else(|| c.to_vec()));
    }
    out.extend(st.finish().unwrap_or_default());
    Seen {
        usage: st.usage,
        done: st.done,
        content: st.content_seen,
        text: st.captured().map(str::to_string),
        out,
    }
}

/// A random OpenAI-shaped stream: deltas that cut placeholders, comments,
/// blank lines, named events, garbage, the usage chunk, LF or CRLF ends.
fn random_stream(rng: &mut Rng) -> Vec<u8> {
    const PIECES: [&str; 8] = [
        "Mail [EM",
        "AIL_1] or ",
        "[PHONE_1]",
        "中文🙂",
        " [EMAIL_",
        "1]",
        "x",
        "",
    ];
    let mut s = String::new();
    let nl = |rng: &mut Rng| if rng.below(3) == 0 { "\r\n" } else { "\n" };
    for _ in 0..rng.below(12) {
        match rng.below(10) {
            0 => s += &format!(": keep-alive{}", nl(rng)),
            1 => s += nl(rng),
            2 => s += &format!("event: delta{}", nl(rng)),
            3 => s += &format!("data: {{not json{}{}", nl(rng), nl(rng)),
            4 => s += &format!("data: {{\"choices\":[],\"usage\":{{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}}}{}{}", nl(rng), nl(rng)),
            5 => s += &format!("garbage{}", nl(rng)),
            _ => {
                let text = PIECES[rng.below(PIECES.len())];
                let finish = if rng.below(4) == 0 { Value::from("stop") } else { Value::Null };
                let v = serde_json::json!({"choices": [{"index": 0, "delta": {"content": text}, "finish_reason": finish}]});
                s += &format!("data: {v}{}{}", nl(rng), nl(rng));
            }
        }
    }
    if rng.below(3) > 0 {
        s += &format!("data: [DONE]{}{}", nl(rng), nl(rng));
    }
    if rng.below(4) == 0 {
        s += "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"[EMAIL_1]\"}}]}";
        // cut
    }
    s.into_bytes()
}

#[test]
fn the_chain_gives_what_the_two_readers_gave_for_random_chunkings() {
    let mut map = Placeholders::default();
    map.placeholder("EMAIL", "zs@acme.io");
    map.placeholder("PHONE", "138\"1234");
    let mut rng = Rng(0x5eed_c4a1);
    for case in 0..3000 {
        let s = random_stream(&mut rng);
        let mut cuts: Vec<usize> = (0..rng.below(6)).map(|_| rng.below(s.len() + 1)).collect();
        cuts.sort_unstable();
        let mut chunks = Vec::new();
        let mut at = 0;
        for c in cuts.into_iter().chain([s.len()]) {
            chunks.push(&s[at..c]);
            at = c;
        }
        for strip in [false, true] {
            for map in [None, Some(&map)] {
                let want = old_pipeline(&chunks, strip, map);
                let got = chain(&chunks, strip, map);
                assert_eq!(
                    (&got.usage, got.done, got.content, &got.out),
                    (&want.usage, want.done, want.content, &want.out),
                    "case {case} strip {strip} restore {} chunks {:?}",
                    map.is_some(),
                    chunks
                        .iter()
                        .map(|c| String::from_utf8_lossy(c))
                        .collect::<Vec<_>>()
                );
                assert_eq!(got.text, want.text, "case {case}");
            }
        }
    }
}

/// Lines ending in a lone CR (or a mix) read as LF ones: usage seen, the
/// injected usage chunk stripped, masks restored, at every split (the old
/// readers saw one endless line here).
#[test]
fn cr_and_mixed_line_ends_go_through_the_whole_chain_at_every_split() {
    let mut map = Placeholders::default();
    map.placeholder("EMAIL", "zs@acme.io");
    let lf = concat!(
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"to [EMA\"},\"finish_reason\":null}]}\n\n",
        ": keep-alive\n\n",
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"IL_1]\"},\"finish_reason\":\"stop\"}]}\n\n",
        "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}\n\n",
        "data: [DONE]\n\n",
    );
    let want = chain(&[lf.as_bytes()], true, Some(&map));
    assert_eq!(want.usage.and_then(|u| u.total), Some(5));
    assert!(want.done);
    let text = String::from_utf8(want.out.clone()).unwrap();
    assert!(
        text.contains("zs@acme.io") && !text.contains("usage"),
        "{text}"
    );
    let mut mixed = 0;
    for s in [lf.replace('\n', "\r"), lf.replace("\n\n", "\r\n\r")] {
        let s = s.as_bytes();
        for i in 0..=s.len() {
            let got = chain(&[&s[..i], &s[i..]], true, Some(&map));
            assert_eq!(
                (got.usage, got.done, &got.text),
                (want.usage, true, &want.text)
            );
            let text = String::from_utf8(got.out).unwrap();
            assert!(
                text.contains("zs@acme.io") && !text.contains("usage"),
                "split at {i}: {text}"
            );
            assert!(text.ends_with("data: [DONE]\r\r") || text.ends_with("data: [DONE]\r\n\r"));
        }
        mixed += 1;
    }
    assert_eq!(mixed, 2);
}

/// Any bytes (SSE's own alphabet, CR and LF heavy): no panic, and the
/// chain's output and observations do not depend on the chunking.
#[test]
fn any_bytes_any_chunking_the_same_answer() {
    const ALPHA: &[&[u8]] = &[
        b"\r",
        b"\n",
        b"\r\n",
        b":",
        b"data:",
        b"data: ",
        b"event: x",
        b"[DONE]",
        b"{\"choices\":[],\"usage\":{\"total_tokens\":5}}",
        b"{\"choices\":[{\"delta\":{\"content\":\"[EMAIL_1]\"}}]}",
        b"\xe4\xb8\xad",
        b"\xff",
        b" ",
    ];
    let mut map = Placeholders::default();
    map.placeholder("EMAIL", "zs@acme.io");
    let mut rng = Rng(0xbad_5eed);
    for case in 0..2000 {
        let s: Vec<u8> = (0..rng.below(40))
            .flat_map(|_| ALPHA[rng.below(ALPHA.len())].to_vec())
            .collect();
        let cut = rng.below(s.len() + 1);
        for strip in [false, true] {
            for map in [None, Some(&map)] {
                let whole = chain(&[&s], strip, map);
                let split = chain(&[&s[..cut], &s[cut..]], strip, map);
                let bytes: Vec<&[u8]> = s.chunks(1).collect();
                let bytewise = chain(&bytes, strip, map);
                assert_eq!(
                    whole,
                    split,
                    "case {case} cut {cut}: {:?}",
                    String::from_utf8_lossy(&s)
                );
                assert_eq!(
                    whole,
                    bytewise,
                    "case {case} bytewise: {:?}",
                    String::from_utf8_lossy(&s)
                );
            }
        }
    }
}
