//! `wikistamp check`: find the vault, load it whole (links resolve against every note), check
//! the requested notes in parallel, optionally fix them, render.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use wikistamp_analysis::config::{Config, RuleLevel};
use wikistamp_analysis::fix::{fix_to_fixpoint, Fixed};
use wikistamp_analysis::rules::{self, FileUnreadable};
use wikistamp_analysis::vault::loader::{self, IndexedNote, IndexedVault, SourceNote};
use wikistamp_analysis::vault::NoteEntry;
use wikistamp_analysis::{check_note, Applicability, Diagnostic, Note, NoteId, Severity, Vault};

use crate::args::{CheckArgs, FailOn, Format};
use crate::fixing::{unified_diff, write_if_unchanged};
use crate::paths::{absolute, display_relative};
use crate::progress::Progress;
use crate::report::{self, plural, FileFindings, FileReport, Findings, Report, Source, Totals};

/// A note to check (and maybe fix).
struct Target {
    /// Where it is on disk; `None` for standard input.
    abs: Option<PathBuf>,
    /// Vault-relative path.
    rel: String,
    /// Relative to the current directory.
    display: String,
    text: String,
}

impl Target {
    fn from_source(n: SourceNote, cwd: &Path) -> Target {
        Target {
            display: display_relative(&n.abs_path, cwd),
            abs: Some(n.abs_path),
            rel: n.rel_path,
            text: n.text,
        }
    }
}

/// Everything a check needs: the vault, its configuration and the notes to check.
struct Workspace {
    config: Config,
    /// The vault's root folder (notes' headings are read from there when the vault does not
    /// know them yet).
    root: PathBuf,
    vault: Vault,
    targets: Vec<Target>,
    /// Files that could not be read, with their finding (already at the configured severity).
    unreadable: Vec<FileReport>,
}

