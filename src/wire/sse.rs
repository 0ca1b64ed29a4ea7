//! The one Server-Sent Events framer of a response. Fed arbitrary byte
//! chunks; lines end in LF, CRLF or a lone CR (the WHATWG rule), and an
//! event, a line, a CRLF pair or a UTF-8 character may be split at any
//! byte. It keeps only the current line and block (bounded), never the
//! whole stream, and frames each byte once.
//!
//! A *block* is the bytes from the end of the previous one through the
//! blank line that ends it: its first line, when blank, does not end it
//! (two blank lines in a row close one block). Every blank line that
//! closes an event therefore closes a block, and the blocks tile the
//! stream, so a transform can pass each one on as is or replace it whole.

/// A line longer than this is dropped (counted as garbage), bounding memory.
pub const MAX_LINE: usize = 1 << 20;
/// A block kept whole for a transform no longer than this; past it, its
/// bytes so far go out as they came ([`SseFramer::spill`]).
pub const MAX_BLOCK: usize = 1 << 20;

#[derive(Debug, Default)]
pub struct SseFramer {
    /// The current line when it started in an earlier chunk.
    line: Vec<u8>,
    /// Skipping the rest of an over-long line.
    overflow: bool,
    /// The last chunk ended in CR: an LF first in the next one is its pair.
    after_cr: bool,
    /// ... and that CR ended a block (the LF is the block's, already gone).
    cr_closed_block: bool,
    /// Lines of the current block so far.
    lines: u32,
    event: Option<String>,
    data: Vec<u8>,
    has_data: bool,
    /// Raw bytes of the current block, kept only when asked (rewriting).
    raw: Option<Vec<u8>>,
    /// Bytes of a blank first line in `raw`.
    lead: usize,
    /// The block's start went out already (it outgrew `MAX_BLOCK`).
    spilled: bool,
    pub garbage: u32,
}

/// One block of the stream.
pub struct Block<'a> {
    /// It holds an event to dispatch (a `data` or `event` field).
    pub dispatch: bool,
    pub name: Option<&'a str>,
    pub data: &'a [u8],
    /// Its bytes exactly as received (only with `keep_raw`); after a
    /// spill, only those not yet passed on.
    pub raw: &'a [u8],
    /// Bytes of a blank first line at the start of `raw`.
    pub lead: usize,
    /// Its start was passed on as is already: pass the rest as is too.
    pub spilled: bool,
    /// False for the unterminated last block at the end of the stream.
    pub complete: bool,
}

impl SseFramer {
    pub fn new(keep_raw: bool) -> Self {
        SseFramer {
            raw: keep_raw.then(Vec::new),
            ..Default::default()
        }
    }

    /// Keeps every block's bytes from now on (a transform was added).
    pub fn keep_raw(&mut self) {
        self.raw.get_or_insert_with(Vec::new);
    }

    /// When `chunk` starts with the LF of a CRLF whose CR closed a block
    /// (already handed out), consumes that LF and says so: it belongs to
    /// the previous block, to be passed on only if that block was.
    pub fn lf_of_closed_block(&mut self, chunk: &[u8]) -> bool {
        if chunk.is_empty() {
            return false;
        }
        let yes = self.after_cr && self.cr_closed_block && chunk.first() == Some(&b'\n');
        if yes {
            self.after_cr = false;
        }
        self.cr_closed_block = false;
        yes
    }

    /// Feeds a chunk; calls `on_block` for every block it completes.
    pub fn feed(&mut self, chunk: &[u8], on_block: &mut dyn FnMut(&Block)) {
        if chunk.is_empty() {
            return;
        }
        let mut i = 0;
        if std::mem::take(&mut self.after_cr) && chunk[0] == b'\n' {
            // the pair of a CR that ended a line inside the block
            if let Some(raw) = &mut self.raw {
                if raw.len() == self.lead && self.lead > 0 {
                    self.lead += 1; // of the blank first line
                }
                raw.push(b'\n');
            }
            i = 1;
        }
        self.cr_closed_block = false;
        while i < chunk.len() {
            let rest = &chunk[i..];
            let Some(n) = memchr::memchr2(b'\n', b'\r', rest) else {
                self.extend_line(rest);
                if let Some(raw) = &mut self.raw {
                    raw.extend_from_slice(rest);
                }
                break;
            };
            let mut next = n + 1;
            if rest[n] == b'\r' {
                match rest.get(next) {
                    Some(b'\n') => next += 1,
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
            if let Some(raw) = &mut self.raw {
                raw.extend_from_slice(&rest[..next]);
            }
            let closed = if self.line.is_empty() && !self.overflow && n <= MAX_LINE {
                // the whole line is in this chunk: read it in place
                self.line_done(&rest[..n], next, on_block)
            } else {
                self.extend_line(&rest[..n]);
                let line = std::mem::take(&mut self.line);
                let closed = if std::mem::take(&mut self.overflow) {
                    self.lines += 1;
                    false
                } else {
                    self.line_done(&line, next, on_block)
                };
                self.line = line;
                self.line.clear();
                closed
            };
            self.cr_closed_block = closed && self.after_cr;
            i += next;
        }
    }

    /// The bytes of an unfinished block past `MAX_BLOCK`, to pass on now.
    pub fn spill(&mut self) -> Option<Vec<u8>> {
        let raw = self.raw.as_mut()?;
        if raw.len() <= MAX_BLOCK {
            return None;
        }
        self.spilled = true;
        self.lead = 0;
        Some(std::mem::take(raw))
    }

    /// Ends the stream: a last block without its blank line still counts.
    pub fn finish(&mut self, on_block: &mut dyn FnMut(&Block)) {
        if !self.line.is_empty() && !self.overflow {
            let line = std::mem::take(&mut self.line);
            self.field(&line);
        }
        let raw_left = self.raw.as_ref().is_some_and(|r| !r.is_empty());
        if self.has_data || self.event.is_some() || raw_left {
            self.close(false, on_block);
        }
    }

    fn extend_line(&mut self, part: &[u8]) {
        if self.overflow {
            return;
        }
        if self.line.len() + part.len() > MAX_LINE {
            self.overflow = true;
            self.line.clear();
            self.garbage += 1;
        } else {
            self.line.extend_from_slice(part);
        }
    }

    /// One line (without its end, `end_len` bytes with it); true when it
    /// closed a block.
    fn line_done(&mut self, line: &[u8], end_len: usize, on_block: &mut dyn FnMut(&Block)) -> bool {
        if !line.is_empty() {
            self.lines += 1;
            self.field(line);
            return false;
        }
        if self.lines == 0 {
            // a blank first line does not close the block
            self.lines = 1;
            self.lead = end_len;
            return false;
        }
        self.close(true, on_block);
        true
    }

    fn close(&mut self, complete: bool, on_block: &mut dyn FnMut(&Block)) {
        on_block(&Block {
            dispatch: self.has_data || self.event.is_some(),
            name: self.event.as_deref(),
            data: &self.data,
            raw: self.raw.as_deref().unwrap_or(&[]),
            lead: self.lead,
            spilled: self.spilled,
            complete,
        });
        self.event = None;
        self.data.clear();
        self.has_data = false;
        self.lines = 0;
        self.lead = 0;
        self.spilled = false;
        if let Some(raw) = &mut self.raw {
            raw.clear();
        }
    }

    fn field(&mut self, line: &[u8]) {
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
}

#[cfg(test)]
#[path = "sse_tests.rs"]
mod tests;
