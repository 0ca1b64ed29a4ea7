//! Anthropic Messages: `/v1/messages` and `count_tokens`. Routing,
//! fallback and audit are shared with the OpenAI endpoints.

pub mod errors;
pub mod models;
pub mod stream;
pub mod usage;

use crate::risk::Layout;
use crate::wire::dialect::Dialect;
use crate::wire::protocol::Protocol;

pub static DIALECT: Dialect = Dialect {
    name: "anthropic",
    chat_path: "/v1/messages",
    layout: Layout {
        turns: &["messages"],
        inputs: &[],
        system: &["system"],
    },
    error_body: errors::body,
    usage_of_json: usage::from_json_body,
    // its streams always carry usage: nothing to strip
    stream_observer: |_, capture| stream::observer(capture),
    // Anthropic clients raise on event names they do not know, but every
    // one skips `ping` (the API sends them itself): the notice rides in one.
    notice_event: |notice| {
        format!("event: ping\ndata: {{\"type\":\"ping\",\"gateway_notice\":{notice}}}\n\n")
    },
};

impl Protocol {
    pub const ANTHROPIC: Protocol = Protocol::of(&DIALECT);
}
