//! Single-threaded time of rendering alone, over a real vault's findings (for profiling and for
//! measuring the renderers on their own):
//! `WIKISTAMP_CORPUS=PATH [WIKISTAMP_RUNS=N] cargo test --release -p wikistamp-cli render_timing
//! -- --ignored --nocapture`. The vault is read, parsed and checked once, untimed; then each
//! pass renders every file's findings as a check does (locating them for the formats that do not
//! show the text), best of N runs.

use std::path::Path;
use std::time::Instant;

use wikistamp_analysis::config::Config;
use wikistamp_analysis::vault::{NoteEntry, Vault};
use wikistamp_analysis::{check_note, parse, Diagnostic};
use wikistamp_workspace as workspace;

use super::{FileFindings, Source, Streamed};

/// Each note's path (as a check run from the vault's parent shows it), text and findings.
fn findings(root: &Path) -> Vec<(String, String, Vec<Diagnostic>)> {
    let config = Config::default();
    let (paths, _) = workspace::walk(root, &config).expect("walk");
    let texts: Vec<(String, String)> = paths
        .iter()
        .filter_map(|p| {
            Some((
                workspace::relative_path(root, p),
                std::fs::read_to_string(p).ok()?,
            ))
        })
        .collect();
    let notes: Vec<_> = texts.iter().map(|(_, text)| parse(text)).collect();
    let mut vault = Vault::new(&config.links);
    for ((rel, text), note) in texts.iter().zip(&notes) {
        vault.upsert(NoteEntry::from_note(rel, note, text));
    }
    let prefix = root
        .file_name()
        .map_or(String::new(), |n| format!("../{}/", n.to_string_lossy()));
    let mut files: Vec<_> = texts
        .iter()
        .zip(&notes)
        .map(|((rel, text), note)| {
            let d = check_note(text, note, rel, &vault, &config);
            (format!("{prefix}{rel}"), text.clone(), d)
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// Best time of `runs` runs of `pass`, which returns the bytes it rendered.
fn best(name: &str, runs: usize, mut pass: impl FnMut() -> usize) {
    let mut best = f64::MAX;
    let mut bytes = 0;
    for _ in 0..runs {
        let t = Instant::now();
        bytes = pass();
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!("{name:<16} {:>8.2} ms  ({bytes} bytes)", best * 1e3);
}

#[test]
#[ignore = "timing: needs WIKISTAMP_CORPUS"]
fn render_timing() {
    let Some(root) = std::env::var_os("WIKISTAMP_CORPUS") else {
        return;
    };
    let runs: usize = std::env::var("WIKISTAMP_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let files = findings(Path::new(&root));
    let count: usize = files.iter().map(|(_, _, d)| d.len()).sum();
    println!("{} files, {count} findings", files.len());

    let located = || -> Vec<Source> {
        files
            .iter()
            .map(|(_, text, d)| Source::located(text, d))
            .collect()
    };
    best("locate", runs, || located().len());
    let sources = located();
    let streamed = |format: Streamed, located: bool| {
        let mut bytes = 0;
        for ((path, text, d), source) in files.iter().zip(&sources) {
            let source = if located {
                source.as_ref()
            } else {
                super::SourceRef::Text(text)
            };
            bytes += format
                .file(&FileFindings {
                    path,
                    source,
                    diagnostics: d,
                })
                .len();
        }
        bytes
    };
    best("json", runs, || streamed(Streamed::Json, true));
    best("locate+json", runs, || {
        let mut bytes = 0;
        for (path, text, d) in &files {
            let source = Source::located(text, d);
            bytes += Streamed::Json
                .file(&FileFindings {
                    path,
                    source: source.as_ref(),
                    diagnostics: d,
                })
                .len();
        }
        bytes
    });
    best("concise", runs, || {
        streamed(Streamed::Concise { quiet: false }, true)
    });
    best("github", runs, || streamed(Streamed::Github, true));
    let human = |color| Streamed::Human {
        color,
        quiet: false,
    };
    best("human", runs, || streamed(human(false), false));
    best("human color", runs, || streamed(human(true), false));
}
