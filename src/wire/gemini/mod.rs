//! Gemini (`generateContent`): a stub that shows the dialect seam. It
//! registers, and no endpoint speaks it yet.

use crate::risk::Layout;
use crate::wire::dialect::Dialect;
use crate::wire::errors::ClientError;
use crate::wire::stream::{Events, Seen, StreamObserver};
use serde_json::Value;

#[derive(Debug)]
struct GeminiEvents;

impl Events for GeminiEvents {
    fn observe<'a>(&mut self, _: &'a Value) -> Seen<'a> {
        Seen::default()
    }
}

fn error_body(e: &ClientError) -> String {
    serde_json::json!({"error": {"code": e.status(), "message": e.message}}).to_string()
}

pub const DIALECT: Dialect = Dialect {
    name: "gemini",
    chat_path: "/v1beta/models/gemini:generateContent",
    layout: Layout {
        turns: &["contents"],
        inputs: &[],
        system: &["systemInstruction"],
    },
    error_body,
    usage_of_json: |_| None,
    stream_observer: |_, capture| StreamObserver::new(Box::new(GeminiEvents), false, capture),
    notice_event: |_| String::new(),
};
