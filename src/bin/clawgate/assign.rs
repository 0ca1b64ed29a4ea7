//! `clawgate assign WHO MODEL --config FILE` and `clawgate rollback`: switch
//! an identity's model the HiClaw way. The model is probed through the
//! gateway first; the YAML is edited in place (comments and layout kept),
//! validated with the filter's own parser, the previous version kept as
//! `FILE.prev`, and both the YAML and the Envoy file-discovery resource
//! (`--ecds`) are replaced atomically, so Envoy swaps the filter config
//! while streams finish.

use crate::yaml_doc;
use clawgate::config::PluginConfig;
use clawgate::wire::Protocol;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct AssignArgs {
    /// `manager`, `worker:NAME` (the `worker-NAME` identity) or any
    /// identity value the assignment header carries.
    pub who: String,
    pub model: String,
    #[command(flatten)]
    pub files: Files,
    /// Gateway the model is probed through first.
    #[arg(long, default_value = "http://127.0.0.1:10000")]
    pub gateway: String,
    #[arg(long, env = "CLAWGATE_PROBE_KEY", hide_env_values = true)]
    pub api_key: Option<String>,
    #[arg(long, default_value_t = 30)]
    pub timeout_secs: u64,
}

#[derive(clap::Args)]
pub struct RollbackArgs {
    #[command(flatten)]
    pub files: Files,
}

#[derive(clap::Args)]
pub struct Files {
    /// The plugin config, YAML: the file people edit.
    #[arg(long)]
    pub config: PathBuf,
    /// Envoy's file-discovery resource for the filter (a DiscoveryResponse
    /// whose Wasm `configuration` gets the new config).
    #[arg(long)]
    pub ecds: Option<PathBuf>,
}

/// The assignment key for `who`.
pub fn identity(who: &str) -> String {
    match who.strip_prefix("worker:") {
        Some(name) => format!("worker-{name}"),
        None => who.to_string(),
    }
}

/// Sets `assignments.map.<key>: <model>` in YAML text, touching only that
/// line (or adding one): comments, order and layout stay.
pub fn set_assignment(text: &str, key: &str, model: &str) -> Result<String, String> {
    let doc = yaml_doc::parse(text)?;
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let quoted = |s: &str| serde_json::to_string(s).unwrap_or_default();
    if let Some((line, col)) = doc.positions.get(&format!("assignments.map.{key}")) {
        let l = lines
            .get_mut(line - 1)
            .ok_or("assignment line out of range")?;
        let from = col - 1;
        let colon = l
            .get(from..)
            .and_then(|rest| rest.find(':'))
            .map(|i| from + i)
            .ok_or("assignments.map is not a block mapping; edit it by hand")?;
        // keep a trailing comment with the spaces before it
        let rest = &l[colon + 1..];
        let comment = match rest.find(" #") {
            Some(i) => rest[rest[..i].trim_end().len()..].to_string(),
            None => String::new(),
        };
        *l = format!("{}: {}{comment}", &l[..colon], quoted(model));
    } else if let Some((line, col)) = doc.positions.get("assignments.map") {
        // children of `map:` sit deeper than it; take the first one's indent
        let indent = lines
            .iter()
            .skip(*line)
            .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .map(|l| l.len() - l.trim_start().len())
            .filter(|i| *i > col - 1)
            .unwrap_or(col - 1 + 2);
        let at = line.to_owned();
        if lines.get(at - 1).is_some_and(|l| l.contains('{')) {
            return Err("assignments.map is a flow mapping; edit it by hand".into());
        }
        lines.insert(
            at,
            format!("{}{}: {}", " ".repeat(indent), quoted(key), quoted(model)),
        );
    } else if doc.positions.contains_key("assignments") {
        return Err("`assignments` has no `map`; add one by hand".into());
    } else {
        lines.push("assignments:".into());
        lines.push("  map:".into());
        lines.push(format!("    {}: {}", quoted(key), quoted(model)));
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

fn prev(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(".prev");
    PathBuf::from(p)
}

/// Writes `data` next to `path` and renames it over: readers (and Envoy's
/// file watcher) see the old file or the new one, never half of one.
fn write_atomic(path: &Path, data: &[u8]) -> Result<(), String> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, data).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("{}: {e}", path.display()))
}

/// The ECDS resource with the plugin config replaced by `config`.
fn ecds_with(ecds: &str, config: &Value) -> Result<String, String> {
    let mut v: Value =
        serde_json::from_str(ecds).map_err(|e| format!("ECDS file is not JSON: {e}"))?;
    let slot = v
        .pointer_mut("/resources/0/typed_config/config/configuration/value")
        .ok_or("ECDS file has no resources[0].typed_config.config.configuration.value")?;
    *slot = Value::String(config.to_string());
    // a new version string makes the change visible in Envoy's config dump
    if let Some(ver) = v.get_mut("version_info") {
        *ver = Value::String(clawgate::config::hash_of(config));
    }
    serde_json::to_string_pretty(&v).map_err(|e| e.to_string())
}

