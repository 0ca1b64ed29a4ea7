//! A text scanned the way the filter scans a request: sent as the one user
//! message of a chat completion, read by the filter's body reader and
//! judged by `Engine::outcome` with the OpenAI layout (what the filter's
//! request path calls), not by a walk written for the evaluation.

use clawgate::risk::{Engine, Outcome};
use clawgate::wire::Protocol;

/// The outcome of `text` as the one user message of a chat request;
/// `None` if the filter's reader refuses the body (it never should: the
/// body is written by serde_json).
pub fn outcome(engine: &Engine, text: &str) -> Option<Outcome> {
    let body = serde_json::json!({
        "model": "m",
        "messages": [{"role": "user", "content": text}],
    })
    .to_string();
    let (doc, scan) = engine.read_body(body.as_bytes()).ok()?;
    let layout = &Protocol::OPENAI.dialect().layout;
    Some(engine.outcome(&doc, &scan, layout, &[]).0)
}
