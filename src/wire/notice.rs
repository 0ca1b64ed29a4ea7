//! `gateway_notice`: tells a client that a fallback answered, either as a
//! top-level field of a JSON body or as an SSE event before a stream, in
//! the event its dialect's clients skip.

use super::protocol::Protocol;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Notice {
    pub from_model: String,
    pub to_model: String,
    pub trigger_status: u16,
    pub attempts: u32,
}

/// The body with `gateway_notice` added; `None` when it is not a JSON
/// object (the body is then forwarded unchanged).
pub fn add_to_json(body: &[u8], n: &Notice) -> Option<Vec<u8>> {
    let mut v = crate::json::strict::lenient(body).ok()?;
    v.as_object_mut()?
        .insert("gateway_notice".into(), serde_json::to_value(n).ok()?);
    serde_json::to_vec(&v).ok()
}

/// The event before a fallback's stream.
pub fn sse_prefix(n: &Notice, protocol: Protocol) -> Vec<u8> {
    let notice = serde_json::to_string(n).unwrap_or_default();
    (protocol.dialect().notice_event)(&notice).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice() -> Notice {
        Notice {
            from_model: "a".into(),
            to_model: "b".into(),
            trigger_status: 503,
            attempts: 2,
        }
    }

    #[test]
    fn json_keeps_order_and_adds_notice() {
        let b = add_to_json(br#"{"id":"x","choices":[]}"#, &notice()).unwrap();
        assert_eq!(
            String::from_utf8(b).unwrap(),
            r#"{"id":"x","choices":[],"gateway_notice":{"fromModel":"a","toModel":"b","triggerStatus":503,"attempts":2}}"#
        );
        assert!(add_to_json(b"[1]", &notice()).is_none());
        assert!(add_to_json(b"<html>", &notice()).is_none());
    }

    #[test]
    fn sse_prefix_is_one_named_event() {
        let mut r = crate::wire::sse::SseFramer::new(false);
        let mut names = Vec::new();
        r.feed(&sse_prefix(&notice(), Protocol::OPENAI), &mut |e| {
            if e.dispatch {
                names.push(e.name.map(str::to_string))
            }
        });
        assert_eq!(names, vec![Some("gateway_notice".to_string())]);
        let mut data = Vec::new();
        r.feed(&sse_prefix(&notice(), Protocol::ANTHROPIC), &mut |e| {
            if e.dispatch {
                names.push(e.name.map(str::to_string));
                data = e.data.to_vec();
            }
        });
        assert_eq!(names[1].as_deref(), Some("ping"));
        let v: serde_json::Value = serde_json::from_slice(&data).unwrap();
        assert_eq!(
            (v["type"].as_str(), v["gateway_notice"]["toModel"].as_str()),
            (Some("ping"), Some("b"))
        );
    }
}
