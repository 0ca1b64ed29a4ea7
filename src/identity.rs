//! Who is calling and which conversation/trace a request belongs to, from
//! the configured header lists (first present wins).

use crate::config::IdentityConfig;

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
            if s.len() > MAX_LEN {
                let mut cut = MAX_LEN;
                while !s.is_char_boundary(cut) {
                    cut -= 1;
                }
                s.truncate(cut);
            }
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
    fn long_values_are_cut_on_char_boundary() {
        let pc = from_value(serde_json::json!({}), "h").unwrap();
        let long = "é".repeat(300);
        let get = |n: &str| (n == "x-openclaw-user").then(|| long.clone());
        let id = resolve(&pc.global.identity, &get, None);
        assert!(id.user.unwrap().len() <= MAX_LEN);
    }
}
