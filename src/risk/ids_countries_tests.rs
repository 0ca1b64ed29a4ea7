//! National IDs of Brazil, Mexico, Europe, Turkey, Australia and
//! Thailand (`ids_americas.rs`, `ids_europe.rs`, `ids_apac.rs`), each tested from its
//! published structure and check with values made up for this test (their
//! checks computed apart from the code under test): valid, wrong check,
//! placeholder or invalid by structure (with its check computed, so only
//! the structure fails), truncated; and through the engine, with and
//! without a word naming the number, and alone in the forms that act
//! alone.

use super::ids_world::*;
use super::test_support::{self, engine, rule_acts};
use super::*;

fn id_rule_acts(e: &Engine, text: &str) -> bool {
    rule_acts(e, "national_id_number", text)
}

/// (kind, valid, same with a wrong check, placeholder or invalid by
/// structure, truncated)
const CASES: &[(Kinds, &str, &str, &str, &str)] = &[
    (
        CPF,
        "52998224725",
        "52998224726",
        "11111111111",
        "5299822472",
    ),
    (
        CPF,
        "84139672528",
        "84139672538",
        "99999999999",
        "8413967252",
    ),
    (
        CURP,
        "GOHE850314HJCRRN07",
        "GOHE850314HJCRRN08",
        "GOHE850314HZZRRN04",
        "GOHE850314HJCRRN0",
    ),
    (
        CURP,
        "LOPA020729MDFPRNA9",
        "LOPA020729MDFPRNA0",
        "LOPA020729QDFPRNA9",
        "LOPA020729MDFPRNA",
    ),
    (
        PESEL,
        "85031412347",
        "85031412348",
        "85131412340",
        "8503141234",
    ),
    (
        PESEL,
        "02270539185",
        "02270539184",
        "02300539180",
        "0227053918",
    ),
    (HETU, "131052308T", "131052308U", "310252308Y", "131052308"),
    (
        HETU,
        "040726A2843",
        "040726A2844",
        "040726G2843",
        "040726A284",
    ),
    (HETU, "131052308T", "131052001V", "131052001W", "13105230T"),
    (
        NIR,
        "185057800608491",
        "185057800608492",
        "585057800608485",
        "18505780060849",
    ),
    (
        NIR,
        "185072A00608467",
        "185072A00608468",
        "185137800608425",
        "185072A0060846",
    ),
    (
        STEUER,
        "65823019462",
        "65823019463",
        "65823019479",
        "6582301946",
    ),
    (
        STEUER,
        "11213456783",
        "11213456784",
        "11134567891",
        "1121345678",
    ),
    (
        TCKN,
        "38271946550",
        "38271946551",
        "08271946546",
        "3827194655",
    ),
    (TFN, "876543210", "876543211", "000000000", "87654321"),
    (
        ABN,
        "51824753556",
        "51824753557",
        "10000000000",
        "5182475355",
    ),
    (ACN, "004085616", "004085617", "000000000", "00408561"),
    (
        MEDICARE,
        "2123456701",
        "2123456711",
        "7123456751",
        "212345670",
    ),
    (
        MEDICARE,
        "41937265722",
        "41937265822",
        "61111111122",
        "419372657",
    ),
    (
        THAI,
        "1103700472185",
        "1103700472186",
        "9103700472181",
        "110370047218",
    ),
    (
        THAI,
        "3572918460320",
        "3572918460321",
        "1111111111119",
        "357291846032",
    ),
];

#[test]
fn each_kind_takes_its_valid_value_only() {
    test_support::each_kind_takes_its_valid_value_only(CASES);
}

#[test]
fn a_kind_is_not_taken_for_another() {
    // each valid value is checked only as the kinds its words name
    assert!(!valid_any(TFN, b"52998224725"));
    assert!(!valid_any(CPF, b"876543210"));
    assert!(!valid_any(TFN | ACN, b"0707614285"));
}

