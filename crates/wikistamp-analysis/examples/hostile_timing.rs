//! Times parse + check of adversarial notes (release mode): `cargo run --release -p
//! wikistamp-analysis --example hostile_timing`.

use std::time::Instant;

use wikistamp_analysis::config::Config;
use wikistamp_analysis::vault::{NoteEntry, Vault};
use wikistamp_analysis::{check_note, parse};

fn main() {
    let cases: Vec<(&str, String)> = vec![
        ("5 MB single line", "word [[link]] ".repeat(5_000_000 / 14)),
        ("20,000 nested >", format!("{} text\n", ">".repeat(20_000))),
        (
            "20,000 nested > lines",
            (1..2000)
                .map(|i| format!("{} [!NOTE] x\n", ">".repeat(i % 200)))
                .collect(),
        ),
        ("50,000 unclosed [[", "[[".repeat(50_000)),
        ("50,000 unclosed [[ words", "[[a ".repeat(50_000)),
        (
            "30,000 unclosed citations",
            "<a class=\"yt-timestamp\" data-t=\"00:01:02\">".repeat(30_000),
        ),
        (
            "3,000-deep list",
            (0..3000)
                .map(|i| format!("{}- item\n", "  ".repeat(i)))
                .collect(),
        ),
        (
            "unterminated frontmatter",
            format!("---\n{}", "title: x\n".repeat(100_000)),
        ),
        ("many %%", "%% a ".repeat(200_000)),
        ("many [!", "[!".repeat(200_000)),
        ("many <a", "<a ".repeat(200_000)),
        ("many `", "`".repeat(200_000)),
    ];
    let config = Config::default();
    for (name, text) in cases {
        let t = Instant::now();
        let note = parse(&text);
        let mut vault = Vault::new(&config.links);
        vault.upsert(NoteEntry::from_note("x.md", &note, &text));
        let ds = check_note(&text, &note, "x.md", &vault, &config);
        println!(
            "{name:30} {:>8} bytes {:>8.1} ms {:>7} findings",
            text.len(),
            t.elapsed().as_secs_f64() * 1000.0,
            ds.len()
        );
    }
}