/// What `--fix` / `--diff` did.
#[derive(Default)]
struct FixSummary {
    fixes: usize,
    files: usize,
    /// Files not written, with the reason.
    failed: Vec<(String, String)>,
}

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
        return check_and_stream(args, args.report(), &cwd, progress);
    }
    let ws = match &args.stdin_filename {
        Some(name) => load_stdin(args, name, &cwd)?,
        None => {
            if args.paths.iter().any(|p| p.as_os_str() == "-") {
                return Err("reading standard input (`-`) needs --stdin-filename PATH".into());
            }
            load_paths(args, &cwd, &progress)?
        }
    };
    let stdin = args.stdin_filename.is_some();
    let Workspace {
        config,
        root,
        mut vault,
        mut targets,
        unreadable,
    } = ws;

    progress.stage("checking", targets.len());
    // Notes are parsed where they are checked, and not kept: a vault's parses take more
    // memory than its texts.
    let mut diagnostics: Vec<Vec<Diagnostic>> = targets
        .par_iter()
        .map(|t| {
            let note = wikistamp_analysis::parse(&t.text);
            learn_heading_targets(&vault, &config, &root, &t.text, &note, &t.rel, None);
            let d = check_note(&t.text, &note, &t.rel, &vault, &config);
            progress.inc();
            d
        })
        .collect();

    let mut summary = None;
    if args.fix || args.diff {
        let mut s = FixSummary::default();
        let mut diff = String::new();
        let wanted = |d: &Diagnostic| {
            d.fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Safe || args.unsafe_fixes)
        };
        let fixable: Vec<usize> = (0..targets.len())
            .filter(|&i| diagnostics[i].iter().any(wanted))
            .collect();
        progress.stage("fixing", fixable.len());
        // Each note is fixed to its fixpoint in parallel, against the vault as it was read (no
        // fix rule changes a note's aliases, and only a callout fix removes a heading). Only
        // the notes that changed are kept; they join the vault one by one, in path order, and
        // every note is checked again against the fixed vault below.
        let fixed_notes: Vec<(usize, Fixed)> = fixable
            .into_par_iter()
            .filter_map(|i| {
                let t = &targets[i];
                let mut fixed = fix_to_fixpoint(&t.text, args.unsafe_fixes, |text| {
                    let note = wikistamp_analysis::parse(text);
                    learn_heading_targets(&vault, &config, &root, text, &note, &t.rel, None);
                    check_note(text, &note, &t.rel, &vault, &config)
                });
                progress.inc();
                fixed.remaining = Vec::new();
                (fixed.text != t.text).then_some((i, fixed))
            })
            .collect();
        let mut changed = false;
        for (i, fixed) in fixed_notes {
            let t = &targets[i];
            if args.diff {
                diff.push_str(&unified_diff(&t.display, &t.text, &fixed.text));
            } else if let Some(abs) = &t.abs {
                if let Err(e) = write_if_unchanged(abs, t.text.as_bytes(), fixed.text.as_bytes()) {
                    s.failed.push((t.display.clone(), e.to_string()));
                    continue;
                }
            }
            s.fixes += fixed.applied;
            s.files += 1;
            if !args.diff {
                let t = &mut targets[i];
                let note = wikistamp_analysis::parse(&fixed.text);
                vault.upsert(NoteEntry::from_note(&t.rel, &note, &fixed.text));
                t.text = fixed.text;
                changed = true;
            }
        }
        if args.diff {
            progress.finish();
            return finish_diff(args, &targets, &diff, &s);
        }
        if changed {
            // The final state: every note re-checked against the fixed vault, exactly what the
            // next `check` will report.
            progress.stage("re-checking", targets.len());
            drop(std::mem::take(&mut diagnostics));
            diagnostics = targets
                .par_iter()
                .map(|t| {
                    let note = wikistamp_analysis::parse(&t.text);
                    learn_heading_targets(&vault, &config, &root, &t.text, &note, &t.rel, None);
                    let d = check_note(&t.text, &note, &t.rel, &vault, &config);
                    progress.inc();
                    d
                })
                .collect();
        }
        summary = Some(s);
    }
    progress.finish();

    if stdin && args.fix {
        // Like other linters: the fixed text goes to stdout, a summary to stderr.
        let text = targets.first().map_or("", |t| t.text.as_str());
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .map_err(|e| format!("cannot write output: {e}"))?;
    }

    let files_checked = targets.len() + unreadable.len();
    let keep_text = keeps_text(args);
    let mut files: Vec<FileReport> = targets
        .into_iter()
        .zip(diagnostics)
        .filter_map(|(t, d)| FileReport::new(t.display, &t.text, d, keep_text))
        .collect();
    files.extend(unreadable);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let findings = Findings {
        files_checked,
        files,
    };
    finish(args, &findings, summary, stdin)
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

