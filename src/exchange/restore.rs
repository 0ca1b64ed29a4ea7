//! Puts the originals of `restore` masks back into the answer the client
//! gets: a transform on the relayed body, after accounting has seen it (so
//! the audit payload keeps the placeholders).
//!
//! JSON answers are restored whole (every string). SSE streams are the
//! last link of the response's one chain (`wire::stream`): the stream is
//! framed once, the observer reads each event, and this [`Rewrite`] gets
//! the event's parsed data. Each event's text delta
//! (`choices[].delta.content`, `choices[].text`, Responses `delta`) goes
//! through a [`TextRestorer`] per choice, which holds back a tail that may
//! be the start of a placeholder until the next delta completes it, so a
//! model that writes `[EMAIL` in one token and `_1]` in the next is
//! restored too. Held text is flushed with the choice's `finish_reason`,
//! or before `[DONE]`. Other strings of an event (`.done`/`completed`
//! summaries) are restored whole.

use crate::risk::restore::{Placeholders, TextRestorer};
use crate::wire::stream::{Data, Rewrite};
use serde_json::Value;

/// The SSE restore transform of one response.
pub struct RestoreStream {
    map: Placeholders,
    /// Per text stream (choice / output part): its restorer and the last
    /// event it came in, to flush held text in the same shape.
    texts: Vec<(String, TextRestorer, Value)>,
}

impl Rewrite for RestoreStream {
    fn event(&mut self, name: Option<&str>, data: Data, out: &mut Vec<u8>) -> bool {
        match data {
            Data::Done => {
                self.flush_all(out);
                true
            }
            Data::Other => true,
            Data::Json(mut v) => {
                if self.rewrite(&mut v) {
                    write_event(out, name, &v);
                    false
                } else {
                    true
                }
            }
        }
    }

    fn finish(&mut self, out: &mut Vec<u8>) {
        self.flush_all(out);
    }
}

impl RestoreStream {
    pub fn new(map: Placeholders) -> Self {
        RestoreStream {
            map,
            texts: Vec::new(),
        }
    }

    /// Restores the event in place; false when nothing changed or held.
    fn rewrite(&mut self, v: &mut Value) -> bool {
        let mut changed = false;
        let template = v.clone();
        if let Some(Value::Array(choices)) = v.get_mut("choices") {
            for (pos, c) in choices.iter_mut().enumerate() {
                let idx = c.get("index").and_then(Value::as_u64).unwrap_or(pos as u64);
                let finished = c.get("finish_reason").is_some_and(|f| !f.is_null());
                let (key, slot) = if c.get("text").is_some_and(Value::is_string) {
                    (format!("t{idx}"), c.get_mut("text"))
                } else {
                    (
                        format!("c{idx}"),
                        c.get_mut("delta").and_then(|d| d.get_mut("content")),
                    )
                };
                if let Some(Value::String(s)) = slot {
                    changed |= self.push(&key, s, &template);
                    if finished {
                        changed |= self.flush_into(&key, s);
                    }
                } else if finished {
                    let mut held = String::new();
                    if self.flush_into(&key, &mut held) {
                        if let Some(d) = c.get_mut("delta").and_then(Value::as_object_mut) {
                            d.insert("content".into(), Value::String(held));
                            changed = true;
                        }
                    }
                }
            }
            return changed;
        }
        let ty = v
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if ty.ends_with("output_text.delta") {
            let key = format!(
                "r{}.{}",
                v.get("output_index").and_then(Value::as_u64).unwrap_or(0),
                v.get("content_index").and_then(Value::as_u64).unwrap_or(0)
            );
            if let Some(Value::String(s)) = v.get_mut("delta") {
                return self.push(&key, s, &template);
            }
            return false;
        }
        deep_restore(&self.map, v)
    }

    /// Restores one text delta; true when it changed.
    fn push(&mut self, key: &str, s: &mut String, template: &Value) -> bool {
        let i = match self.texts.iter().position(|(k, ..)| k == key) {
            Some(i) => i,
            None => {
                self.texts
                    .push((key.to_string(), TextRestorer::default(), Value::Null));
                self.texts.len() - 1
            }
        };
        let (_, r, last) = &mut self.texts[i];
        *last = template.clone();
        let out = r.push(&self.map, s);
        let changed = out != *s;
        *s = out;
        changed
    }

    /// Appends the held text of `key` to `s`; true when there was some.
    fn flush_into(&mut self, key: &str, s: &mut String) -> bool {
        let Some((_, r, _)) = self.texts.iter_mut().find(|(k, ..)| k == key) else {
            return false;
        };
        if !r.holding() {
            return false;
        }
        s.push_str(&r.flush(&self.map));
        true
    }

    /// Held text of every stream, as one more delta event in its shape.
    fn flush_all(&mut self, out: &mut Vec<u8>) {
        for (key, r, last) in &mut self.texts {
            if !r.holding() {
                continue;
            }
            let held = r.flush(&self.map);
            let mut v = last.clone();
            set_delta(&mut v, key, held);
            write_event(out, None, &v);
        }
    }
}

/// Puts `text` as the only delta of the event `v` (a copy of the stream's
/// last delta event).
fn set_delta(v: &mut Value, key: &str, text: String) {
    if let Some(Value::Array(choices)) = v.get_mut("choices") {
        let want: u64 = key[1..].parse().unwrap_or(0);
        choices.retain(|c| c.get("index").and_then(Value::as_u64).unwrap_or(0) == want);
        for c in choices.iter_mut() {
            if let Some(o) = c.as_object_mut() {
                o.insert("finish_reason".into(), Value::Null);
                if key.starts_with('t') {
                    o.insert("text".into(), Value::String(text.clone()));
                } else {
                    o.insert("delta".into(), serde_json::json!({ "content": text }));
                }
            }
        }
        if let Some(o) = v.as_object_mut() {
            o.remove("usage");
        }
    } else if let Some(o) = v.as_object_mut() {
        o.insert("delta".into(), Value::String(text));
    }
}

