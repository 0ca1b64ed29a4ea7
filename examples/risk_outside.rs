//! Recall and false positives of the default packs on an outside corpus
//! (one JSON object a line: `id`, `text`, `label` `pos`/`neg`, `group`,
//! `kind`, `lang`), read where it lies: nothing of it is copied here.
//!
//! `cargo run --release --example risk_outside -- <corpus.jsonl> [ids.txt]`
//!
//! Each text is scanned on the filter's own path (`support/filter_scan.rs`:
//! the one user message of a chat request, read by the filter's body
//! reader). A case counts as caught when the engine acts on it (any action
//! but `audit`). After the table come the misses and the false positives,
//! grouped by cause: for a miss, what the engine did find (rules that only
//! recorded) or that nothing matched; for a false positive, the rules that
//! acted. Ids only, never the texts. With a second argument, writes
//! `id acted rules…` per case, to diff two builds case by case.

#[path = "support/filter_scan.rs"]
mod filter_scan;

use clawgate::risk::{Action, Engine, RiskConfig};
use std::collections::BTreeMap;
use std::process::ExitCode;

#[derive(Default)]
struct Tally {
    pos: usize,
    tp: usize,
    neg: usize,
    fp: usize,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: risk_outside <corpus.jsonl> [ids.txt]");
        return ExitCode::FAILURE;
    };
    let data = match std::fs::read_to_string(path) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{path}: {e}");
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
    let mut by: BTreeMap<(String, String), Tally> = BTreeMap::new();
    let mut fp_rules: BTreeMap<String, usize> = BTreeMap::new();
    // negatives refused outright (the issue asks for none) and positives
    // refused, by how the request ends
    let (mut fp_blocks, mut tp_blocks) = (0usize, 0usize);
    let mut dump = String::new();
    // cause -> ids, for the misses and the false positives
    let mut misses: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut false_pos: BTreeMap<String, Vec<String>> = BTreeMap::new();
    // cases where the filter's path and `scan_str` disagree (they must not)
    let mut disagree = Vec::new();
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
        let Some(out) = filter_scan::outcome(&engine, &s("text")) else {
            eprintln!("{}: the filter's reader refused the body", s("id"));
            return ExitCode::FAILURE;
        };
        if engine.scan_str(&s("text")).action != out.action {
            disagree.push(s("id"));
        }
        let acted = out.action.is_some_and(|a| a > Action::Audit);
        let rules: Vec<String> = out
            .hits
            .iter()
            .filter(|h| h.action > Action::Audit)
            .map(|h| h.rule.clone())
            .collect();
        dump.push_str(&format!("{} {} {}\n", s("id"), acted, rules.join(",")));
        let pos = s("label") == "pos";
        if out.action == Some(Action::Block) {
            if pos {
                tp_blocks += 1;
            } else {
                fp_blocks += 1;
            }
        }
        for key in [
            ("all".to_string(), String::new()),
            ("group".to_string(), s("group")),
            ("kind".to_string(), s("kind")),
            ("lang".to_string(), s("lang")),
        ] {
            let t = by.entry(key).or_default();
            if pos {
                t.pos += 1;
                t.tp += usize::from(acted);
            } else {
                t.neg += 1;
                t.fp += usize::from(acted);
            }
        }
        if pos && !acted {
            let recorded: Vec<&str> = out.hits.iter().map(|h| h.rule.as_str()).collect();
            let cause = if recorded.is_empty() {
                format!("{} {}: nothing matched", s("kind"), s("category"))
            } else {
                format!(
                    "{} {}: recorded only by {}",
                    s("kind"),
                    s("category"),
                    recorded.join(",")
                )
            };
            misses.entry(cause).or_default().push(s("id"));
        }
        if !pos && acted {
            let cause = format!("{} ({}): {}", s("kind"), s("lang"), rules.join(","));
            false_pos.entry(cause).or_default().push(s("id"));
        }
        if !pos {
            for r in rules {
                *fp_rules.entry(r).or_default() += 1;
            }
        }
    }
    println!(
        "{:<6} {:<18} {:>5} {:>5} {:>7} {:>5} {:>5} {:>7}",
        "by", "value", "pos", "tp", "recall", "neg", "fp", "fp rate"
    );
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    for ((dim, val), t) in &by {
        println!(
            "{dim:<6} {val:<18} {:>5} {:>5} {:>7.3} {:>5} {:>5} {:>7.3}",
            t.pos,
            t.tp,
            ratio(t.tp, t.pos),
            t.neg,
            t.fp,
            ratio(t.fp, t.neg)
        );
    }
    println!("rules acting on negatives: {fp_rules:?}");
    println!("blocked: {tp_blocks} positives, {fp_blocks} negatives");
    for (title, list) in [("misses", &misses), ("false positives", &false_pos)] {
        let n: usize = list.values().map(Vec::len).sum();
        println!("\n{title} by cause ({n}):");
        for (cause, ids) in list {
            println!("  {:>3}  {cause}  [{}]", ids.len(), ids.join(" "));
        }
    }
    if !disagree.is_empty() {
        println!(
            "\nthe filter's path and scan_str disagree on {}: {}",
            disagree.len(),
            disagree.join(" ")
        );
        return ExitCode::FAILURE;
    }
    if let Some(out) = args.get(1) {
        if let Err(e) = std::fs::write(out, dump) {
            eprintln!("{out}: {e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
