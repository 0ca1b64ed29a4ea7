//! `clawgate rules`: list the built-in risk rules, or run the risk engine
//! on text or a request file and print the hits.
//!
//! Exit status: 0 when the scan ran (with or without hits — read the
//! `action:` line or the JSON `action` field), 2 on usage, I/O or config
//! errors.

use clawgate::config::Config;
use clawgate::risk::{Engine, Match, Outcome};
use serde_json::{json, Value};
use std::io::Read;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(clap::Subcommand)]
enum Cmd {
    /// Run the engine on text or a request and print the hits.
    ///
    /// Input: --text, else --file (plain text, or a chat/completions/
    /// responses/embeddings/messages request JSON, detected), else stdin
    /// (same detection). A request is read by the filter's own reader, as
    /// the pipeline reads a body. Exits 0 whenever the scan ran, hits or not.
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
    /// Read the request as an Anthropic Messages body (`…/messages`): the
    /// `last_user` scope then picks Anthropic's current turn.
    #[arg(long)]
    anthropic: bool,
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
        outln!("{s}");
        return Ok(());
    }
    outln!(
        "{:<32} {:<14} {:<7} {:<19} description",
        "rule",
        "pack",
        "sev",
        "default action"
    );
    for r in rules {
        outln!(
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
    let request = a.text.is_none()
        && matches!(serde_json::from_str::<Value>(&input), Ok(Value::Object(m))
            if ["messages", "input", "prompt", "instructions"].iter().any(|k| m.contains_key(*k)));
    let (kind, segments, outcome, masked_body) = match request {
        false => {
            let matches = engine.scan_text(&input);
            let outcome = engine.summarize(&matches);
            let seg = Segment {
                label: "text".into(),
                text: input,
                matches,
            };
            ("text", vec![seg], outcome, None)
        }
        true => {
            let protocol = if a.anthropic {
                clawgate::wire::Protocol::ANTHROPIC
            } else {
                clawgate::wire::Protocol::OPENAI
            };
            let layout = &protocol.dialect().layout;
            let (segments, outcome, masked) = scan_body(engine, input.as_bytes(), layout)?;
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

/// A request body scanned on the pipeline's path: read in place piece by
/// piece (`Engine::read_body`, what `openai::request::parse` calls), then
/// the outcome and mask edits for the texts the scope selects
/// (`Engine::outcome`, what `Endpoint::scan` calls). The masked body is
/// the client's bytes with the filter's splices applied.
fn scan_body(
    engine: &Engine,
    bytes: &[u8],
    layout: &clawgate::risk::Layout,
) -> Result<(Vec<Segment>, Outcome, Option<Value>), String> {
    let (doc, scan) = engine
        .read_body(bytes)
        .map_err(|_| "the request is not valid JSON as the filter reads it".to_string())?;
    let (outcome, edits) = engine.outcome(&doc, &scan, layout, &[]);
    let segments = engine
        .texts_with_hits(&doc, &scan, layout)
        .into_iter()
        .enumerate()
        .map(|(i, (text, matches))| Segment {
            label: format!("text #{}", i + 1),
            text,
            matches,
        })
        .collect();
    let masked = if edits.is_empty() {
        None
    } else {
        let body = clawgate::json::splice::apply(bytes, edits);
        Some(serde_json::from_slice(&body).map_err(|e| format!("masked body: {e}"))?)
    };
    Ok((segments, outcome, masked))
}

fn print_text(engine: &Engine, kind: &str, segments: &[Segment], outcome: &Outcome) {
    let with_hits = segments.iter().filter(|s| !s.matches.is_empty()).count();
    outln!(
        "scanned {kind}: {with_hits} text(s) with hits, {} rules",
        engine.rules().len()
    );
    for seg in segments {
        for m in &seg.matches {
            let Some(r) = engine.rule(m.rule) else {
                continue;
            };
            outln!(
                "  hit {:<30} {:<14} {:<7} {:<19} {} bytes {}..{}  {}",
                r.id,
                r.category,
                sev(r.severity),
                engine.match_action(m).unwrap_or(r.action).as_str(),
                seg.label,
                m.start,
                m.end,
                preview(seg.text.get(m.start..m.end).unwrap_or(""))
            );
        }
    }
    if !outcome.hits.is_empty() {
        outln!("hits by rule:");
    }
    for h in &outcome.hits {
        outln!("  {:<30} x{}", h.rule, h.count);
    }
    match outcome.action {
        Some(a) => outln!(
            "action: {}{}",
            a.as_str(),
            if outcome.masked { " (masked)" } else { "" }
        ),
        None => outln!("action: none (no hits)"),
    }
}

/// One match as `rules test --json` shows it: `action` is what the match
/// does (`audit` for a keyword without evidence, at most a reroute for a
/// plausible match), `rule_action` what its rule is set to.
fn match_doc(engine: &Engine, i: usize, text: &str, m: &Match) -> Option<Value> {
    let r = engine.rule(m.rule)?;
    Some(json!({
        "rule": r.id, "category": r.category, "severity": r.severity,
        "action": engine.match_action(m).unwrap_or(r.action),
        "rule_action": r.action, "text_index": i, "start": m.start, "end": m.end,
        "preview": preview(text.get(m.start..m.end).unwrap_or("")),
    }))
}

fn print_json(
    engine: &Engine,
    kind: &str,
    segments: &[Segment],
    outcome: &Outcome,
    masked_body: Option<Value>,
) -> Result<(), String> {
    let matches: Vec<Value> = segments
        .iter()
        .enumerate()
        .flat_map(|(i, seg)| {
            seg.matches
                .iter()
                .filter_map(move |m| match_doc(engine, i, &seg.text, m))
        })
        .collect();
    let mut doc = json!({
        "input": kind,
        "action": outcome.action,
        "hits": outcome.hits,
        "matches": matches,
        "masked": outcome.masked,
    });
    if let Some(b) = masked_body {
        doc["masked_body"] = b;
    }
    let s = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
    outln!("{s}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clawgate::wire::request::parse;
    use clawgate::wire::Protocol;

    fn openai() -> &'static clawgate::risk::Layout {
        &Protocol::OPENAI.dialect().layout
    }

    fn engine() -> std::rc::Rc<Config> {
        load_config(None).unwrap()
    }

    /// Each match shows what it does, not only what its rule is set to: a
    /// keyword without evidence records, a key shown in part reroutes.
    #[test]
    fn a_match_shows_the_action_it_takes() {
        let cfg = engine();
        let e = &cfg.risk;
        let action = |text: &str, rule: &str| {
            e.scan_text(text)
                .iter()
                .filter_map(|m| match_doc(e, 0, text, m))
                .find(|d| d["rule"] == rule)
                .map(|d| (d["action"].clone(), d["rule_action"].clone()))
        };
        assert_eq!(
            action("What is EBITDA?", "financial_metrics_keywords"),
            Some((json!("audit"), json!("route_secure_model")))
        );
        assert_eq!(
            action(
                "mine: -----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n",
                "private_key_marker"
            ),
            Some((json!("route_secure_model"), json!("block")))
        );
    }

    /// `rules test` and the filter give one answer: the same action, hits
    /// and masked bytes as `parse` + `Engine::outcome`, the pipeline's calls.
    #[test]
    fn a_request_is_read_as_the_pipeline_reads_it() {
        let cfg = clawgate::config::from_value(
            json!({"risk": {"overrides": {"email_address": {"action": "mask"}}}}),
            "",
        )
        .unwrap()
        .global;
        let e = &cfg.risk;
        let bodies = [
            r#"{"model":"m","messages":[{"role":"user","content":"mail kim.park@acme-corp.com today"}]}"#,
            r#"{"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","description":"key sk-proj-4f9b2c8d1e7a6b3c5d0e9f8a7b6c5d4e3f2a1b0c"}}]}"#,
            r#"{"model":"m","messages":[{"role":"user","content":"what is EBITDA?"}]}"#,
        ];
        for body in bodies {
            let (_, mine, masked) = scan_body(e, body.as_bytes(), openai()).unwrap();
            let (req, scan) = parse(body.as_bytes(), |b| e.read_body(b)).unwrap();
            let (theirs, edits) = e.outcome(&req.doc, &scan, openai(), &[]);
            assert_eq!(mine.action, theirs.action, "{body}");
            assert_eq!(mine.hits, theirs.hits, "{body}");
            let filtered = (!edits.is_empty()).then(|| {
                serde_json::from_slice::<Value>(&clawgate::json::splice::apply(
                    body.as_bytes(),
                    edits,
                ))
                .unwrap()
            });
            assert_eq!(masked, filtered, "{body}");
        }
        let (segs, o, masked) = scan_body(e, bodies[0].as_bytes(), openai()).unwrap();
        assert_eq!(o.action, Some(clawgate::risk::Action::Mask));
        assert_eq!(segs.len(), 1);
        let m = &segs[0].matches[0];
        assert_eq!(&segs[0].text[m.start..m.end], "kim.park@acme-corp.com");
        assert!(!masked.unwrap().to_string().contains("kim.park"));
    }

    #[test]
    fn a_body_the_filter_refuses_is_an_error_not_a_clean_scan() {
        let cfg = engine();
        assert!(scan_body(&cfg.risk, br#"{"messages":[],"messages":[]}"#, openai()).is_err());
    }
}
