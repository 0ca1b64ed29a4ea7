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
    // GB: MORGA, decade 6, month 57 (a woman born in July), day 05,
    // year 4, initials SM, 9, check IJ; no check the DVLA publishes, so
    // the "wrong check" is a 13th month
    (
        LICENCE,
        "MORGA657054SM9IJ",
        "MORGA613054SM9IJ",
        "MO9GA657054SM9IJ",
        "MORGA657054SM9I",
    ),
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
        "UK driving licence MORGA657054SM9IJ",
        "my driving licence number is JONES710238HJ9AB",
        "driver's license: 6120493875213",
        "passport no. C48201937",
        "Passports: GB1234867 and HK7205931",
        "my travel document is C48201937",
        "港澳通行证：C48201937",
        // the permits of Taiwan residents (8 digits) and of Hong Kong and
        // Macau residents (H or M, 8 digits and a 2-digit issue count)
        "台胞证号码 08572946，入境用",
        "港澳居民来往内地通行证 H6093827101",
        "回乡证 M6093827102 丢了怎么补办",
        // a state's licence printed in groups (Illinois, Florida, Michigan);
        // `DL:`/`DL #` as a form labels it; a word after the value
        "Illinois driver's license D482-7193-5520",
        "Florida driver license D482-719-35-520-7",
        "Michigan DL # S 530 460 824 015",
        "DL: D7294615 (CA)",
        "CA DL # B7294615 exp 09/27",
        "passport no. C48201937 issued in 2019",
    ] {
        assert!(acts(&e, "national_id_number", text), "{text}");
    }
    for text in [
        "routing number: 071401926",
        "ABA 0714-0192-6",
        "Routing #: 071401926",
        "my bank account number is 40392817561",
        "acct 4039 2817 561",
        // a Chinese bank's account on payment details, up to 21 digits
        "开户行：招商银行 账号：755912345610802",
        "开户账号 0200001409024512345",
        "对公账号：1100 1053 4000 5301 2345",
        "公积金账号 2846193751023",
        "收款方：中国银行北京分行 账号 3409 5678 1234 5678 90",
    ] {
        assert!(acts(&e, "bank_account_number", text), "{text}");
    }
    for text in [
        "routing number: 071401927",
        "account number 11111111",
        "account number 4039281",
        "the routing table has 071401926 entries",
        "routing: 8 hops via the core switch, 071401926 packets",
        "开户行：招商银行深圳分行，订单号 20241207003245 已付款",
        "开户账号 0200001409024512345678",
        "北京分行 2024 年营收 12,345,678 元，同比增长 12%",
        "海淀支行的会议改到 10 点，参会 15 人",
        "bank account details updated; order number 40392817561 shipped",
    ] {
        assert!(!acts(&e, "bank_account_number", text), "{text}");
    }
    for text in [
        "NPI 1482750366",
        "DEA BK4172638",
        "passport C1111111",
        "idea BK4172639",
        // a validity date beside a permit's name; a 10-digit run after a
        // letter that is no Home Return Permit's
        "台胞证有效期至 20300301",
        "通行证 K6093827101",
        "part A482-7193-5520 is back in stock",
        "license key D482-7193-5520 for the IDE",
        "DL: 10 GB in 3 minutes on the new link",
        "the DL model reached 91% after 12 epochs",
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
        // numbers issued since October 2020 carry no check
        "850314-1234563",
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
        "851314-1234562",
        "850314-9234562",
        "850314-1111111",
        "850314-1234567",
        "BNCLRA92E51F205U",
        "bnclra92e51f205t",
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
        // UnionPay issues 19 digits
        "6214839201746528308",
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
        "4242424242424242",
        "4444444444444448",
        // 19 digits on another network, and a card among numbers as long
        // (a table of hashes or ids)
        "4929381047562834719",
        "[1273147485209053803, 4929381047562834, 2037035976334486083]",
    ] {
        assert!(!acts(&e, "bank_card_context", text), "{text}");
    }
}

/// The letter forms and groupings that act alone, each with its check
/// (made-up values, checks computed apart): NRIC/FIN (ICA letter), NIE
/// and DNI (mod 23, letter attached or after `-`), PAN (holder type),
/// SIN as `ddd ddd ddd` (Luhn), an ABA routing number as `dddd-dddd-d`
/// (3-7-1), a spaced NINO (HMRC prefix and suffix).
#[test]
fn letter_forms_and_groupings_act_alone() {
    let e = engine();
    for text in [
        "S8317462E",
        "member T0529184J joined",
        "(F4726391M)",
        "X7391824S",
        "Y4829173S",
        "48203917B",
        "48203917-B",
        "BQZPK4821M",
        "527 481 345",
        "ref 463-918-276",
        "0714-0192-6",
        "JT 48 12 73 C",
        "jt 48 12 73 c",
        // samples made with the algorithm (a run with its check letter
        // computed: the ICA's and the ministry's examples): plausible, so
        // they reroute (`certainty`)
        "S1234567D",
        "12345678Z",
        "11111111H",
    ] {
        assert!(acts(&e, "national_id_number", text), "{text}");
    }
}

