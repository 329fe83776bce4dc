//! Checking notes: the one entry point the CLI and the language server share. A rule that
//! follows a `[[note#heading]]` or `[[note#^block]]` link needs that note's headings or block
//! ids, which a vault indexed from frontmatter alone does not keep (keeping every note's would
//! cost a string per heading of the vault); [`Checker::check`] reads the ones it needs before
//! it runs the rules.

use std::path::Path;

use wikistamp_analysis::config::Config;
use wikistamp_analysis::rules::{self, FileUnreadable, TranscriptInvalid};
use wikistamp_analysis::vault::NoteEntry;
use wikistamp_analysis::{check_note, parse, Diagnostic, Note, Vault};

use crate::read::with_text;
use crate::transcripts::InvalidTranscript;

/// A vault, its configuration and the folder its notes are read from.
#[derive(Clone, Copy)]
pub struct Checker<'a> {
    root: &'a Path,
    vault: &'a Vault,
    config: &'a Config,
}

impl<'a> Checker<'a> {
    /// Notes' anchors the vault does not know are read from below `root`.
    pub fn new(root: &'a Path, vault: &'a Vault, config: &'a Config) -> Self {
        Checker {
            root,
            vault,
            config,
        }
    }

    /// The findings of the note at vault-relative `rel`, whose text is `text` and parse `note`
    /// (sorted by position, then rule id). Safe to call from many threads at once.
    pub fn check(&self, text: &str, note: &Note, rel: &str) -> Vec<Diagnostic> {
        self.learn_fragment_targets(text, note, rel);
        check_note(text, note, rel, self.vault, self.config)
    }

    /// The finding of a file that could not be read, at its configured severity (none when
    /// `file-unreadable` is off).
    pub fn unreadable(&self, message: String) -> Vec<Diagnostic> {
        FileUnreadable::report(self.config, message)
            .into_iter()
            .collect()
    }

    /// The finding of a transcript a note needs that could not be read (see
    /// [`crate::transcripts::learn_transcripts`]), at its configured severity (none when
    /// `transcript-invalid` is off); its range is the line where reading stopped, in
    /// `transcript.text`.
    pub fn transcript_invalid(&self, transcript: &InvalidTranscript) -> Vec<Diagnostic> {
        TranscriptInvalid::report(
            self.config,
            &transcript.text,
            transcript.line,
            transcript.message.clone(),
        )
        .into_iter()
        .collect()
    }

    /// Teaches the vault the anchors of the notes the `[[note#fragment]]` links of `note` lead
    /// to, when it does not know them yet: from `note` itself when it links to itself by name,
    /// else read from disk (an unreadable note has none, as in a full load).
    fn learn_fragment_targets(&self, text: &str, note: &Note, rel: &str) {
        if !note.links.iter().any(|l| l.fragment.is_some()) {
            return;
        }
        let vault = self.vault;
        let ctx = rules::Context::new(text, note, rel, vault, self.config);
        for id in rules::fragment_link_targets(&ctx) {
            if vault.knows_anchors(id) {
                continue;
            }
            let Some(entry) = vault.entry(id) else {
                continue;
            };
            if entry.path == rel {
                vault.learn_anchors(id, || NoteEntry::anchors_of(note, text));
                continue;
            }
            let path = self.root.join(&entry.path);
            vault.learn_anchors(id, || {
                with_text(&path, |t| NoteEntry::anchors_of(&parse(t), t)).unwrap_or_default()
            });
        }
    }
}
