//! Parses every note of a vault `PARSE_RUNS` times (default 10), for a profiler or `time`:
//! `perf record -F 5000 --call-graph dwarf target/release/examples/parse_profile PATH`.

use std::path::Path;

use wikistamp_analysis::config::Config;
use wikistamp_analysis::parse;
use wikistamp_workspace as workspace;

fn main() {
    let root = std::env::args().nth(1).expect("vault path");
    let root = Path::new(&root);
    let paths = workspace::walk(root, &Config::default())
        .expect("walk")
        .notes;
    let texts: Vec<String> = paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let runs: usize = std::env::var("PARSE_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    // PARSE_KEEP=1 keeps each run's notes until the next run, as the CLI keeps them.
    let keep = std::env::var_os("PARSE_KEEP").is_some();
    let mut n = 0usize;
    let mut kept = Vec::new();
    for _ in 0..runs {
        kept.clear();
        for text in &texts {
            let note = parse(text);
            n += note.blocks.len() + note.citations.len() + note.links.len();
            if keep {
                kept.push(note);
            }
        }
    }
    println!("{n}");
}
