//! `wikistamp check`: find the vault, load it whole (links resolve against every note), check
//! the requested notes in parallel, render.

use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use wikistamp_analysis::config::{Config, RuleLevel};
use wikistamp_analysis::rules::{self, FileUnreadable};
use wikistamp_analysis::vault::loader::{self, SourceNote};
use wikistamp_analysis::vault::NoteEntry;
use wikistamp_analysis::{check_note, Diagnostic, Severity};

use crate::args::{CheckArgs, FailOn};
use crate::paths::{absolute, display_relative};
use crate::render;

/// The findings of one file, with its text (the renderers need it for locations).
pub struct FileReport {
    /// Relative to the current directory, `/`-separated.
    pub path: String,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

pub struct Report {
    /// Number of files checked.
    pub files_checked: usize,
    /// Files with findings, sorted by path.
    pub files: Vec<FileReport>,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .filter(|d| d.severity == severity)
            .count()
    }
}

pub fn run(args: &CheckArgs) -> Result<u8, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let cwd = std::fs::canonicalize(&cwd).unwrap_or(cwd);
    let report = match &args.stdin_filename {
        Some(name) => check_stdin(args, name, &cwd)?,
        None => {
            if args.paths.iter().any(|p| p.as_os_str() == "-") {
                return Err("reading standard input (`-`) needs --stdin-filename PATH".into());
            }
            check_paths(args, &cwd)?
        }
    };
    render::render(args, &report).map_err(|e| format!("cannot write output: {e}"))?;
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    let failed = report
        .files
        .iter()
        .flat_map(|f| &f.diagnostics)
        .any(|d| d.severity >= threshold);
    Ok(u8::from(failed))
}

/// The configuration for `root`, with `--config`, `--select` and `--ignore` applied.
fn configure(args: &CheckArgs, root: &Path, cwd: &Path) -> Result<Config, String> {
    let mut config = match &args.config {
        Some(path) => {
            let path = absolute(path, cwd);
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("{}: cannot read configuration: {e}", path.display()))?;
            Config::from_toml(&text).map_err(|e| format!("{}:{e}", path.display()))?
        }
        None => loader::load_config(root).map_err(|e| e.to_string())?,
    };
    for sel in args.select.iter().chain(&args.ignore) {
        if !rules::all().iter().any(|r| selector_matches(sel, r.meta())) {
            let hint = rules::closest_id(sel)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(format!("unknown rule or family `{sel}`{hint}"));
        }
    }
    for rule in rules::all() {
        let meta = rule.meta();
        let selected =
            args.select.is_empty() || args.select.iter().any(|s| selector_matches(s, meta));
        let ignored = args.ignore.iter().any(|s| selector_matches(s, meta));
        if !selected || ignored {
            config.rules.insert(meta.id.to_string(), RuleLevel::Off);
        }
    }
    Ok(config)
}

/// A selector is a rule id or a family name (`link` selects every `link-*` rule).
fn selector_matches(selector: &str, meta: &rules::RuleMeta) -> bool {
    selector == meta.id || selector == meta.family.as_str()
}

fn check_paths(args: &CheckArgs, cwd: &Path) -> Result<Report, String> {
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
    let root = loader::find_root(&canonical[0], cwd);
    let config = configure(args, &root, cwd)?;
    let loaded = loader::load(&root, &config).map_err(|e| e.to_string())?;
    let wanted = |abs: &Path| canonical.iter().any(|r| abs == r || abs.starts_with(r));

    // Explicitly named files are checked even when the walk skipped them (ignored, excluded).
    let mut extra: Vec<SourceNote> = Vec::new();
    let mut extra_unreadable = Vec::new();
    for c in &canonical {
        if c.is_file()
            && !loaded.notes.iter().any(|n| &n.abs_path == c)
            && !loaded.unreadable.iter().any(|u| &u.abs_path == c)
        {
            match loader::read_note(&root, c) {
                Ok(n) => extra.push(n),
                Err(u) => extra_unreadable.push(u),
            }
        }
    }
    let vault = &loaded.vault;
    let targets: Vec<&SourceNote> = loaded
        .notes
        .iter()
        .filter(|n| wanted(&n.abs_path))
        .chain(extra.iter())
        .collect();
    let mut files: Vec<FileReport> = targets
        .par_iter()
        .map(|n| FileReport {
            path: display_relative(&n.abs_path, cwd),
            text: String::new(),
            diagnostics: check_note(&n.text, &n.note, &n.rel_path, vault, &config),
        })
        .collect();
    // Keep the text only of files with findings.
    for (f, n) in files.iter_mut().zip(&targets) {
        if !f.diagnostics.is_empty() {
            f.text = n.text.clone();
        }
    }
    let mut checked = targets.len();
    for u in loaded
        .unreadable
        .iter()
        .filter(|u| wanted(&u.abs_path))
        .chain(&extra_unreadable)
    {
        checked += 1;
        if let RuleLevel::On(sev) = config.rule_level(&FileUnreadable::META) {
            let mut d = FileUnreadable::diagnostic(u.message.clone());
            d.severity = sev;
            files.push(FileReport {
                path: display_relative(&u.abs_path, cwd),
                text: String::new(),
                diagnostics: vec![d],
            });
        }
    }
    files.retain(|f| !f.diagnostics.is_empty());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Report {
        files_checked: checked,
        files,
    })
}

fn check_stdin(args: &CheckArgs, name: &Path, cwd: &Path) -> Result<Report, String> {
    if args.paths.iter().any(|p| p.as_os_str() != "-") {
        return Err("with --stdin-filename, pass `-` (or nothing) as the path".into());
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    let abs = absolute(name, cwd);
    let root = loader::find_root(&abs, cwd);
    let config = configure(args, &root, cwd)?;
    let mut loaded = loader::load(&root, &config).map_err(|e| e.to_string())?;
    let display = display_relative(&abs, cwd);
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let mut d = FileUnreadable::diagnostic(format!(
                "standard input is not valid UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ));
            if let RuleLevel::On(sev) = config.rule_level(&FileUnreadable::META) {
                d.severity = sev;
            }
            return Ok(Report {
                files_checked: 1,
                files: vec![FileReport {
                    path: display,
                    text: String::new(),
                    diagnostics: vec![d],
                }],
            });
        }
    };
    // The parent may not exist yet (a new file): keep the lexical path under the root.
    let canonical_parent = abs
        .parent()
        .and_then(|p| std::fs::canonicalize(p).ok())
        .map(|p| p.join(abs.file_name().unwrap_or_default()))
        .unwrap_or(abs.clone());
    let rel = loader::relative_path(&root, &canonical_parent);
    let note = wikistamp_analysis::parse(&text);
    loaded
        .vault
        .upsert(NoteEntry::from_note(&rel, &note, &text));
    let diagnostics = check_note(&text, &note, &rel, &loaded.vault, &config);
    let files = if diagnostics.is_empty() {
        Vec::new()
    } else {
        vec![FileReport {
            path: display,
            text,
            diagnostics,
        }]
    };
    Ok(Report {
        files_checked: 1,
        files,
    })
}