fn finish_diff(
    args: &CheckArgs,
    targets: &[Target],
    diff: &str,
    s: &FixSummary,
) -> Result<u8, String> {
    let mut out = std::io::stdout().lock();
    out.write_all(diff.as_bytes())
        .and_then(|()| out.flush())
        .or_else(reader_gone)
        .map_err(|e| format!("cannot write output: {e}"))?;
    if !args.quiet {
        eprintln!(
            "Would fix {} in {} ({} checked).",
            plural(s.fixes, "finding"),
            plural(s.files, "file"),
            targets.len()
        );
    }
    Ok(u8::from(s.files > 0))
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

/// The finding of a file that could not be read (none when `file-unreadable` is off).
fn unreadable_diagnostics(config: &Config, message: String) -> Vec<Diagnostic> {
    let RuleLevel::On(sev) = config.rule_level(&FileUnreadable::META) else {
        return Vec::new();
    };
    let mut d = FileUnreadable::diagnostic(message);
    d.severity = sev;
    vec![d]
}

fn unreadable_report(config: &Config, display: String, message: String) -> Option<FileReport> {
    FileReport::new(display, "", unreadable_diagnostics(config, message), true)
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
    let root = vault_root(&canonical[0], cwd);
    let config = configure(args, &root, cwd)?;
    Ok((canonical, root, config))
}

/// `check` of a vault in a streamed format: each file is rendered as soon as it is checked and
/// written in order while the next files are checked. (Held until the end when the progress
/// line and the output share a terminal.)
fn check_and_stream(
    args: &CheckArgs,
    format: Box<dyn Report>,
    cwd: &Path,
    progress: Progress,
) -> Result<u8, String> {
    use std::io::{IsTerminal, Write};
    let format = &*format;
    let show_text = format.shows_text();
    let hold = progress.is_shown() && std::io::stdout().is_terminal();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout());
    let mut held: Vec<Vec<u8>> = Vec::new();
    let mut writer = report::Stream::new(format);
    let mut totals = Totals::default();
    // After a write fails (the reader went away), the check goes on for its exit code.
    let mut written = Ok(());
    let files_checked = check_streaming(
        args,
        cwd,
        &progress,
        |path, text, d| {
            let located;
            let source = if show_text {
                report::SourceRef::Text(text)
            } else {
                located = Source::located(text, &d);
                located.as_ref()
            };
            let output = format.render(&FileFindings {
                path: &path,
                source,
                diagnostics: &d,
            });
            let mut totals = Totals::default();
            totals.add(&d);
            Some((output, totals))
        },
        |(output, file_totals): (Vec<u8>, Totals)| {
            totals.merge(&file_totals);
            if hold {
                held.push(output);
            } else if written.is_ok() {
                written = writer.file(&mut out, &output);
            }
        },
    )?;
    progress.finish();
    totals.files_checked = files_checked;
    written
        .and_then(|()| {
            for output in &held {
                writer.file(&mut out, output)?;
            }
            writer.finish(&mut out, &totals)?;
            out.flush()
        })
        .or_else(reader_gone)
        .map_err(|e| format!("cannot write output: {e}"))?;
    Ok(u8::from(totals.at_least(threshold(args)) > 0))
}

/// Before a note is checked: the headings its `[[note#heading]]` links need (its own from
/// its parse when it links to itself by name, `own`). Only those: few notes have such links,
/// and keeping every note's headings would cost a string per heading of the vault. Headings
/// already known (a full load knows them all) are not read again.
fn learn_heading_targets(
    vault: &Vault,
    config: &Config,
    root: &Path,
    text: &str,
    note: &Note,
    rel: &str,
    own: Option<NoteId>,
) {
    if !note.links.iter().any(|l| l.fragment.is_some()) {
        return;
    }
    let ctx = rules::Context::new(text, note, rel, vault, config);
    for id in rules::heading_link_targets(&ctx) {
        if vault.knows_headings(id) {
            continue;
        }
        if own == Some(id) {
            vault.learn_headings(id, || NoteEntry::headings_of(note, text));
            continue;
        }
        let Some(path) = vault.entry(id).map(|e| root.join(&e.path)) else {
            continue;
        };
        vault.learn_headings(id, || {
            // An unreadable note has no headings, as in a full load.
            loader::with_text(&path, |t| {
                NoteEntry::headings_of(&wikistamp_analysis::parse(t), t)
            })
            .unwrap_or_default()
        });
    }
}

