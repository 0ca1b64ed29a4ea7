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

/// The vendors of [`NAMED_KEY`], as its pattern lists them (a test holds
/// the two equal); `named_key_value` leaves their names to it.
pub(in crate::risk) const NAMED_VENDORS: &[&str] = &[
    "adafruit",
    "algolia",
    "airtable",
    "bittrex",
    "cloudflare",
    "codecov",
    "cohere",
    "coinbase",
    "confluent",
    "datadog",
    "droneci",
    "etsy",
    "fastly",
    "finicity",
    "finnhub",
    "flickr",
    "freshbooks",
    "gitter",
    "heroku",
    "hubspot",
    "intercom",
    "kucoin",
    "launchdarkly",
    "mailgun",
    "mailchimp",
    "mapbox",
    "mattermost",
    "meraki",
    "messagebird",
    "netlify",
    "newrelic",
    "nytimes",
    "okta",
    "rapidapi",
    "sendbird",
    "sendgrid",
    "snyk",
    "squarespace",
    "twilio",
    "twitch",
    "typeform",
    "zendesk",
    "qiniu",
    "huaweicloud",
    "ucloud",
    "dashscope",
    "zhipu",
    "moonshot",
    "minimax",
    "siliconflow",
    "qianfan",
];

/// Vendors whose keys have no prefix, under the vendor's name and a bare
/// `key` in code (`herokuKey := "…"`, `algolia_key = "…"`), as the public
/// scanners' keyword rules find them; `credential_assignment` takes
/// `api_key`, `secret` and `token` but not `key` alone, which names cache
/// and map keys too. Its own rule: in `credential_assignment`'s name list
/// these 51 names slowed every window of that rule (dirty chat 70 → 53
/// MB/s).
pub(super) const NAMED_KEY: Builtin = Builtin {
    id: "vendor_named_key",
    pack: "security",
    severity: Severity::High,
    description: "A vendor's key assigned under the vendor's name and `key` (`herokuKey = \"…\"`, `algolia_key: …`), for vendors whose keys have no prefix",
    pattern: concat!(
        r#"(?i:\b[a-z0-9_\-]{0,16}?(?:adafruit|algolia|airtable|bittrex|cloudflare|codecov|cohere|coinbase|confluent|datadog|droneci|etsy|fastly|finicity|finnhub|flickr|freshbooks|gitter|heroku|hubspot|intercom|kucoin|launchdarkly|mailgun|mailchimp|mapbox|mattermost|meraki|messagebird|netlify|newrelic|nytimes|okta|rapidapi|sendbird|sendgrid|snyk|squarespace|twilio|twitch|typeform|zendesk|qiniu|huaweicloud|ucloud|dashscope|zhipu|moonshot|minimax|siliconflow|qianfan)"#,
        r#"[_\-]?(?:io[_\-]?|app[_\-]?)?key["']?[ \t]*(?::=|=>|[:=：＝])[ \t]*["'\x60]?[^\s\x22'\x60,;<>{}\\\x{80}-\x{10FFFF}][^\s\x22'\x60,;<\\\x{80}-\x{10FFFF}]{3,})"#
    ),
    anchors: NAMED_VENDORS,
    validator: Validator::SecretValue,
    confirm: Confirm::Assign,
    before: 24,
    after: 64,
    ..BASE
};

/// Any other name ending in `key` (`storageAccountKey`, `azure_key`,
/// `<account_key>`, `{ "AccountKey", "…" }`) when the value has a
/// generated key's shape (`named_key.rs`). Unproven by any format, so it
/// reroutes and never blocks.
pub(super) const ANY_NAMED_KEY: Builtin = Builtin {
    id: "named_key_value",
    pack: "security",
    severity: Severity::High,
    description: "A generated key (long, random, not a UUID) assigned under a name ending in `key` that names no other kind of key (`storageAccountKey = \"…\"`, `<account_key>…`)",
    pattern: concat!(
        r#"(?i:\b[a-z0-9][a-z0-9_\-]{0,30}?key(?:["']\]?)?[ \t]?(?::=|=>|[:=：＝])[ \t]*(?:\r?\n[ \t]*)?["'\x60]?[A-Za-z0-9+/_\-]{20,}={0,2})"#,
        r"|(?i:<[a-z0-9][a-z0-9_.:\-]{0,30}?key>\s{0,40}[A-Za-z0-9+/_\-]{20,}={0,2}\s{0,40}<)",
        r#"|(?i:[a-z0-9][_\-]?key["'][ \t]*,[ \t]*["'][A-Za-z0-9+/_\-]{20,}={0,2})"#
    ),
    // `key` and what ends the name: `key` alone, or an anchor ending in
    // a space (`key `), made the prefilter's pass over clean chat 6-10%
    // slower; these cost nothing measurable. So one space or tab at most
    // stands before the operator (`accountKey = …`, not an aligned
    // `accountKey    = …`).
    anchors: &[
        "key=", "key:", "key\"", "key'", "key>", "key =", "key :", "key\t=", "key\t:", "key：",
        "key＝", "key ：", "key ＝",
    ],
    validator: Validator::NamedKey,
    // each anchor ends in what follows a name: no confirm needed
    confirm: Confirm::None,
    before: 34,
    after: 160,
    ..BASE
};
