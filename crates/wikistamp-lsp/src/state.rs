//! The server's state: the vault index, the configuration and the open documents. Handlers
//! lock it briefly, compute synchronously, and release it before talking to the client.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ropey::Rope;
use tower_lsp_server::ls_types::{self as lsp, Uri};
use wikistamp_analysis::config::{Config, RuleLevel};
use wikistamp_analysis::vault::{NoteEntry, NoteId};
use wikistamp_analysis::{parse, Diagnostic, Note, RuleId, Vault};
use wikistamp_workspace::{index, read_note, relative_path, Checker};

use crate::position::{rope_char, Encoding};

/// An open document: the client's text, which overrides the file on disk.
pub struct Doc {
    pub rope: Rope,
    pub version: i32,
    pub text: Arc<str>,
    pub note: Arc<Note>,
}

impl Doc {
    pub fn new(text: String, version: i32) -> Self {
        let note = Arc::new(parse(&text));
        Doc {
            rope: Rope::from_str(&text),
            version,
            text: text.into(),
            note,
        }
    }

    /// Applies one content change (a range edit, or the whole text when `range` is absent).
    pub fn apply(&mut self, change: &lsp::TextDocumentContentChangeEvent, enc: Encoding) {
        match change.range {
            Some(range) => {
                let start = rope_char(&self.rope, range.start, enc);
                let end = rope_char(&self.rope, range.end, enc).max(start);
                self.rope.remove(start..end);
                self.rope.insert(start, &change.text);
            }
            None => self.rope = Rope::from_str(&change.text),
        }
    }

    /// Re-derives the text and its parse from the rope.
    pub fn reparse(&mut self) {
        let text = self.rope.to_string();
        self.note = Arc::new(parse(&text));
        self.text = text.into();
    }
}

/// A note's text and parse: from an open document, or read from disk.
pub struct Source {
    pub text: Arc<str>,
    pub note: Arc<Note>,
    pub version: Option<i32>,
}

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
    /// The file path of a `file:` URI.
    pub fn path_of(uri: &Uri) -> Option<PathBuf> {
        uri.to_file_path().map(|p| p.into_owned())
    }

    /// The vault-relative path of a URI when it lies under the root.
    pub fn rel_path(&self, uri: &Uri) -> Option<String> {
        let root = self.root.as_ref()?;
        let path = Self::path_of(uri)?;
        let path = canonical_lexical(&path);
        path.starts_with(root).then(|| relative_path(root, &path))
    }

    /// The path the analysis uses for a document: vault-relative, or the bare file name for a
    /// document outside the vault.
    pub fn check_path(&self, uri: &Uri) -> String {
        self.rel_path(uri).unwrap_or_else(|| {
            Self::path_of(uri)
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

    /// The open document at `rel_path`, if any.
    pub fn open_doc_at(&self, rel_path: &str) -> Option<(&Uri, &Doc)> {
        self.docs
            .iter()
            .find(|(u, _)| self.rel_path(u).as_deref() == Some(rel_path))
    }

    /// The text of a URI: the open document, else the file on disk.
    pub fn source(&self, uri: &Uri) -> Option<Source> {
        if let Some(d) = self.docs.get(uri) {
            return Some(Source {
                text: d.text.clone(),
                note: d.note.clone(),
                version: Some(d.version),
            });
        }
        let path = Self::path_of(uri)?;
        let root = self.root.clone().unwrap_or_default();
        let n = read_note(&root, &path).ok()?;
        Some(Source {
            text: n.text.into(),
            note: Arc::new(n.note),
            version: None,
        })
    }

    pub fn source_of_note(&self, id: NoteId) -> Option<(Uri, Source)> {
        let uri = self.uri_of_note(id)?;
        let s = self.source(&uri)?;
        Some((uri, s))
    }

    /// Updates the vault entry of an open document from its text. Returns whether what other
    /// notes can see of it (name, aliases, headings) changed.
    pub fn upsert_doc(&mut self, uri: &Uri) -> bool {
        let Some(rel) = self.rel_path(uri) else {
            return false;
        };
        let Some(doc) = self.docs.get(uri) else {
            return false;
        };
        let entry = NoteEntry::from_note(&rel, &doc.note, &doc.text);
        let before = self.vault.id_of(&rel).and_then(|id| self.vault.entry(id));
        let visible_change = before.is_none_or(|b| {
            (&b.aliases, &b.headings, &b.title) != (&entry.aliases, &entry.headings, &entry.title)
        });
        self.vault.upsert(entry);
        visible_change
    }

    /// Puts the disk version of a note back in the index (after its document closed or the
    /// file changed); removes it when the file is gone.
    pub fn reload_from_disk(&mut self, path: &Path) {
        let Some(root) = self.root.clone() else {
            return;
        };
        let rel = relative_path(&root, path);
        match index::entry_from_disk(&root, path) {
            Some(e) => {
                self.vault.upsert(e);
            }
            None => {
                self.vault.remove(&rel);
            }
        }
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
    pub fn check(&self, uri: &Uri, text: &str, note: &Note) -> Vec<Diagnostic> {
        self.checker().check(text, note, &self.check_path(uri))
    }

    /// Diagnostics for a URI (open document or disk file); an unreadable file gets
    /// `file-unreadable`.
    pub fn check_uri(&self, uri: &Uri) -> Option<(Arc<str>, Vec<Diagnostic>, Option<i32>)> {
        if let Some(s) = self.source(uri) {
            let d = self.check(uri, &s.text, &s.note);
            return Some((s.text, d, s.version));
        }
        let path = Self::path_of(uri)?;
        let root = self.root.clone().unwrap_or_default();
        match read_note(&root, &path) {
            Ok(_) => None,
            Err(u) if path.is_file() => {
                Some(("".into(), self.checker().unreadable(u.message), None))
            }
            Err(_) => None,
        }
    }
}

/// The path with its parent canonicalised (the file itself may not exist yet), so it compares
/// with the canonical root.
pub fn canonical_lexical(path: &Path) -> PathBuf {
    if let Ok(c) = std::fs::canonicalize(path) {
        return c;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => std::fs::canonicalize(parent)
            .map(|p| p.join(name))
            .unwrap_or_else(|_| path.to_path_buf()),
        _ => path.to_path_buf(),
    }
}
