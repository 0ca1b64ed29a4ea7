//! Risk engine: scans every text a model will read against built-in packs
//! and custom rules.
//!
//! Pure Rust (no proxy-wasm). [`Engine::compile`] turns the `risk:` config
//! into a rule set. The filter scans a body with [`Engine::read_body`]
//! (`body`: the raw bytes outlined in place, each piece checked and its
//! texts scanned, resent pieces taken from `cache`) and takes the result
//! with [`Engine::outcome`] (the texts the scope selects, where the
//! dialect's `Layout` says turns sit: hits per rule and the splices that
//! mask spans); `clawgate rules test` runs the same two calls. Each rule's
//! regex only runs in small windows around its literal anchors (see
//! `prefilter`), so clean text costs one pass over the bytes whatever the
//! number of rules.
//!
//! [`Engine::scan_value`] (`request`) is the reference: the same walk over
//! a parsed `serde_json` document, which the filter never builds. Tests
//! and benches hold the filter's read to it.
//!
//! `schema` is the config users write, `packs` the built-in rules,
//! `compile` builds the [`Engine`], `scan` runs it on a text; `prefilter`
//! finds the windows, `validators` checks matches.

#[cfg(test)]
mod account_plate_tests;
#[cfg(test)]
mod address_tests;
#[cfg(test)]
mod agent_text_tests;
#[cfg(test)]
mod assign_tests;
mod assigned;
mod body;
mod builtin;
#[cfg(test)]
mod business_text_tests;
pub mod cache;
#[cfg(test)]
mod card_tests;
mod certainty;
mod checksums_secrets;
mod cli_secret;
#[cfg(test)]
mod cli_secret_tests;
mod cn_personal;
mod code_value;
#[cfg(test)]
mod code_value_tests;
mod code_word;
#[cfg(test)]
mod compared_tests;
mod compile;
mod confirm;
#[cfg(test)]
mod credential_tests;
mod digit_run;
mod discord;
mod email_spelled;
#[cfg(test)]
mod engine_tests;
mod evidence;
mod evidence_words;
mod hosts;
mod iban;
mod id_alone;
#[cfg(test)]
mod id_alone_tests;
#[cfg(test)]
mod id_label_tests;
mod id_words;
mod ids_americas;
mod ids_apac;
#[cfg(test)]
mod ids_countries_tests;
mod ids_europe;
mod ids_more;
mod ids_shaped;
#[cfg(test)]
mod ids_shaped_tests;
mod ids_world;
#[cfg(test)]
mod ids_world_tests;
mod illustrative;
mod in_token;
mod ip_own;
#[cfg(test)]
mod ip_own_tests;
#[cfg(test)]
mod layout_tests;
mod literal;
#[cfg(test)]
mod literal_tests;
mod luhn;
mod mac;
#[cfg(test)]
mod name_label_tests;
mod named_key;
#[cfg(test)]
mod named_key_tests;
pub mod normalise;
#[cfg(test)]
mod normalise_tests;
mod numerals;
mod packs;
#[cfg(test)]
mod password_hash_tests;
mod pem;
mod phone;
#[cfg(test)]
mod phone_tests;
mod positions;
#[cfg(test)]
mod positions_tests;
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
#[cfg(test)]
mod vendor_token_more_tests;
#[cfg(test)]
mod vendor_token_tests;
mod wallets;
#[cfg(test)]
mod wallets_tests;
mod words_back;

pub use body::DocScan;
pub use compile::{compile, Engine, RuleError, RuleInfo};
pub use packs::PACKS;
pub use request::{visit_texts, Layout};
pub use scan::{HitSummary, Match, Outcome};
pub use schema::{
    Action, CustomRule, RefusalForm, RiskConfig, RiskMode, RuleOverride, ScanScope, Severity,
};
