//! The `clawgate` native binary: audit sidecar and operator CLI.

/// `print!` for the commands' output: a reader that stops early
/// (`clawgate rules list | head`) closes the pipe, and `print!` would
/// panic on the write that fails. The command ends quietly instead, with
/// the status of a process SIGPIPE killed. (Defined before the modules
/// that use it.)
macro_rules! out {
    ($($t:tt)*) => { $crate::write_out(format_args!($($t)*), false) };
}

/// [`out!`] with a newline.
macro_rules! outln {
    ($($t:tt)*) => { $crate::write_out(format_args!($($t)*), true) };
}

mod assign;
mod audit_cmd;
mod audit_shadow;
mod check_config;
mod config_cmd;
mod db_arg;
mod docs_cmd;
mod probe;
mod rules;
mod schema_cmd;
mod serve;
mod yaml_doc;

use clap::{Parser, Subcommand};
use std::io::{self, Write};
use std::process::ExitCode;

/// What [`out!`] and [`outln!`] do: write to stdout; on a closed pipe
/// exit with 141 (128 + SIGPIPE), as `head`'s other writers do. Never 0:
/// the command did not finish, and `audit verify | head` or `probe |
/// head` under `set -o pipefail` must not read as a check that passed.
/// On any other write error say so and exit 1.
fn write_out(args: std::fmt::Arguments, newline: bool) {
    let mut o = io::stdout().lock();
    let written = o
        .write_fmt(args)
        .and_then(|()| if newline { o.write_all(b"\n") } else { Ok(()) });
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(141),
        Err(e) => {
            eprintln!("clawgate: cannot write the output: {e}");
            std::process::exit(1)
        }
    }
}

#[derive(Parser)]
#[command(
    name = "clawgate",
    version,
    about = "clawgate: AI-governance gateway sidecar and tools"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run the audit sidecar (HTTP API, storage, web page).
    Serve(serve::Args),
    /// Parse and validate a plugin config exactly as the filter does.
    CheckConfig(check_config::Args),
    /// Risk rules: test text or a request against the engine.
    Rules(rules::Args),
    /// Query, export and verify the audit trail.
    Audit(audit_cmd::Args),
    /// The configuration history (secrets redacted): list, show, diff.
    Config(config_cmd::Args),
    /// Connectivity test of the configured providers and models.
    Probe(probe::Args),
    /// Switch an identity's model: probe, edit the YAML in place, install.
    Assign(assign::AssignArgs),
    /// Restore the config `assign` replaced.
    Rollback(assign::RollbackArgs),
    /// Print the plugin config's schema (OpenAPI v3, for the Higress console).
    Schema(schema_cmd::Args),
    /// Print a table docs/ carries (errors, config), or rewrite them all.
    #[command(hide = true)]
    Docs(docs_cmd::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.cmd {
        Cmd::Serve(a) => serve::run(a),
        Cmd::CheckConfig(a) => check_config::run(a),
        Cmd::Rules(a) => rules::run(a),
        Cmd::Audit(a) => audit_cmd::run(a),
        Cmd::Config(a) => config_cmd::run(a),
        Cmd::Probe(a) => probe::run(a),
        Cmd::Assign(a) => assign::assign(a),
        Cmd::Rollback(a) => assign::rollback(a),
        Cmd::Schema(a) => schema_cmd::run(a),
        Cmd::Docs(a) => docs_cmd::run(a),
    }
}
