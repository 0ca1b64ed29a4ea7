//! `clawgate config list|show|diff`: the configuration history the
//! filters sent the sidecar (secrets redacted), straight from its store.

use crate::serve::store;
use serde_json::Value;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    cmd: Cmd,
    #[command(flatten)]
    db: crate::db_arg::Db,
}

#[derive(clap::Subcommand)]
enum Cmd {
    /// Every configuration seen, newest first.
    List,
    /// One configuration, as JSON.
    Show { hash: String },
    /// What changed from configuration A to configuration B.
    Diff { a: String, b: String },
}

pub fn run(args: Args) -> ExitCode {
    match exec(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("clawgate config: {e}");
            ExitCode::from(2)
        }
    }
}

fn exec(args: Args) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let s = store::open(&args.db.db)?;
    let doc = |h: &str| -> Result<Value, String> {
        s.config(h)
            .map_err(|e| match e {
                store::StoreError::NotFound => format!("no configuration with hash {h}"),
                e => e.to_string(),
            })?
            .config
            .ok_or_else(|| format!("{h}: empty"))
    };
    match args.cmd {
        Cmd::List => {
            for c in s.configs()? {
                outln!("{}  {}", c.hash, c.first_seen_ms);
            }
        }
        Cmd::Show { hash } => outln!("{}", serde_json::to_string_pretty(&doc(&hash)?)?),
        Cmd::Diff { a, b } => {
            let lines = diff(&doc(&a)?, &doc(&b)?);
            if lines.is_empty() {
                outln!("no differences");
            }
            for l in lines {
                outln!("{l}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One line per changed leaf: `~ path: old -> new`, `+ path: new`,
/// `- path: old`, paths as `check-config` writes them.
pub fn diff(a: &Value, b: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk("", a, b, &mut out);
    out
}

fn join(base: &str, key: &str) -> String {
    if base.is_empty() {
        key.to_string()
    } else {
        format!("{base}.{key}")
    }
}

fn walk(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                match y.get(k) {
                    Some(vb) => walk(&join(path, k), va, vb, out),
                    None => out.push(format!("- {}: {va}", join(path, k))),
                }
            }
            for (k, vb) in y {
                if !x.contains_key(k) {
                    out.push(format!("+ {}: {vb}", join(path, k)));
                }
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            for i in 0..x.len().max(y.len()) {
                let p = format!("{path}[{i}]");
                match (x.get(i), y.get(i)) {
                    (Some(va), Some(vb)) => walk(&p, va, vb, out),
                    (Some(va), None) => out.push(format!("- {p}: {va}")),
                    (None, Some(vb)) => out.push(format!("+ {p}: {vb}")),
                    (None, None) => {}
                }
            }
        }
        _ if a != b => out.push(format!("~ {path}: {a} -> {b}")),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changed_added_removed() {
        let a = json!({"models": [{"name": "m", "pricing": {"input_per_1m": 1}}], "audit": {"cluster": "c"}});
        let b = json!({"models": [{"name": "m", "pricing": {"input_per_1m": 2}}, {"name": "n"}],
                       "budgets": {"limits": []}});
        assert_eq!(
            diff(&a, &b),
            [
                "~ models[0].pricing.input_per_1m: 1 -> 2",
                "+ models[1]: {\"name\":\"n\"}",
                "- audit: {\"cluster\":\"c\"}",
                "+ budgets: {\"limits\":[]}",
            ]
        );
        assert!(diff(&a, &a).is_empty());
    }
}
