//! Client-supplied strings made storable before a record leaves the
//! filter. PostgreSQL refuses U+0000 in text, and a sidecar refuses an
//! oversized batch: either stalled a worker's whole trail, since the
//! batch was retried at the front of the queue. Invalid UTF-8 never gets
//! this far (headers and bodies are read lossily into `String`s).

use super::record::AuditRecord;

/// Bytes kept of an identity, session, trace or requested model.
pub const ID_MAX: usize = 256;
/// Bytes kept of the request path.
pub const PATH_MAX: usize = 2048;

/// NUL written out as the six characters `\u0000`, then clipped to `max`
/// bytes on a character boundary; true when something was cut.
fn fix(s: &mut String, max: usize) -> bool {
    if s.contains('\0') {
        *s = s.replace('\0', "\\u0000");
    }
    if s.len() <= max {
        return false;
    }
    let mut cut = max;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    s.truncate(cut);
    true
}

/// The path as stored: every query value replaced by `[REDACTED]`, names
/// kept (`?key=[REDACTED]&alt=[REDACTED]`). Providers take keys in the
/// query (`?key=AIza…`), and a value has no name to judge it by; a bare
/// item (no `=`) is all value.
pub fn redact_query(path: &str) -> String {
    let Some((base, query)) = path.split_once('?') else {
        return path.to_string();
    };
    let mut out = String::with_capacity(path.len());
    out.push_str(base);
    for (i, item) in query.split('&').enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        match item.split_once('=') {
            Some((name, _)) => {
                out.push_str(name);
                out.push_str("=[REDACTED]");
            }
            None if item.is_empty() => {}
            None => out.push_str("[REDACTED]"),
        }
    }
    out
}

impl AuditRecord {
    /// Every client-supplied field made storable; the fields that were cut
    /// are named in `clipped`. Payloads are already capped where they are
    /// captured (`payload_max_bytes`), so only their NULs are escaped.
    pub fn make_storable(&mut self) {
        let mut clipped = Vec::new();
        let mut one = |name: &'static str, s: &mut String, max: usize| {
            if fix(s, max) {
                clipped.push(name.to_string());
            }
        };
        one("path", &mut self.path, PATH_MAX);
        for (name, v) in [
            ("trace_id", &mut self.trace_id),
            ("session_id", &mut self.session_id),
            ("user", &mut self.user),
            ("instance", &mut self.instance),
            ("model_requested", &mut self.model_requested),
        ] {
            if let Some(s) = v {
                one(name, s, ID_MAX);
            }
        }
        for s in [&mut self.request_payload, &mut self.response_payload]
            .into_iter()
            .flatten()
        {
            fix(s, usize::MAX);
        }
        self.clipped = clipped;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_query_value_is_redacted() {
        let r = redact_query;
        assert_eq!(r("/v1/chat/completions"), "/v1/chat/completions");
        assert_eq!(
            r("/v1/chat/completions?key=AIzaSyX&alt=sse"),
            "/v1/chat/completions?key=[REDACTED]&alt=[REDACTED]"
        );
        assert_eq!(r("/p?AIzaSyX&&k="), "/p?[REDACTED]&&k=[REDACTED]");
        assert_eq!(r("/p?"), "/p?");
    }

    #[test]
    fn nul_is_escaped_and_long_fields_are_clipped_and_named() {
        let mut r = AuditRecord {
            user: Some("a\0b".into()),
            session_id: Some("é".repeat(200)),
            path: format!("/v1/chat/completions?{}", "q".repeat(5000)),
            model_requested: Some("m".into()),
            request_payload: Some("{\"user\":\"\0\"}".into()),
            ..Default::default()
        };
        r.make_storable();
        assert_eq!(r.user.as_deref(), Some("a\\u0000b"));
        assert!(r.session_id.as_ref().is_some_and(|s| s.len() <= ID_MAX));
        assert_eq!(r.path.len(), PATH_MAX);
        assert_eq!(r.clipped, ["path", "session_id"]);
        let back: AuditRecord = serde_json::from_str(&r.to_json()).unwrap_or_default();
        // Debug shows a NUL as `\0`; the escaped text shows as `\\u0000`
        assert!(
            !format!("{back:?}").contains("\\0"),
            "no NUL left in any field"
        );
    }
}
