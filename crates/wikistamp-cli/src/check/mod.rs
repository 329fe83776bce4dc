//! `wikistamp check`: configure the check from the arguments, then drive one of its pipelines
//! over notes the workspace reads:
//! - [`vault`]: a vault (or part of it), streamed: read, checked and written a chunk at a time;
//! - [`stdin`]: one note from standard input, checked against its vault's index;
//! - [`fix`]: notes held in memory (a vault's for `--fix` / `--diff`, or standard input's),
//!   checked, fixed to a fixpoint and checked again.

mod fix;
pub mod page;
mod stdin;
mod vault;

use std::path::{Path, PathBuf};

use wikistamp_analysis::config::{Config, RuleLevel};
use wikistamp_analysis::Severity;
use wikistamp_analysis::{rules, suggest};
use wikistamp_workspace as workspace;

use crate::args::{CheckArgs, FailOn, Format};
use crate::paths::{absolute, display_relative};
use crate::progress::Progress;
use crate::report::{self, plural, Findings};

use fix::FixSummary;

pub fn run(args: &CheckArgs) -> Result<u8, String> {
    if args.unsafe_fixes && !(args.fix || args.diff) {
        return Err("--unsafe-fixes needs --fix or --diff".into());
    }
    if args.fix && args.diff {
        return Err(
            "--fix and --diff exclude each other (--diff shows the fixes without writing them)"
                .into(),
        );
    }
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let cwd = std::fs::canonicalize(&cwd).unwrap_or(cwd);
    let progress = Progress::start(!args.no_progress && !args.quiet);
    if args.stdin_filename.is_none() && !args.fix && !args.diff {
        if args.paths.iter().any(|p| p.as_os_str() == "-") {
            return Err("reading standard input (`-`) needs --stdin-filename PATH".into());
        }
        let code = vault::check_and_stream(args, args.report(), &cwd, progress)?;
        say_how_the_root_was_found(args, &cwd);
        return Ok(code);
    }
    let notes = match &args.stdin_filename {
        Some(name) => vec![stdin::load(args, name, &cwd)?],
        None => {
            if args.paths.iter().any(|p| p.as_os_str() == "-") {
                return Err("reading standard input (`-`) needs --stdin-filename PATH".into());
            }
            fix::load_paths(args, &cwd, &progress)?
        }
    };
    let code = fix::check_and_fix(args, notes, progress)?;
    if args.stdin_filename.is_none() && !args.diff {
        say_how_the_root_was_found(args, &cwd);
    }
    Ok(code)
}

/// Under the human summary: the vault root, when no marker of its own chose it (no
/// `wikistamp.toml` or `.obsidian/` above the checked path, so the git repository's root or
/// the current directory is the vault), since links then resolve across all of it.
fn say_how_the_root_was_found(args: &CheckArgs, cwd: &Path) {
    if args.quiet || !matches!(args.format, Format::Human | Format::Concise) {
        return;
    }
    let first = args
        .paths
        .first()
        .map_or_else(|| cwd.to_path_buf(), |p| absolute(p, cwd));
    let first = std::fs::canonicalize(&first).unwrap_or(first);
    let root = workspace::root_of_checked_path(&first, cwd);
    let quartz = workspace::detect_flavor(&root) == wikistamp_analysis::config::Flavor::Quartz;
    if workspace::is_vault_root(&root) || quartz {
        return;
    }
    let why = if root.join(".git").exists() {
        "the git repository's root"
    } else if root == cwd {
        "the current directory"
    } else {
        "the checked folder"
    };
    let shown = match display_relative(&root, cwd) {
        s if s.is_empty() => ".".to_string(),
        s => s,
    };
    println!(
        "Vault root: {shown} ({why}; no wikistamp.toml or .obsidian/ above the checked path)."
    );
}

/// Whether the chosen output shows source text (else only locations are kept).
fn keeps_text(args: &CheckArgs) -> bool {
    args.report().shows_text()
}

/// Renders the report and reports what `--fix` did; the exit code.
fn finish(
    args: &CheckArgs,
    findings: &Findings,
    summary: Option<FixSummary>,
    stdin: bool,
) -> Result<u8, String> {
    if !(stdin && args.fix) {
        use std::io::Write;
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        report::write(&*args.report(), &mut out, findings)
            .and_then(|()| out.flush())
            .or_else(reader_gone)
            .map_err(|e| format!("cannot write output: {e}"))?;
    }
    let failed = findings.totals().at_least(threshold(args)) > 0;
    if let Some(s) = summary {
        for (path, why) in &s.failed {
            eprintln!("wikistamp: error: {path}: {why}");
        }
        if !args.quiet {
            let remaining = findings.diagnostics().count();
            let line = format!(
                "Fixed {} in {}; {} remaining.",
                plural(s.fixes, "finding"),
                plural(s.files, "file"),
                remaining
            );
            // Machine-readable output keeps stdout to itself.
            let to_stdout = !stdin && matches!(args.format, Format::Human | Format::Concise);
            if to_stdout {
                println!("{line}");
            } else {
                eprintln!("{line}");
            }
        }
        if !s.failed.is_empty() {
            return Ok(2);
        }
    }
    Ok(u8::from(failed))
}

/// The least severity that fails the check (`--fail-on`).
fn threshold(args: &CheckArgs) -> Severity {
    match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    }
}

/// The configuration for `root`, with `--config`, `--select` and `--ignore` applied.
fn configure(args: &CheckArgs, root: &Path, cwd: &Path) -> Result<Config, String> {
    let mut config = match &args.config {
        Some(path) => {
            let mut config =
                workspace::read_config_file(&absolute(path, cwd)).map_err(|e| e.to_string())?;
            workspace::complete_config(root, &mut config);
            config
        }
        None => workspace::load_config(root).map_err(|e| e.to_string())?,
    };
    for sel in args.select.iter().chain(&args.ignore) {
        if !rules::all().iter().any(|r| selector_matches(sel, r.meta())) {
            let hint = suggest::rule_id_hint(sel);
            return Err(format!("unknown rule or family `{sel}`{hint}"));
        }
    }
    for rule in rules::all() {
        let meta = rule.meta();
        let selected =
            args.select.is_empty() || args.select.iter().any(|s| selector_matches(s, meta));
        let ignored = args.ignore.iter().any(|s| selector_matches(s, meta));
        if !selected || ignored {
            config.rules.insert(meta.id, RuleLevel::Off);
        }
    }
    Ok(config)
}

/// A selector is a rule id or a family name (`link` selects every `link-*` rule).
fn selector_matches(selector: &str, meta: &rules::RuleMeta) -> bool {
    selector == meta.id.as_str() || selector == meta.family.as_str()
}

/// The vault root and configuration for the requested paths (canonical).
fn resolve_request(
    args: &CheckArgs,
    cwd: &Path,
) -> Result<(Vec<PathBuf>, PathBuf, Config), String> {
    let requested: Vec<PathBuf> = if args.paths.is_empty() {
        vec![cwd.to_path_buf()]
    } else {
        args.paths.iter().map(|p| absolute(p, cwd)).collect()
    };
    let mut canonical = Vec::new();
    for p in &requested {
        let c = std::fs::canonicalize(p).map_err(|e| format!("{}: {e}", p.display()))?;
        canonical.push(c);
    }
    let root = workspace::root_of_checked_path(&canonical[0], cwd);
    let config = configure(args, &root, cwd)?;
    Ok((canonical, root, config))
}

/// A reader that stopped reading (`wikistamp check | head`) is not an error: the exit code
/// still tells about the findings.
fn reader_gone(e: std::io::Error) -> std::io::Result<()> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(e)
    }
}
