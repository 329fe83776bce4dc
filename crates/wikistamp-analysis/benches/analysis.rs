//! Criterion benches of the analysis on corpus-shaped synthetic notes (see `synth.rs`):
//! parse throughput (MB/s), the full rule run per note, building the vault index, and link
//! resolution. `cargo bench -p wikistamp-analysis`.

mod synth;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::hint::black_box;
use wikistamp_analysis::config::Config;
use wikistamp_analysis::vault::{NoteEntry, Vault};
use wikistamp_analysis::{check_note, parse};

/// Notes in the benched vault.
const N: usize = 2000;

fn notes() -> Vec<(String, String)> {
    (0..N)
        .map(|i| (synth::path(i), synth::note(i, N)))
        .collect()
}

fn vault(notes: &[(String, String)], config: &Config) -> Vault {
    let mut vault = Vault::new(&config.links);
    for (path, text) in notes {
        vault.upsert(NoteEntry::from_note(path, &parse(text), text));
    }
    vault
}

fn bench_parse(c: &mut Criterion) {
    let notes = notes();
    let sample = &notes[..200];
    let bytes: usize = sample.iter().map(|(_, t)| t.len()).sum();
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("200 notes", |b| {
        b.iter(|| {
            for (_, text) in sample {
                black_box(parse(black_box(text)));
            }
        });
    });
    g.finish();
}

fn bench_check(c: &mut Criterion) {
    let config = Config::default();
    let notes = notes();
    let vault = vault(&notes, &config);
    let parsed: Vec<_> = notes[..200].iter().map(|(p, t)| (p, t, parse(t))).collect();
    let mut g = c.benchmark_group("check");
    g.throughput(Throughput::Elements(parsed.len() as u64));
    g.bench_function("all rules, per note", |b| {
        b.iter(|| {
            for (path, text, note) in &parsed {
                black_box(check_note(text, note, path, &vault, &config));
            }
        });
    });
    g.finish();
}

fn bench_index(c: &mut Criterion) {
    let config = Config::default();
    let notes = notes();
    let entries: Vec<NoteEntry> = notes
        .iter()
        .map(|(p, t)| NoteEntry::from_note(p, &parse(t), t))
        .collect();
    let mut g = c.benchmark_group("vault");
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("index build", |b| {
        b.iter_batched(
            || entries.clone(),
            |entries| {
                let mut vault = Vault::new(&config.links);
                for e in entries {
                    vault.upsert(e);
                }
                vault
            },
            BatchSize::LargeInput,
        );
    });
    let vault = vault(&notes, &config);
    let targets: Vec<String> = entries
        .iter()
        .flat_map(|e| e.link_targets.iter().cloned())
        .take(5000)
        .collect();
    g.throughput(Throughput::Elements(targets.len() as u64));
    g.bench_function("link resolution", |b| {
        b.iter(|| {
            for t in &targets {
                black_box(vault.resolve("channel_0000/topic_0_model.md", t));
            }
        });
    });
    g.finish();
}

criterion_group!(benches, bench_parse, bench_check, bench_index);
criterion_main!(benches);
