//! `gateway_notice`: tells a client that a fallback answered, either as a
//! top-level field of a JSON body or as a named SSE event before a stream
//! (SSE clients such as the `openai` SDK skip event names they do not know).

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
    let mut v = super::strict_json::lenient(body).ok()?;
    v.as_object_mut()?
        .insert("gateway_notice".into(), serde_json::to_value(n).ok()?);
    serde_json::to_vec(&v).ok()
}

pub fn sse_prefix(n: &Notice) -> Vec<u8> {
    let data = serde_json::to_string(n).unwrap_or_default();
    format!("event: gateway_notice\ndata: {data}\n\n").into_bytes()
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
        let mut r = crate::openai::sse::SseReader::new(false);
        let mut names = Vec::new();
        r.feed(&sse_prefix(&notice()), &mut |e| {
            names.push(e.name.map(str::to_string))
        });
        assert_eq!(names, vec![Some("gateway_notice".to_string())]);
    }
}
