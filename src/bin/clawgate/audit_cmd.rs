//! `clawgate audit_cmd` (not implemented yet).

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> ExitCode {
    eprintln!("clawgate: this command is not implemented yet");
    ExitCode::FAILURE
}
