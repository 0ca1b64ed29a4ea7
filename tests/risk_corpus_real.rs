//! The second corpus (`tests/data/risk_corpus_real.jsonl`): prompts as people
//! paste them, half hard negatives. The default config must catch at least
//! 95% of what must not leave and act on at most 2% of harmless prompts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use clawgate::risk::{Engine, RiskConfig};

#[path = "data/corpus_real.rs"]
mod corpus_real;

const MIN_RECALL: f64 = 0.95;
const MAX_FP_RATE: f64 = 0.02;

#[test]
fn real_corpus_meets_recall_and_false_positive_bars() {
    let cases = corpus_real::load().unwrap();
    let e = Engine::compile(&RiskConfig::default()).unwrap();
    let (_, all, wrong) = corpus_real::score(&e, &cases);
    assert!(
        all.recall() >= MIN_RECALL && all.fp_rate() <= MAX_FP_RATE,
        "recall {:.3} (bar {MIN_RECALL}), false positives {:.3} (bar {MAX_FP_RATE}); wrong cases: {wrong:?}",
        all.recall(),
        all.fp_rate()
    );
}

#[test]
fn real_corpus_shape() {
    let cases = corpus_real::load().unwrap();
    let n = cases.len();
    let harmless = cases.iter().filter(|c| !c.act).count();
    let zh = cases.iter().filter(|c| c.lang == "zh").count();
    assert!(n >= 400, "{n} cases");
    assert!(harmless * 2 >= n - 20, "{harmless} of {n} harmless");
    assert!(zh * 100 / n >= 35, "{zh} of {n} Chinese");
}

#[test]
fn prefiltered_engine_equals_naive_matching_on_real_corpus() {
    let e = Engine::compile(&RiskConfig::default()).unwrap();
    for c in corpus_real::load().unwrap() {
        assert_eq!(
            e.scan_text(&c.text),
            e.scan_text_naive(&c.text),
            "case {}",
            c.id
        );
    }
}
