//! The one-pass prefilter against the old one (`prefilter_ref`) on random
//! texts: the same windows, whatever the anchors, case, digits and UTF-8.

use super::{builtin, packs, prefilter, prefilter_ref};
use crate::test_rng::Rng;

/// Every built-in rule's anchors, as `Engine::compile` builds them.
fn builtin_anchors() -> Vec<prefilter::RuleAnchors> {
    packs::builtins()
        .map(|b| prefilter::RuleAnchors {
            anchors: b.all_anchors(),
            before: b.before,
            after: b.after,
            confirm: b.confirm,
        })
        .collect()
}

/// A random text of anchors (in random case, cut short or not), digits,
/// separators, Chinese, and UTF-8 edges.
fn random_text(r: &mut Rng, lits: &[String]) -> String {
    const PIECES: &[&str] = &[
        " ",
        "  ",
        "\n",
        "=",
        ": ",
        "：",
        "是",
        "为",
        "\"",
        ">",
        "_",
        "-",
        ".",
        "@",
        "//",
        "a",
        "x9",
        "task ",
        "sk",
        "pw",
        "号",
        "的",
        "é",
        "€",
        "𝄞",
        "\u{0}",
        "１２３",
        "13812345678",
        "110105194912310021",
        "4111111111111111",
        "192.168.1.1",
        "10.0.0.1",
        "Hx!vpn2024",
        "123",
        "12",
        "8613912345678",
        "139",
        "AKIA",
        "API_KEY=",
        "sk-proj-",
        "example.com",
    ];
    let mut s = String::new();
    for _ in 0..r.below(40) {
        match r.below(4) {
            0 => s.push_str(PIECES[r.below(PIECES.len())]),
            1 => {
                let d = r.below(20);
                for _ in 0..d {
                    s.push(char::from(b'0' + r.below(10) as u8));
                }
            }
            _ => {
                let lit = &lits[r.below(lits.len())];
                let mut cut = if r.below(4) == 0 {
                    r.below(lit.len() + 1)
                } else {
                    lit.len()
                };
                while !lit.is_char_boundary(cut) {
                    cut -= 1;
                }
                for c in lit[..cut].chars() {
                    if r.below(3) == 0 {
                        s.extend(c.to_uppercase());
                    } else {
                        s.push(c);
                    }
                }
            }
        }
    }
    s
}

fn anchor_texts(rules: &[prefilter::RuleAnchors]) -> Vec<String> {
    rules
        .iter()
        .flat_map(|r| &r.anchors)
        .filter_map(|a| match a {
            builtin::Anchor::Lit { text, .. } if !text.is_empty() => Some(text.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn one_pass_prefilter_equals_the_reference_on_random_texts() {
    let rules = builtin_anchors();
    let lits = anchor_texts(&rules);
    // Same windows, so `scan_text` returns what it returned before.
    agree_on_random_texts(&rules, &lits, 0x9E37_79B9_7F4A_7C15, &[]);
}

/// The one-pass prefilter and the reference give the same windows on
/// 3,000 random texts of `lits` and on each of `short`.
fn agree_on_random_texts(
    rules: &[prefilter::RuleAnchors],
    lits: &[String],
    seed: u64,
    short: &[&str],
) {
    let new = prefilter::Prefilter::new(rules);
    let old = prefilter_ref::RefPrefilter::new(rules);
    let mut r = Rng(seed);
    for case in 0..3000 {
        let t = random_text(&mut r, lits);
        assert_eq!(new.windows(&t), old.windows(&t), "case {case}: {t:?}");
    }
    for t in short {
        assert_eq!(new.windows(t), old.windows(t), "{t:?}");
    }
}

#[test]
fn one_pass_prefilter_equals_the_reference_with_custom_keywords() {
    // 1- and 2-byte keywords, upper case, Chinese, digits, punctuation;
    // none overlaps itself (the reference's memmem skips overlaps).
    let kws = [
        "$", "q", "Zx", "#!", "机密", "ab", "a1b", "9", "é", "x.y", "ZZTOP", "_k",
    ];
    let mut rules = builtin_anchors();
    for (i, k) in kws.iter().enumerate() {
        rules.push(prefilter::RuleAnchors {
            anchors: vec![builtin::Anchor::Lit {
                text: k.to_ascii_lowercase(),
                word: i % 2 == 0,
            }],
            before: 3,
            after: 5,
            confirm: builtin::Confirm::None,
        });
    }
    rules.push(prefilter::RuleAnchors {
        anchors: vec![builtin::Anchor::Digits(1)],
        before: 0,
        after: 0,
        confirm: builtin::Confirm::None,
    });
    rules.push(prefilter::RuleAnchors {
        anchors: vec![],
        before: 0,
        after: 0,
        confirm: builtin::Confirm::None,
    });
    let mut lits = anchor_texts(&rules);
    lits.extend(kws.iter().map(|k| k.to_string()));
    // and every byte position of short texts
    let short = [
        "", "a", "$", "ab", "zx", "号", "12", "机密", "é9", "sk", "pw",
    ];
    agree_on_random_texts(&rules, &lits, 42, &short);
}

#[test]
fn prefilter_fold_keeps_what_a_case_insensitive_match_keeps() {
    // The filter hashes bytes `| 0x20` and tests the 4th byte's low 3 bits:
    // both must be the same for a byte and its ASCII lower case.
    for b in 0..=255u8 {
        let l = b.to_ascii_lowercase();
        assert_eq!(b | 0x20, l | 0x20, "{b:#x}");
        assert_eq!(b & 7, l & 7, "{b:#x}");
    }
}

#[test]
fn two_byte_literals_and_digit_runs_agree_whatever_follows() {
    // The filter keys on the low 5 bits of the 3rd byte only, so a 2-byte
    // literal is filed under 32 groups and a digit run's group check masks
    // its 3rd digit: every byte after them, in both cases, and the end of
    // the text must give the reference's windows.
    let mut rules = builtin_anchors();
    for (i, k) in ["zx", "#!", "é"].iter().enumerate() {
        rules.push(prefilter::RuleAnchors {
            anchors: vec![builtin::Anchor::Lit {
                text: k.to_string(),
                word: i == 0,
            }],
            before: 2,
            after: 2,
            confirm: builtin::Confirm::None,
        });
    }
    let new = prefilter::Prefilter::new(&rules);
    let old = prefilter_ref::RefPrefilter::new(&rules);
    let heads = [
        "sk",
        "SK",
        "pw",
        "Pw",
        "zx",
        "ZX",
        "#!",
        "é",
        "123",
        "1381234567",
        "86139",
    ];
    let mut tails: Vec<String> = (0u8..128).map(|c| char::from(c).to_string()).collect();
    tails.extend(["é", "号", "𝄞", "ab", "= x", ": Hx!vpn2024", ""].map(String::from));
    for h in heads {
        for t in &tails {
            for text in [
                format!("{h}{t}"),
                format!(" {h}{t}"),
                format!("a{h}{t}"),
                format!("{t}{h}"),
                format!("{t}{h}{t}{t}"),
            ] {
                assert_eq!(new.windows(&text), old.windows(&text), "{text:?}");
            }
        }
    }
}
