//! Loading a vault from disk: root discovery, configuration, a parallel walk that respects
//! `.gitignore` and `exclude`, and a parallel read + parse of every note. This is the only
//! part of the analysis that touches the file system.

use std::fs;
use std::path::{Path, PathBuf};

use std::sync::atomic::Ordering;

use rayon::prelude::*;

use crate::config::{Config, ConfigError, CONFIG_FILE};
use crate::syntax::{self, Note};

use super::{NoteEntry, NoteId, Vault};

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
    // The parallel walker: listing 21,000 files in 300 folders is a tenth of a check's time
    // when done on one thread.
    let found = std::sync::Mutex::new((Vec::new(), Vec::new()));
    ignore::WalkBuilder::new(root)
        .follow_links(false)
        .require_git(false)
        .overrides(overrides)
        .build_parallel()
        .run(|| {
            let (found, canonical_root) = (&found, &canonical_root);
            // Each walker thread hands over its files when it is done (on drop).
            struct Handover<'a> {
                found: &'a std::sync::Mutex<(Vec<PathBuf>, Vec<PathBuf>)>,
                notes: Vec<PathBuf>,
                attachments: Vec<PathBuf>,
            }
            impl Drop for Handover<'_> {
                fn drop(&mut self) {
                    let mut found = self.found.lock().unwrap_or_else(|e| e.into_inner());
                    found.0.append(&mut self.notes);
                    found.1.append(&mut self.attachments);
                }
            }
            let mut handover = Handover {
                found,
                notes: Vec::new(),
                attachments: Vec::new(),
            };
            Box::new(move |entry| {
                let Ok(entry) = entry else {
                    return ignore::WalkState::Continue;
                };
                let Some(ft) = entry.file_type() else {
                    return ignore::WalkState::Continue;
                };
                let path = entry.path();
                let is_file = if ft.is_symlink() {
                    // A symlink counts only when it points at a file inside the vault.
                    match fs::canonicalize(path) {
                        Ok(target) => target.starts_with(canonical_root) && target.is_file(),
                        Err(_) => false,
                    }
                } else {
                    ft.is_file()
                };
                if is_file {
                    if is_markdown(path) {
                        handover.notes.push(path.to_path_buf());
                    } else {
                        handover.attachments.push(path.to_path_buf());
                    }
                }
                ignore::WalkState::Continue
            })
        });
    let (mut notes, mut attachments) = found.into_inner().unwrap_or_else(|e| e.into_inner());
    sort_paths(&mut attachments);
    sort_paths(&mut notes);
    Ok((notes, attachments))
}

/// Sorts paths as `Path`'s `Ord` does (component by component), in parallel and by plain byte
/// comparisons: with `/` below every other byte, byte order is component order for the paths
/// a walk yields. Comparing `Path`s, which splits both into components every time, took a
/// twentieth of a check of 21,000 notes, on one thread.
fn sort_paths(paths: &mut [PathBuf]) {
    if cfg!(unix) {
        paths.par_sort_by_cached_key(|p| {
            let mut key = p.as_os_str().as_encoded_bytes().to_vec();
            key.iter_mut().filter(|b| **b == b'/').for_each(|b| *b = 0);
            key
        });
    } else {
        paths.par_sort();
    }
}

pub fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

/// `path` relative to `root`, `/`-separated (the path itself when it is not under `root`).
pub fn relative_path(root: &Path, path: &Path) -> String {
    // Fast path (every note, twice per check): a plain path under `root` is its tail.
    if let (Some(p), Some(r)) = (path.to_str(), root.to_str()) {
        if let Some(rest) = p.strip_prefix(r).and_then(|t| t.strip_prefix('/')) {
            if std::path::MAIN_SEPARATOR == '/'
                && !r.ends_with('/')
                && rest
                    .split('/')
                    .all(|c| !c.is_empty() && c != "." && c != "..")
            {
                return rest.to_string();
            }
        }
    }
    relative_by_components(root, path)
}