/// Validates `text` with the filter's parser; returns the document and
/// the config it makes.
fn checked(text: &str, path: &Path) -> Result<(Value, PluginConfig), String> {
    let doc = yaml_doc::parse(text).map_err(|e| format!("{}: {e}", path.display()))?;
    let hash = clawgate::config::hash_of(&doc.value);
    let pc = clawgate::config::from_value(doc.value.clone(), &hash).map_err(|errs| {
        errs.iter()
            .map(|e| format!("{}: {e}", path.display()))
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    Ok((doc.value, pc))
}

/// Puts `text` in place of the config (keeping the old one) and the ECDS
/// resource.
fn install(files: &Files, text: &str, keep_previous: Option<&str>) -> Result<(), String> {
    let (value, _) = checked(text, &files.config)?;
    if let Some(old) = keep_previous {
        write_atomic(&prev(&files.config), old.as_bytes())?;
    }
    write_atomic(&files.config, text.as_bytes())?;
    if let Some(ecds) = &files.ecds {
        let cur = std::fs::read_to_string(ecds).map_err(|e| format!("{}: {e}", ecds.display()))?;
        write_atomic(ecds, ecds_with(&cur, &value)?.as_bytes())?;
    }
    Ok(())
}

pub fn assign(a: AssignArgs) -> ExitCode {
    let key = identity(&a.who);
    let run = || -> Result<String, String> {
        let old = std::fs::read_to_string(&a.files.config)
            .map_err(|e| format!("{}: {e}", a.files.config.display()))?;
        let new = set_assignment(&old, &key, &a.model)?;
        let (_, pc) = checked(&new, &a.files.config)?;
        // probed in a protocol the model speaks
        let protocol = match pc
            .global
            .catalog
            .find_model(&a.model)
            .map(|i| &pc.global.catalog.models[i])
        {
            Some(m) if !m.speaks(Protocol::OPENAI) => Protocol::ANTHROPIC,
            _ => Protocol::OPENAI,
        };
        let agent = crate::probe::agent(a.timeout_secs);
        let base = a.gateway.trim_end_matches('/');
        let p = crate::probe::probe_one(&agent, base, a.api_key.as_deref(), &a.model, protocol);
        if !(200..300).contains(&p.status) {
            return Err(format!(
                "probe of `{}` through {base} failed ({} {}); config unchanged",
                a.model, p.status, p.detail
            ));
        }
        install(&a.files, &new, Some(&old))?;
        Ok(format!(
            "assigned {key} -> {} (probe {} in {:.0} ms); previous config kept in {}",
            a.model,
            p.status,
            p.ms,
            prev(&a.files.config).display()
        ))
    };
    report("assign", run())
}

pub fn rollback(a: RollbackArgs) -> ExitCode {
    let run = || -> Result<String, String> {
        let p = prev(&a.files.config);
        let old = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        let cur = std::fs::read_to_string(&a.files.config)
            .map_err(|e| format!("{}: {e}", a.files.config.display()))?;
        // the current one becomes the previous: a second rollback redoes
        install(&a.files, &old, Some(&cur))?;
        Ok(format!("restored {}", a.files.config.display()))
    };
    report("rollback", run())
}

fn report(cmd: &str, r: Result<String, String>) -> ExitCode {
    match r {
        Ok(m) => {
            outln!("{m}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("clawgate {cmd}: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "# the team's gateway\nmodels:\n  - name: m1   # default\n    provider: p\nassignments:\n  header: x-assignee   # who is who\n  map:\n    manager: m1  # the boss\n    \"worker-*\": m1\n";

    #[test]
    fn edits_one_line_and_keeps_the_rest() {
        let out = set_assignment(YAML, "manager", "m2").unwrap();
        assert_eq!(
            out,
            YAML.replace("manager: m1  # the boss", "manager: \"m2\"  # the boss")
        );
        let added = set_assignment(YAML, "worker-ann", "m2").unwrap();
        assert!(added.contains("  map:\n    \"worker-ann\": \"m2\"\n    manager: m1  # the boss"));
        assert!(added.starts_with("# the team's gateway\n"));
        let fresh = set_assignment("models: []\n", "manager", "m2").unwrap();
        assert_eq!(
            fresh,
            "models: []\nassignments:\n  map:\n    \"manager\": \"m2\"\n"
        );
        assert!(set_assignment("assignments:\n  map: {manager: m1}\n", "x", "m").is_err());
        assert_eq!(identity("worker:ann"), "worker-ann");
        assert_eq!(identity("manager"), "manager");
    }

    #[test]
    fn ecds_gets_the_new_config() {
        let ecds = r#"{"version_info":"1","resources":[{"typed_config":{"config":{"configuration":{"value":"{}"}}}}]}"#;
        let out = ecds_with(ecds, &serde_json::json!({"models": []})).unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            v["resources"][0]["typed_config"]["config"]["configuration"]["value"],
            "{\"models\":[]}"
        );
        assert_ne!(v["version_info"], "1");
        assert!(ecds_with("{}", &Value::Null).is_err());
    }
}
