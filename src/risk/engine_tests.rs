//! The engine as a whole: built-in rules compile, config errors name
//! their path, packs, overrides, custom and shadow rules, edge cases.

use super::test_support::*;
use super::*;
use regex_lite::Regex;
use serde_json::json;
use std::collections::HashSet;

#[test]
fn builtins_compile_56_rules_in_6_packs() {
    let e = engine();
    assert_eq!(e.rules().len(), 56);
    let mut ids = HashSet::new();
    for r in e.rules() {
        assert!(PACKS.contains(&r.category.as_str()), "{}", r.id);
        assert!(ids.insert(r.id.clone()), "duplicate {}", r.id);
        assert!(!r.description.is_empty());
    }
    for p in PACKS {
        assert!(e.rules().any(|r| r.category == *p), "empty pack {p}");
    }
}

#[test]
fn every_anchor_is_lowercase_and_nonempty() {
    for b in packs::builtins() {
        assert!(!b.all_anchors().is_empty(), "{} has no anchor", b.id);
        for a in b.all_anchors() {
            if let builtin::Anchor::Lit { text, .. } = a {
                assert!(!text.is_empty(), "{}", b.id);
            }
        }
        for a in b.anchors {
            assert_eq!(*a, a.to_ascii_lowercase(), "{}", b.id);
        }
    }
}

#[test]
fn config_errors_name_their_path() {
    let errs = Engine::compile(&cfg(json!({
        "packs": ["security", "nope"],
        "disable": ["email_address", "no_such_rule"],
        "overrides": {"ghost": {"action": "audit"}, "email_address": {"action": "mask"}},
        "rules": [
            {"id": "a", "pattern": "x"},
            {"id": "a", "pattern": "y"},
            {"id": "b", "pattern": "(unclosed"},
            {"id": "email_address", "pattern": "z"},
            {"id": "c", "pattern": "a*"},
        ]
    })))
    .unwrap_err();
    let paths: Vec<&str> = errs.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "packs[1]",
            "disable[1]",
            "overrides.ghost",
            "rules[1].id",
            "rules[2].pattern",
            "rules[3].id",
            "rules[4].pattern"
        ]
    );
    assert!(
        errs[4].message.contains("invalid regex: found open group"),
        "{}",
        errs[4].message
    );
}

#[test]
fn packs_disable_and_overrides() {
    let e = Engine::compile(&cfg(json!({
        "packs": ["personal"],
        "disable": ["cn_mobile_number"],
        "overrides": {"email_address": {"action": "audit", "severity": "low"}}
    })))
    .unwrap();
    assert_eq!(e.rules().len(), 19);
    let o = e.scan_str("mail a@acme.io or 13812345678, salary");
    assert_eq!(o.action, Some(Action::Audit));
    assert_eq!(o.hits.len(), 1);
    assert_eq!(o.hits[0].severity, Severity::Low);
}

#[test]
fn custom_rules_with_and_without_keywords() {
    let e = Engine::compile(&cfg(json!({
        "packs": [],
        "rules": [
            {"id": "falcon", "category": "company", "pattern": "(?i)project falcon", "keywords": ["falcon"]},
            {"id": "secret_word", "pattern": "绝密|xyzzy", "action": "block"},
        ]
    })))
    .unwrap();
    assert_eq!(ids(&e, "about Project FALCON today"), ["falcon"]);
    assert_eq!(ids(&e, "这是绝密文件"), ["secret_word"]);
    assert_eq!(e.scan_str("xyzzy").action, Some(Action::Block));
    assert!(ids(&e, "a falcon flew by").is_empty());
}

#[test]
fn strongest_action_wins_and_hits_are_counted() {
    let e = engine();
    let o = e.scan_str("a@acme.io b@acme.io -----BEGIN RSA PRIVATE KEY-----");
    assert_eq!(o.action, Some(Action::Block));
    let email = o.hits.iter().find(|h| h.rule == "email_address").unwrap();
    assert_eq!(email.count, 2);
    assert_eq!(email.category, "personal");
}

#[test]
fn keyword_hits_say_which_evidence_made_them_act_never_the_text() {
    let e = engine();
    let o = e.scan_str("What is EBITDA?");
    assert_eq!(o.action, Some(Action::Audit));
    assert_eq!(o.hits[0].evidence, Vec::<&str>::new());
    let o = e.scan_str("Kevin's salary is $145,000 from 2026-01-01");
    assert_eq!(o.action, Some(Action::RouteSecureModel));
    let h = &o.hits[0];
    assert_eq!(h.evidence, ["amount", "date", "person"]);
    let json = serde_json::to_string(&o.hits).unwrap();
    assert!(!json.contains("145") && !json.contains("Kevin"), "{json}");
}

#[test]
fn shadow_rules_record_the_would_be_action_and_do_nothing() {
    let e = Engine::compile(&cfg(json!({"mode": "shadow",
        "overrides": {"email_address": {"action": "mask"}}})))
    .unwrap();
    let mut b = body(json!({"messages": [{"role": "user",
        "content": "zs@acme.io -----BEGIN PRIVATE KEY-----"}]}));
    let o = e.scan_request(&mut b);
    assert_eq!(o.action, None);
    assert_eq!(o.shadow_action, Some(Action::Block));
    assert!(!o.masked && o.hits.iter().all(|h| h.shadow));
    assert!(b["messages"][0]["content"]
        .as_str()
        .unwrap()
        .contains("zs@acme.io"));

    // one rule in shadow, the others enforced
    let e = Engine::compile(&cfg(json!({
        "overrides": {"private_key_marker": {"shadow": true}}})))
    .unwrap();
    let o = e.scan_str("zs@acme.io -----BEGIN PRIVATE KEY-----");
    assert_eq!(o.action, Some(Action::RouteSecureModel));
    assert_eq!(o.shadow_action, Some(Action::Block));
}

#[test]
fn validators() {
    use validators::*;
    assert!(cn_id_checksum(b"11010519491231002X"));
    assert!(!cn_id_checksum(b"110105194912310021"));
    assert!(luhn(&[4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]));
    assert!(!luhn(&[4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]));
    assert!(digit_bounds(b"a123b", 1, 4));
    assert!(!digit_bounds(b"01234", 1, 4));
}

#[test]
fn empty_and_unicode_edges() {
    let e = engine();
    assert!(e.scan_text("").is_empty());
    assert!(e.scan_text("号").is_empty());
    assert!(e.scan_text("1").is_empty());
    // windows never split a UTF-8 character
    let s = "密码".repeat(50) + "密码是hunter2222" + &"路号".repeat(100);
    assert_eq!(e.scan_text(&s), e.scan_text_naive(&s));
}

#[test]
fn regex_lite_limits_documented_on_custom_rule_hold() {
    let m = |p: &str, t: &str| Regex::new(p).unwrap().is_match(t);
    assert!(m(r"\bsalary\b", "发送salary数据"));
    assert!(!m(r"\d", "１２３"));
    assert!(!m(r"\w", "机"));
    assert!(!m(r"\s", "\u{3000}"));
    assert!(m(r"[\x{4e00}-\x{9fff}]{2}", "机密"));
    assert!(!m(r"(?i)é", "É"));
    assert!(Regex::new(r"\p{Han}").is_err());
    assert!(Regex::new(r"a(?=b)").is_err());
}
