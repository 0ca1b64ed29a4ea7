//! Precision and recall per pack on the labelled corpus
//! (`tests/data/risk_corpus.jsonl`, the same file `tests/risk_corpus.rs`
//! asserts). `cargo run --example risk_eval`
//!
//! Per case and rule: expected and hit = TP, hit only = FP, expected only
//! = FN. Counted per pack (the rule's category). Cases marked `xfail`
//! are known gaps and count like any other case here.

#[path = "../tests/data/corpus.rs"]
mod corpus;

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
        let got: BTreeSet<String> = engine
            .scan_str(&c.text)
            .hits
            .into_iter()
            .map(|h| h.rule)
            .collect();
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
    ExitCode::SUCCESS
}
