//! The negative corpus of agent turns (`tests/data/agents/`, see its
//! README): the request bodies Claude Code, Codex CLI and OpenClaw send on
//! a clean turn, scanned as the filter scans them (default packs, every
//! text of the body: `all_messages`). Nothing in them may change the
//! request: no block, no reroute, no mask. The only hits allowed are the
//! audit-only ones the corpus README justifies.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use clawgate::risk::{Action, Engine, Layout, RiskConfig};
use clawgate::wire::Protocol;
use std::path::PathBuf;

/// Rules whose `audit` hits on these bodies are expected and harmless
/// (each is justified in tests/data/agents/README.md).
const AUDIT_ALLOWED: &[&str] = &[
    "salary_hr_keywords",
    "financial_metrics_keywords",
    "confidential_business_keywords",
];

struct Request {
    name: String,
    path: String,
    body: Vec<u8>,
}

fn corpus() -> Vec<Request> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/agents");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let stem = f.file_stem().unwrap().to_string_lossy().into_owned();
        for (i, line) in std::fs::read_to_string(&f).unwrap().lines().enumerate() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            out.push(Request {
                name: format!("{stem}#{}", i + 1),
                path: v["path"].as_str().unwrap().to_string(),
                body: serde_json::to_vec(&v["body"]).unwrap(),
            });
        }
    }
    out
}

fn shape(path: &str) -> &'static Layout {
    let protocol = if path.starts_with("/v1/messages") {
        Protocol::ANTHROPIC
    } else {
        Protocol::OPENAI
    };
    &protocol.dialect().layout
}

#[test]
fn corpus_has_every_client_and_turn() {
    let names: Vec<String> = corpus().into_iter().map(|r| r.name).collect();
    for client in [
        "claude-code",
        "codex",
        "openclaw-openai",
        "openclaw-anthropic",
    ] {
        for turn in ["plain", "tool"] {
            let file = format!("{client}.{turn}#");
            assert!(
                names.iter().any(|n| n.starts_with(&file)),
                "no {client} {turn} turn in tests/data/agents"
            );
        }
    }
    // a tool turn sends the tool's result back: at least two requests
    for client in [
        "claude-code",
        "codex",
        "openclaw-openai",
        "openclaw-anthropic",
    ] {
        let n = names
            .iter()
            .filter(|n| n.starts_with(&format!("{client}.tool#")))
            .count();
        assert!(n >= 2, "{client} tool turn has {n} requests");
    }
}

#[test]
fn default_packs_leave_a_clean_agent_turn_alone() {
    let e = Engine::compile(&RiskConfig::default()).unwrap();
    let mut failures = Vec::new();
    for r in corpus() {
        let (doc, scan) = e.read_body(&r.body).unwrap();
        let (out, edits) = e.outcome(&doc, &scan, shape(&r.path), &[]);
        for h in &out.hits {
            let allowed = h.action == Action::Audit && AUDIT_ALLOWED.contains(&h.rule.as_str());
            if !allowed {
                failures.push(format!(
                    "{} ({}): {} -> {}",
                    r.name,
                    r.path,
                    h.rule,
                    h.action.as_str()
                ));
            }
        }
        if !edits.is_empty() {
            failures.push(format!("{}: {} masked spans", r.name, edits.len()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
