//! Indexing a vault note by note, for the language server: like [`crate::load`], but keeps
//! only the index entries (not every note's text and parse), so a large vault stays small in
//! memory, and works in chunks so the caller can report progress.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use wikistamp_analysis::vault::NoteEntry;

use crate::read::with_text;
use crate::walk::relative_path;

/// The index entry of the note file at `path` (absolute): from its parse, or a bare entry when
/// it cannot be read as UTF-8 (it still exists, so links to it are not broken; it has no
/// headings). `None` when the file does not exist.
pub fn entry_from_disk(root: &Path, path: &Path) -> Option<NoteEntry> {
    // Same outcome as `read_note` + `NoteEntry::from_note`, but without a text per note.
    let rel_path = relative_path(root, path);
    match with_text(path, |text| {
        NoteEntry::from_note(&rel_path, &wikistamp_analysis::parse(text), text)
    }) {
        Ok(entry) => Some(entry),
        Err(_) if !path.is_file() => None,
        Err(_) => Some(NoteEntry {
            anchors: Default::default(),
            ..NoteEntry::from_frontmatter(&rel_path, None)
        }),
    }
}

/// Reads and parses `paths` in parallel; returns their entries in the same order.
pub fn entries(root: &Path, paths: &[PathBuf]) -> Vec<NoteEntry> {
    paths
        .par_iter()
        .filter_map(|p| entry_from_disk(root, p))
        .collect()
}

/// The vault-relative paths of attachments, for [`wikistamp_analysis::Vault::add_attachment`].
pub fn attachment_paths(root: &Path, attachments: &[PathBuf]) -> Vec<String> {
    attachments.iter().map(|a| relative_path(root, a)).collect()
}
