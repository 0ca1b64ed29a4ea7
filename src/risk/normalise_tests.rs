//! The normaliser (`normalise.rs`): what it folds, its offset map, and the
//! engine finding and masking numbers hidden with invisible or full-width
//! characters. Values are made up (checksums computed for the test).

use super::normalise::fold;
use super::*;

fn engine() -> Engine {
    match Engine::compile(&RiskConfig::default()) {
        Ok(e) => e,
        Err(e) => panic!("{e:?}"),
    }
}

fn rules_of(e: &Engine, text: &str) -> Vec<String> {
    e.scan_str(text).hits.into_iter().map(|h| h.rule).collect()
}

#[test]
fn plain_text_is_not_copied() {
    for t in [
        "",
        "plain ascii",
        "中文，标点。「引号」",
        "“curly” — dash’s …",
        "é ü ß",
    ] {
        assert!(fold(t).is_none(), "{t}");
    }
}

#[test]
fn format_characters_go_spaces_and_full_width_forms_turn_ascii() {
    let cases = [
        (
            "a\u{200B}b\u{200C}c\u{200D}d\u{2060}e\u{FEFF}f\u{AD}g",
            "abcdefg",
        ),
        ("1\u{A0}2\u{3000}3\u{2009}4\u{202F}5", "1 2 3 4 5"),
        ("１３８ＡＢｃ＋－＠", "138ABc+-@"),
        ("中文\u{200B}，", "中文，"),
    ];
    for (t, want) in cases {
        assert_eq!(fold(t).map(|f| f.text).as_deref(), Some(want), "{t:?}");
    }
}

#[test]
fn offsets_map_back_to_the_original_characters() {
    let t = "x\u{200B}１２\u{A0}y";
    let f = fold(t).unwrap_or_else(|| panic!("nothing folded"));
    assert_eq!(f.text, "x12 y");
    // every folded span maps to original char boundaries holding the same folded text
    for s in 0..=f.text.len() {
        for e in s..=f.text.len() {
            let (os, oe) = (f.original(s), f.original(e));
            assert!(t.is_char_boundary(os) && t.is_char_boundary(oe), "{s}..{e}");
            let back = fold(&t[os..oe]).map_or(t[os..oe].to_string(), |g| g.text);
            assert_eq!(back, f.text[s..e], "{s}..{e}");
        }
    }
}

#[test]
fn hidden_numbers_are_found() {
    let e = engine();
    for (text, rule) in [
        ("手机号 138\u{200B}1234\u{200B}5678", "cn_mobile_number"),
        ("手机号 １３８１２３４５６７８", "cn_mobile_number"),
        ("身份证 11010519491231002\u{200D}X", "cn_id_card"),
        ("SSN\u{A0}527\u{A0}44\u{A0}1209", "national_id_number"),
        ("mail ｊｏｈｎ＠ａｃｍｅ.io", "email_address"),
    ] {
        assert!(rules_of(&e, text).iter().any(|r| r == rule), "{text:?}");
    }
}

#[test]
fn masking_covers_every_original_byte_of_a_match() {
    let e = masking_mobiles();
    let mut text = "call 1\u{200B}3８12345678\u{FEFF} now".to_string();
    let found = e.scan_text(&text);
    assert_eq!(found.len(), 1);
    assert!(e.mask_text(&mut text, &found, &mut Default::default()));
    assert_eq!(text, "call [MASKED:cn_mobile_number] now");
}

