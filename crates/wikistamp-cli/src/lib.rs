//! `wikistamp`: the command line. It walks, configures and renders; every finding comes from
//! `wikistamp-analysis`. The binary (the root package's `src/main.rs`) only calls [`main`].

mod args;
mod check;
mod fixing;
mod init;
mod paths;
mod progress;
mod render;
mod report;
mod rules_cmd;

use std::process::ExitCode;

/// mimalloc: a check allocates millions of small objects from two threads; glibc's malloc
/// spent ~12% of a corpus run (see docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;

use args::{Cli, Command};

/// Exit code for usage, configuration and I/O errors (1 means findings).
const EXIT_ERROR: u8 = 2;

/// Runs the command line with the process's arguments.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Report(args) => check::page::run(&args),
        Command::Rules(args) => rules_cmd::list(&args),
        Command::Init(args) => init::run(&args),
        Command::Completions { shell } => init::completions(shell),
        Command::Explain { rule } => rules_cmd::explain(&rule),
        Command::Lsp => wikistamp_lsp::run_stdio()
            .map(|()| 0)
            .map_err(|e| e.to_string()),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("wikistamp: error: {message}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}
