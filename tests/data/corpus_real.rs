#![allow(dead_code)]
//! Loader and scoring for `tests/data/risk_corpus_real.jsonl` (written by
//! `gen_risk_corpus_real.py`), shared by `tests/risk_corpus_real.rs` and
//! `examples/risk_eval.rs` (via `#[path]`).
//!
//! One JSON object per line: `id`, `lang`, `label` (`act`: must not leave
//! as is; `harmless`: must get no action but `audit`), `pack` (the pack that
//! should catch it, or the one it is a hard negative for), `text`, `note`.

use clawgate::risk::{Action, Engine};
use serde_json::Value;
use std::collections::BTreeMap;

pub struct Case {
    pub id: u64,
    pub lang: String,
    pub act: bool,
    pub pack: String,
    pub text: String,
}

pub const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/risk_corpus_real.jsonl"
);

pub fn load() -> Result<Vec<Case>, String> {
    let data = std::fs::read_to_string(PATH).map_err(|e| format!("{PATH}: {e}"))?;
    let mut out = Vec::new();
    for (n, line) in data
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let bad = |what: &str| format!("{PATH}:{}: {what}", n + 1);
        let v: Value = serde_json::from_str(line).map_err(|e| bad(&e.to_string()))?;
        let s = |k: &str| v[k].as_str().map(str::to_string).ok_or_else(|| bad(k));
        let label = s("label")?;
        if label != "act" && label != "harmless" {
            return Err(bad("label is act or harmless"));
        }
        out.push(Case {
            id: v["id"].as_u64().ok_or_else(|| bad("id"))?,
            lang: s("lang")?,
            act: label == "act",
            pack: s("pack")?,
            text: s("text")?,
        });
    }
    Ok(out)
}

/// Did the engine act on the text (any action stronger than `audit`)?
pub fn acts(e: &Engine, text: &str) -> bool {
    e.scan_str(text).action.is_some_and(|a| a > Action::Audit)
}

/// Per pack: caught, missed (act cases), false positives, harmless cases.
#[derive(Default, Clone, Copy)]
pub struct Score {
    pub tp: usize,
    pub fn_: usize,
    pub fp: usize,
    pub neg: usize,
}

impl Score {
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// Share of harmless cases that got an action.
    pub fn fp_rate(&self) -> f64 {
        if self.neg == 0 {
            0.0
        } else {
            self.fp as f64 / self.neg as f64
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores every case; returns per-pack scores, the total and the ids of
/// cases the engine got wrong.
pub fn score(e: &Engine, cases: &[Case]) -> (BTreeMap<String, Score>, Score, Vec<u64>) {
    let mut per: BTreeMap<String, Score> = BTreeMap::new();
    let mut all = Score::default();
    let mut wrong = Vec::new();
    for c in cases {
        let got = acts(e, &c.text);
        let s = per.entry(c.pack.clone()).or_default();
        match (c.act, got) {
            (true, true) => {
                s.tp += 1;
                all.tp += 1;
            }
            (true, false) => {
                s.fn_ += 1;
                all.fn_ += 1;
                wrong.push(c.id);
            }
            (false, got) => {
                s.neg += 1;
                all.neg += 1;
                if got {
                    s.fp += 1;
                    all.fp += 1;
                    wrong.push(c.id);
                }
            }
        }
    }
    (per, all, wrong)
}
