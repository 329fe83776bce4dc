//! The floor of a check's design: the two passes over a vault that `wikistamp check` makes
//! ([`workspace::load_index`]: walk, open, read each note's head and index its frontmatter; then
//! read each note whole through the file left open), in parallel as the check does them, with
//! nothing done to the text (`read`), or with the text parsed (`parse`) but no rule run; or
//! the floor of a one-pass design, each note read once and parsed, with no index at all
//! (`once`). `check` and `once-check` also run every rule (no output): the check's two passes,
//! against a one-pass check whose index knows only the notes' paths (a one-pass design would
//! still have to re-check the notes whose links an alias resolves; this vault has none).
//! Compare with `rg` in one hyperfine run:
//!
//! ```sh
//! cargo build --release -p wikistamp-workspace --example io_floor
//! hyperfine -N -w 2 -r 10 "rg -c yt-timestamp $V" \
//!   "target/release/examples/io_floor $V read" "target/release/examples/io_floor $V parse"
//! ```

use std::path::Path;

use rayon::prelude::*;
use wikistamp_analysis::config::Config;
use wikistamp_analysis::vault::{NoteEntry, NoteId, Vault};
use wikistamp_workspace as workspace;

/// Parses and checks one note (its headings learnt first, as the check does); the number of
/// findings.
fn check(text: &str, id: NoteId, rel: &str, vault: &Vault, config: &Config) -> usize {
    let note = wikistamp_analysis::parse(text);
    vault.learn_anchors(id, || NoteEntry::anchors_of(&note, text));
    wikistamp_analysis::check_note(text, &note, rel, vault, config).len()
}

fn main() {
    let root = std::env::args().nth(1).expect("vault path");
    let config = Config::default();
    let parse = match std::env::args().nth(2).as_deref() {
        None | Some("read") => false,
        Some("parse") => true,
        Some("once") => {
            let paths = workspace::walk(Path::new(&root), &config)
                .expect("walk the vault")
                .notes;
            let n: usize = paths
                .into_par_iter()
                .map(|p| workspace::with_text(&p, |t| wikistamp_analysis::parse(t).links.len()))
                .map(|r| r.unwrap_or(0))
                .sum();
            println!("{n}");
            return;
        }
        Some("check") => {
            let indexed = workspace::load_index(Path::new(&root), &config).expect("load the vault");
            let vault = &indexed.vault;
            let n: usize = indexed
                .notes
                .into_par_iter()
                .map(|mut n| {
                    workspace::with_indexed_text(&n.abs_path, n.file.take(), |t| {
                        check(t, n.id, &n.rel_path, vault, &config)
                    })
                    .unwrap_or(0)
                })
                .sum();
            println!("{n}");
            std::mem::forget(indexed.vault);
            return;
        }
        Some("once-check") => {
            let root = Path::new(&root);
            let paths = workspace::walk(root, &config)
                .expect("walk the vault")
                .notes;
            let rel: Vec<String> = paths
                .par_iter()
                .map(|p| workspace::relative_path(root, p))
                .collect();
            let mut vault = Vault::new(&config.links);
            let ids: Vec<_> = rel
                .iter()
                .map(|r| vault.upsert(NoteEntry::from_frontmatter(r, None)))
                .collect();
            let vault = &vault;
            let n: usize = paths
                .par_iter()
                .zip(&rel)
                .zip(&ids)
                .map(|((p, r), &id)| {
                    workspace::with_text(p, |t| check(t, id, r, vault, &config)).unwrap_or(0)
                })
                .sum();
            println!("{n}");
            return;
        }
        Some(other) => panic!("unknown mode {other:?}: read, parse, once, check or once-check"),
    };
    let indexed = workspace::load_index(Path::new(&root), &config).expect("load the vault");
    let n: usize = indexed
        .notes
        .into_par_iter()
        .map(|mut n| {
            workspace::with_indexed_text(&n.abs_path, n.file.take(), |t| {
                if parse {
                    wikistamp_analysis::parse(t).links.len()
                } else {
                    t.len()
                }
            })
            .unwrap_or(0)
        })
        .sum();
    println!("{n}");
    // As the check does: the index is not freed before the exit.
    std::mem::forget(indexed.vault);
}
