//! Numbers that act without a word naming them (`id_alone.rs`) and the
//! kinds of `ids_more.rs` (NPI, DEA, driver licence, passport, ABA
//! routing, bank account), each from its published structure and check
//! with values made up for this test (checks computed apart from the code
//! under test): valid, wrong check, placeholder or wrong structure,
//! truncated; through the engine, alone and with a word.

use super::ids_world::*;
use super::*;

fn engine() -> Engine {
    match Engine::compile(&RiskConfig::default()) {
        Ok(e) => e,
        Err(e) => panic!("{e:?}"),
    }
}

fn acts(e: &Engine, rule: &str, text: &str) -> bool {
    e.scan_str(text)
        .hits
        .iter()
        .any(|h| h.rule == rule && h.action > Action::Audit)
}

/// (kind, valid, same with a wrong check, placeholder or invalid by
/// structure, truncated)
const CASES: &[(Kinds, &str, &str, &str, &str)] = &[
    (NPI, "1482750365", "1482750366", "3482750365", "148275036"),
    (NPI, "2603918477", "2603918470", "1111111111", "260391847"),
    (DEA, "BK4172639", "BK4172638", "IK4172639", "BK417263"),
    (DEA, "F98305179", "F98305170", "F9830517X", "F9830517"),
    (ABA, "071401926", "071401927", "401401923", "07140192"),
    (LICENCE, "D52831947", "D5283194X", "ABC1234567", "D52"),
    (PASSPORT, "C48201937", "C4820193A", "C11111111", "C4820"),
    (ACCOUNT, "40392817561", "4039281756X", "11111111", "4039281"),
];

#[test]
fn each_new_kind_takes_its_valid_value_only() {
    for &(k, good, bad_check, bad_shape, short) in CASES {
        assert!(valid_any(k, good.as_bytes()), "{good}");
        for bad in [bad_check, bad_shape, short] {
            assert!(!valid_any(k, bad.as_bytes()), "{bad} taken as kind {k}");
        }
    }
}

#[test]
fn new_kinds_act_with_a_word_naming_them() {
    let e = engine();
    for text in [
        "NPI 1482750365 for the clinic",
        "national provider identifier: 2603918477",
        "DEA number BK4172639",
        "my medical licence is F98305179",
        "my driver license is D52831947",
        "driver's license: 6120493875213",
        "passport no. C48201937",
        "Passports: GB1234867 and HK7205931",
        "my travel document is C48201937",
        "港澳通行证：C48201937",
    ] {
        assert!(acts(&e, "national_id_number", text), "{text}");
    }
    for text in [
        "routing number: 071401926",
        "ABA 0714-0192-6",
        "my bank account number is 40392817561",
        "acct 4039 2817 561",
    ] {
        assert!(acts(&e, "bank_account_number", text), "{text}");
    }
    for text in [
        "routing number: 071401927",
        "account number 11111111",
        "account number 4039281",
        "the routing table has 071401926 entries",
    ] {
        assert!(!acts(&e, "bank_account_number", text), "{text}");
    }
    for text in [
        "NPI 1482750366",
        "DEA BK4172638",
        "passport C1111111",
        "idea BK4172639",
    ] {
        assert!(!acts(&e, "national_id_number", text), "{text}");
    }
}

#[test]
fn printed_forms_act_alone() {
    let e = engine();
    for text in [
        "527-44-1209",
        "abc 527 44 1209 abc",
        "527.44.1209",
        "912-70-1234 filed",
        "943 476 5919",
        "943-476-5919",
        "2363 2498 7104",
        "850314-1234562",
        "2105173846201 is not printed, 210517-3846201 is",
        "BNCLRA92E51F205T",
    ] {
        assert!(acts(&e, "national_id_number", text), "{text}");
    }
}

#[test]
fn alone_a_wrong_check_a_placeholder_or_another_form_stays_quiet() {
    let e = engine();
    for text in [
        "000-44-1209",
        "123-45-6789",
        "078-05-1120",
        "527-44-12090",
        "v527-44-1209",
        "527-44.1209",
        "527441209",
        "943 476 5918",
        "943.476.5919",
        "2363 2498 7105",
        "2363.2498.7104",
        "850314-1234563",
        "210517-1846201",
        "BNCLRA92E51F205U",
        "bnclra92e51f205t",
        "S1234567D",
        "version 1.527.44",
        "2024-01-15",
    ] {
        assert!(!acts(&e, "national_id_number", text), "{text}");
    }
}

#[test]
fn cards_act_alone_by_luhn_issuer_and_length() {
    let e = engine();
    for text in [
        "4929381047562834",
        "charge 5527483901628470 now",
        "6011738291045671",
        "374920183654729",
        "36849201756325",
        "5019718382046188",
        "120004827351963",
    ] {
        assert!(acts(&e, "bank_card_context", text), "{text}");
    }
    for text in [
        // Luhn fails; Luhn holds but no issuer takes it (7…, a timestamp
        // in ms, in µs, a snowflake id); part of a word or a dotted
        // number; a repeated pattern
        "4929381047562838",
        "7929381047562837",
        "1733456789010",
        "1733456789012347",
        "1234567890123456785",
        "id4929381047562834",
        "v1.4929381047562834",
        "4444444444444448",
    ] {
        assert!(!acts(&e, "bank_card_context", text), "{text}");
    }
}
