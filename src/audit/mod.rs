//! Audit trail: the record type (shared with the sidecar) and the shipping
//! policy the filter runs from its root context.

mod json_out;
pub mod quarantine;
pub mod queue;
pub mod record;
mod storable;

pub use record::AuditRecord;
