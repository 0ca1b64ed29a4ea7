//! `clawgate rules`: list the built-in risk rules, or run the risk engine
//! on text or a request file and print the hits.
//!
//! Exit status: 0 when the scan ran (with or without hits — read the
//! `action:` line or the JSON `action` field), 2 on usage, I/O or config
//! errors.

use clawgate::config::Config;
use clawgate::risk::{Engine, Match, Outcome};
use serde_json::{json, Map, Value};
use std::io::Read;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(clap::Subcommand)]
enum Cmd {
    /// Run the engine on text or an OpenAI request and print the hits.
    ///
    /// Input: --text, else --file (plain text, or a chat/completions/
    /// responses/embeddings request JSON, detected), else stdin (same
    /// detection). Exits 0 whenever the scan ran, hits or not.
    Test(TestArgs),
    /// Print every built-in rule: id, pack, severity, default action.
    List(ListArgs),
}

#[derive(clap::Args)]
struct TestArgs {
    /// Text to scan.
    #[arg(long, conflicts_with = "file")]
    text: Option<String>,
    /// File to scan: plain text or a request JSON.
    #[arg(long)]
    file: Option<std::path::PathBuf>,
    /// Plugin config (YAML or JSON); its `risk` section configures the engine.
    #[arg(long)]
    config: Option<std::path::PathBuf>,
    /// Print one JSON document instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct ListArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> ExitCode {
    let res = match args.cmd {
        Cmd::Test(a) => test(a),
        Cmd::List(a) => list(a),
    };
    match res {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("clawgate rules: {e}");
            ExitCode::from(2)
        }
    }
}

fn list(a: ListArgs) -> Result<(), String> {
    let rules = Engine::builtin_rules();
    if a.json {
        let s = serde_json::to_string_pretty(&rules).map_err(|e| e.to_string())?;
        println!("{s}");
        return Ok(());
    }
    println!(
        "{:<32} {:<14} {:<7} {:<19} description",
        "rule", "pack", "sev", "default action"
    );
    for r in rules {
        println!(
            "{:<32} {:<14} {:<7} {:<19} {}",
            r.id,
            r.category,
            sev(r.severity),
            r.action.as_str(),
            r.description
        );
    }
    Ok(())
}

fn sev(s: clawgate::risk::Severity) -> &'static str {
    match s {
        clawgate::risk::Severity::Low => "low",
        clawgate::risk::Severity::Medium => "medium",
        clawgate::risk::Severity::High => "high",
    }
}

/// The config as the filter would build it (YAML or JSON, fully
/// validated); without one, all built-in packs and nothing else.
fn load_config(path: Option<&std::path::Path>) -> Result<std::rc::Rc<Config>, String> {
    match path {
        Some(p) => Ok(crate::check_config::load(p)
            .map_err(|errs| errs.join("\n"))?
            .global),
        None => Ok(clawgate::config::from_value(serde_json::json!({}), "")
            .map_err(|errs| {
                errs.iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            })?
            .global),
    }
}

/// A redacted preview: first two characters, then `***`.
fn preview(s: &str) -> String {
    let head: String = s.chars().take(2).collect();
    format!("{head}***")
}

/// Where a hit is: `messages[2].content` style label of the text scanned.
struct Segment {
    label: String,
    text: String,
    matches: Vec<Match>,
}

fn test(a: TestArgs) -> Result<(), String> {
    let cfg = load_config(a.config.as_deref())?;
    let engine = &cfg.risk;
    let input = match (&a.text, &a.file) {
        (Some(t), _) => t.clone(),
        (None, Some(p)) => {
            std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?
        }
        (None, None) => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| format!("stdin: {e}"))?;
            s
        }
    };
    // A request JSON if it parses as an object with request fields;
    // everything else (including --text) is scanned as plain text.
    let request = if a.text.is_some() {
        None
    } else {
        match serde_json::from_str::<Value>(&input) {
            Ok(Value::Object(m))
                if ["messages", "input", "prompt", "instructions"]
                    .iter()
                    .any(|k| m.contains_key(*k)) =>
            {
                Some(m)
            }
            _ => None,
        }
    };
    let (kind, segments, outcome, masked_body) = match request {
        None => {
            let matches = engine.scan_text(&input);
            let outcome = engine.summarize(&matches);
            let seg = Segment {
                label: "text".into(),
                text: input,
                matches,
            };
            ("text", vec![seg], outcome, None)
        }
        Some(mut body) => {
            let mut segments = Vec::new();
            let mut n = 0;
            // a body given to the tester is read as an OpenAI request
            let layout = &clawgate::wire::Protocol::Openai.dialect().layout;
            clawgate::risk::visit_texts(
                &mut body.clone(),
                engine.scope(),
                layout,
                &mut |s: &mut String| {
                    n += 1;
                    segments.push(Segment {
                        label: format!("text #{n}"),
                        matches: engine.scan_text(s),
                        text: s.clone(),
                    });
                },
            );
            let outcome: Outcome = engine.scan_value(&mut body, layout);
            let masked = outcome.masked.then_some(body);
            ("request", segments, outcome, masked)
        }
    };
    if a.json {
        print_json(engine, kind, &segments, &outcome, masked_body)
    } else {
        print_text(engine, kind, &segments, &outcome);
        Ok(())
    }
}

fn print_text(engine: &Engine, kind: &str, segments: &[Segment], outcome: &Outcome) {
    let texts = segments.len();
    let bytes: usize = segments.iter().map(|s| s.text.len()).sum();
    println!(
        "scanned {kind}: {texts} text(s), {bytes} bytes, {} rules",
        engine.rules().len()
    );
    for seg in segments {
        for m in &seg.matches {
            let Some(r) = engine.rule(m.rule) else {
                continue;
            };
            println!(
                "  hit {:<30} {:<14} {:<7} {:<19} {} bytes {}..{}  {}",
                r.id,
                r.category,
                sev(r.severity),
                r.action.as_str(),
                seg.label,
                m.start,
                m.end,
                preview(seg.text.get(m.start..m.end).unwrap_or(""))
            );
        }
    }
    if !outcome.hits.is_empty() {
        println!("hits by rule:");
    }
    for h in &outcome.hits {
        println!("  {:<30} x{}", h.rule, h.count);
    }
    match outcome.action {
        Some(a) => println!(
            "action: {}{}",
            a.as_str(),
            if outcome.masked { " (masked)" } else { "" }
        ),
        None => println!("action: none (no hits)"),
    }
}

fn print_json(
    engine: &Engine,
    kind: &str,
    segments: &[Segment],
    outcome: &Outcome,
    masked_body: Option<Map<String, Value>>,
) -> Result<(), String> {
    let mut matches = Vec::new();
    for (i, seg) in segments.iter().enumerate() {
        for m in &seg.matches {
            let Some(r) = engine.rule(m.rule) else {
                continue;
            };
            matches.push(json!({
                "rule": r.id, "category": r.category, "severity": r.severity,
                "action": r.action, "text_index": i, "start": m.start, "end": m.end,
                "preview": preview(seg.text.get(m.start..m.end).unwrap_or("")),
            }));
        }
    }
    let mut doc = json!({
        "input": kind,
        "action": outcome.action,
        "hits": outcome.hits,
        "matches": matches,
        "masked": outcome.masked,
    });
    if let Some(b) = masked_body {
        doc["masked_body"] = Value::Object(b);
    }
    let s = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
    println!("{s}");
    Ok(())
}