/// A check without fixes, in two passes that never hold every note's text or parse at once:
/// the vault is indexed from the notes' frontmatter, then the requested notes are read, parsed,
/// checked and handed with their findings to `keep` (which reduces each to what the output
/// needs), in output order (by display path), a chunk at a time in parallel; `sink` gets what
/// `keep` kept, in that order, on a thread of its own while the next chunk is checked, so
/// output is written as the check goes and its memory is reused. A note with `[[note#heading]]`
/// links first learns the headings of the notes they lead to (no other headings are kept). Finds exactly what [`load_paths`] + a check would; returns the number of files checked.
fn check_streaming<T: Send>(
    args: &CheckArgs,
    cwd: &Path,
    progress: &Progress,
    keep: impl Fn(String, &str, Vec<Diagnostic>) -> Option<T> + Sync,
    mut sink: impl FnMut(T) + Send,
) -> Result<usize, String> {
    let (canonical, root, config) = resolve_request(args, cwd)?;
    progress.stage("loading the vault", 0);
    let IndexedVault {
        vault,
        notes,
        unreadable,
    } = loader::load_index(&root, &config).map_err(|e| e.to_string())?;
    let wanted = |abs: &Path| canonical.iter().any(|r| is_within(abs, r));

    // Explicitly named files are checked even when the walk skipped them (ignored, excluded).
    let mut extra: Vec<SourceNote> = Vec::new();
    let mut extra_unreadable = Vec::new();
    for c in &canonical {
        if c.is_file()
            && !notes.iter().any(|n| &n.abs_path == c)
            && !unreadable.iter().any(|u| &u.abs_path == c)
            && !extra.iter().any(|n| &n.abs_path == c)
        {
            match loader::read_note(&root, c) {
                Ok(n) => extra.push(n),
                Err(u) => extra_unreadable.push(u),
            }
        }
    }

    /// What there is to report on, with its display path.
    enum Job {
        Note(IndexedNote),
        Extra(Box<SourceNote>),
        Unreadable(String),
    }
    let mut jobs: Vec<(String, Job)> = notes
        .into_par_iter()
        .filter(|n| wanted(&n.abs_path))
        .map(|n| (display_relative(&n.abs_path, cwd), Job::Note(n)))
        .collect();
    jobs.extend(
        extra
            .into_iter()
            .map(|n| (display_relative(&n.abs_path, cwd), Job::Extra(Box::new(n)))),
    );
    let checked = jobs.len();
    jobs.extend(
        unreadable
            .into_iter()
            .filter(|u| wanted(&u.abs_path))
            .chain(extra_unreadable)
            .map(|u| {
                (
                    display_relative(&u.abs_path, cwd),
                    Job::Unreadable(u.message),
                )
            }),
    );
    let files_checked = jobs.len();
    jobs.par_sort_by(|a, b| a.0.cmp(&b.0));
    progress.stage("checking", checked);

    let learn_targets = |text: &str, note: &Note, rel: &str, own: Option<NoteId>| {
        learn_heading_targets(&vault, &config, &root, text, note, rel, own);
    };
    let run = |(display, job): (String, Job)| -> Option<T> {
        let unreadable = |message| {
            keep(
                display.clone(),
                "",
                unreadable_diagnostics(&config, message),
            )
        };
        match job {
            Job::Note(mut n) => {
                let file = n.file.take();
                let read = loader::with_indexed_text(&n.abs_path, file, |text| {
                    let note = wikistamp_analysis::parse(text);
                    learn_targets(text, &note, &n.rel_path, Some(n.id));
                    let d = check_note(text, &note, &n.rel_path, &vault, &config);
                    drop(note);
                    // Most notes of a healthy vault have no findings: nothing to keep.
                    (!d.is_empty())
                        .then(|| keep(display.clone(), text, d))
                        .flatten()
                });
                progress.inc();
                read.unwrap_or_else(unreadable)
            }
            Job::Extra(n) => {
                learn_targets(&n.text, &n.note, &n.rel_path, None);
                let d = check_note(&n.text, &n.note, &n.rel_path, &vault, &config);
                progress.inc();
                (!d.is_empty())
                    .then(|| keep(display.clone(), &n.text, d))
                    .flatten()
            }
            Job::Unreadable(message) => unreadable(message),
        }
    };

    // A chunk is checked in parallel while the sink takes the one before.
    const CHUNK: usize = 512;
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Option<T>>>(1);
        scope.spawn(move || rx.into_iter().flatten().flatten().for_each(&mut sink));
        let mut jobs = jobs.into_iter();
        loop {
            let chunk: Vec<(String, Job)> = jobs.by_ref().take(CHUNK).collect();
            if chunk.is_empty() {
                break;
            }
            let kept: Vec<Option<T>> = chunk.into_par_iter().map(&run).collect();
            if tx.send(kept).is_err() {
                // The sink panicked (the scope raises it again).
                break;
            }
        }
    });
    // Only the process's exit follows: freeing the index entry by entry would delay it.
    std::mem::forget(vault);
    Ok(files_checked)
}

