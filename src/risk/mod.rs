//! Risk engine: scans every text a model will read against built-in packs
//! and custom rules.
//!
//! Pure Rust (no proxy-wasm). [`Engine::compile`] turns the `risk:` config
//! into a rule set; [`Engine::scan_request`] walks an OpenAI request body,
//! reports hits per rule and masks spans in place. Each rule's regex only
//! runs in small windows around its literal anchors (see `prefilter`), so
//! clean text costs one pass over the bytes whatever the number of rules.
//!
//! `schema` is the config users write, `packs` the built-in rules,
//! `compile` builds the [`Engine`], `scan` runs it; `prefilter` finds the
//! windows, `validators` checks matches, `request` finds the texts.

#[cfg(test)]
mod agent_text_tests;
mod anthropic;
#[cfg(test)]
mod assign_tests;
mod assigned;
mod body;
mod builtin;
#[cfg(test)]
mod business_text_tests;
pub mod cache;
mod certainty;
mod checksums_secrets;
mod compile;
mod confirm;
#[cfg(test)]
mod credential_tests;
#[cfg(test)]
mod engine_tests;
mod evidence;
mod iban;
mod illustrative;
mod literal;
mod packs;
mod prefilter;
#[cfg(test)]
mod prefilter_ref;
#[cfg(test)]
mod prefilter_tests;
mod request;
#[cfg(test)]
mod request_tests;
pub mod restore;
mod scan;
mod schema;
#[cfg(test)]
mod secret_tests;
#[cfg(test)]
mod test_support;
mod turns;
mod validators;
#[cfg(test)]
mod vendor_key_tests;

pub use body::{DocScan, Shape};
pub use compile::{Engine, RuleError, RuleInfo};
pub use packs::PACKS;
pub use request::visit_texts;
pub use scan::{HitSummary, Match, Outcome};
pub use schema::{
    Action, CustomRule, RefusalForm, RiskConfig, RiskMode, RuleOverride, ScanScope, Severity,
};
