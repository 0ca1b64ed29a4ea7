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

mod anthropic;
#[cfg(test)]
mod assign_tests;
mod body;
mod builtin;
pub mod cache;
mod compile;
mod confirm;
mod evidence;
mod iban;
mod id_words;
mod ids_world;
#[cfg(test)]
mod ids_world_tests;
mod illustrative;
mod literal;
pub mod normalise;
#[cfg(test)]
mod normalise_tests;
mod packs;
mod phone;
#[cfg(test)]
mod phone_tests;
mod prefilter;
#[cfg(test)]
mod prefilter_ref;
#[cfg(test)]
mod prefilter_tests;
mod request;
pub mod restore;
mod scan;
mod schema;
#[cfg(test)]
mod tests;
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
