//! Reading notes: one at a time, into a buffer each thread reuses, by positioned reads; only
//! a note's head when its frontmatter is all that is needed.

use std::fs;
use std::path::{Path, PathBuf};

use wikistamp_analysis::syntax::{self, Note};

use crate::walk::relative_path;

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

/// Reads the note at `path` into a buffer the calling thread reuses and hands its text to `f`:
/// reading a vault this way allocates no text per note (and touches no fresh memory). Invalid
/// UTF-8 and I/O errors become the message of an [`UnreadableNote`]. `f` may itself read
/// notes (it then gets a buffer of its own).
pub fn with_text<R>(path: &Path, f: impl FnOnce(&str) -> R) -> Result<R, String> {
    let file = open(path)?;
    with_file_text(&file, f)
}

pub(crate) fn with_file_text<R>(file: &fs::File, f: impl FnOnce(&str) -> R) -> Result<R, String> {
    with_buffer(|buffer| {
        let len = read_into(file, buffer, usize::MAX)?;
        Ok(f(utf8(&buffer[..len])?))
    })
}

/// What [`syntax::parse_frontmatter`] finds in the note at `path`, reading no more of
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

pub(crate) fn frontmatter_of(file: &fs::File) -> Result<Option<syntax::Frontmatter>, String> {
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

pub(crate) fn open(path: &Path) -> Result<fs::File, String> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