fn relative_by_components(root: &Path, path: &Path) -> String {
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
    /// The file, still open from the first pass when the process may hold that many open:
    /// [`with_indexed_text`] reads it without a second `open` (a third of the system time of a
    /// check went to opening each note twice).
    pub file: Option<fs::File>,
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
    let keep_open = open_file_budget().min(paths.len());
    make_room_for_descriptors(root, keep_open);
    let keep_open = std::sync::atomic::AtomicUsize::new(keep_open);
    // Keys are computed where the notes are read; an empty vault of the same settings does
    // that (it only needs the settings), while the real one is filled on a thread of its own.
    let keys_of = Vault::new(&config.links);
    // Each note is read and its entry's keys computed in parallel, in rayon's threads rather
    // than as the walk finds it: the walker hands a whole folder to one thread, and a vault's
    // notes sit in a few large folders.
    let read = |p: PathBuf| {
        let rel_path = relative_path(root, &p);
        let read = open(&p).and_then(|file| {
            let fm = frontmatter_of(&file)?;
            let kept = keep_open
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                .is_ok();
            Ok((fm, kept.then_some(file)))
        });
        let read = read.map(|(fm, file)| {
            let entry = keys_of.prepare(NoteEntry::from_frontmatter(&rel_path, fm.as_ref()));
            (entry, file)
        });
        (p, rel_path, read)
    };
    // The notes are read a chunk at a time, in path order, and each chunk is inserted (which
    // is serial: ids follow path order) while the next one is read.
    const CHUNK: usize = 1024;
    let mut loaded = IndexedVault {
        vault: Vault::new(&config.links),
        ..IndexedVault::default()
    };
    loaded.vault.reserve(paths.len());
    loaded.notes.reserve(paths.len());
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<_>>(1);
        let loaded = &mut loaded;
        scope.spawn(move || {
            for (abs_path, rel_path, read) in rx.into_iter().flatten() {
                match read {
                    Ok((entry, file)) => loaded.notes.push(IndexedNote {
                        abs_path,
                        rel_path,
                        id: loaded.vault.upsert_prepared(entry),
                        file,
                    }),
                    Err(message) => loaded.unreadable.push(UnreadableNote {
                        abs_path,
                        rel_path,
                        message,
                    }),
                }
            }
        });
        let mut paths = paths.into_iter();
        loop {
            let chunk: Vec<PathBuf> = paths.by_ref().take(CHUNK).collect();
            if chunk.is_empty() {
                break;
            }
            let results: Vec<_> = chunk.into_par_iter().map(read).collect();
            if tx.send(results).is_err() {
                // The inserting thread panicked (the scope raises it again).
                break;
            }
        }
    });
    finish(root, &mut loaded.vault, &loaded.unreadable, &attachments);
    Ok(loaded)
}

/// Reads the note at `path` into a buffer the calling thread reuses and hands its text to `f`:
/// reading a vault this way allocates no text per note (and touches no fresh memory). Invalid
/// UTF-8 and I/O errors become the message of an [`UnreadableNote`]. `f` may itself read
/// notes (it then gets a buffer of its own).
pub fn with_text<R>(path: &Path, f: impl FnOnce(&str) -> R) -> Result<R, String> {
    let file = open(path)?;
    with_file_text(&file, f)
}

/// [`with_text`] for a note [`load_index`] indexed: through the file it left open
/// ([`IndexedNote::file`], closed after), else by opening `path` again.
pub fn with_indexed_text<R>(
    path: &Path,
    file: Option<fs::File>,
    f: impl FnOnce(&str) -> R,
) -> Result<R, String> {
    match file {
        Some(file) => with_file_text(&file, f),
        None => with_text(path, f),
    }
}

fn with_file_text<R>(file: &fs::File, f: impl FnOnce(&str) -> R) -> Result<R, String> {
    with_buffer(|buffer| {
        let len = read_into(file, buffer, usize::MAX)?;
        Ok(f(utf8(&buffer[..len])?))
    })
}

/// What [`crate::syntax::parse_frontmatter`] finds in the note at `path`, reading no more of
/// the file than the frontmatter needs (its first [`HEAD`] bytes, as a rule): the first pass of a check
/// only indexes frontmatter. Errors as in [`with_text`]; a file whose invalid UTF-8 lies past
/// what was read is reported when it is read whole.
pub fn read_frontmatter(path: &Path) -> Result<Option<syntax::Frontmatter>, String> {
    frontmatter_of(&open(path)?)
}

/// How much of a note the first pass reads for its frontmatter: frontmatter is short (under
/// 130 bytes in 99.9% of a real vault's notes), and each byte read here is read again in the
/// second pass.
const HEAD: usize = 1024;

fn frontmatter_of(file: &fs::File) -> Result<Option<syntax::Frontmatter>, String> {
    with_buffer(|buffer| {
        let len = read_into(file, buffer, HEAD)?;
        if len < HEAD {
            // The whole file.
            return Ok(syntax::parse_frontmatter(utf8(&buffer[..len])?));
        }
        let head = match simdutf8::basic::from_utf8(&buffer[..len])
            .or_else(|_| std::str::from_utf8(&buffer[..len]))
        {
            Ok(t) => t,
            // A character cut at the end of the head.
            Err(e) if e.error_len().is_none() => utf8(&buffer[..e.valid_up_to()])?,
            Err(_) => return Err(utf8(&buffer[..len]).err().unwrap_or_default()),
        };
        // Only complete lines can be trusted: the head may end inside a fence line.
        let complete = head.rfind('\n').map_or(0, |i| i + 1);
        let fm = syntax::parse_frontmatter(&head[..complete]);
        let trusted = match &fm {
            None => complete > 0,
            Some(fm) => fm.terminated && fm.range.end <= complete,
        };
        if trusted {
            return Ok(fm);
        }
        let len = read_into(file, buffer, usize::MAX)?;
        Ok(syntax::parse_frontmatter(utf8(&buffer[..len])?))
    })
}

