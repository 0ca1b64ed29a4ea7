//! Labelled corpus (`tests/data/risk_corpus.jsonl`, shared with
//! `examples/risk_eval.rs`): every case must produce exactly its expected
//! set of rules, and the prefiltered engine must agree with whole-text
//! matching on every case.

// Helpers outside #[test] fns count as non-test code for clippy.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use clawgate::risk::{Action, Engine, RiskConfig};
use std::collections::{BTreeSet, HashMap};

#[path = "data/corpus.rs"]
mod corpus_data;

fn corpus() -> Vec<corpus_data::Case> {
    corpus_data::load().unwrap()
}

fn engine() -> Engine {
    Engine::compile(&RiskConfig::default()).unwrap()
}

#[test]
fn every_case_hits_exactly_its_expected_rules() {
    let e = engine();
    let mut failures = Vec::new();
    for c in corpus() {
        let out = e.scan_str(&c.text);
        if let Some(acts) = c.acts {
            if out.action.is_some_and(|a| a > Action::Audit) != acts {
                failures.push(format!("case {}: acts should be {acts}", c.id));
            }
        }
        let got: BTreeSet<String> = out.hits.into_iter().map(|h| h.rule).collect();
        if c.xfail && got == c.expect {
            failures.push(format!("case {}: known gap now passes, drop xfail", c.id));
        } else if !c.xfail && got != c.expect {
            failures.push(format!(
                "case {}: expected {:?}, got {:?}: {}",
                c.id, c.expect, got, c.text
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn prefiltered_engine_equals_naive_matching() {
    let e = engine();
    for c in corpus() {
        assert_eq!(
            e.scan_text(&c.text),
            e.scan_text_naive(&c.text),
            "case {}",
            c.id
        );
    }
    // and on the whole corpus as one text
    let all: String = corpus().into_iter().map(|c| c.text + "\n").collect();
    assert_eq!(e.scan_text(&all), e.scan_text_naive(&all));
}

#[test]
fn corpus_covers_every_rule_both_languages_and_near_misses() {
    let cases = corpus();
    assert!(cases.len() >= 200, "only {} cases", cases.len());
    let mut pos: HashMap<(String, String), usize> = HashMap::new();
    let mut neg: HashMap<String, usize> = HashMap::new();
    for c in &cases {
        if c.xfail {
            continue;
        }
        for r in &c.expect {
            *pos.entry((r.clone(), c.lang.clone())).or_default() += 1;
        }
        if let Some(n) = &c.near {
            *neg.entry(n.clone()).or_default() += 1;
        }
    }
    for r in Engine::builtin_rules() {
        for lang in ["en", "zh"] {
            assert!(
                pos.contains_key(&(r.id.clone(), lang.to_string())),
                "no {lang} positive for {}",
                r.id
            );
        }
        assert!(
            neg.get(&r.id).copied().unwrap_or(0) >= 2,
            "fewer than 2 near misses for {}",
            r.id
        );
    }
}
