//! clawgate: an AI-governance Proxy-Wasm filter for Higress and Envoy.
//!
//! Every decision lives in a pure module (no `proxy-wasm` import) so it is
//! tested natively and shared with the `clawgate` CLI; `host` is the thin
//! adapter that turns Envoy callbacks into calls on them and is compiled
//! only for wasm32.

pub mod abi_pairs;
pub mod access;
pub mod accounting;
pub mod audit;
pub mod budget;
pub mod catalog;
pub mod config;
pub mod exchange;
pub mod fallback;
pub mod headers;
pub mod health;
pub mod identity;
pub mod json;
pub mod label_cap;
pub mod metrics;
pub mod money;
pub mod multipart;
pub mod paths;
pub mod pipeline;
pub mod ratelimit;
pub mod refusal;
pub mod request_id;
pub mod risk;
pub mod routing;
pub mod scope;
pub mod section;
pub mod settings_error;
pub mod sidecar;
pub mod sidecar_call;
#[cfg(test)]
mod test_rng;
pub mod wire;

#[cfg(all(target_arch = "wasm32", not(test)))]
mod host;