#[test]
fn letter_forms_and_groupings_stay_quiet_when_wrong() {
    let e = engine();
    for text in [
        // wrong check letter or digit
        "S8317462F",
        "X7391824T",
        "48203917C",
        "BQZDK4821M",
        "527 481 346",
        "0714-0192-7",
        "JT 48 12 73 E",
        "QQ 48 12 73 C",
        // placeholders: letters in a run (a PAN has no check), a repeated
        // SIN (its Luhn digit fits a run by chance)
        "AAAAA1234A",
        "111 111 111",
        // truncated or part of something longer
        "S831746E",
        "4820391B",
        "BQZPK4821",
        "527 481 34",
        "0714-0192",
        "JT 48 12 73",
        "1 527 481 345",
        "527 481 345 600",
        "S8317462E7",
        "xS8317462E",
        // another form: lower case, mixed case, dots, a date stamp, an
        // order number's suffix, a first letter no NRIC takes
        "48203917b",
        "bqzpk4821m",
        "JT 48 12 73 c",
        "527.481.345",
        "0714 0192 6",
        "build 20240115T",
        "INV-48203917B",
        "A8317462E",
        // Windows updates and service tickets: two letters, seven digits
        "KB5034441",
        "KB0012345",
    ] {
        assert!(!acts(&e, "national_id_number", text), "{text}");
    }
}

/// Names written as one word, and `taxpayer id`, name their numbers.
#[test]
fn glued_and_other_names_name_the_number() {
    let e = engine();
    for text in [
        "my taxpayer id is 912-701234",
        "Taxpayer Number: 527-441209",
        "socialsecuritynumber 527441209",
        "driverlicense: D52831947",
        "SS# 527441209",
        "DL# D52831947",
        "license no. F98305179",
    ] {
        assert!(acts(&e, "national_id_number", text), "{text}");
    }
    assert!(acts(&e, "passport_number", "mypassportnumberis548203917"));
    assert!(acts(&e, "bank_account_number", "accountnumber 40392817561"));
    // `A/C` is as often air conditioning: not a name
    assert!(!acts(&e, "bank_account_number", "A/C unit 40392817561"));
    assert!(!acts(&e, "national_id_number", "taxpayers 527441209"));
}

/// A Chinese resident ID written in groups (GB 11643: a birth date and
/// the check character; made-up values) acts alone as it does unspaced.
#[test]
fn a_chinese_id_in_groups_acts_alone() {
    let e = engine();
    for text in [
        "身份证号 1101 0519 8503 1427 48",
        "4403 0419 9207 0853 18",
        "320106 19880611 204X",
        "3201 0619 8806 1120 4x",
    ] {
        assert!(acts(&e, "national_id_number", text), "{text}");
    }
    for text in [
        // wrong check, no date (month 13), truncated, other groupings
        "1101 0519 8503 1427 49",
        "1101 0519 8513 1427 48",
        "1101 0519 8503 1427 4",
        "110105 19850314 274",
        "11010 51985 03142 748",
        "1101-0519-8503-1427-48",
    ] {
        assert!(!acts(&e, "national_id_number", text), "{text}");
    }
}

/// The prefilter opens a window wherever the whole-text scan finds one of
/// the new forms (the spaced NINO's anchors are its last digit and letter).
#[test]
fn windows_cover_the_new_forms() {
    let e = engine();
    for t in [
        "JT 48 12 73 C",
        "ni: jt 48 12 73 c and AB 12 34 56 D, not QQ 48 12 73 C",
        "at 10 20 30 a day",
        "S8317462E, X7391824S, 48203917-B, BQZPK4821M",
        "527 481 345 and 1 527 481 345",
        "0714-0192-6 or 0714-0192-7",
        "850314-1234563",
        "身份证 1101 0519 8503 1427 48，320106 19880611 204X",
    ] {
        assert_eq!(e.scan_text(t), e.scan_text_naive(t), "{t}");
    }
}

/// A date of birth by its label, written as forms and people write it
/// (`is`, the month by name); the label alone, a field or a year is not one.
#[test]
fn a_date_of_birth_is_read_in_the_ways_it_is_written() {
    let e = engine();
    for text in [
        "DOB: 03/07/1985",
        "my date of birth is 1985-03-07",
        "date of birth: March 7, 1985",
        "Date of birth: 7 March 1985",
        "birthdate is Mar. 7th, 1985",
        "I was born on 12 July 1984",
        "she was born on July 12th, 1984 in Ohio",
        "they were born 1984-07-12",
        "我出生于1990年3月7日",
        "我的生日是1990年3月7日",
        "生日：1990-03-07",
        "my date of birth is the 3rd of May 1988",
        "病人王芳，住院号 ZY20241207，明天出院",
        "门诊号：00384721",
        "病历号 MR20261207001，诊断为2型糖尿病",
        "病历号：BL0382",
        "I was born on the 12th of July, 1984",
    ] {
        assert!(acts(&e, "passport_number", text), "{text}");
    }
    for text in [
        "the date of birth field is validated on submit",
        "add a date of birth column to the users table",
        "dob = models.DateField()",
        "date of birth in 1985",
        "date of birth: March",
        // a thing born, a year alone, an event on a date, a place
        "Python was born on 20 February 1991",
        "I was born in 1984",
        "the idea was born on a Friday",
        "该事件发生于2024年3月7日",
        "我出生于北京",
        "生日快乐！2024年也要开心",
        "住院号格式为 ZY 加 8 位数字",
        "门诊号 12 号窗口办理",
        "病历号格式为 MR 加日期",
    ] {
        assert!(!acts(&e, "passport_number", text), "{text}");
    }
}
