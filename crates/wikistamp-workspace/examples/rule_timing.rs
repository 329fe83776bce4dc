//! Single-threaded time of each rule over a vault, and of the work rules share (link
//! resolution, citation groups), which is timed on its own so that the first rule to ask
//! does not seem to pay for it: `cargo run --release -p wikistamp-workspace --example
//! rule_timing -- PATH [RUNS]`. Times are the best of RUNS (default 3) per rule.

mod common;

use std::path::Path;
use std::time::Instant;

use wikistamp_analysis::config::Config;
use wikistamp_analysis::parse;
use wikistamp_analysis::rules::{self, Context, Sink};

fn main() {
    let root = std::env::args().nth(1).expect("vault path");
    let runs: usize = std::env::args()
        .nth(2)
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let root = Path::new(&root);
    let config = Config::default();
    let texts = common::walk_and_read(root, &config);
    let notes: Vec<_> = texts.iter().map(|(_, text)| parse(text)).collect();
    let vault = common::vault_of(&texts, &notes, &config);
    let rules = rules::all();
    // Rows: the shared work, then each rule. Columns: best time, findings.
    let mut best = vec![f64::MAX; rules.len() + 2];
    let mut found = vec![0usize; rules.len()];
    for _ in 0..runs.max(1) {
        let mut times = vec![0f64; rules.len() + 2];
        for ((rel, text), note) in texts.iter().zip(&notes) {
            let ctx = Context::new(text, note, rel, &vault, &config);
            let t = Instant::now();
            ctx.link_resolution(0);
            times[0] += t.elapsed().as_secs_f64();
            let t = Instant::now();
            ctx.citation_groups();
            times[1] += t.elapsed().as_secs_f64();
            for (i, rule) in rules.iter().enumerate() {
                let mut sink = Sink::default();
                let t = Instant::now();
                rule.check(&ctx, &mut sink);
                times[i + 2] += t.elapsed().as_secs_f64();
                found[i] += sink.diagnostics().len();
            }
        }
        for (b, t) in best.iter_mut().zip(times) {
            *b = b.min(t);
        }
    }
    let runs = runs.max(1);
    println!("{:<28} {:>9.1} ms", "(link resolution)", best[0] * 1e3);
    println!("{:<28} {:>9.1} ms", "(citation groups)", best[1] * 1e3);
    for (i, rule) in rules.iter().enumerate() {
        println!(
            "{:<28} {:>9.1} ms {:>8} findings",
            rule.meta().id,
            best[i + 2] * 1e3,
            found[i] / runs
        );
    }
    println!("{:<28} {:>9.1} ms", "total", best.iter().sum::<f64>() * 1e3);
}
