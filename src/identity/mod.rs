//! Who is calling and which conversation/trace a request belongs to, from
//! the configured header lists (first present wins).

mod compile;
pub mod settings;

pub use compile::compile;
pub use settings::IdentityConfig;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    pub user: Option<String>,
    pub instance: Option<String>,
    pub session: Option<String>,
    pub trace: Option<String>,
}

/// Longest identity value kept; longer header values are cut.
const MAX_LEN: usize = 256;

pub fn resolve(
    cfg: &IdentityConfig,
    header: &dyn Fn(&str) -> Option<String>,
    body_user: Option<&str>,
) -> Identity {
    let first = |names: &[String]| {
        names.iter().find_map(|n| {
            let v = header(n)?;
            let v = v.trim();
            (!v.is_empty()).then(|| {
                if n == "traceparent" {
                    trace_id_of(v).unwrap_or(v).to_string()
                } else {
                    v.to_string()
                }
            })
        })
    };
    let clip = |s: Option<String>| {
        s.map(|mut s| {
            clip_to(&mut s, MAX_LEN);
            s
        })
    };
    Identity {
        user: clip(first(&cfg.user)),
        instance: clip(first(&cfg.instance)),
        session: clip(first(&cfg.session).or_else(|| body_user.map(str::to_string))),
        trace: clip(first(&cfg.trace)),
    }
}

/// The session in a body's `user` / `metadata.user_id`, the fallback when
/// no session header came. Claude Code puts JSON there (`{"device_id",
/// "account_uuid","session_id"}`); older versions wrote
/// `user_<hash>_account_<uuid>_session_<uuid>`. Only the session part is
/// kept: a device id identifies a machine, not a conversation, and must
/// not end up in records. JSON without a session gives none; any other
/// value (OpenAI's `user`) is kept as it is.
pub fn body_session(user: &str) -> Option<String> {
    let user = user.trim();
    let session = if user.starts_with('{') {
        // `"session_id"`, a colon, a string: read in place (ids need no
        // escapes). Any other spelling gives no session, never the value.
        const KEY: &[u8] = br#""session_id""#;
        let b = user.as_bytes();
        let after = |i: usize, c: u8| {
            let j = i + b.get(i..)?.iter().position(|x| !x.is_ascii_whitespace())?;
            (b[j] == c).then_some(j + 1)
        };
        let key_end = memchr::memmem::find(b, KEY)? + KEY.len();
        let start = after(after(key_end, b':')?, b'"')?;
        let len = memchr::memchr(b'"', &b[start..])?;
        String::from_utf8_lossy(&b[start..start + len])
            .trim()
            .to_string()
    } else if let Some(i) = memchr::memmem::find(user.as_bytes(), b"_session_") {
        user[i + "_session_".len()..].to_string()
    } else {
        user.to_string()
    };
    let mut s = (!session.is_empty()).then_some(session)?;
    clip_to(&mut s, MAX_LEN);
    Some(s)
}

fn clip_to(s: &mut String, max: usize) {
    if s.len() > max {
        let mut cut = max;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
}

/// W3C `traceparent` = version-traceid-parentid-flags; the trace id groups
/// every request of one trace.
fn trace_id_of(tp: &str) -> Option<&str> {
    let mut parts = tp.split('-');
    let _version = parts.next()?;
    let id = parts.next()?;
    (id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::from_value;
    use std::collections::HashMap;

    #[test]
    fn first_configured_header_wins() {
        let pc = from_value(serde_json::json!({}), "h").unwrap();
        let hs: HashMap<&str, &str> = [
            ("x-openclaw-user", "bob"),
            ("x-mse-consumer", "team-a"),
            (
                "traceparent",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            ),
        ]
        .into_iter()
        .collect();
        let get = |n: &str| hs.get(n).map(|s| s.to_string());
        let id = resolve(&pc.global.identity, &get, Some("sess-from-body"));
        assert_eq!(id.user.as_deref(), Some("team-a"));
        assert_eq!(
            id.trace.as_deref(),
            Some("4bf92f3577b34da6a3ce929d0e0e4736")
        );
        assert_eq!(id.session.as_deref(), Some("sess-from-body"));
        assert_eq!(id.instance, None);
    }

    #[test]
    fn body_session_is_the_session_part_only() {
        // as Claude Code 2.1 sends it (values made up)
        let cc = r#"{"device_id":"d3v1ce","account_uuid":"","session_id":"960f0713-6822-4374-969e-afdd83abc046"}"#;
        assert_eq!(
            body_session(cc).as_deref(),
            Some("960f0713-6822-4374-969e-afdd83abc046")
        );
        let old = "user_abc123_account_11111111-2222-3333-4444-555555555555_session_9a8b7c6d-0000-1111-2222-333344445555";
        assert_eq!(
            body_session(old).as_deref(),
            Some("9a8b7c6d-0000-1111-2222-333344445555")
        );
        assert_eq!(body_session(r#"{"device_id":"d3v1ce"}"#), None);
        assert_eq!(body_session(r#"{"session_id":5}"#), None);
        let spaced = r#"{"device_id": "d", "session_id" : "s"}"#;
        assert_eq!(body_session(spaced).as_deref(), Some("s"));
        assert_eq!(body_session(r#"{"session_id"}"#), None);
        assert_eq!(body_session(r#"{"session_id":"#), None);
        assert_eq!(body_session("{not json"), None);
        assert_eq!(body_session("  "), None);
        assert_eq!(body_session("end-user-7").as_deref(), Some("end-user-7"));
        assert!(body_session(&"é".repeat(300)).unwrap().len() <= MAX_LEN);
    }

    #[test]
    fn agent_session_headers_are_read_by_default() {
        let pc = from_value(serde_json::json!({}), "h").unwrap();
        for h in ["x-claude-code-session-id", "session-id"] {
            let get = |n: &str| (n == h).then(|| "s-1".to_string());
            let id = resolve(&pc.global.identity, &get, None);
            assert_eq!(id.session.as_deref(), Some("s-1"), "{h}");
        }
    }

    #[test]
    fn long_values_are_cut_on_char_boundary() {
        let pc = from_value(serde_json::json!({}), "h").unwrap();
        let long = "é".repeat(300);
        let get = |n: &str| (n == "x-openclaw-user").then(|| long.clone());
        let id = resolve(&pc.global.identity, &get, None);
        assert!(id.user.unwrap().len() <= MAX_LEN);
    }
}
