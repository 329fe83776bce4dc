//! Single-threaded time of the check phase alone over a vault, repeated (for profiling):
//! `cargo run --release -p wikistamp-workspace --example check_timing -- PATH [RUNS]`.

mod common;

use std::path::Path;
use std::time::Instant;

use wikistamp_analysis::config::Config;
use wikistamp_analysis::{check_note, parse};

fn main() {
    let root = std::env::args().nth(1).expect("vault path");
    let runs: usize = std::env::args()
        .nth(2)
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let root = Path::new(&root);
    let config = Config::default();
    let texts = common::walk_and_read(root, &config);
    let notes: Vec<_> = texts.iter().map(|(_, text)| parse(text)).collect();
    let vault = common::vault_of(&texts, &notes, &config);
    // As the CLI does it: each note checked right after its parse, its text hot in the cache.
    // Only check_note is timed; its findings are kept (and freed outside the timed region).
    let mut best = f64::MAX;
    for _ in 0..runs.max(1) {
        let mut dt = 0.0;
        let mut n = 0;
        let mut kept = Vec::with_capacity(texts.len());
        for (rel, text) in &texts {
            let note = parse(text);
            let t = Instant::now();
            let d = check_note(text, &note, rel, &vault, &config);
            dt += t.elapsed().as_secs_f64();
            n += d.len();
            kept.push(d);
        }
        best = best.min(dt);
        println!("check {:>8.1} ms ({n} findings)", dt * 1e3);
    }
    println!("best  {:>8.1} ms", best * 1e3);
}
