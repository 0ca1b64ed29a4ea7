//! `named_key_value`: a generated key under any name ending in `key`, in
//! the syntaxes people paste, and the names and values that only look like
//! one (a cache's key, a public key, a UUID, a camelCase identifier, a
//! path). Keys made up for these tests (random, of each alphabet).

use super::named_key::generated;
use super::test_support::{engine, found_and_acts, hits_rule, rule_acts};
use crate::risk::Action;

const B62: &str = "wpHyO3P1O174mkxliVXvUVHcLMRzLsdy";
const B64: &str =
    "XtNMwyUB2sHmP6xdgaFpR90Oe3Kj5Ve+vziz8AKrWkl2peVqs1QvjDS77128nmDZk1QWnQ9ysnw1oB4UTa4iJQ==";
const HEX: &str = "3b88f2c0017372c8aab4083cfc838b97e1b24779";
const URL: &str = "KN_X9I9CMVu7GgS0uBJyqv8y676lKU7BXEN7QuExl58";
const LOWER: &str = "ptt9lrlrc21nj1pdq4ivgp1da8vl";
const LETTERS: &str = "PsSdktyZjKZWPykMdxaVpRAXGVUZCK";

#[test]
fn a_generated_key_under_a_key_name_reroutes_in_every_syntax() {
    let e = engine();
    for text in [
        format!("storageAccountKey = \"{B64}\""),
        format!("  azure_key: {B62}\n  azure_url: https://x.test"),
        format!("countrylayer_key: \"{LOWER}\""),
        format!("weatherKey := \"{URL}\""),
        format!("'account_key' => '{B64}',"),
        format!("<account_key>{B64}</account_key>"),
        format!("{{ \"AccountKey\", \"{B62}\" }}"),
        format!("this.Context.Add(\"AccountKey\", \"{B64}\");"),
        format!("-AzureDefaultAccountKey=\"{B64}\""),
        format!("encryption_key = \"{HEX}\""),
        format!("\"signingKey\": \"{LETTERS}\""),
        format!("服务配置 licenseKey：{B62}"),
    ] {
        assert!(found_and_acts(&e, "named_key_value", &text), "{text}");
        let out = e.scan_str(&text);
        assert_eq!(
            out.action,
            Some(Action::RouteSecureModel),
            "never blocks: {text}"
        );
    }
}

#[test]
fn keys_of_other_kinds_stay_quiet() {
    let e = engine();
    for text in [
        format!("cacheKey = \"{B62}\""),
        format!("publicKey: \"{B64}\""),
        format!("stripePublishableKey: \"{B62}\""),
        format!("recaptchaSiteKey = \"{B62}\""),
        format!("partition_key = \"{B62}\""),
        format!("idempotencyKey: \"{URL}\""),
        format!("sortkey={B62}"),
        format!("hotkey = \"{B62}\""),
        format!("monkey = \"{B62}\""),
        format!("ssh_key: {B64}"),
        "\"Sec-WebSocket-Key\": \"k9kFAUWNAMmf5OEMfTlOEA==\"".to_string(),
        // a bare `key` names anything
        format!("key = \"{B62}\""),
        format!("\"key\": \"{B64}\""),
    ] {
        assert!(!hits_rule(&e, "named_key_value", &text), "{text}");
    }
}

/// The prefilter's price: its anchors end in what follows the name (an
/// operator, a quote, one space and an operator), so a name aligned with
/// several spaces, or with its operator on the next line, is not read.
#[test]
fn aligned_names_are_a_known_gap() {
    let e = engine();
    for text in [
        format!("accountKey     = \"{B64}\""),
        format!("public static final String DEFAULT_ACCOUNT_KEY\n    = \"{B64}\";"),
    ] {
        assert!(!hits_rule(&e, "named_key_value", &text), "{text}");
    }
}

