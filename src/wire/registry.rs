//! The registry of dialects: the one place the shared layer learns what
//! each wire format means. Adding a dialect is its folder, its
//! `Protocol` variant and its row here.

use super::dialect::Dialect;
use super::endpoint::Endpoint;
use super::errors::ClientError;
use super::protocol::Protocol;
use super::stream::StreamObserver;
use super::usage::Usage;
use super::{anthropic, openai};

impl Protocol {
    pub const ALL: &[Protocol] = &[Protocol::Openai, Protocol::Anthropic];

    pub const fn dialect(self) -> &'static Dialect {
        match self {
            Protocol::Openai => &openai::DIALECT,
            Protocol::Anthropic => &anthropic::DIALECT,
        }
    }

    pub fn as_str(self) -> &'static str {
        self.dialect().name
    }

    pub fn parse(s: &str) -> Option<Protocol> {
        Self::ALL.iter().copied().find(|p| p.as_str() == s)
    }

    /// The error body in this wire format.
    pub fn error_body(self, e: &ClientError) -> String {
        (self.dialect().error_body)(e)
    }
}

impl Endpoint {
    /// Usage from a whole JSON answer.
    pub fn usage_of_json(self, body: &[u8]) -> Option<Usage> {
        match self {
            Endpoint::CountTokens => None,
            _ => (self.protocol().dialect().usage_of_json)(body),
        }
    }

    /// Watches a streamed answer; `strip` hides the injected usage chunk,
    /// `capture` keeps up to that many bytes of the text.
    pub fn stream_observer(self, strip: bool, capture: Option<usize>) -> StreamObserver {
        (self.protocol().dialect().stream_observer)(strip, capture)
    }
}