#[test]
fn a_number_acts_with_a_word_naming_it() {
    let e = engine();
    for text in [
        "CPF: 529.982.247-25",
        "meu CPF é 52998224725",
        "巴西CPF 529.982.247-25",
        "CURP: GOHE850314HJCRRN07",
        "numer PESEL 85031412347",
        "PESEL: 02270539185",
        "henkilötunnus 131052-308T",
        "HETU: 131052-308T",
        "personbeteckningen 131052-3140",
        "NSS : 185057800608491",
        "numéro de sécurité sociale 1 85 05 78 006 084 91",
        "NIR 185072A00608467",
        "French social security number 185057800608491",
        "Steuer-ID: 65 823 019 462",
        "Steueridentifikationsnummer 11213456783",
        // a word of non-ASCII letters after the number (`\b` is ASCII)
        "Steuer-ID 65 823 019 462 für die Lohnabrechnung",
        "PESEL 85031412347 że",
        "SSN 527441209 für die Akte",
        "T.C. Kimlik No: 38271946550",
        "TFN 876 543 210",
        "my tax file number is 876543210",
        "ABN 51 824 753 556",
        "ACN 004 085 616",
        "Medicare number 2123 45670 1",
        "Medicare card 4193 72657 2 2",
        "Thai national ID 1103700472185",
        "เลขประจำตัวประชาชน 1-1037-00472-18-5",
        "泰国身份证 3572918460320",
    ] {
        assert!(id_rule_acts(&e, text), "{text}");
    }
}

#[test]
fn a_number_without_its_word_or_check_stays_quiet() {
    let e = engine();
    for text in [
        // the same digits without a word naming them
        "order 52998224725 shipped",
        "ticket 85031412347 closed",
        "call 876 543 210 today",
        "invoice 274819351",
        "batch 811228-9874",
        "ref 070761-4285",
        // a henkilötunnus with no letter needs its word
        "ref 131052-3140",
        "row 38271946550",
        "part 2123 45670 1",
        "id 482739156208",
        "ref 8503145091083",
        "mobile 13812345678",
        // a word, but the check fails
        "CPF: 529.982.247-26",
        "PESEL 85031412348",
        "henkilötunnus 131052-308U",
        "TFN 876 543 211",
        "ABN 51 824 753 557",
        "Steuer-ID 65823019479",
        // a word inside another word names nothing
        "abnormal 51824753556",
        "tcnotes 38271946550",
    ] {
        assert!(!id_rule_acts(&e, text), "{text}");
    }
}

#[test]
fn distinctive_forms_act_alone() {
    let e = engine();
    for text in [
        "529.982.247-25",
        "client 123.456.789-09 asked",
        "1 85 05 78 006 084 91",
        "registered 1 85 07 2A 006 084 67 on file",
        "040726A2843",
        "born 131052-308T here",
        "51 824 753 556",
        "1 1037 00472 18 5",
        "3-5729-18460-32-0",
        "GOHE850314HJCRRN07",
    ] {
        assert!(id_rule_acts(&e, text), "{text}");
    }
}

#[test]
fn look_alikes_of_the_alone_forms_stay_quiet() {
    let e = engine();
    for text in [
        // a wrong check in each alone form
        "529.982.247-26",
        "1 85 05 78 006 084 92",
        "040726A2844",
        "51 824 753 557",
        "1 1037 00472 18 6",
        "GOHE850314HJCRRN08",
        // a phone after `+` in the ABN's groups, its check passing
        "+51 824 753 556",
        // a SIN's groups at the tail of an ABN's shape whose check fails
        "ref 19 935 181 909 ok",
        // `dddddd-dddd` with no letter: Nordic, Korean, a dated serial
        "131052-3081",
        "lot 240115-0017",
        // in a hash, a key or a path
        "sha 9f1c529.982.247-25",
        "a0040726A2843b",
        // the repeated CPF passes both checks and is no one's
        "111.111.111-11",
        // lower case is not how a henkilötunnus or CURP is printed
        "040726a2843",
        "gohe850314hjcrrn07",
    ] {
        assert!(!id_rule_acts(&e, text), "{text}");
    }
}
