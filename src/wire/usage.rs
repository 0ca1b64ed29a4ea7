//! Token usage as the gateway counts it, whatever the dialect reported
//! (each reads its own field names: `openai::usage`, `anthropic::usage`).
//! A value that is missing, negative or not an integer is unknown
//! (`None`), never zero.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A body's `usage`, kept as a JSON value (Anthropic reads its own
/// field names from it).
#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    usage: Option<Value>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Usage {
    pub prompt: Option<u64>,
    pub completion: Option<u64>,
    pub total: Option<u64>,
    /// Input read from a provider cache (priced at the cached price).
    pub cached: Option<u64>,
    /// Input written to a provider cache (Anthropic's cache creation).
    pub cache_write: Option<u64>,
    pub reasoning: Option<u64>,
}

impl Usage {
    /// The raw `usage` object of a body, through the same fast path
    /// (Anthropic reads its own field names from it).
    pub fn raw_usage(body: &[u8]) -> Option<Value> {
        serde_json::from_slice::<Envelope>(body)
            .ok()?
            .usage
            .filter(Value::is_object)
    }

    /// True when any count is known.
    pub fn known(&self) -> bool {
        self.prompt.is_some() || self.completion.is_some() || self.total.is_some()
    }
}
