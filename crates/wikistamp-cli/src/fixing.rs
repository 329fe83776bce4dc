//! Writing fixed notes back: atomically (a temporary file in the same folder, then a rename),
//! keeping the file's permissions, and never over a file that changed since it was read.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Why a fixed note was not written.
#[derive(Debug)]
pub enum WriteError {
    /// The file on disk no longer holds the bytes that were checked and fixed.
    Changed,
    Io(io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Changed => f.write_str(
                "changed on disk since it was read; not overwritten (run the fix again)",
            ),
            WriteError::Io(e) => write!(f, "cannot write the fix: {e}"),
        }
    }
}

impl From<io::Error> for WriteError {
    fn from(e: io::Error) -> Self {
        WriteError::Io(e)
    }
}

/// Replaces the content of `path` with `new`, provided it still holds exactly `original`.
pub fn write_if_unchanged(path: &Path, original: &[u8], new: &[u8]) -> Result<(), WriteError> {
    // Write through a symlink to the file it names, so the link stays a link.
    let path = fs::canonicalize(path)?;
    let meta = fs::metadata(&path)?;
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::other("the file has no parent folder"))?;
    let (tmp_path, mut tmp) = create_temp(dir, &path)?;
    let result = (|| -> Result<(), WriteError> {
        tmp.write_all(new)?;
        tmp.set_permissions(meta.permissions())?;
        preserve_owner(&tmp_path, &meta);
        // No fsync: the rename makes the write atomic for readers, as in other linters' fixers;
        // an fsync per note made a vault-wide fix ten times slower.
        drop(tmp);
        before_write_hook(&path);
        // The last moment before the rename: compare what is on disk with what was fixed.
        if fs::read(&path)? != original {
            return Err(WriteError::Changed);
        }
        fs::rename(&tmp_path, &path)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp_path);
    }
    result
}

/// A new file next to `path`, named after it, that did not exist before.
fn create_temp(dir: &Path, path: &Path) -> io::Result<(PathBuf, fs::File)> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let pid = std::process::id();
    for n in 0..100 {
        let candidate = dir.join(format!(".{name}.wikistamp-{pid}-{n}.tmp"));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(f) => return Ok((candidate, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("cannot create a temporary file"))
}

#[cfg(unix)]
fn preserve_owner(tmp: &Path, meta: &fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    // Best effort: only a privileged user can give a file away; others keep their own files.
    let _ = std::os::unix::fs::chown(tmp, Some(meta.uid()), Some(meta.gid()));
}

#[cfg(not(unix))]
fn preserve_owner(_tmp: &Path, _meta: &fs::Metadata) {}

/// Test hook: `WIKISTAMP_TEST_BEFORE_WRITE` is a shell command run (with the file's path as
/// `$1`) after the fixed text is ready and before the on-disk content is compared, so the CLI
/// tests can change a file "underneath" the fixer at exactly that moment.
fn before_write_hook(path: &Path) {
    if let Some(cmd) = std::env::var_os("WIKISTAMP_TEST_BEFORE_WRITE") {
        let _ = std::process::Command::new("sh")
            .arg("-c")
            .arg(cmd)
            .arg("sh")
            .arg(path)
            .status();
    }
}

/// A unified diff of one file (`--- a/path`, `+++ b/path`), or nothing when equal.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}