fn load_paths(args: &CheckArgs, cwd: &Path, progress: &Progress) -> Result<Workspace, String> {
    let (canonical, root, config) = resolve_request(args, cwd)?;
    progress.stage("loading the vault", 0);
    let loaded = loader::load_texts(&root, &config).map_err(|e| e.to_string())?;
    let wanted = |abs: &Path| canonical.iter().any(|r| is_within(abs, r));

    // Explicitly named files are checked even when the walk skipped them (ignored, excluded).
    let mut extra: Vec<SourceNote> = Vec::new();
    let mut extra_unreadable = Vec::new();
    for c in &canonical {
        if c.is_file()
            && !loaded.notes.iter().any(|n| &n.abs_path == c)
            && !loaded.unreadable.iter().any(|u| &u.abs_path == c)
            && !extra.iter().any(|n| &n.abs_path == c)
        {
            match loader::read_note(&root, c) {
                Ok(n) => extra.push(n),
                Err(u) => extra_unreadable.push(u),
            }
        }
    }
    let targets: Vec<Target> = loaded
        .notes
        .into_iter()
        .filter(|n| wanted(&n.abs_path))
        .chain(extra)
        .map(|n| Target::from_source(n, cwd))
        .collect();
    let unreadable = loaded
        .unreadable
        .into_iter()
        .filter(|u| wanted(&u.abs_path))
        .chain(extra_unreadable)
        .filter_map(|u| unreadable_report(&config, display_relative(&u.abs_path, cwd), u.message))
        .collect();
    Ok(Workspace {
        config,
        root,
        vault: loaded.vault,
        targets,
        unreadable,
    })
}

fn load_stdin(args: &CheckArgs, name: &Path, cwd: &Path) -> Result<Workspace, String> {
    if args.paths.iter().any(|p| p.as_os_str() != "-") {
        return Err("with --stdin-filename, pass `-` (or nothing) as the path".into());
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    let abs = absolute(name, cwd);
    let root = vault_root(&abs, cwd);
    let config = configure(args, &root, cwd)?;
    // The vault's index alone (names, aliases), as a check of the whole vault makes it: the
    // headings the note's links need are read when it is checked.
    let mut vault = loader::load_index(&root, &config)
        .map_err(|e| e.to_string())?
        .vault;
    let display = display_relative(&abs, cwd);
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let message = format!(
                "standard input is not valid UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            );
            return Ok(Workspace {
                unreadable: unreadable_report(&config, display, message)
                    .into_iter()
                    .collect(),
                config,
                root,
                vault,
                targets: Vec::new(),
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
    vault.upsert(NoteEntry::from_note(&rel, &note, &text));
    Ok(Workspace {
        config,
        root,
        vault,
        targets: vec![Target {
            abs: None,
            rel,
            display,
            text,
        }],
        unreadable: Vec::new(),
    })
}

/// The vault root for a checked path: the nearest ancestor with `wikistamp.toml`, `.obsidian/`
/// or `.git`; else the current directory when the path is inside it, else the checked folder
/// itself (a vault with no marker, checked from elsewhere, is still the vault; and checking a
/// folder from `/` must not walk the whole file system).
fn vault_root(path: &Path, cwd: &Path) -> PathBuf {
    let fallback = if path.starts_with(cwd) && cwd.parent().is_some() {
        cwd.to_path_buf()
    } else if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent()
            .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf)
    };
    loader::find_root(path, &fallback)
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

/// `path` is `dir` or inside it. A byte comparison first: this runs for every note.
fn is_within(path: &Path, dir: &Path) -> bool {
    if let (Some(p), Some(d)) = (path.to_str(), dir.to_str()) {
        if std::path::MAIN_SEPARATOR == '/'
            && !d.ends_with('/')
            && p.starts_with(d)
            && (p.len() == d.len() || p.as_bytes()[d.len()] == b'/')
        {
            return true;
        }
    }
    path == dir || path.starts_with(dir)
}
