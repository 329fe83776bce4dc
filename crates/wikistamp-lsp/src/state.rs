//! The server's state: the vault index, the configuration and the open documents. Handlers
//! lock it briefly and compute synchronously; they release it before talking to the client or
//! touching the disk (what they read from disk comes in as [`DiskNotes`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tower_lsp_server::ls_types::Uri;
use wikistamp_analysis::config::{Config, RuleLevel};
use wikistamp_analysis::vault::{NoteEntry, NoteId};
use wikistamp_analysis::{Diagnostic, Note, RuleId, Vault};
use wikistamp_workspace::Checker;

use crate::document::{path_of, vault_path, DiskNote, DiskNotes, Doc, Source};
use crate::position::Encoding;

#[derive(Default)]
pub struct State {
    pub encoding: Encoding,
    pub root: Option<PathBuf>,
    pub config: Arc<Config>,
    pub config_error: Option<String>,
    pub vault: Vault,
    pub docs: HashMap<Uri, Doc>,
    pub indexed: bool,
    /// What the client supports.
    pub snippets: bool,
    /// Insert `name|Title` rather than `name` when completing a link.
    pub link_with_title: bool,
    /// Rule levels from the client's `initializationOptions.rules`, applied over the vault's
    /// `wikistamp.toml` (the editor settings win).
    pub rule_overrides: Vec<(RuleId, RuleLevel)>,
}

impl State {
    /// Installs a configuration read from disk, with the client's rule overrides on top.
    pub fn set_config(&mut self, mut config: Config) {
        for (id, level) in &self.rule_overrides {
            config.rules.insert(*id, *level);
        }
        self.config = Arc::new(config);
    }
}

/// Reads `{"rules": {"source-missing": "off", "link-ambiguous": "error"}}` from the client's
/// initialization options; unknown rules and levels are returned as messages to log.
pub fn rule_overrides(
    options: Option<&serde_json::Value>,
) -> (Vec<(RuleId, RuleLevel)>, Vec<String>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let Some(map) = options
        .and_then(|o| o.get("rules"))
        .and_then(|r| r.as_object())
    else {
        return (out, problems);
    };
    for (id, level) in map {
        let Ok(rule) = id.parse::<RuleId>() else {
            problems.push(format!("initializationOptions.rules: unknown rule `{id}`"));
            continue;
        };
        let level = match level.as_str() {
            Some(level) => match level.parse() {
                Ok(level) => level,
                Err(e) => {
                    problems.push(format!(
                        "initializationOptions.rules.{id}: invalid level `{level}` ({e})"
                    ));
                    continue;
                }
            },
            None => {
                problems.push(format!(
                    "initializationOptions.rules.{id}: expected a string"
                ));
                continue;
            }
        };
        out.push((rule, level));
    }
    (out, problems)
}

impl State {
    /// The vault-relative path of `path` (canonical) when it lies under the root.
    pub fn rel_path(&self, path: &Path) -> Option<String> {
        vault_path(self.root.as_ref()?, path)
    }

    /// The path the analysis uses for a note: vault-relative, or the bare file name for a
    /// document outside the vault.
    pub fn check_path(uri: &Uri, src: &Source) -> String {
        src.rel_path.clone().unwrap_or_else(|| {
            path_of(uri)
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| "untitled.md".to_string())
        })
    }

    pub fn uri_of(&self, rel_path: &str) -> Option<Uri> {
        Uri::from_file_path(self.root.as_ref()?.join(rel_path))
    }

    pub fn uri_of_note(&self, id: NoteId) -> Option<Uri> {
        self.uri_of(&self.vault.entry(id)?.path)
    }

    /// Whether the note at `rel_path` is open (the editor's text then wins over the disk).
    pub fn is_open(&self, rel_path: &str) -> bool {
        self.docs
            .values()
            .any(|d| d.rel_path.as_deref() == Some(rel_path))
    }

    /// The text of a URI: the open document, else what the request read from disk.
    pub fn source(&self, uri: &Uri, disk: &DiskNotes) -> Option<Source> {
        match self.docs.get(uri) {
            Some(d) => Some(d.source()),
            None => match disk.get(uri)? {
                DiskNote::Read(s) => Some(s.clone()),
                DiskNote::Unreadable(_) => None,
            },
        }
    }

    pub fn source_of_note(&self, id: NoteId, disk: &DiskNotes) -> Option<(Uri, Source)> {
        let uri = self.uri_of_note(id)?;
        let s = self.source(&uri, disk)?;
        Some((uri, s))
    }

    /// Updates the vault entry of an open document from its text. Returns whether what other
    /// notes can see of it (name, aliases, headings) changed.
    pub fn upsert_doc(&mut self, uri: &Uri) -> bool {
        let Some(doc) = self.docs.get(uri) else {
            return false;
        };
        let Some(rel) = &doc.rel_path else {
            return false;
        };
        let entry = NoteEntry::from_note(rel, &doc.note, &doc.text);
        let before = self.vault.id_of(rel).and_then(|id| self.vault.entry(id));
        let visible_change = before.is_none_or(|b| {
            (&b.aliases, &b.anchors, &b.title) != (&entry.aliases, &entry.anchors, &entry.title)
        });
        self.vault.upsert(entry);
        visible_change
    }

    /// How notes are checked, exactly as `wikistamp check` checks them.
    fn checker(&self) -> Checker<'_> {
        Checker::new(
            self.root.as_deref().unwrap_or(Path::new("")),
            &self.vault,
            &self.config,
        )
    }

    /// The diagnostics of a text, exactly as `wikistamp check` computes them.
    pub fn check(&self, path: &str, text: &str, note: &Note) -> Vec<Diagnostic> {
        self.checker().check(text, note, path)
    }

    /// Diagnostics for a URI (open document or disk file); an unreadable file gets
    /// `file-unreadable`.
    pub fn check_uri(
        &self,
        uri: &Uri,
        disk: &DiskNotes,
    ) -> Option<(Arc<str>, Vec<Diagnostic>, Option<i32>)> {
        if let Some(s) = self.source(uri, disk) {
            let d = self.check(&Self::check_path(uri, &s), &s.text, &s.note);
            return Some((s.text, d, s.version));
        }
        let DiskNote::Unreadable(message) = disk.get(uri)? else {
            return None;
        };
        Some(("".into(), self.checker().unreadable(message.clone()), None))
    }
}
