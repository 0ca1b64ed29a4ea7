//! Audit trail: the record type (shared with the sidecar) and the shipping
//! policy the filter runs from its root context.

mod compile;
mod json_out;
pub mod quarantine;
pub mod queue;
pub mod record;
pub mod settings;
mod storable;

pub use compile::compile;
pub use record::AuditRecord;
pub use settings::{AuditConfig, PayloadMode};