#[test]
fn names_other_rules_own_are_left_to_them() {
    let e = engine();
    for text in [
        format!("api_key = \"{B62}\""),
        format!("accessKey: \"{B62}\""),
        format!("secret_key = \"{B62}\""),
        format!("APIKEY=\"{B62}\""),
        format!("accesskey: {B62}"),
        format!("fastlyKey = '{B62}'"),
        format!("sendgrid_key: {B62}"),
    ] {
        assert!(!hits_rule(&e, "named_key_value", &text), "{text}");
        assert!(
            rule_acts(&e, "credential_assignment", &text)
                || rule_acts(&e, "vendor_named_key", &text)
                || rule_acts(&e, "api_key_like", &text),
            "{text}"
        );
    }
}

/// Other rules own a name only as their patterns read it: `api`,
/// `access` right before `key`, a vendor right before `key`, `appKey` or
/// `ioKey`. A word further up the name leaves it here.
#[test]
fn a_name_owned_further_up_is_read_here() {
    let e = engine();
    for text in [
        format!("apiMaticKey := \"{B62}\""),
        format!("access_log_signing_key = \"{B62}\""),
        format!("herokuDbKey = \"{B62}\""),
    ] {
        assert!(rule_acts(&e, "named_key_value", &text), "{text}");
    }
    for text in [
        format!("herokuAppKey = \"{B62}\""),
        format!("twilio_io_key: \"{B62}\""),
        format!("tokenKey = \"{B62}\""),
    ] {
        assert!(!hits_rule(&e, "named_key_value", &text), "{text}");
    }
}

#[test]
fn values_that_are_written_not_drawn_stay_quiet() {
    let e = engine();
    for text in [
        // a UUID, words joined, a camelCase name, a call, a path, a dotted name
        "licenseKey = \"3f2c7d9e-1b4a-4c8e-9f2d-7a6b5c4d3e2f\"",
        "routeKey = \"prod-eu-west-1-cluster-alpha-v2\"",
        "memoryKey: formatSessionTranscriptMemoryHitKey(id)",
        "configKey = resolveRuntimeConfigCacheKey(scope)",
        "CHANNEL_DATA_KEY = \"openclawQuestionReaction\"",
        "storageKey = \"uploads/2024/11/report-final-version.pdf\"",
        "settingsKey: 'clawgate.console.filters.version2'",
        // placeholders, a run, a variable, too short
        "deviceKey = \"YOUR_DEVICE_KEY_GOES_HERE_1234\"",
        "deviceKey = \"abcdefghijklmnopqrstuvwxyz123456\"",
        "deviceKey = \"${DEVICE_KEY_FROM_THE_ENVIRONMENT}\"",
        "encryptionKey: process.env.ENCRYPTION_KEY_VALUE",
        "encryptionKey = \"Zk3pQ9wL2x\"",
        // hex too short to be a key, or digits only
        "buildKey = \"3b88f2c0017372c8aab4\"",
        "accountKey = \"12345098765432101234\"",
    ] {
        assert!(!rule_acts(&e, "named_key_value", text), "{text}");
    }
}

#[test]
fn the_shape_test_reads_each_alphabet() {
    for v in [B62, B64, HEX, URL, LOWER, LETTERS] {
        assert!(generated(v), "{v}");
    }
    // cut under 20, a hex key cut under 32, one case of letters only,
    // a camelCase name, `/` outside base64, `=` inside
    for v in [
        &B62[..19],
        &HEX[..30],
        "psSdktyzjkzwpykmdxavprax",
        "formatSessionTranscriptMemoryHit",
        "src/main/java/com/acme/Config9",
        "abc=def0123456789ghijklmn",
    ] {
        assert!(!generated(v), "{v}");
    }
}

#[test]
fn the_vendor_list_is_the_vendor_rules_pattern() {
    let rule = crate::risk::packs::builtins()
        .find(|r| r.id == "vendor_named_key")
        .map(|r| r.pattern)
        .unwrap_or_default();
    let listed = rule
        .split_once("(?:")
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(alts, _)| alts.split('|').collect::<Vec<_>>())
        .unwrap_or_default();
    assert_eq!(listed, super::packs::NAMED_VENDORS);
}
