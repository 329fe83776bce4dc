//! Notes' texts as the handlers see them: an open document (the client's text, which overrides
//! the file on disk), or a note read from disk for one request, with the state's lock released.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tower_lsp_server::ls_types::{self as lsp, Uri};
use wikistamp_analysis::{parse, Note};
use wikistamp_workspace::{read_note, relative_path};

use crate::position::{Encoding, LineMap};

/// An open document. Its text is held once: edits from the client are applied to it (each
/// change re-parses the whole note anyway, so a rope would buy nothing) and handlers share it.
pub struct Doc {
    pub version: i32,
    pub text: Arc<str>,
    pub note: Arc<Note>,
    /// Vault-relative, when the document lies under the vault's root.
    pub rel_path: Option<String>,
}

impl Doc {
    pub fn new(text: String, version: i32, rel_path: Option<String>) -> Self {
        Doc {
            version,
            note: Arc::new(parse(&text)),
            text: text.into(),
            rel_path,
        }
    }

    /// Applies the client's content changes in order (a range edit, or the whole text when
    /// `range` is absent), then re-parses.
    pub fn apply(&mut self, changes: &[lsp::TextDocumentContentChangeEvent], enc: Encoding) {
        let mut text = String::from(&*self.text);
        for change in changes {
            match change.range {
                Some(range) => {
                    let bytes = LineMap::new(&text, enc).byte_range(range);
                    text.replace_range(bytes, &change.text);
                }
                None => text.clone_from(&change.text),
            }
        }
        self.note = Arc::new(parse(&text));
        self.text = text.into();
    }

    pub fn source(&self) -> Source {
        Source {
            text: self.text.clone(),
            note: self.note.clone(),
            version: Some(self.version),
            rel_path: self.rel_path.clone(),
        }
    }
}

/// A note's text and parse, shared with the open document it comes from, if any.
#[derive(Clone)]
pub struct Source {
    pub text: Arc<str>,
    pub note: Arc<Note>,
    pub version: Option<i32>,
    /// Vault-relative, when the note lies under the vault's root.
    pub rel_path: Option<String>,
}

/// A file read for a request.
pub enum DiskNote {
    Read(Source),
    /// It exists but is not a readable note (I/O error, invalid UTF-8).
    Unreadable(String),
}

/// The notes one request read from disk, with the lock released.
#[derive(Default)]
pub struct DiskNotes(HashMap<Uri, DiskNote>);

impl DiskNotes {
    /// Reads the notes at `files` (`uri`, canonical path). Blocks: call it outside the lock.
    pub fn read(root: Option<&Path>, files: Vec<(Uri, PathBuf)>) -> DiskNotes {
        let mut out = HashMap::new();
        for (uri, path) in files {
            let rel_path = root.and_then(|r| vault_path(r, &path));
            let root = root.unwrap_or(Path::new(""));
            match read_note(root, &path) {
                Ok(n) => {
                    let source = Source {
                        text: n.text.into(),
                        note: Arc::new(n.note),
                        version: None,
                        rel_path,
                    };
                    out.insert(uri, DiskNote::Read(source));
                }
                Err(u) if path.is_file() => {
                    out.insert(uri, DiskNote::Unreadable(u.message));
                }
                Err(_) => {}
            }
        }
        DiskNotes(out)
    }

    pub fn extend(&mut self, more: DiskNotes) {
        self.0.extend(more.0);
    }

    pub fn get(&self, uri: &Uri) -> Option<&DiskNote> {
        self.0.get(uri)
    }
}

/// The vault-relative path of `path` (canonical) when it lies under `root`.
pub fn vault_path(root: &Path, path: &Path) -> Option<String> {
    path.starts_with(root).then(|| relative_path(root, path))
}

/// The file path of a `file:` URI.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(|p| p.into_owned())
}

/// The path with its parent canonicalised (the file itself may not exist yet), so it compares
/// with the canonical root. Touches the disk: call it outside the lock.
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

#[cfg(test)]
mod tests {
    use super::*;

    fn change(
        range: Option<((u32, u32), (u32, u32))>,
        text: &str,
    ) -> lsp::TextDocumentContentChangeEvent {
        lsp::TextDocumentContentChangeEvent {
            range: range.map(|((l0, c0), (l1, c1))| {
                lsp::Range::new(lsp::Position::new(l0, c0), lsp::Position::new(l1, c1))
            }),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn changes_apply_in_order_in_the_negotiated_encoding() {
        let mut doc = Doc::new("a🎉b\r\n日本\rend\n".to_string(), 1, None);
        doc.apply(
            &[
                // After the emoji (two UTF-16 units), on the first line.
                change(Some(((0, 3), (0, 4))), "B"),
                // Past the end of the second line's content: clamped before its `\r`.
                change(Some(((1, 1), (1, 99))), "x"),
                // Past the end of the text: appended.
                change(Some(((99, 0), (120, 5))), "[[n]]"),
            ],
            Encoding::Utf16,
        );
        assert_eq!(&*doc.text, "a🎉B\r\n日x\rend\n[[n]]");
        assert_eq!(doc.note.links.len(), 1);
        doc.apply(&[change(None, "whole")], Encoding::Utf8);
        assert_eq!(&*doc.text, "whole");
        assert!(doc.note.links.is_empty());
    }
}
