//! OpenAI wire format: request parse/rewrite, error bodies, model listing.

pub mod errors;
pub mod models;
pub mod notice;
pub mod request;
pub mod sse;
pub mod stream;
pub mod strict_json;
pub mod usage;
mod usage_counts;

pub use errors::{ClientError, ErrorCode};
