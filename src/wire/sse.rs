//! Incremental Server-Sent Events reader. Fed arbitrary byte chunks; events,
//! lines, `\r\n` and UTF-8 characters may be split at any byte. It keeps only
//! the current line and event (bounded), never the whole stream.

/// A line longer than this is dropped (counted as garbage), bounding memory.
pub const MAX_LINE: usize = 1 << 20;

#[derive(Debug, Default)]
pub struct SseReader {
    line: Vec<u8>,
    /// Skipping the rest of an over-long line.
    overflow: bool,
    event: Option<String>,
    data: Vec<u8>,
    has_data: bool,
    /// Raw bytes of the current event, kept only when asked (stream rewriting).
    raw: Option<Vec<u8>>,
    pub garbage: u32,
}

/// One complete event.
pub struct Event<'a> {
    pub name: Option<&'a str>,
    pub data: &'a [u8],
    /// The event's bytes exactly as received (only with `keep_raw`).
    pub raw: &'a [u8],
}

impl SseReader {
    pub fn new(keep_raw: bool) -> Self {
        SseReader {
            raw: keep_raw.then(Vec::new),
            ..Default::default()
        }
    }

    /// Feeds a chunk; calls `on_event` for every event it completes.
    pub fn feed(&mut self, mut chunk: &[u8], on_event: &mut dyn FnMut(&Event)) {
        while !chunk.is_empty() {
            let (part, rest, complete) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (&chunk[..=i], &chunk[i + 1..], true),
                None => (chunk, &[][..], false),
            };
            chunk = rest;
            if let Some(raw) = &mut self.raw {
                raw.extend_from_slice(part);
            }
            if !self.overflow {
                if self.line.len() + part.len() > MAX_LINE {
                    self.overflow = true;
                    self.line.clear();
                    self.garbage += 1;
                } else {
                    self.line.extend_from_slice(part);
                }
            }
            if complete {
                if self.overflow {
                    self.overflow = false;
                } else {
                    let line = std::mem::take(&mut self.line);
                    self.line_done(&line, on_event);
                    self.line = line;
                    self.line.clear();
                }
            }
        }
    }

    /// Ends the stream: a final event without its blank line still counts.
    pub fn finish(&mut self, on_event: &mut dyn FnMut(&Event)) {
        if !self.line.is_empty() && !self.overflow {
            let line = std::mem::take(&mut self.line);
            self.line_done(&line, on_event);
        }
        self.line_done(b"\n", on_event);
    }

    fn line_done(&mut self, line: &[u8], on_event: &mut dyn FnMut(&Event)) {
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            if self.has_data || self.event.is_some() {
                let raw = self.raw.as_deref().unwrap_or(&[]);
                on_event(&Event {
                    name: self.event.as_deref(),
                    data: &self.data,
                    raw,
                });
            }
            self.event = None;
            self.data.clear();
            self.has_data = false;
            if let Some(raw) = &mut self.raw {
                raw.clear();
            }
            return;
        }
        let (field, value) = match memchr::memchr(b':', line) {
            Some(0) => return, // comment
            Some(i) => {
                let v = &line[i + 1..];
                (&line[..i], v.strip_prefix(b" ").unwrap_or(v))
            }
            None => (line, &[][..]),
        };
        match field {
            b"data" => {
                if self.has_data {
                    self.data.push(b'\n');
                }
                if self.data.len() + value.len() <= MAX_LINE {
                    self.data.extend_from_slice(value);
                }
                self.has_data = true;
            }
            b"event" => self.event = Some(String::from_utf8_lossy(value).into_owned()),
            b"id" | b"retry" => {}
            _ => self.garbage += 1,
        }
    }

    /// Takes the raw bytes of an event not yet completed (end of stream).
    pub fn take_raw_tail(&mut self) -> Vec<u8> {
        self.raw.as_mut().map(std::mem::take).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(chunks: &[&[u8]]) -> (Vec<(Option<String>, String)>, u32) {
        let mut r = SseReader::new(false);
        let mut out = Vec::new();
        for c in chunks {
            r.feed(c, &mut |e| {
                out.push((
                    e.name.map(str::to_string),
                    String::from_utf8_lossy(e.data).into_owned(),
                ))
            });
        }
        r.finish(&mut |e| {
            out.push((
                e.name.map(str::to_string),
                String::from_utf8_lossy(e.data).into_owned(),
            ))
        });
        (out, r.garbage)
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
    }

    #[test]
    fn unterminated_last_event_counts_at_finish() {
        let (ev, _) = events(&[b"data: last"]);
        assert_eq!(ev, vec![(None, "last".to_string())]);
    }
}
