//! What the timing examples share: a vault's notes read into memory, and the vault they make.
// Each example uses what it needs of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use wikistamp_analysis::config::Config;
use wikistamp_analysis::syntax::Note;
use wikistamp_analysis::vault::{NoteEntry, Vault};
use wikistamp_workspace as workspace;

/// The notes at `paths` (as [`workspace::walk`] of `root` found them) that read as UTF-8: their
/// vault-relative paths and texts.
pub fn read_notes(root: &Path, paths: &[PathBuf]) -> Vec<(String, String)> {
    paths
        .iter()
        .filter_map(|p| {
            Some((
                workspace::relative_path(root, p),
                std::fs::read_to_string(p).ok()?,
            ))
        })
        .collect()
}

/// Walks `root` and reads its notes.
pub fn walk_and_read(root: &Path, config: &Config) -> Vec<(String, String)> {
    let paths = workspace::walk(root, config).expect("walk").notes;
    read_notes(root, &paths)
}

/// The vault of `texts`, whose parses are `notes` (in the same order).
pub fn vault_of(texts: &[(String, String)], notes: &[Note], config: &Config) -> Vault {
    let mut vault = Vault::new(&config.links);
    for ((rel, text), note) in texts.iter().zip(notes) {
        vault.upsert(NoteEntry::from_note(rel, note, text));
    }
    vault
}
