//! The registry of dialects: the one list of wire formats, and the one
//! place the shared layer learns what each means. Adding a dialect is its
//! folder (`wire/<name>/mod.rs` with a `pub static DIALECT`) and its line
//! in `dialects!` below; `Protocol::ALL` and the modules come from it.

use super::endpoint::Endpoint;
use super::errors::ClientError;
use super::protocol::Protocol;
use super::stream::StreamObserver;
use super::usage::Usage;

/// Declares each dialect's module (`wire::<name>`, re-exported by
/// `wire`) and lists its `DIALECT` in `Protocol::ALL`, in order.
macro_rules! dialects {
    ($($name:ident = $path:literal,)*) => {
        $(#[path = $path] pub mod $name;)*

        impl Protocol {
            pub const ALL: &'static [Protocol] = &[$(Protocol::of(&$name::DIALECT)),*];
        }
    };
}

dialects! {
    openai = "openai/mod.rs",
    anthropic = "anthropic/mod.rs",
}

impl Protocol {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::dialect::Dialect;

    #[test]
    fn every_dialect_is_listed_once_by_a_name_that_parses_back() {
        for (i, p) in Protocol::ALL.iter().enumerate() {
            assert_eq!(Protocol::parse(p.as_str()), Some(*p));
            assert!(!Protocol::ALL[..i].contains(p), "{p:?} listed twice");
            let d: &Dialect = p.dialect();
            assert!(d.chat_path.starts_with('/'));
        }
        assert_eq!(Protocol::OPENAI.as_str(), "openai");
        assert_eq!(Protocol::ANTHROPIC.as_str(), "anthropic");
    }
}
