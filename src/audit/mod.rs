//! Audit trail: the record type (shared with the sidecar) and the shipping
//! policy the filter runs from its root context.

pub mod queue;
pub mod record;

pub use record::AuditRecord;
