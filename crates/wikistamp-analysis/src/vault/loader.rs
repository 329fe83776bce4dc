//! Loading a vault from disk: root discovery, configuration, a parallel walk that respects
//! `.gitignore` and `exclude`, and a parallel read + parse of every note. This is the only
//! part of the analysis that touches the file system.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{Config, ConfigError, CONFIG_FILE};
use crate::syntax::{self, Note};

use super::{NoteEntry, NoteId, PreparedEntry, Vault};

/// The vault root for `start` (a file or folder): the nearest ancestor holding
/// `wikistamp.toml`, else `.obsidian/`, else `.git`, else `fallback` (the current directory).
pub fn find_root(start: &Path, fallback: &Path) -> PathBuf {
    let start = if start.is_file() || !start.exists() {
        start.parent().unwrap_or(start)
    } else {
        start
    };
    let start = fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    for marker in [CONFIG_FILE, ".obsidian", ".git"] {
        for dir in start.ancestors() {
            if dir.join(marker).exists() {
                return dir.to_path_buf();
            }
        }
    }
    fs::canonicalize(fallback).unwrap_or_else(|_| fallback.to_path_buf())
}

/// Why a vault could not be loaded at all.
#[derive(Debug)]
pub enum LoadError {
    Config {
        path: PathBuf,
        error: ConfigError,
    },
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    Exclude {
        pattern: String,
        message: String,
    },
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Config { path, error } => write!(
                f,
                "{}:{}:{}: {}",
                path.display(),
                error.line,
                error.column,
                error.message
            ),
            LoadError::Io { path, error } => write!(f, "{}: {error}", path.display()),
            LoadError::Exclude { pattern, message } => {
                write!(f, "invalid exclude pattern `{pattern}`: {message}")
            }
        }
    }
}

impl std::error::Error for LoadError {}

/// Reads `wikistamp.toml` from `root`; the default configuration when there is none.
pub fn load_config(root: &Path) -> Result<Config, LoadError> {
    let path = root.join(CONFIG_FILE);
    match fs::read_to_string(&path) {
        Ok(text) => Config::from_toml(&text).map_err(|error| LoadError::Config { path, error }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
        Err(error) => Err(LoadError::Io { path, error }),
    }
}

/// A note file read from disk.
#[derive(Debug)]
pub struct SourceNote {
    pub abs_path: PathBuf,
    /// Relative to the vault root, `/`-separated.
    pub rel_path: String,
    pub text: String,
    pub note: Note,
}

/// A file that could not be read as a note (I/O error, invalid UTF-8).
#[derive(Debug)]
pub struct UnreadableNote {
    pub abs_path: PathBuf,
    pub rel_path: String,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct LoadedVault {
    pub vault: Vault,
    /// Sorted by path.
    pub notes: Vec<SourceNote>,
    pub unreadable: Vec<UnreadableNote>,
}

/// The Markdown files and attachments of the vault at `root`, as paths.
pub fn walk(root: &Path, config: &Config) -> Result<(Vec<PathBuf>, Vec<PathBuf>), LoadError> {
    let mut overrides = ignore::overrides::OverrideBuilder::new(root);
    for pattern in &config.exclude {
        overrides
            .add(&format!("!{pattern}"))
            .map_err(|e| LoadError::Exclude {
                pattern: pattern.clone(),
                message: e.to_string(),
            })?;
    }
    let overrides = overrides.build().map_err(|e| LoadError::Exclude {
        pattern: config.exclude.join(", "),
        message: e.to_string(),
    })?;
    let canonical_root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let walker = ignore::WalkBuilder::new(root)
        .follow_links(false)
        .require_git(false)
        .overrides(overrides)
        .build();
    let mut notes = Vec::new();
    let mut attachments = Vec::new();
    for entry in walker.flatten() {
        let Some(ft) = entry.file_type() else {
            continue;
        };
        let path = entry.path();
        let is_file = if ft.is_symlink() {
            // A symlink counts only when it points at a file inside the vault.
            match fs::canonicalize(path) {
                Ok(target) => target.starts_with(&canonical_root) && target.is_file(),
                Err(_) => false,
            }
        } else {
            ft.is_file()
        };
        if !is_file {
            continue;
        }
        if is_markdown(path) {
            notes.push(path.to_path_buf());
        } else {
            attachments.push(path.to_path_buf());
        }
    }
    notes.sort();
    Ok((notes, attachments))
}

pub fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

/// `path` relative to `root`, `/`-separated (the path itself when it is not under `root`).
pub fn relative_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut out = String::new();
    for (i, c) in rel.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(&c.as_os_str().to_string_lossy());
    }
    out
}

/// A note file indexed from its frontmatter, with its id in the vault; its text is read again
/// when it is checked.
#[derive(Debug)]
pub struct IndexedNote {
    pub abs_path: PathBuf,
    /// Relative to the vault root, `/`-separated.
    pub rel_path: String,
    pub id: NoteId,
}

/// A vault whose entries know everything from the notes' frontmatter (names, paths, titles,
/// aliases, video ids) but not yet their headings and link targets: what a two-pass check
/// needs. Fill in each note's body with [`Vault::set_body`] after parsing it.
#[derive(Debug, Default)]
pub struct IndexedVault {
    pub vault: Vault,
    /// Sorted by path.
    pub notes: Vec<IndexedNote>,
    pub unreadable: Vec<UnreadableNote>,
}

