//! The check of a vault (or of part of it) without fixes, streamed: notes are read, checked
//! and rendered a chunk at a time while the output of the chunk before is written, and no
//! note's text or parse outlives its check.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use wikistamp_analysis::config::Config;
use wikistamp_analysis::rules::Context;
use wikistamp_analysis::{Diagnostic, Vault};
use wikistamp_workspace::{
    self as workspace, is_within, Checker, IndexedNote, IndexedVault, InvalidTranscript, SourceNote,
};

use crate::args::CheckArgs;
use crate::paths::display_relative;
use crate::progress::Progress;
use crate::report::{self, FileFindings, Report, Source, Totals};

use super::{configure, reader_gone, resolve_request, threshold};

/// `check` of a vault in a streamed format: each file is rendered as soon as it is checked and
/// written in order while the next files are checked. (Held until the end when the progress
/// line and the output share a terminal.)
pub(super) fn check_and_stream(
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

/// A check without fixes, in two passes that never hold every note's text or parse at once:
/// the vault is indexed from the notes' frontmatter, then the requested notes are read, parsed,
/// checked and handed with their findings to `keep` (which reduces each to what the output
/// needs), in output order (by display path), a chunk at a time in parallel; `sink` gets what
/// `keep` kept, in that order, on a thread of its own while the next chunk is checked, so
/// output is written as the check goes and its memory is reused. A note with `[[note#heading]]`
/// links first learns the headings of the notes they lead to (no other headings are kept, see
/// [`Checker`]). Finds exactly what [`super::fix::load_paths`] + a check would; returns the
/// number of files checked.
pub(super) fn check_streaming<T: Send>(
    args: &CheckArgs,
    cwd: &Path,
    progress: &Progress,
    keep: impl Fn(String, &str, Vec<Diagnostic>) -> Option<T> + Sync,
    sink: impl FnMut(T) + Send,
) -> Result<usize, String> {
    let keep = |display, text: &str, d: Vec<Diagnostic>, _: Option<&Context<'_>>| {
        // Most notes of a healthy vault have no findings: nothing to keep.
        (!d.is_empty()).then(|| keep(display, text, d)).flatten()
    };
    check_streaming_with(args, cwd, progress, false, keep, sink)
}

