//! Linear time on adversarial input, measured in release mode (timings are not asserted in the
//! default `cargo test`): `cargo test --release --test reliability -- --ignored
//! five_mb_adversarial_notes_check_in_under_a_second --nocapture`.

use std::time::Instant;

use wikistamp_analysis::config::Config;
use wikistamp_analysis::text::LineIndex;
use wikistamp_analysis::vault::{NoteEntry, Vault};
use wikistamp_analysis::{check_note, parse};

const CITE: &str = "<a class=\"yt-timestamp\" data-t=\"00:01:02\">";

#[test]
#[ignore = "a release-mode timing; run by hand"]
fn five_mb_adversarial_notes_check_in_under_a_second() {
    let five = 5_000_000;
    let cases: Vec<(&str, String)> = vec![
        ("broken links on one line", "see [[nope]] ".repeat(five / 13)),
        (
            "mislabelled citations on one line",
            format!("a {CITE}[00:01:03]</a> ").repeat(five / 60),
        ),
        (
            "mixed constructs on one line",
            format!("word [[link]] {CITE}[00:01:02]</a> [[x|y]] <a data-t=\"28:25\">[1]</a> [!NOTE] %% `")
                .repeat(five / 100),
        ),
        ("unclosed [[", "[[".repeat(five / 2)),
        ("unclosed citations", CITE.repeat(five / CITE.len())),
        ("nested >", format!("{} text\n", ">".repeat(five))),
        (
            "deep list",
            (0..1500).map(|i| format!("{}- item [[x]]\n", "  ".repeat(i))).collect(),
        ),
        ("unterminated frontmatter", format!("---\n{}", "title: x\n".repeat(five / 9))),
    ];
    let config = Config::default();
    let mut worst = 0.0f64;
    for (name, text) in cases {
        let t = Instant::now();
        let note = parse(&text);
        let mut vault = Vault::new(&config.links);
        vault.upsert(NoteEntry::from_note("x.md", &note, &text));
        let ds = check_note(&text, &note, "x.md", &vault, &config);
        // What every front-end does next: convert every range to line and column.
        let lines = LineIndex::new(&text);
        let mut sum = 0usize;
        for d in &ds {
            sum += lines.line_col_chars(&text, d.range.start).1;
            sum += lines.line_col_utf16(&text, d.range.end).1;
        }
        let secs = t.elapsed().as_secs_f64();
        worst = worst.max(secs);
        println!(
            "{name:36} {:>8} bytes {:>8.1} ms {:>7} findings (col sum {sum})",
            text.len(),
            secs * 1000.0,
            ds.len()
        );
        assert!(secs < 1.0, "{name}: {secs:.2} s");
    }
    println!("worst: {:.1} ms", worst * 1000.0);
}
