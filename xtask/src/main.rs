//! `cargo xtask`: the project's commands, a thin clap front over the `codegen` library.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "Project tasks: generate the client crate from specs/")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate generated/ from specs/.
    Codegen {
        /// Write nothing; fail and name every stale file if generated/ is not up to date.
        #[arg(long)]
        check: bool,
    },
    /// Check the specs and report every problem, without writing anything.
    Validate,
}

fn main() -> ExitCode {
    let root = xtask::project_root();
    let result = match Cli::parse().command {
        Command::Codegen { check } => xtask::codegen(&root, check),
        Command::Validate => xtask::validate(&root),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("xtask: {err:#}");
            ExitCode::FAILURE
        }
    }
}
