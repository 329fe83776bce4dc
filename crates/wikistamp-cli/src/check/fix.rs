//! The pipeline over notes held in memory: standard input's note, or a vault's notes for
//! `--fix` / `--diff`. Every note is checked; with `--fix` / `--diff` the fixable ones are
//! fixed to a fixpoint, written (or shown as a diff), and every note is checked again against
//! the fixed vault.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use wikistamp_analysis::config::Config;
use wikistamp_analysis::fix::{fix_to_fixpoint, Fixed};
use wikistamp_analysis::vault::NoteEntry;
use wikistamp_analysis::{Applicability, Diagnostic, Vault};
use wikistamp_workspace::{self as workspace, is_within, Checker, SourceNote};

use crate::args::CheckArgs;
use crate::fixing::{unified_diff, write_if_unchanged};
use crate::paths::display_relative;
use crate::progress::Progress;

use super::vault::note_video_id;
use super::{configure, finish, keeps_text, reader_gone, resolve_request};
use crate::report::{plural, FileReport, Findings};

/// A note to check (and maybe fix).
pub(super) struct Target {
    /// Where it is on disk; `None` for standard input.
    pub(super) abs: Option<PathBuf>,
    /// Vault-relative path.
    pub(super) rel: String,
    /// Relative to the current directory.
    pub(super) display: String,
    pub(super) text: String,
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

/// Notes held in memory to check (and maybe fix), with their vault.
pub(super) struct Notes {
    pub(super) config: Config,
    /// The vault's root folder (notes' headings are read from there when the vault does not
    /// know them yet).
    pub(super) root: PathBuf,
    pub(super) vault: Vault,
    pub(super) targets: Vec<Target>,
    /// Files that could not be read, with their finding (already at the configured severity).
    pub(super) unreadable: Vec<FileReport>,
}

/// What `--fix` / `--diff` did.
#[derive(Default)]
pub(super) struct FixSummary {
    pub(super) fixes: usize,
    pub(super) files: usize,
    /// Files not written, with the reason.
    pub(super) failed: Vec<(String, String)>,
}

/// Checks the notes of each vault, fixes them when asked (`--fix`, `--diff`) and reports; the
/// exit code.
pub(super) fn check_and_fix(
    args: &CheckArgs,
    vaults: Vec<Notes>,
    progress: Progress,
) -> Result<u8, String> {
    let stdin = args.stdin_filename.is_some();
    let mut s = FixSummary::default();
    let mut diff = String::new();
    let mut checked: Vec<(Target, Vec<Diagnostic>)> = Vec::new();
    let mut unreadable = Vec::new();
    for notes in vaults {
        unreadable.extend(check_and_fix_vault(
            args,
            notes,
            &progress,
            &mut s,
            &mut diff,
            &mut checked,
        ));
    }
    progress.finish();
    if args.diff {
        let targets: Vec<Target> = checked.into_iter().map(|(t, _)| t).collect();
        return finish_diff(args, &targets, &diff, &s);
    }
    let summary = args.fix.then_some(s);

    if stdin && args.fix {
        // Like other linters: the fixed text goes to stdout, a summary to stderr.
        let text = checked.first().map_or("", |(t, _)| t.text.as_str());
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .map_err(|e| format!("cannot write output: {e}"))?;
    }

    let files_checked = checked.len() + unreadable.len();
    let keep_text = keeps_text(args);
    let mut files: Vec<FileReport> = checked
        .into_iter()
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

/// Checks the notes of one vault and, with `--fix` / `--diff`, fixes them (written, or added
/// to `diff`, counted in `s`); each note with its findings goes to `checked`. Returns the
/// vault's unreadable files.
fn check_and_fix_vault(
    args: &CheckArgs,
    notes: Notes,
    progress: &Progress,
    s: &mut FixSummary,
    diff: &mut String,
    checked: &mut Vec<(Target, Vec<Diagnostic>)>,
) -> Vec<FileReport> {
    let Notes {
        config,
        root,
        mut vault,
        mut targets,
        unreadable,
    } = notes;

    progress.stage("checking", targets.len());
    // Notes are parsed where they are checked, and not kept: a vault's parses take more
    // memory than its texts.
    let check_all = |targets: &[Target], vault: &Vault| -> Vec<Vec<Diagnostic>> {
        targets
            .par_iter()
            .map(|t| {
                let note = wikistamp_analysis::parse(&t.text);
                let d = Checker::new(&root, vault, &config).check(&t.text, &note, &t.rel);
                progress.inc();
                d
            })
            .collect()
    };
    let mut diagnostics = check_all(&targets, &vault);

    if args.fix || args.diff {
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
                    Checker::new(&root, &vault, &config).check(text, &note, &t.rel)
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
        if changed {
            // The final state: every note re-checked against the fixed vault, exactly what the
            // next `check` will report.
            progress.stage("re-checking", targets.len());
            drop(std::mem::take(&mut diagnostics));
            diagnostics = check_all(&targets, &vault);
        }
    }
    checked.extend(targets.into_iter().zip(diagnostics));
    unreadable
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

/// The notes of the requested paths, read whole, by vault: the request's vault, then each
/// vault of its own below it within the checked paths (its own `wikistamp.toml` or
/// `.obsidian/`), with its own configuration.
pub(super) fn load_paths(
    args: &CheckArgs,
    cwd: &Path,
    progress: &Progress,
) -> Result<Vec<Notes>, String> {
    let (canonical, root, config) = resolve_request(args, cwd)?;
    progress.stage("loading the vault", 0);
    let mut vaults = Vec::new();
    let mut pending = std::collections::VecDeque::from([(root, config)]);
    while let Some((root, config)) = pending.pop_front() {
        let first = vaults.is_empty();
        let notes = load_vault(args, cwd, &canonical, root, config, first, &mut pending)?;
        vaults.push(notes);
    }
    Ok(vaults)
}

/// One vault of [`load_paths`]; its nested vaults within the checked paths join `pending`.
/// Files named outside the walk belong to the `first` (the request's) vault.
fn load_vault(
    args: &CheckArgs,
    cwd: &Path,
    canonical: &[PathBuf],
    root: PathBuf,
    config: Config,
    first: bool,
    pending: &mut std::collections::VecDeque<(PathBuf, Config)>,
) -> Result<Notes, String> {
    let mut loaded = workspace::load_texts(&root, &config).map_err(|e| e.to_string())?;
    for nested in std::mem::take(&mut loaded.nested_vaults) {
        if canonical.iter().any(|r| is_within(&nested, r)) {
            let config = configure(args, &nested, cwd)?;
            pending.push_back((nested, config));
        }
    }
    let wanted = |abs: &Path| canonical.iter().any(|r| is_within(abs, r));
    let (extra, extra_unreadable) = if first {
        workspace::read_named_files(&root, canonical, |c| {
            loaded.notes.iter().any(|n| n.abs_path == c)
                || loaded.unreadable.iter().any(|u| u.abs_path == c)
        })
    } else {
        Default::default()
    };
    // The videos of the notes checked: only their transcripts are reported. A note named
    // outside the walk is not in the index: its video's transcript is read now.
    let extra_videos: Vec<String> = extra
        .iter()
        .filter_map(|n| note_video_id(n).map(str::to_string))
        .collect();
    let mut invalid_transcripts = std::mem::take(&mut loaded.invalid_transcripts);
    invalid_transcripts.extend(workspace::learn_transcripts(
        &root,
        &config.transcripts,
        &mut loaded.vault,
        extra_videos.iter().map(String::as_str),
    ));
    let targets: Vec<Target> = loaded
        .notes
        .into_iter()
        .filter(|n| wanted(&n.abs_path))
        .chain(extra)
        .map(|n| Target::from_source(n, cwd))
        .collect();
    let vault = &loaded.vault;
    let videos: HashSet<&str> = if invalid_transcripts.is_empty() {
        HashSet::new()
    } else {
        targets
            .iter()
            .filter_map(|t| vault.entry(vault.id_of(&t.rel)?)?.video_id.as_deref())
            .chain(extra_videos.iter().map(String::as_str))
            .map(str::trim)
            .collect()
    };
    let checker = Checker::new(&root, vault, &config);
    let keep_text = keeps_text(args);
    let unreadable = loaded
        .unreadable
        .into_iter()
        .filter(|u| wanted(&u.abs_path))
        .chain(extra_unreadable)
        .filter_map(|u| {
            let display = display_relative(&u.abs_path, cwd);
            FileReport::new(display, "", checker.unreadable(u.message), true)
        })
        .chain(
            invalid_transcripts
                .iter()
                .filter(|t| videos.contains(t.video_id.as_str()))
                .filter_map(|t| {
                    let display = display_relative(&t.abs_path, cwd);
                    FileReport::new(display, &t.text, checker.transcript_invalid(t), keep_text)
                }),
        )
        .collect();
    Ok(Notes {
        config,
        root,
        vault: loaded.vault,
        targets,
        unreadable,
    })
}
