//! National IDs of other countries (`ids_world.rs`), each tested from its
//! published structure and check algorithm with values made up for this
//! test (their check characters computed apart from the code under test):
//! valid, wrong check, placeholder, truncated; and through the engine,
//! with and without a word naming the number.

use super::id_words::named_near;
use super::ids_world::*;
use super::test_support::{self, engine, rule_acts};
use super::*;

fn id_rule_acts(e: &Engine, text: &str) -> bool {
    rule_acts(e, "national_id_number", text)
}

/// (kind, valid, same with a wrong check character, placeholder or
/// invalid by structure, truncated)
const CASES: &[(Kinds, &str, &str, &str, &str)] = &[
    (SSN, "527441209", "000441209", "123456789", "52744120"),
    (SSN, "912701234", "912401234", "666701234", "91270123"),
    // an ITIN's groups, but one digit repeated
    (SSN, "912701234", "912401234", "999999999", "91270123"),
    (NINO, "JT481273C", "JT481273E", "QQ481273C", "JT48127C"),
    (NHS, "9434765919", "9434765918", "1111111111", "943476591"),
    (
        AADHAAR,
        "236324987104",
        "236324987105",
        "111111111111",
        "23632498710",
    ),
    (PAN, "BQZPK4821M", "BQZDK4821M", "BQZPK48210", "BQZPK4821"),
    (
        RRN,
        "8503141234562",
        "8513141234562",
        "8503149234562",
        "850314123456",
    ),
    (NRIC, "S1234567D", "S1234567E", "X1234567D", "S123456D"),
    (NRIC, "G7654321L", "G7654321K", "G765432L1", "G765432L"),
    (DNI, "48203917B", "48203917C", "4820391B7", "4820391B"),
    (DNI, "X7391824S", "X7391824T", "W7391824S", "X739182S"),
    (
        CF,
        "BNCLRA92E51F205T",
        "BNCLRA92E51F205U",
        "BNCLRA92Z51F205T",
        "BNCLRA92E51F205",
    ),
    (SIN, "527481345", "527481346", "827481348", "52748134"),
    (HKID, "C6686689", "C6686688", "C66866A9", "C668668"),
    (HKID, "XY1357924", "XY1357925", "X1Y357924", "XY135792"),
    (TWID, "F228374618", "F228374617", "F328374618", "F22837461"),
    (
        USCC,
        "91110108MA01C2X8RJ",
        "91110108MA01C2X8RK",
        "91110108MA01C2X8RI",
        "91110108MA01C2X8R",
    ),
];

#[test]
fn each_kind_takes_its_valid_value_only() {
    test_support::each_kind_takes_its_valid_value_only(CASES);
}

#[test]
fn check_algorithms_agree_with_their_published_examples() {
    // Verhoeff's own example: 236 takes the check digit 3
    assert!(verhoeff(&[2, 3, 6, 3]));
    assert!(!verhoeff(&[2, 3, 6, 4]));
    // the ICA's and the registries' textbook examples
    assert!(nric(b"S1234567D"));
    // the ministry's sequential example carries its computed letter
    assert!(dni(b"12345678Z"));
    assert!(!dni(b"12345678A"));
    assert!(hkid(b"A1234563"));
    assert!(twid(b"A123456789"));
    assert!(codice_fiscale(b"RSSMRA85T10A562S"));
    // an omocode (digits read as letters) keeps its check
    assert!(!codice_fiscale(b"RSSMRA85T10A562T"));
}

#[test]
fn a_number_acts_with_a_word_naming_it() {
    let e = engine();
    for text in [
        "my ssn is 527 44 1209",
        "My SSN: 527441209, please update",
        "ITIN 912-70-1234 on the W-7",
        // voided by the SSA, but given as the writer's own: a label names
        // it (alone it is the advertisement's example, quiet)
        "my social security number is 078051120",
        "National Insurance number JT 48 12 73 C",
        "nino: jt481273c",
        "NHS number 943 476 5919",
        "My Aadhaar number is 2363 2498 7104 thanks",
        "PAN: BQZPK4821M",
        "주민등록번호 850314-1234562",
        "Korean RRN 8503141234562",
        "NRIC S1234567D was processed",
        "DNI 48203917-B",
        "NIE X7391824S",
        "codice fiscale BNCLRA92E51F205T",
        "mon NAS: 527 481 345",
        "SIN 527-481-345",
        "HKID C668668(9)",
        "香港身份证 XY135792(4)",
        "台湾身分證 F228374618",
        "統一社會信用代碼 91110108MA01C2X8RJ 统一社会信用代码",
        "统一社会信用代码：91110108MA01C2X8RJ",
        "澳门身份证 1234567(1)",
    ] {
        assert!(id_rule_acts(&e, text), "{text}");
    }
}

#[test]
fn a_number_alone_or_invalid_stays_quiet() {
    let e = engine();
    for text in [
        "order 527441209 shipped",
        "ref 9434765919",
        "my ssn is 000-44-1209",
        "my ssn is 123-45-6789",
        "NHS number 943 476 5918",
        "Aadhaar 2363 2498 7105",
        "PAN: BQZPK4821",
        "the sin of 527481346",
        "using 527481345 rows",
        "codice fiscale BNCLRA92E51F205U",
        "tax id 91110108MA01C2X8RK",
        "pancake 48203917C",
    ] {
        assert!(!id_rule_acts(&e, text), "{text}");
    }
}

#[test]
fn a_word_must_stand_as_a_word() {
    // `sin` inside `using`, `pan` inside `company`: not a name
    assert_eq!(named_near("using 527481345", 6, 15) & SIN, 0);
    assert_eq!(named_near("company BQZPK4821M", 8, 18) & PAN, 0);
    assert_ne!(named_near("SIN 527481345", 4, 13) & SIN, 0);
}
