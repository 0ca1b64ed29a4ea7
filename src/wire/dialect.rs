//! What a dialect tells the shared layer: one value per wire format,
//! each in its folder, listed in `registry`.

use super::errors::ClientError;
use super::stream::StreamObserver;
use super::usage::Usage;
use crate::risk::Layout;

/// What a dialect tells the shared layer.
pub struct Dialect {
    /// Its name in the config (`protocols: [...]`).
    pub name: &'static str,
    /// Where a one-token call goes under `/v1` (`clawgate probe`).
    pub chat_path: &'static str,
    /// Where its bodies keep the conversation (the risk scan's scope).
    pub layout: Layout,
    /// An error reply in its shape.
    pub error_body: fn(&ClientError) -> String,
    /// Usage of a whole JSON answer.
    pub usage_of_json: fn(&[u8]) -> Option<Usage>,
    /// A watcher of its streams; `strip` hides a usage chunk the gateway
    /// asked for (a dialect whose streams always carry usage ignores it).
    pub stream_observer: fn(bool, Option<usize>) -> StreamObserver,
    /// The SSE event that carries a fallback's notice (its JSON) before
    /// a stream.
    pub notice_event: fn(&str) -> String,
}