/// Every string in `v` with placeholders restored; true when any changed.
fn deep_restore(map: &Placeholders, v: &mut Value) -> bool {
    match v {
        Value::String(s) if map.any_in(s) => {
            *s = map.restore(s);
            true
        }
        Value::Array(a) => a.iter_mut().fold(false, |c, x| deep_restore(map, x) | c),
        Value::Object(o) => o.values_mut().fold(false, |c, x| deep_restore(map, x) | c),
        _ => false,
    }
}

/// A whole JSON answer restored; `None` when nothing changed. A body that
/// is not JSON is restored as text.
pub fn restore_body(map: &Placeholders, body: &[u8]) -> Option<Vec<u8>> {
    match serde_json::from_slice::<Value>(body) {
        Ok(mut v) => deep_restore(map, &mut v)
            .then(|| serde_json::to_vec(&v).ok())
            .flatten(),
        Err(_) => {
            let s = std::str::from_utf8(body).ok()?;
            map.any_in(s).then(|| map.restore(s).into_bytes())
        }
    }
}

fn write_event(out: &mut Vec<u8>, name: Option<&str>, v: &Value) {
    if let Some(n) = name {
        out.extend_from_slice(b"event: ");
        out.extend_from_slice(n.as_bytes());
        out.push(b'\n');
    }
    out.extend_from_slice(b"data: ");
    out.extend_from_slice(v.to_string().as_bytes());
    out.extend_from_slice(b"\n\n");
}

#[cfg(test)]
#[path = "stream_ref.rs"]
mod stream_ref;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::stream::StreamObserver;

    /// The response chain of an OpenAI stream with restore as its last link.
    struct Chain(StreamObserver);

    impl Chain {
        fn new(m: Placeholders) -> Self {
            let mut st = crate::wire::openai::stream::observer(false, None);
            st.rewrite_with(Box::new(RestoreStream::new(m)));
            Chain(st)
        }
        fn feed(&mut self, b: &[u8]) -> Vec<u8> {
            self.0.feed(b).unwrap_or_default()
        }
        fn finish(&mut self) -> Vec<u8> {
            self.0.finish().unwrap_or_default()
        }
    }

    fn map() -> Placeholders {
        let mut m = Placeholders::default();
        m.placeholder("EMAIL", "zs@acme.io");
        m.placeholder("PHONE", "138\"1234");
        m
    }

    fn chunk(content: &str, finish: Option<&str>) -> String {
        let v = serde_json::json!({"id": "c1", "object": "chat.completion.chunk",
            "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": finish}]});
        format!("data: {v}\n\n")
    }

    /// The text a client reassembles from a stream.
    fn text_of(stream: &[u8]) -> String {
        let s = String::from_utf8(stream.to_vec()).unwrap();
        let mut out = String::new();
        for ev in s.split("\n\n") {
            let Some(d) = ev.strip_prefix("data: ") else {
                continue;
            };
            if d == "[DONE]" {
                continue;
            }
            let v: Value = serde_json::from_str(d).unwrap();
            if let Some(c) = v["choices"][0]["delta"]["content"].as_str() {
                out.push_str(c);
            }
        }
        out
    }

    fn stream() -> Vec<u8> {
        // the model writes the placeholder across three tokens
        let mut s = chunk("Mail [EM", None);
        s += &chunk("AIL_1] or call ", None);
        s += &chunk("[PHONE_1]", None);
        s += &chunk(". [EMAIL_", None);
        s += &chunk("", Some("stop"));
        s += "data: [DONE]\n\n";
        s.into_bytes()
    }

    const WANT: &str = "Mail zs@acme.io or call 138\"1234. [EMAIL_";

    #[test]
    fn sse_split_at_every_byte_restores_the_same() {
        let m = map();
        let s = stream();
        for cut in 0..=s.len() {
            let mut r = Chain::new(m.clone());
            let mut out = r.feed(&s[..cut]);
            out.extend(r.feed(&s[cut..]));
            out.extend(r.finish());
            assert_eq!(text_of(&out), WANT, "cut at {cut}");
            assert!(out.ends_with(b"data: [DONE]\n\n"));
        }
    }

    #[test]
    fn sse_one_byte_at_a_time_and_without_finish_reason() {
        let m = map();
        let mut s = chunk("x [EMAIL", None);
        s += &chunk("_1", None);
        s += "data: [DONE]\n\n";
        let mut r = Chain::new(m);
        let mut out = Vec::new();
        for b in s.as_bytes() {
            out.extend(r.feed(&[*b]));
        }
        out.extend(r.finish());
        assert_eq!(text_of(&out), "x [EMAIL_1");
    }

    #[test]
    fn events_without_placeholders_pass_byte_for_byte() {
        let m = map();
        let s = format!(
            ": keep-alive\n\nevent: ping\ndata: {{}}\n\n{}",
            chunk("hello", None)
        );
        let mut r = Chain::new(m);
        let mut out = r.feed(s.as_bytes());
        out.extend(r.finish());
        assert_eq!(out, s.as_bytes());
    }

    #[test]
    fn json_bodies_restore_every_string_escaped() {
        let m = map();
        let body = br#"{"choices":[{"message":{"content":"to [EMAIL_1], [PHONE_1]"}}]}"#;
        let out = restore_body(&m, body).unwrap();
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            v["choices"][0]["message"]["content"],
            "to zs@acme.io, 138\"1234"
        );
        assert_eq!(restore_body(&m, br#"{"a":"none"}"#), None);
    }
}
