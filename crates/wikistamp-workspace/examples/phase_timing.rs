//! Single-threaded time of each phase over a vault: `cargo run --release -p wikistamp-workspace
//! --example phase_timing -- PATH`.

mod common;

use std::path::Path;
use std::time::Instant;

use wikistamp_analysis::config::Config;
use wikistamp_analysis::{check_note, parse};
use wikistamp_workspace as workspace;

fn main() {
    let root = std::env::args().nth(1).expect("vault path");
    let root = Path::new(&root);
    let config = Config::default();
    let t = Instant::now();
    let paths = workspace::walk(root, &config).expect("walk").notes;
    println!(
        "walk      {:>8.1} ms ({} notes)",
        t.elapsed().as_secs_f64() * 1e3,
        paths.len()
    );
    let t = Instant::now();
    let texts = common::read_notes(root, &paths);
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    println!(
        "read      {:>8.1} ms ({} MB)",
        t.elapsed().as_secs_f64() * 1e3,
        bytes >> 20
    );
    let t = Instant::now();
    let mut events = 0usize;
    for (_, text) in &texts {
        let opts = pulldown_cmark::Options::ENABLE_TABLES
            | pulldown_cmark::Options::ENABLE_STRIKETHROUGH
            | pulldown_cmark::Options::ENABLE_TASKLISTS
            | pulldown_cmark::Options::ENABLE_FOOTNOTES;
        events += pulldown_cmark::Parser::new_ext(text, opts)
            .into_offset_iter()
            .count();
    }
    let dt = t.elapsed().as_secs_f64();
    println!(
        "pulldown  {:>8.1} ms ({:.0} MB/s, {events} events)",
        dt * 1e3,
        bytes as f64 / dt / 1e6
    );
    // parse and its parts: the best of PHASE_RUNS runs (default 3), as the machine is shared.
    let runs: usize = std::env::var("PHASE_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let mut dt = f64::MAX;
    let mut notes = Vec::new();
    for _ in 0..runs.max(1) {
        drop(std::mem::take(&mut notes));
        let t = Instant::now();
        notes = texts.iter().map(|(_, text)| parse(text)).collect();
        dt = dt.min(t.elapsed().as_secs_f64());
    }
    println!(
        "parse     {:>8.1} ms ({:.0} MB/s)",
        dt * 1e3,
        bytes as f64 / dt / 1e6
    );
    // Parts of parse, each alone over every note (the scans outside the excluded ranges).
    let time = |name: &str, f: &dyn Fn(&str, &wikistamp_analysis::Note) -> usize| {
        let mut best = f64::MAX;
        let mut n = 0;
        for _ in 0..runs.max(1) {
            let t = Instant::now();
            n = texts.iter().zip(&notes).map(|((_, s), n)| f(s, n)).sum();
            best = best.min(t.elapsed().as_secs_f64());
        }
        println!("  {name:<12}{:>8.1} ms ({n})", best * 1e3);
    };
    use wikistamp_analysis::syntax::{callouts, citations, links, parse_frontmatter};
    time("frontmatter", &|s, _| {
        usize::from(parse_frontmatter(s).is_some())
    });
    time("blocks", &|s, n| {
        wikistamp_analysis::syntax::block_events_for_timing(s, n)
    });
    time("prescan", &|s, n| {
        wikistamp_analysis::syntax::prescan_for_timing(s, n)
    });
    time("scan", &|s, n| {
        wikistamp_analysis::syntax::scan_for_timing(s, n)
    });
    time("citations", &|s, n| citations::scan_for_timing(s, n).len());
    time("links", &|s, n| {
        let (l, m) = links::scan_for_timing(s, n);
        l.len() + m.len()
    });
    time("%% comments", &|s, n| {
        callouts::percent_comments_for_timing(s, n)
    });
    time("markers", &|s, n| callouts::markers_for_timing(s, n));
    time("line index", &|s, _| {
        wikistamp_analysis::text::LineIndex::new(s).line_count()
    });
    let t = Instant::now();
    let vault = common::vault_of(&texts, &notes, &config);
    println!("index     {:>8.1} ms", t.elapsed().as_secs_f64() * 1e3);
    let t = Instant::now();
    let mut n = 0;
    let mut found = Vec::with_capacity(texts.len());
    for ((rel, text), note) in texts.iter().zip(&notes) {
        let d = check_note(text, note, rel, &vault, &config);
        n += d.len();
        found.push(d);
    }
    println!(
        "check     {:>8.1} ms ({n} findings)",
        t.elapsed().as_secs_f64() * 1e3
    );
    // What the CLI's renderers do per file with findings: a line index, then line and column
    // of every offset the findings mention, in order.
    let t = Instant::now();
    let mut cols = 0usize;
    for ((_, text), d) in texts.iter().zip(&found) {
        if d.is_empty() {
            continue;
        }
        let mut offsets: Vec<usize> = d
            .iter()
            .flat_map(|d| [d.range.start, d.range.end])
            .collect();
        offsets.sort_unstable();
        offsets.dedup();
        let lines = wikistamp_analysis::text::LineIndex::new(text);
        for o in offsets {
            cols += lines
                .line_col(text, o, wikistamp_analysis::text::ColumnUnit::Chars)
                .col;
        }
    }
    println!(
        "locate    {:>8.1} ms ({cols})",
        t.elapsed().as_secs_f64() * 1e3
    );
}
