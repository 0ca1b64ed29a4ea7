//! What the exchange asks its host to do. Effects are applied in order;
//! `Flow` is what the callback returns to Envoy.

use crate::audit::AuditRecord;
use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// Hold the headers or body (request or response) in Envoy.
    Pause,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Names are mostly clawgate's own (`&'static`); a provider's
    /// configured headers are owned.
    SetRequestHeader(Cow<'static, str>, String),
    RemoveRequestHeader(String),
    ReplaceRequestBody(Vec<u8>),
    SetResponseHeader(&'static str, String),
    RemoveResponseHeader(&'static str),
    ReplaceResponseBody(Vec<u8>),
    /// Answer the client from the filter (`send_http_response`).
    Reply(LocalReply),
    /// Let a response held for a fallback go on (after `Reply`).
    ResumeResponse,
    /// Counter deltas, by stat name.
    Metrics(Vec<(String, u64)>),
    /// One record for the audit queue.
    Audit(Box<AuditRecord>),
    /// Set an Envoy filter state property (`ai_log`, `trace_span_tag.*`).
    SetProperty(String, Vec<u8>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalReply {
    pub status: u32,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

/// The answer to one event: effects to apply, then what Envoy should do.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub effects: Vec<Effect>,
    pub flow: Flow,
}

impl Step {
    pub fn go_on() -> Step {
        Step {
            effects: Vec::new(),
            flow: Flow::Continue,
        }
    }

    pub fn hold() -> Step {
        Step {
            effects: Vec::new(),
            flow: Flow::Pause,
        }
    }

    pub fn with(effects: Vec<Effect>, flow: Flow) -> Step {
        Step { effects, flow }
    }
}
