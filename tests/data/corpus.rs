//! Loader for `tests/data/risk_corpus.jsonl`, shared by
//! `tests/risk_corpus.rs` and `examples/risk_eval.rs` (via `#[path]`).
//!
//! One JSON object per line: `id`, `lang` (`en`/`zh`), `expect` (rule ids
//! that must hit, exactly), optional `near` (the rule a negative case is a
//! near miss for), `text`, optional `note`, optional `acts` (whether the
//! final action must be stronger than `audit`: keyword rules without
//! evidence hit, but only as `audit`).

use serde_json::Value;
use std::collections::BTreeSet;

pub struct Case {
    pub id: u64,
    pub lang: String,
    pub expect: BTreeSet<String>,
    pub near: Option<String>,
    pub text: String,
    pub xfail: bool,
    /// Read by the test only, not by `risk_eval`.
    #[allow(dead_code)]
    pub acts: Option<bool>,
}

pub const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/risk_corpus.jsonl");

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
        let s = |k: &str| v[k].as_str().map(str::to_string);
        let expect = v["expect"]
            .as_array()
            .ok_or_else(|| bad("missing expect"))?
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| bad("expect: not a string"))
            })
            .collect::<Result<_, _>>()?;
        out.push(Case {
            id: v["id"].as_u64().ok_or_else(|| bad("missing id"))?,
            lang: s("lang").ok_or_else(|| bad("missing lang"))?,
            expect,
            near: s("near"),
            text: s("text").ok_or_else(|| bad("missing text"))?,
            xfail: v["xfail"].as_bool().unwrap_or(false),
            acts: v["acts"].as_bool(),
        });
    }
    Ok(out)
}