fn utf8(bytes: &[u8]) -> Result<&str, String> {
    // The SIMD validation first (every byte of a vault goes through here); the standard
    // library's only to locate an error.
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Ok(text);
    }
    std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "file is not valid UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        )
    })
}

/// Runs `f` with this thread's read buffer (a fresh one if it is in use).
fn with_buffer<R>(f: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUFFER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buffer) => {
            let result = f(&mut buffer);
            // A huge note's buffer is not kept for the rest of the walk.
            if buffer.len() > 1 << 20 {
                *buffer = Vec::new();
            }
            result
        }
        Err(_) => f(&mut Vec::new()),
    })
}

fn open(path: &Path) -> Result<fs::File, String> {
    fs::File::open(path).map_err(|e| format!("cannot read file: {e}"))
}

/// Reads up to `limit` bytes of `file` from its start into `buffer` (kept zero-initialized to
/// its full length, so reuse costs nothing) and returns how many it read. Positioned `pread`
/// calls: no size query or seek per file, which `read_to_end` would add (two system calls of
/// six), and a file is read again from its start without a seek.
fn read_into(file: &fs::File, buffer: &mut Vec<u8>, limit: usize) -> Result<usize, String> {
    let err = |e: std::io::Error| format!("cannot read file: {e}");
    if buffer.len() < 16 * 1024 {
        buffer.resize(16 * 1024, 0);
    }
    let mut filled = 0;
    loop {
        if filled == buffer.len() {
            if filled >= limit {
                return Ok(limit);
            }
            buffer.resize(buffer.len() * 2, 0);
        }
        let end = buffer.len().min(limit);
        match read_at(file, &mut buffer[filled..end], filled as u64) {
            Ok(0) => return Ok(filled),
            Ok(n) => {
                filled += n;
                if filled >= limit {
                    return Ok(limit);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(err(e)),
        }
    }
}

#[cfg(unix)]
fn read_at(file: &fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(not(unix))]
fn read_at(mut file: &fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    use std::io::{Read, Seek, SeekFrom};
    file.seek(SeekFrom::Start(offset))?;
    file.read(buf)
}

/// How many notes the first pass of a check may leave open for the second: the process's
/// open-file limit (raised to its hard limit), less a reserve for everything else, and at most
/// 65,536 (each open file costs the kernel about a kilobyte).
fn open_file_budget() -> usize {
    const RESERVED: u64 = 256;
    #[cfg(unix)]
    {
        use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
        let mut limit = getrlimit(Resource::Nofile);
        if limit.current < limit.maximum || (limit.maximum.is_none() && limit.current.is_some()) {
            let raised = Rlimit {
                current: limit.maximum,
                maximum: limit.maximum,
            };
            // Refused (e.g. above the system's own cap): the soft limit stays.
            if setrlimit(Resource::Nofile, raised).is_ok() {
                limit = raised;
            }
        }
        let soft = limit.current.unwrap_or(u64::MAX);
        usize::try_from(soft.saturating_sub(RESERVED).min(1 << 16)).unwrap_or(0)
    }
    #[cfg(not(unix))]
    {
        let _ = RESERVED;
        0
    }
}

/// Grows the process's descriptor table at once to hold `n` more files. Left to grow as files
/// are opened, it doubles a dozen times, and each time waits for every thread of the process
/// (`synchronize_rcu`): that doubled the first pass of a check of 21,000 notes.
fn make_room_for_descriptors(root: &Path, n: usize) {
    #[cfg(unix)]
    if let (Ok(dir), Ok(n)) = (fs::File::open(root), i32::try_from(n + 64)) {
        // A duplicate numbered `n` or above, closed at once: the table keeps its size.
        let _ = rustix::io::fcntl_dupfd_cloexec(&dir, n);
    }
    #[cfg(not(unix))]
    let _ = (root, n);
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
    load_with(root, config, true)
}

/// [`load`] without keeping the notes' parses: each note's [`SourceNote::note`] is empty (its
/// index entry is made from the parse, which is then dropped). A vault's parses take more
/// memory than its texts; a caller that holds every text (`check --fix`) parses a note again
/// when it needs it.
pub fn load_texts(root: &Path, config: &Config) -> Result<LoadedVault, LoadError> {
    load_with(root, config, false)
}

fn load_with(root: &Path, config: &Config, keep_parses: bool) -> Result<LoadedVault, LoadError> {
    let (paths, attachments) = walk(root, config)?;
    let results: Vec<Result<(SourceNote, NoteEntry), UnreadableNote>> = paths
        .par_iter()
        .map(|p| {
            read_note(root, p).map(|mut n| {
                let entry = NoteEntry::from_note(&n.rel_path, &n.note, &n.text);
                if !keep_parses {
                    n.note = Note::default();
                }
                (n, entry)
            })
        })
        .collect();
    let mut loaded = LoadedVault {
        vault: Vault::new(&config.links),
        ..LoadedVault::default()
    };
    for r in results {
        match r {
            Ok((n, entry)) => {
                loaded.vault.upsert(entry);
                loaded.notes.push(n);
            }
            Err(u) => loaded.unreadable.push(u),
        }
    }
    finish(root, &mut loaded.vault, &loaded.unreadable, &attachments);
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_sort_as_path_orders_them() {
        let names = [
            "a", "a-b", "a b", "a.md", "a/b", "a/b/c.md", "a/b.md", "a-b/c.md", "a/-", "A", "é.md",
            "e/f", "e-f", "e.f", "e/f/g", "ab", "a/ab", "a/a/a",
        ];
        let mut paths: Vec<PathBuf> = Vec::new();
        for x in names {
            for y in names {
                paths.push(Path::new("/vault root").join(x).join(y));
            }
        }
        let mut expected = paths.clone();
        expected.sort();
        paths.reverse();
        sort_paths(&mut paths);
        assert_eq!(paths, expected);
    }

    /// Reading only the head of a note finds the frontmatter the whole text has, wherever
    /// the boundary of the head falls (inside the frontmatter, a character, a fence line, the
    /// body).
    #[test]
    fn frontmatter_from_the_head_equals_the_whole_file() {
        let dir = std::env::temp_dir().join(format!("wikistamp-head-{}", std::process::id()));
        fs::create_dir_all(&dir).expect("temp dir");
        let long_body = "body line\n".repeat(2_000);
        let mut cases: Vec<String> = vec![
            String::new(),
            "no frontmatter\n".into(),
            format!("---\ntitle: T\nvideoId: ZtY8VXswa2o\n---\n{long_body}"),
            format!("---\ntitle: T\n{}---\n{long_body}", "k: v\n".repeat(1_000)),
            format!("---\ntitle: {}\n---\nx", "é".repeat(3_000)),
            format!("---\ntitle: T\n{}", "k: v\n".repeat(2_000)),
            format!("{}\n---\ntitle: T\n---\n", "x".repeat(5_000)),
            format!("\u{feff}---\naliases: [a, b]\n---\n{long_body}"),
        ];
        // The closing fence cut by the boundary: `---` at HEAD-2..HEAD+1, then more on its line.
        let pad = HEAD - 2 - "---\ntitle: T\n".len();
        cases.push(format!(
            "---\ntitle: T\n{}\n---x\n---\nbody",
            "#".repeat(pad - 1)
        ));
        for (i, text) in cases.iter().enumerate() {
            let path = dir.join(format!("{i}.md"));
            fs::write(&path, text).expect("write");
            let expected = syntax::parse_frontmatter(text);
            assert_eq!(read_frontmatter(&path), Ok(expected), "case {i}");
            assert_eq!(with_text(&path, str::len), Ok(text.len()), "case {i}");
        }
        let invalid = dir.join("invalid.md");
        fs::write(&invalid, b"---\ntitle: \xff\n---\n").expect("write");
        assert!(read_frontmatter(&invalid).is_err());
        assert!(with_text(&invalid, |_| ()).is_err());
        fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn relative_paths() {
        let root = Path::new("/v/notes");
        for (path, expected) in [
            ("/v/notes/a.md", "a.md"),
            ("/v/notes/sub/b.md", "sub/b.md"),
            ("/v/notes//sub/./b.md", "sub/b.md"),
        ] {
            assert_eq!(relative_path(root, Path::new(path)), expected, "{path}");
        }
        for path in [
            "/v/notesx/c.md",
            "/elsewhere/e.md",
            "/v/notes/../x.md",
            "/v/notes",
        ] {
            let path = Path::new(path);
            assert_eq!(
                relative_path(root, path),
                relative_by_components(root, path)
            );
        }
        assert_eq!(
            relative_path(Path::new("/"), Path::new("/x/y.md")),
            "x/y.md"
        );
        assert_eq!(
            relative_path(Path::new("/v/"), Path::new("/v/y.md")),
            "y.md"
        );
    }
}
