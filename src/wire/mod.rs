//! The protocol layer: what clawgate reads and writes on the wire, shared
//! by every dialect (endpoints, the request's fields, client errors,
//! usage, SSE and stream observers), with one folder per dialect below
//! it. The shared layer reaches a dialect only through `registry`, whose
//! one list declares the dialects.

pub mod dialect;
pub mod endpoint;
pub mod errors;
pub mod models;
pub mod notice;
pub mod protocol;
pub mod registry;
pub mod request;
pub mod sniff;
pub mod sse;
pub mod stream;
pub mod usage;

// The dialects, declared by the registry's one list.
pub use registry::*;

pub use endpoint::Endpoint;
pub use errors::{ClientError, ErrorCode};
pub use protocol::Protocol;
pub use stream::StreamObserver;
pub use usage::Usage;
