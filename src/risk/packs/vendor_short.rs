//! `vendor_token_short`: vendors whose documented key prefix is also a
//! word or an identifier's start (`pat`, `sk_`, `re_`, `app-`, `API-`). In
//! `vendor_token` those anchors opened a window on every `path`, `task_`
//! or `re_path(` and ran that rule's long regex there (clean chat fell
//! from ~730 to ~14 MB/s); here the prefilter opens a window only where
//! the anchor starts a word and a key-length run follows it
//! (`Confirm::KeyTail`), and the regex holds these formats alone.

use crate::risk::builtin::{Builtin, Confirm, Validator, BASE};
use crate::risk::{Action, Severity};

pub(super) const RULE: Builtin = Builtin {
    id: "vendor_token_short",
    pack: "security",
    severity: Severity::High,
    action: Action::Block,
    description: "Vendors' keys whose prefix is also a word, by their documented prefix, length and alphabet: Airtable, Harness, Coze, Octopus Deploy, ClickUp, Resend, ElevenLabs, Neon, Render, Lichess, Ionic, crates.io, Dify, Salesforce sessions",
    pattern: concat!(
        // Airtable personal access tokens; Harness personal and service
        // account tokens; Coze personal and service access tokens
        r"\bpat[A-Za-z0-9]{14}\.[a-f0-9]{64}\b|\b[ps]at\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20}\b|\b[ps]at_[A-Za-z0-9]{60,70}\b",
        // Octopus Deploy, ClickUp, Resend, ElevenLabs
        r"|\bAPI-[A-Z0-9]{26}\b|\bpk_\d{6,10}_[A-Z0-9]{32}\b|\bre_[A-Za-z0-9]{8}_[A-Za-z0-9]{24}\b|\bsk_[a-f0-9]{48}\b",
        // Neon, Render, Lichess, Ionic, crates.io
        r"|\bnapi_[a-z0-9]{64}\b|\brnd_[A-Za-z0-9]{32}\b|\blip_[A-Za-z0-9]{20}\b|\bion_[A-Za-z0-9]{42}\b|\bcio[A-Za-z0-9]{32}\b",
        // Dify app and dataset keys; a Salesforce session id (org id, `!`, token)
        r"|\b(?:app|dataset)-[A-Za-z0-9]{24}\b|\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]{80,}"
    ),
    anchors: &[
        "pat", "sat.", "sat_", "api-", "pk_", "re_", "sk_", "napi_", "rnd_", "lip_", "ion_", "cio",
        "app-", "dataset-", "00d",
    ],
    validator: Validator::KeyShape,
    confirm: Confirm::KeyTail,
    before: 1,
    after: 128,
    ..BASE
};
