//! Writes a synthetic vault of N corpus-shaped notes (about 8 KB each, 100 per folder), for
//! benchmarking at any size without the corpus:
//! `cargo run --release -p wikistamp-analysis --example gen_vault -- 20000 /tmp/vault-20k`.

#[path = "../benches/synth/mod.rs"]
mod synth;

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .expect("usage: gen_vault N OUT_DIR");
    let out = PathBuf::from(args.next().expect("usage: gen_vault N OUT_DIR"));
    // An Obsidian vault: `.obsidian/` marks its root.
    std::fs::create_dir_all(out.join(".obsidian")).expect("create the vault");
    let mut bytes = 0;
    for i in 0..n {
        let dir = out.join(synth::folder(i));
        if i % 100 == 0 {
            std::fs::create_dir_all(&dir).expect("create folder");
        }
        let text = synth::note(i, n);
        bytes += text.len();
        std::fs::write(out.join(synth::path(i)), text).expect("write note");
    }
    // Folder notes, so `From: [[channel_0000]]` resolves as in the corpus.
    for f in 0..n.div_ceil(100) {
        let name = synth::folder(f * 100);
        std::fs::write(out.join(&name).join(format!("{name}.md")), "# Channel\n")
            .expect("write folder note");
    }
    println!("{n} notes, {} MB in {}", bytes >> 20, out.display());
}