/// Reads one note's text; invalid UTF-8 and I/O errors become an [`UnreadableNote`].
pub fn read_text(root: &Path, path: &Path) -> Result<(String, String), UnreadableNote> {
    let rel_path = relative_path(root, path);
    let unreadable = |message: String| UnreadableNote {
        abs_path: path.to_path_buf(),
        rel_path: rel_path.clone(),
        message,
    };
    let bytes = fs::read(path).map_err(|e| unreadable(format!("cannot read file: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        unreadable(format!(
            "file is not valid UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    Ok((rel_path, text))
}

/// Walks and reads the whole vault in parallel and indexes what the frontmatter says, keeping
/// neither texts nor parses: the first pass of a check, whose second pass reads each note
/// again ([`with_text`]) and holds one note at a time per thread. Memory then does not grow
/// with the vault's bytes. The vault is the one [`load`] builds (same ids, same order), minus
/// headings and link targets.
pub fn load_index(root: &Path, config: &Config) -> Result<IndexedVault, LoadError> {
    let (paths, attachments) = walk(root, config)?;
    let mut vault = Vault::new(&config.links);
    // Each entry's keys are computed here, in parallel: the serial part below only inserts.
    let results: Vec<Result<(IndexedNote, PreparedEntry), UnreadableNote>> = paths
        .par_iter()
        .map(|p| {
            let rel_path = relative_path(root, p);
            let entry = with_text(p, |text| {
                let fm = syntax::parse_frontmatter(text);
                vault.prepare(NoteEntry::from_frontmatter(&rel_path, fm.as_ref()))
            });
            match entry {
                Ok(entry) => Ok((
                    IndexedNote {
                        abs_path: p.clone(),
                        rel_path,
                        id: NoteId(0),
                    },
                    entry,
                )),
                Err(message) => Err(UnreadableNote {
                    abs_path: p.clone(),
                    rel_path,
                    message,
                }),
            }
        })
        .collect();
    vault.reserve(results.len());
    let mut loaded = IndexedVault {
        vault,
        ..IndexedVault::default()
    };
    let mut unreadable = Vec::new();
    for r in results {
        match r {
            Ok((mut n, e)) => {
                n.id = loaded.vault.upsert_prepared(e);
                loaded.notes.push(n);
            }
            Err(u) => unreadable.push(u),
        }
    }
    loaded.unreadable = unreadable;
    finish(root, &mut loaded.vault, &loaded.unreadable, &attachments);
    Ok(loaded)
}

/// Reads the note at `path` into a buffer the calling thread reuses and hands its text to `f`:
/// reading a vault this way allocates no text per note (and touches no fresh memory). Invalid
/// UTF-8 and I/O errors become the message of an [`UnreadableNote`]. `f` may itself read
/// notes (it then gets a buffer of its own).
pub fn with_text<R>(path: &Path, f: impl FnOnce(&str) -> R) -> Result<R, String> {
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let read = |buffer: &mut Vec<u8>| -> Result<R, String> {
        buffer.clear();
        fs::File::open(path)
            .and_then(|mut file| std::io::Read::read_to_end(&mut file, buffer))
            .map_err(|e| format!("cannot read file: {e}"))?;
        let text = std::str::from_utf8(buffer).map_err(|e| {
            format!(
                "file is not valid UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            )
        })?;
        Ok(f(text))
    };
    BUFFER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buffer) => {
            let result = read(&mut buffer);
            // A huge note's buffer is not kept for the rest of the walk.
            if buffer.capacity() > 1 << 20 {
                *buffer = Vec::new();
            }
            result
        }
        Err(_) => read(&mut Vec::new()),
    })
}

/// Indexes the unreadable notes and the attachments, after the notes.
fn finish(root: &Path, vault: &mut Vault, unreadable: &[UnreadableNote], attachments: &[PathBuf]) {
    // An unreadable note still exists: links to it are not broken.
    for u in unreadable {
        vault.upsert(NoteEntry::from_frontmatter(&u.rel_path, None));
    }
    for a in attachments {
        vault.add_attachment(&relative_path(root, a));
    }
}

/// Reads one note; invalid UTF-8 and I/O errors become an [`UnreadableNote`].
pub fn read_note(root: &Path, path: &Path) -> Result<SourceNote, UnreadableNote> {
    let (rel_path, text) = read_text(root, path)?;
    let note = syntax::parse(&text);
    Ok(SourceNote {
        abs_path: path.to_path_buf(),
        rel_path,
        text,
        note,
    })
}

/// Walks, reads and parses the whole vault in parallel, and indexes it.
pub fn load(root: &Path, config: &Config) -> Result<LoadedVault, LoadError> {
    let (paths, attachments) = walk(root, config)?;
    let results: Vec<Result<SourceNote, UnreadableNote>> =
        paths.par_iter().map(|p| read_note(root, p)).collect();
    let mut loaded = LoadedVault {
        vault: Vault::new(&config.links),
        ..LoadedVault::default()
    };
    for r in results {
        match r {
            Ok(n) => loaded.notes.push(n),
            Err(u) => loaded.unreadable.push(u),
        }
    }
    let entries: Vec<NoteEntry> = loaded
        .notes
        .par_iter()
        .map(|n| NoteEntry::from_note(&n.rel_path, &n.note, &n.text))
        .collect();
    for e in entries {
        loaded.vault.upsert(e);
    }
    finish(root, &mut loaded.vault, &loaded.unreadable, &attachments);
    Ok(loaded)
}
