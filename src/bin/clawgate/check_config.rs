//! `clawgate check-config FILE`: the filter's own parser and validator,
//! with YAML line/column for each error.

use crate::yaml_doc;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Plugin config, YAML (Higress console) or JSON (Envoy `configuration`).
    pub file: PathBuf,
}

/// Loads a config file the way the filter would see it; errors are lines
/// ready to print.
pub fn load(path: &std::path::Path) -> Result<clawgate::config::PluginConfig, Vec<String>> {
    let text =
        std::fs::read_to_string(path).map_err(|e| vec![format!("{}: {e}", path.display())])?;
    let doc = yaml_doc::parse(&text).map_err(|e| vec![format!("{}: {e}", path.display())])?;
    let hash = clawgate::config::hash_of(&doc.value);
    clawgate::config::from_value(doc.value.clone(), &hash).map_err(|errs| {
        errs.iter()
            .map(|e| match doc.locate(&e.path) {
                Some((line, col)) => format!("{}:{line}:{col}: {e}", path.display()),
                None => format!("{}: {e}", path.display()),
            })
            .collect()
    })
}

pub fn run(args: Args) -> ExitCode {
    match load(&args.file) {
        Ok(pc) => {
            let g = &pc.global;
            outln!(
                "OK: {} providers, {} models, {} predicates, {} route rules (config hash {})",
                g.catalog.providers.len(),
                g.catalog.models.len(),
                g.routing.predicates.len(),
                pc.rules.len(),
                g.hash
            );
            ExitCode::SUCCESS
        }
        Err(lines) => {
            for l in lines {
                eprintln!("{l}");
            }
            ExitCode::FAILURE
        }
    }
}
