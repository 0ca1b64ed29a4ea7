//! Precision and recall per pack on the labelled corpus
//! (`tests/data/risk_corpus.jsonl`, the same file `tests/risk_corpus.rs`
//! asserts), each text scanned on the filter's own path
//! (`support/filter_scan.rs`). `make risk-eval` runs it, then `risk_outside`
//! on the outside corpus when it is there. `cargo run --example risk_eval`
//!
//! Per case and rule: expected and hit = TP, hit only = FP, expected only
//! = FN. Counted per pack (the rule's category). Cases marked `xfail`
//! are known gaps and count like any other case here.

#[path = "../tests/data/corpus.rs"]
mod corpus;
#[path = "../tests/data/corpus_real.rs"]
mod corpus_real;
#[path = "support/filter_scan.rs"]
mod filter_scan;

use clawgate::risk::{Engine, RiskConfig};
use std::collections::{BTreeMap, BTreeSet};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cases = match corpus::load() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let engine = match Engine::compile(&RiskConfig::default()) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{e:?}");
            return ExitCode::FAILURE;
        }
    };
    let pack_of: BTreeMap<String, String> = engine
        .rules()
        .map(|r| (r.id.clone(), r.category.clone()))
        .collect();
    // pack -> (tp, fp, fn, positive cases, negative cases)
    let mut t: BTreeMap<String, [usize; 5]> = BTreeMap::new();
    let mut misses = Vec::new();
    // lang -> (cases, exact)
    let mut by_lang: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for c in &cases {
        // the filter's own path: the text as a chat request's user message
        let Some(out) = filter_scan::outcome(&engine, &c.text) else {
            eprintln!("case {}: the filter's reader refused the body", c.id);
            return ExitCode::FAILURE;
        };
        let got: BTreeSet<String> = out.hits.into_iter().map(|h| h.rule).collect();
        for r in got.union(&c.expect) {
            let pack = pack_of.get(r).cloned().unwrap_or_else(|| "?".into());
            let e = t.entry(pack).or_default();
            match (c.expect.contains(r), got.contains(r)) {
                (true, true) => e[0] += 1,
                (false, true) => e[1] += 1,
                (true, false) => e[2] += 1,
                (false, false) => {}
            }
        }
        for r in &c.expect {
            if let Some(p) = pack_of.get(r) {
                t.entry(p.clone()).or_default()[3] += 1;
            }
        }
        if let Some(p) = c.near.as_ref().and_then(|n| pack_of.get(n)) {
            t.entry(p.clone()).or_default()[4] += 1;
        }
        let l = by_lang.entry(c.lang.clone()).or_default();
        l.0 += 1;
        if got == c.expect {
            l.1 += 1;
        } else {
            let gap = if c.xfail { " (known gap)" } else { "" };
            misses.push(format!(
                "  case {}{gap}: expected {:?}, got {:?}",
                c.id, c.expect, got
            ));
        }
    }
    println!("{} cases, {} rules", cases.len(), engine.rules().len());
    println!(
        "{:<14} {:>5} {:>5} {:>4} {:>4} {:>4} {:>9} {:>7}",
        "pack", "pos", "neg", "tp", "fp", "fn", "precision", "recall"
    );
    let mut all = [0usize; 5];
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    for (pack, v) in &t {
        for i in 0..5 {
            all[i] += v[i];
        }
        println!(
            "{pack:<14} {:>5} {:>5} {:>4} {:>4} {:>4} {:>9.3} {:>7.3}",
            v[3],
            v[4],
            v[0],
            v[1],
            v[2],
            ratio(v[0], v[0] + v[1]),
            ratio(v[0], v[0] + v[2])
        );
    }
    println!(
        "{:<14} {:>5} {:>5} {:>4} {:>4} {:>4} {:>9.3} {:>7.3}",
        "all",
        all[3],
        all[4],
        all[0],
        all[1],
        all[2],
        ratio(all[0], all[0] + all[1]),
        ratio(all[0], all[0] + all[2])
    );
    for (lang, (n, ok)) in &by_lang {
        println!("{lang}: {ok}/{n} cases exactly right");
    }
    if !misses.is_empty() {
        println!("mismatches:\n{}", misses.join("\n"));
    }
    real(&engine)
}

/// The second corpus: did the engine act (anything but `audit`)?
fn real(engine: &Engine) -> ExitCode {
    let cases = match corpus_real::load() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let (per, all, wrong) = corpus_real::score(engine, &cases);
    println!("\nreal corpus: {} cases", cases.len());
    println!(
        "{:<14} {:>4} {:>4} {:>4} {:>4} {:>9} {:>7} {:>8}",
        "pack", "tp", "fn", "fp", "neg", "precision", "recall", "fp rate"
    );
    for (pack, s) in per.iter().chain([(&"all".to_string(), &all)]) {
        println!(
            "{pack:<14} {:>4} {:>4} {:>4} {:>4} {:>9.3} {:>7.3} {:>8.3}",
            s.tp,
            s.fn_,
            s.fp,
            s.neg,
            s.precision(),
            s.recall(),
            s.fp_rate()
        );
    }
    for id in wrong {
        if let Some(c) = cases.iter().find(|c| c.id == id) {
            let what = if c.act { "missed" } else { "false positive" };
            let got = engine.scan_str(&c.text);
            let rules: Vec<String> = got
                .hits
                .iter()
                .map(|h| format!("{}:{}", h.rule, h.action.as_str()))
                .collect();
            println!(
                "  {what} {id} ({}, {}): {:?} {}",
                c.pack,
                c.lang,
                rules,
                c.text
                    .replace('\n', " ")
                    .chars()
                    .take(100)
                    .collect::<String>()
            );
        }
    }
    ExitCode::SUCCESS
}
