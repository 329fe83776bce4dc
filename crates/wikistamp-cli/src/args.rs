//! Command-line arguments.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::render;
use crate::report::Report;

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
    /// Write one self-contained HTML page that shows the vault's findings
    Report(ReportArgs),
    /// List every rule with its family, default severity and whether it can fix
    Rules(RulesArgs),
    /// Write a commented wikistamp.toml with every option at its default
    Init(InitArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
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
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request)
    Github,
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
    /// Apply safe fixes (to a fixpoint) and report what remains
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff, also apply unsafe fixes (they make an assumption; review them)
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff and write nothing (exit 1 when there are changes)
    #[arg(long)]
    pub diff: bool,
    /// Print a table of findings per rule (with how many can be fixed) instead of the findings
    #[arg(long)]
    pub statistics: bool,
    /// Never show a progress indicator
    #[arg(long)]
    pub no_progress: bool,
}

impl CheckArgs {
    /// The output format asked for, told only what it needs of the arguments.
    pub fn report(&self) -> Box<dyn Report> {
        if self.statistics {
            return Box::new(render::Statistics::new(
                self.format == Format::Json,
                self.quiet,
            ));
        }
        let quiet = self.quiet;
        match self.format {
            Format::Human => Box::new(render::Human {
                color: self.color.enabled(),
                quiet,
            }),
            Format::Concise => Box::new(render::Concise { quiet }),
            Format::Json => Box::new(render::Json),
            Format::Sarif => Box::new(render::Sarif::default()),
            Format::Github => Box::new(render::Github),
        }
    }
}

impl ColorChoice {
    /// Whether to colour standard output (`auto`: a terminal, and no `NO_COLOR`).
    fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// `report`: the check's options (selection, configuration, exit code) and where to write the page.
#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub check: CheckArgs,
    /// The HTML file to write
    #[arg(long, short, default_value = "wikistamp-report.html")]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Print the list as JSON
    #[arg(long, conflicts_with = "markdown")]
    pub json: bool,
    /// Print the full rule reference as Markdown (this is docs/rules.md)
    #[arg(long)]
    pub markdown: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to write wikistamp.toml into (default: the current directory)
    pub dir: Option<PathBuf>,
}