/// [`check_streaming`] that also hands `keep` every checked note's [`Context`] (its parse, path,
/// vault and configuration), findings or not, for what needs more than the findings (the
/// report's wanted notes, orphans and citation strips).
pub(super) fn check_streaming_with<T: Send>(
    args: &CheckArgs,
    cwd: &Path,
    progress: &Progress,
    every_note: bool,
    keep: impl Fn(String, &str, Vec<Diagnostic>, Option<&Context<'_>>) -> Option<T> + Sync,
    mut sink: impl FnMut(T) + Send,
) -> Result<usize, String> {
    let (canonical, root, config) = resolve_request(args, cwd)?;
    progress.stage("loading the vault", 0);
    let wanted = |abs: &Path| canonical.iter().any(|r| is_within(abs, r));

    /// What there is to report on, with its display path and the index of its vault.
    enum Job {
        Note(IndexedNote),
        Extra(Box<SourceNote>),
        Unreadable(String),
        Transcript(Box<InvalidTranscript>),
    }
    // The vault of the request, then each vault of its own below it within the checked paths
    // (its own `wikistamp.toml` or `.obsidian/`), checked with its own configuration.
    let mut vaults: Vec<(PathBuf, Config, Vault)> = Vec::new();
    let mut jobs: Vec<(String, usize, Job)> = Vec::new();
    let mut checked = 0;
    let mut pending = std::collections::VecDeque::from([(root, config)]);
    while let Some((root, config)) = pending.pop_front() {
        let v = vaults.len();
        let IndexedVault {
            mut vault,
            notes,
            unreadable,
            mut invalid_transcripts,
            nested_vaults,
        } = workspace::load_index_for(&root, &config, wanted).map_err(|e| e.to_string())?;
        for nested in nested_vaults {
            if canonical.iter().any(|r| is_within(&nested, r)) {
                let config = configure(args, &nested, cwd)?;
                pending.push_back((nested, config));
            }
        }
        // Files named on the command line outside the walk belong to the request's vault.
        let (extra, extra_unreadable) = if v == 0 {
            workspace::read_named_files(&root, &canonical, |c| {
                notes.iter().any(|n| n.abs_path == c) || unreadable.iter().any(|u| u.abs_path == c)
            })
        } else {
            Default::default()
        };
        let mut vault_jobs: Vec<(String, usize, Job)> = notes
            .into_par_iter()
            .filter(|n| wanted(&n.abs_path))
            .map(|n| (display_relative(&n.abs_path, cwd), v, Job::Note(n)))
            .collect();
        // The videos of the notes checked: only their transcripts are reported. A note named
        // outside the walk is not in the index: its video's transcript is read now.
        let extra_videos: Vec<&str> = extra.iter().filter_map(note_video_id).collect();
        invalid_transcripts.extend(workspace::learn_transcripts(
            &root,
            &config.transcripts,
            &mut vault,
            extra_videos.iter().copied(),
        ));
        let videos: HashSet<&str> = if invalid_transcripts.is_empty() {
            HashSet::new()
        } else {
            vault_jobs
                .iter()
                .filter_map(|(_, _, job)| match job {
                    Job::Note(n) => vault.entry(n.id)?.video_id.as_deref(),
                    _ => None,
                })
                .chain(extra_videos)
                .map(str::trim)
                .collect()
        };
        let transcripts: Vec<(String, usize, Job)> = invalid_transcripts
            .into_iter()
            .filter(|t| videos.contains(t.video_id.as_str()))
            .map(|t| {
                (
                    display_relative(&t.abs_path, cwd),
                    v,
                    Job::Transcript(Box::new(t)),
                )
            })
            .collect();
        vault_jobs.extend(extra.into_iter().map(|n| {
            (
                display_relative(&n.abs_path, cwd),
                v,
                Job::Extra(Box::new(n)),
            )
        }));
        checked += vault_jobs.len();
        vault_jobs.extend(
            unreadable
                .into_iter()
                .filter(|u| wanted(&u.abs_path))
                .chain(extra_unreadable)
                .map(|u| {
                    (
                        display_relative(&u.abs_path, cwd),
                        v,
                        Job::Unreadable(u.message),
                    )
                }),
        );
        vault_jobs.extend(transcripts);
        jobs.append(&mut vault_jobs);
        vaults.push((root, config, vault));
    }
    let files_checked = jobs.len();
    jobs.par_sort_by(|a, b| a.0.cmp(&b.0));
    progress.stage("checking", checked);

    let checkers: Vec<Checker> = vaults
        .iter()
        .map(|(root, config, vault)| Checker::new(root, vault, config))
        .collect();
    let run = |(display, v, job): (String, usize, Job)| -> Option<T> {
        let (checker, (_, config, vault)) = (&checkers[v], &vaults[v]);
        let unreadable = |message| keep(display.clone(), "", checker.unreadable(message), None);
        match job {
            Job::Note(mut n) => {
                let file = n.file.take();
                let read = workspace::with_indexed_text(&n.abs_path, file, |text| {
                    let note = wikistamp_analysis::parse(text);
                    let d = checker.check(text, &note, &n.rel_path);
                    let ctx =
                        every_note.then(|| Context::new(text, &note, &n.rel_path, vault, config));
                    keep(display.clone(), text, d, ctx.as_ref())
                });
                progress.inc();
                read.unwrap_or_else(unreadable)
            }
            Job::Extra(n) => {
                let d = checker.check(&n.text, &n.note, &n.rel_path);
                progress.inc();
                let ctx =
                    every_note.then(|| Context::new(&n.text, &n.note, &n.rel_path, vault, config));
                keep(display.clone(), &n.text, d, ctx.as_ref())
            }
            Job::Unreadable(message) => unreadable(message),
            Job::Transcript(t) => keep(
                display.clone(),
                &t.text,
                checker.transcript_invalid(&t),
                None,
            ),
        }
    };

    // A chunk is checked in parallel while the sink takes the one before.
    const CHUNK: usize = 512;
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Option<T>>>(1);
        scope.spawn(move || rx.into_iter().flatten().flatten().for_each(&mut sink));
        let mut jobs = jobs.into_iter();
        loop {
            let chunk: Vec<(String, usize, Job)> = jobs.by_ref().take(CHUNK).collect();
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
    drop(checkers);
    std::mem::forget(vaults);
    Ok(files_checked)
}

/// The `videoId` of a note read whole, trimmed.
pub(super) fn note_video_id(n: &SourceNote) -> Option<&str> {
    Some(n.note.frontmatter.as_ref()?.video_id.as_ref()?.value.trim())
}
