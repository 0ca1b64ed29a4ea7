//! How often the default packs act on ordinary source code written by
//! other people: the files a coding agent reads and sends back as tool
//! results every turn. Code is a negative corpus nobody here wrote: the
//! packages `make agents` pins and the crates `Cargo.lock` pins, read where
//! they are installed, nothing copied into the project.
//!
//! `cargo run --release --example risk_code -- <dir>…`
//!
//! Files with a source, config or docs extension are read in path order
//! and cut into 2 KB pieces (at most 4 a file, spread over it; at most
//! 20,000 in all, taken evenly over the files), each scanned on the
//! filter's own path (`support/filter_scan.rs`). Prints the share of
//! pieces the engine acts on (any action but `audit`), per rule, and the
//! files behind the most frequent rules (paths only, never the text).
//! Some packages hold test fixtures shaped like keys or cards on purpose,
//! so the rate is a measure, not a test.

#[path = "support/filter_scan.rs"]
mod filter_scan;

use clawgate::risk::{Action, Engine, RiskConfig};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const PIECE: usize = 2048;
const PER_FILE: usize = 4;
const MAX_PIECES: usize = 20_000;
const EXTENSIONS: &[&str] = &[
    "rs", "py", "js", "mjs", "cjs", "ts", "json", "toml", "yaml", "yml", "md", "go", "sh", "c",
    "h", "html", "txt",
];

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_symlink() {
            continue;
        }
        if p.is_dir() {
            walk(&p, out);
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e))
        {
            out.push(p);
        }
    }
}

/// Up to `PER_FILE` pieces of `PIECE` bytes spread over `text`, cut at
/// character boundaries.
fn pieces(text: &str) -> Vec<&str> {
    let starts: Vec<usize> = if text.len() <= PIECE * PER_FILE {
        (0..text.len()).step_by(PIECE).collect()
    } else {
        let stride = (text.len() - PIECE) / (PER_FILE - 1);
        (0..PER_FILE).map(|i| i * stride).collect()
    };
    starts
        .into_iter()
        .filter_map(|s| {
            let s = (s..=text.len()).find(|&i| text.is_char_boundary(i))?;
            let e = (s + PIECE).min(text.len());
            let e = (e..=text.len()).find(|&i| text.is_char_boundary(i))?;
            (e > s).then(|| &text[s..e])
        })
        .collect()
}

fn main() -> ExitCode {
    let roots: Vec<String> = std::env::args().skip(1).collect();
    if roots.is_empty() {
        eprintln!("usage: risk_code <dir>…");
        return ExitCode::FAILURE;
    }
    let mut files = Vec::new();
    for r in &roots {
        walk(Path::new(r), &mut files);
    }
    let engine = match Engine::compile(&RiskConfig::default()) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{e:?}");
            return ExitCode::FAILURE;
        }
    };
    // every k-th file, so the cap spreads over all the roots
    let step = (files.len() * PER_FILE / MAX_PIECES).max(1);
    let (mut scanned, mut acting, mut blocked) = (0usize, 0usize, 0usize);
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    let mut where_: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for path in files.iter().step_by(step) {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        for piece in pieces(&text) {
            let Some(out) = filter_scan::outcome(&engine, piece) else {
                eprintln!("{}: the filter's reader refused the body", path.display());
                return ExitCode::FAILURE;
            };
            scanned += 1;
            if out.action.is_some_and(|a| a > Action::Audit) {
                acting += 1;
                blocked += usize::from(out.action == Some(Action::Block));
                for h in out.hits.iter().filter(|h| h.action > Action::Audit) {
                    *by_rule.entry(h.rule.clone()).or_default() += 1;
                    let w = where_.entry(h.rule.clone()).or_default();
                    if w.len() < 5 {
                        w.push(path.display().to_string());
                    }
                }
            }
        }
    }
    let rate = |n: usize| n as f64 / scanned.max(1) as f64;
    println!(
        "pieces {scanned} from {} files: acted on {acting} ({:.2}%), blocked {blocked} ({:.2}%)",
        files.len().div_ceil(step),
        100.0 * rate(acting),
        100.0 * rate(blocked)
    );
    let mut rules: Vec<_> = by_rule.into_iter().collect();
    rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (rule, n) in &rules {
        println!("  {rule:<32} {n:>6}  {:.2}%", 100.0 * rate(*n));
        for p in where_.get(rule).into_iter().flatten() {
            println!("      {p}");
        }
    }
    ExitCode::SUCCESS
}