/// The prefilter's pass says a text has something to fold exactly when
/// [`fold`] folds it: every folded character alone, at a text's start and
/// end, and among its near misses (CJK and full-width punctuation with
/// the same lead bytes, curly quotes and dashes), with the built-in rules
/// and with none.
#[test]
fn the_prefilter_sees_every_character_the_normaliser_folds() {
    use super::normalise::folded_chars;
    let near = [
        "，", "：", "。", "、", "（", "）", "！", "？", "“", "”", "—", "…", "‐", "€", "©", "·",
        "é", "中", "Ｌ", "ａ", "a", "1", " ", "\u{3001}", "\u{2065}", "\u{2010}", "\u{FF0A}",
        "\u{FF5B}", "\u{FEFE}",
    ];
    let folded: Vec<String> = folded_chars().map(String::from).collect();
    assert!(folded.len() > 90, "{}", folded.len());
    let engines = [
        engine(),
        Engine::compile(&RiskConfig {
            packs: Some(vec![]),
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("{e:?}")),
    ];
    for e in &engines {
        let check = |t: &str| {
            assert_eq!(e.prefilter.scan(t).1, fold(t).is_some(), "{t:?}");
        };
        for c in &folded {
            for t in [
                c.clone(),
                format!("ab{c}"),
                format!("{c}ab"),
                format!("中文{c}，x"),
            ] {
                check(&t);
            }
            // followed by every ASCII character (the table keys on the
            // third byte, which for a 2-byte character is the next one's)
            for next in ' '..='~' {
                check(&format!("{c}{next}"));
            }
        }
        let mut r = crate::test_rng::Rng(0x5EED_F01D);
        for _ in 0..3000 {
            let mut t = String::new();
            for _ in 0..r.below(12) {
                if r.below(8) == 0 {
                    t.push_str(&folded[r.below(folded.len())]);
                } else {
                    t.push_str(near[r.below(near.len())]);
                }
            }
            check(&t);
            // the same text with only near misses: nothing to fold
            let clean: String = t
                .chars()
                .filter(|c| !folded.iter().any(|f| f.starts_with(*c)))
                .collect();
            check(&clean);
        }
    }
}

/// Chinese numerals one a digit: a run of seven or more is read as the
/// number it spells, with each digit mapped back to its numeral; a shorter
/// run stays words.
#[test]
fn numeral_runs_read_as_digits_and_map_back() {
    let cases = [
        ("手机一三八一二三四五六七八", Some("手机13812345678")),
        ("电话幺三九 零零四二 六七八一", Some("电话139 0042 6781")),
        ("壹叁捌贰肆陆柒玖零伍叁", Some("13824679053")),
        ("二〇二六年一月，第三个", None),
        ("一二三四五六", None),
        ("一二三四五六七", Some("1234567")),
        // 一, 二 and 三 alone are words however long the run
        ("一二三一二三一二三", None),
        ("一二三一二三一二三四", Some("1231231234")),
    ];
    for (t, want) in cases {
        assert_eq!(fold(t).map(|f| f.text).as_deref(), want, "{t:?}");
    }
    let t = "号码 一三八\u{200B}一二三四五六七八 好";
    let f = fold(t).unwrap_or_else(|| panic!("nothing folded"));
    assert_eq!(f.text, "号码 13812345678 好");
    let (s, e) = (
        f.text.find('1').unwrap_or(0),
        f.text.find(" 好").unwrap_or(0),
    );
    let (os, oe) = (f.original(s), f.original(e));
    assert_eq!(&t[os..oe], "一三八\u{200B}一二三四五六七八");
}

/// The prefilter's pass says a numeral run is there exactly when the
/// normaliser folds one, at every length around the threshold and with
/// one separator between numerals.
#[test]
fn the_prefilter_sees_numeral_runs_as_the_normaliser_does() {
    let e = engine();
    // the one rare numeral first, last, in the middle, or none
    let orders: [&[&str]; 4] = [
        &["八", "一", "三", "二", "一", "二", "三", "一", "二"],
        &["一", "三", "二", "一", "二", "三", "一", "二", "玖"],
        &["一", "三", "二", "一", "〇", "三", "一", "二", "一"],
        &["一", "三", "二", "一", "二", "三", "一", "二", "一"],
    ];
    for order in orders {
        for n in 1..=order.len() {
            for sep in [
                "",
                " ",
                "-",
                "  ",
                "，",
                "\u{200B}",
                "\u{200B} \u{200B}",
                " - ",
            ] {
                let run = order[..n].join(sep);
                for t in [run.clone(), format!("第{run}页"), format!("三{sep}{run}")] {
                    assert_eq!(e.prefilter.scan(&t).1, fold(&t).is_some(), "{t:?}");
                    // and what says there is a number folds one
                    if let Some(f) = fold(&t).filter(|_| !sep.contains('\u{200B}')) {
                        assert!(f.text.bytes().any(|c| c.is_ascii_digit()), "{t:?}");
                    }
                }
            }
        }
    }
}

#[test]
fn a_mobile_number_in_numerals_is_found_and_masked() {
    let e = engine();
    for t in [
        "我的手机号是一三八一二三四五六七八",
        "手机：壹叁捌壹贰叁肆伍陆柒捌",
        "身份证号 一一〇一〇五一九九〇〇三〇七一二三九",
    ] {
        let r = rules_of(&e, t);
        assert!(
            r.iter()
                .any(|r| r == "cn_mobile_number" || r == "cn_id_card"),
            "{t}: {r:?}"
        );
    }
    // a short run, a date and counting are words
    for t in [
        "一二三四五六，上山打老虎",
        "二〇二六年十二月七日",
        "第一二三名",
    ] {
        assert!(rules_of(&e, t).is_empty(), "{t}");
    }
    let e = masking_mobiles();
    let mut text = "回电 一三八一二三四五六七八 谢谢".to_string();
    let found = e.scan_text(&text);
    assert!(e.mask_text(&mut text, &found, &mut Default::default()));
    assert_eq!(text, "回电 [MASKED:cn_mobile_number] 谢谢");
}

/// The built-in packs with mobile numbers masked rather than rerouted.
fn masking_mobiles() -> Engine {
    let cfg: RiskConfig = match serde_json::from_value(serde_json::json!({
        "overrides": {"cn_mobile_number": {"action": "mask"}}
    })) {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    };
    match Engine::compile(&cfg) {
        Ok(e) => e,
        Err(e) => panic!("{e:?}"),
    }
}

/// A Cyrillic letter drawn like a Latin one (`а е о р с`, `А Е О`) reads as it
/// inside a word with a Latin letter, and a dash between digits as `-`;
/// Russian and Greek words alone, and dashes in prose, stay as they are.
#[test]
fn look_alike_letters_and_dashes_fold_in_their_context() {
    for (t, want) in [
        // Cyrillic а, р, о, е, с among Latin letters
        ("p\u{430}ssword", "password"),
        ("\u{440}\u{430}ssword", "password"),
        ("t\u{43E}k\u{435}n s\u{435}\u{441}ret", "token secret"),
        // the capitals А, Е, О as upper-case Latin letters (`АKIA…`)
        (
            "\u{410}KIA S\u{415}CR\u{415}T T\u{41E}KEN",
            "AKIA SECRET TOKEN",
        ),
        // dashes between ASCII or full-width digits
        ("139\u{2014}1234\u{2212}5678", "139-1234-5678"),
        ("１３９\u{2014}１２３４", "139-1234"),
    ] {
        assert_eq!(fold(t).map(|f| f.text).as_deref(), Some(want), "{t}");
    }
    for t in [
        "Пароль от почты поменяли вчера",
        "ОК, Антон, Елена: АО «Север»",
        "Ο κωδικός αλλάζει κάθε μήνα",
        "Москва — 2024 год",
        "pages 10 — 20",
    ] {
        assert!(fold(t).is_none(), "{t}");
    }
    let e = engine();
    for t in [
        "p\u{430}ssword = Xk29mQp7Lr4v",
        "ghp_R2x9Lk4Hs8Zp3NQv7mT2wRx9Lk4Hs8Zp3NQ\u{430}",
        "\u{410}KIAZ3MPLQ7RT2XW4VBN",
        "手机号139\u{2014}1234\u{2014}5678",
    ] {
        assert!(!rules_of(&e, t).is_empty(), "{t}");
    }
    let e = masking_mobiles();
    let mut text = "回电 139\u{2014}1234\u{2013}5678 谢谢".to_string();
    let found = e.scan_text(&text);
    assert!(e.mask_text(&mut text, &found, &mut Default::default()));
    assert_eq!(text, "回电 [MASKED:cn_mobile_number] 谢谢");
}
