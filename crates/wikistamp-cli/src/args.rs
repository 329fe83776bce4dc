//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "wikistamp",
    version,
    about = "Lint timestamped wiki notes: links, citations, callouts and sources",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check notes (default: the current directory)
    Check(CheckArgs),
    /// List every rule with its family, default severity and whether it can fix
    Rules(RulesArgs),
    /// Show a rule's documentation
    Explain {
        /// The rule id, e.g. link-broken
        rule: String,
    },
    /// Run the language server on standard input and output
    Lsp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Source excerpts with the finding underlined
    Human,
    /// One `path:line:col: severity[rule] message` per line
    Concise,
    /// The stable JSON contract (version 1)
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders to check; links always resolve against the whole vault
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Only these rules (ids or families, comma-separated)
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Skip these rules (ids or families, comma-separated)
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Lowest severity that makes the exit code 1
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Use this configuration file instead of the vault root's wikistamp.toml
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Lint standard input (pass `-` as the path) as if it were this file
    #[arg(long)]
    pub stdin_filename: Option<PathBuf>,
    /// When to colour human output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print only the findings, no summary
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Print the list as JSON
    #[arg(long)]
    pub json: bool,
}
