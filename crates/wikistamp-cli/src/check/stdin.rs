//! A note from standard input (`--stdin-filename PATH`), checked as the note at PATH against
//! its vault's index: an editor's unsaved buffer, a pre-commit hook's staged text.

use std::io::Read;
use std::path::Path;

use wikistamp_analysis::vault::NoteEntry;
use wikistamp_workspace::{self as workspace, Checker};

use crate::args::CheckArgs;
use crate::paths::{absolute, display_relative};

use super::configure;
use super::fix::{Notes, Target};
use crate::report::FileReport;

/// Reads the note from standard input, and the index of its vault.
pub(super) fn load(args: &CheckArgs, name: &Path, cwd: &Path) -> Result<Notes, String> {
    if args.paths.iter().any(|p| p.as_os_str() != "-") {
        return Err("with --stdin-filename, pass `-` (or nothing) as the path".into());
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    let abs = absolute(name, cwd);
    let root = workspace::root_of_checked_path(&abs, cwd);
    let config = configure(args, &root, cwd)?;
    // The vault's index alone (names, aliases), as a check of the whole vault makes it: the
    // headings the note's links need are read when it is checked, its video's transcript below.
    let mut vault = workspace::load_index_for(&root, &config, |_| false)
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
            let diagnostics = Checker::new(&root, &vault, &config).unreadable(message);
            return Ok(Notes {
                unreadable: FileReport::new(display, "", diagnostics, true)
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
    let rel = workspace::relative_path(&root, &canonical_parent);
    let note = wikistamp_analysis::parse(&text);
    let entry = NoteEntry::from_note(&rel, &note, &text);
    // Only the transcript of the note's video is read (its `videoId` as typed, which the file
    // on disk may not have yet).
    let invalid = workspace::learn_transcripts(
        &root,
        &config.transcripts,
        &mut vault,
        entry.video_id.as_deref(),
    );
    vault.upsert(entry);
    let checker = Checker::new(&root, &vault, &config);
    let unreadable = invalid
        .iter()
        .filter_map(|t| {
            let display = display_relative(&t.abs_path, cwd);
            FileReport::new(display, &t.text, checker.transcript_invalid(t), true)
        })
        .collect();
    Ok(Notes {
        config,
        root,
        vault,
        targets: vec![Target {
            abs: None,
            rel,
            display,
            text,
        }],
        unreadable,
    })
}
