//! Loading a vault: every note read in parallel and indexed, either whole ([`load`]) or in
//! two passes that never hold every note at once ([`load_index`], then each note read again
//! when it is checked).

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use rayon::prelude::*;
use wikistamp_analysis::config::Config;
use wikistamp_analysis::syntax::Note;
use wikistamp_analysis::vault::{NoteEntry, NoteId, Vault};

use crate::read::{
    frontmatter_of, open, read_note, with_file_text, with_text, SourceNote, UnreadableNote,
};
use crate::root::LoadError;
use crate::transcripts::InvalidTranscript;
use crate::walk::{relative_path, walk, Walked};

#[derive(Debug, Default)]
pub struct LoadedVault {
    pub vault: Vault,
    /// Sorted by path.
    pub notes: Vec<SourceNote>,
    pub unreadable: Vec<UnreadableNote>,
    /// The transcripts of the notes' videos that cannot be read, sorted by path.
    pub invalid_transcripts: Vec<InvalidTranscript>,
    /// Vaults of their own below the root, left out of this one (see [`walk`]), sorted.
    pub nested_vaults: Vec<PathBuf>,
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
    let Walked {
        notes: paths,
        attachments,
        nested_vaults,
    } = walk(root, config)?;
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
        nested_vaults,
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
    loaded.invalid_transcripts =
        crate::transcripts::learn_vault_transcripts(root, &config.transcripts, &mut loaded.vault);
    Ok(loaded)
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
    /// The transcripts of the notes' videos that cannot be read, sorted by path.
    pub invalid_transcripts: Vec<InvalidTranscript>,
    /// Vaults of their own below the root, left out of this one (see [`walk`]), sorted.
    pub nested_vaults: Vec<PathBuf>,
}

/// Walks and reads the whole vault in parallel and indexes what the frontmatter says, keeping
/// neither texts nor parses: the first pass of a check, whose second pass reads each note
/// again ([`with_text`]) and holds one note at a time per thread. Memory then does not grow
/// with the vault's bytes. The vault is the one [`load`] builds (same ids, same order), minus
/// headings and link targets.
pub fn load_index(root: &Path, config: &Config) -> Result<IndexedVault, LoadError> {
    load_index_for(root, config, |_| true)
}

/// [`load_index`] for a check of some of the notes (those whose path `checked` accepts): only
/// their videos' transcripts are read.
pub fn load_index_for(
    root: &Path,
    config: &Config,
    checked: impl Fn(&Path) -> bool,
) -> Result<IndexedVault, LoadError> {
    let Walked {
        notes: paths,
        attachments,
        nested_vaults,
    } = walk(root, config)?;
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
        nested_vaults,
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
    if !crate::transcripts::transcript_dirs(root, &config.transcripts).is_empty() {
        let vault = &loaded.vault;
        let videos: Vec<String> = loaded
            .notes
            .iter()
            .filter(|n| checked(&n.abs_path))
            .filter_map(|n| vault.entry(n.id)?.video_id.clone())
            .collect();
        loaded.invalid_transcripts = crate::transcripts::learn_transcripts(
            root,
            &config.transcripts,
            &mut loaded.vault,
            videos.iter().map(String::as_str),
        );
    }
    Ok(loaded)
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

/// The files named in `requested` that the walk did not yield (`walked` tells which it did),
/// read and parsed: a file named explicitly is checked even when the walk skips it (ignored,
/// excluded). Each once, in the order named.
pub fn read_named_files(
    root: &Path,
    requested: &[PathBuf],
    walked: impl Fn(&Path) -> bool,
) -> (Vec<SourceNote>, Vec<UnreadableNote>) {
    let mut notes: Vec<SourceNote> = Vec::new();
    let mut unreadable: Vec<UnreadableNote> = Vec::new();
    for path in requested {
        if path.is_file()
            && !walked(path)
            && !notes.iter().any(|n| &n.abs_path == path)
            && !unreadable.iter().any(|u| &u.abs_path == path)
        {
            match read_note(root, path) {
                Ok(n) => notes.push(n),
                Err(u) => unreadable.push(u),
            }
        }
    }
    (notes, unreadable)
}
