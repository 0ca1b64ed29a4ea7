//! OpenAI's wire format: chat/completions, completions, responses,
//! embeddings, images/generations.

pub mod errors;
pub mod models;
pub mod request;
pub mod stream;
pub mod usage;
mod usage_counts;

use crate::risk::Layout;
use crate::wire::dialect::Dialect;
use crate::wire::protocol::Protocol;
use crate::wire::usage::Usage;

pub static DIALECT: Dialect = Dialect {
    name: "openai",
    chat_path: "/v1/chat/completions",
    // `instructions` stands for the system message; a Responses `input`
    // list may hold plain strings (a batch) besides turns.
    layout: Layout {
        turns: &["messages"],
        inputs: &["input"],
        system: &["instructions"],
    },
    error_body: errors::body,
    usage_of_json: Usage::from_json_body,
    stream_observer: stream::observer,
    // SSE clients such as the `openai` SDK skip event names they do not know.
    notice_event: |notice| format!("event: gateway_notice\ndata: {notice}\n\n"),
};

impl Protocol {
    pub const OPENAI: Protocol = Protocol::of(&DIALECT);
}
