//! The real corpus, for differential tests of fast paths. Test code only: the crate itself
//! reads no file.

use std::path::{Path, PathBuf};

/// The Markdown files under `root`, sorted (no ignore rules: a corpus is plain folders).
pub fn markdown_files(root: &Path) -> Vec<PathBuf> {
    let mut stack = vec![root.to_path_buf()];
    let mut files = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "md") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

/// Calls `f` with the path and text of notes of the real corpus (`shared/corpus/tubegraph`
/// beside the repository), when it is there: all of them in an optimized build, every 16th in
/// a debug build, which is many times slower.
pub fn for_each_corpus_note(mut f: impl FnMut(&str, &str)) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/tubegraph");
    if !root.is_dir() {
        eprintln!(
            "SKIPPED the corpus part of this test: no corpus at {}",
            root.display()
        );
        return;
    }
    let stride = if cfg!(debug_assertions) { 16 } else { 1 };
    let mut seen = 0;
    for p in markdown_files(&root).iter().step_by(stride) {
        if let Ok(text) = std::fs::read_to_string(p) {
            f(&p.display().to_string(), &text);
            seen += 1;
        }
    }
    eprintln!("{seen} corpus notes compared");
}
