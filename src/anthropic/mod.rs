//! Anthropic Messages wire format: error bodies, usage in JSON and SSE.
//! The request walk for the risk scan is `risk::anthropic`; routing,
//! fallback and audit are shared with the OpenAI endpoints.

pub mod errors;
pub mod stream;
pub mod usage;
