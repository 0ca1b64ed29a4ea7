//! A secret compared the other way round (`if ("…" == db_password)`),
//! the form detect-secrets' keyword plugin documents beside `name = "…"`:
//! found with any operator, not when the literal is a placeholder, code
//! or too short, not when the name says it is about the secret. Values
//! made up for this test.

use super::test_support::{engine, rule_acts};
use super::*;

fn cred_acts(e: &Engine, text: &str) -> bool {
    rule_acts(e, "credential_compared", text)
}

#[test]
fn a_literal_left_of_a_credential_name_acts() {
    let e = engine();
    for text in [
        "if (\"Qz7{vK2}w$9pL]x\" == my_db_password) {",
        "if ('Hx!vpn2024t' === user.apiKey) return;",
        "assert 'Tr0ub4dor&3x' != settings.secret_token",
        "if \"k8Pq2mZt7Wn4Rx9c\"==token:",
        "if (\"m2{q]Vz7(x$Lp>-_#9}}w\" !== ACCESS_KEY) {",
    ] {
        assert!(cred_acts(&e, text), "{text}");
    }
    for text in [
        // a placeholder, an empty or short literal, code, a name about the
        // secret, an assignment of the other order with one `=`
        "if (\"changeme\" == password) {",
        "if (\"<your-token>\" == token) {",
        "if (\"\" == password) {",
        "if (\"abc\" == password) {",
        "if (\"${DB_PWD}\" == db_password) {",
        "if (\"Qz7{vK2}w$9pL]x\" == password_length) {",
        "if (\"password\" == field_type) {",
        "if (\"bearer\" == token_type) {",
        "if (\"Qz7{vK2}w$9pL]x\" = password) {",
    ] {
        assert!(!cred_acts(&e, text), "{text}");
    }
}
