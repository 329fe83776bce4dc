//! Linear time on adversarial input: each hostile note is checked at two sizes, and ten times
//! the text may cost at most a few times ten times the time (a quadratic path costs a hundred).
//! The ratio, not a wall-clock limit, is asserted, so a slow or busy machine does not fail it.

use std::time::{Duration, Instant};

use wikistamp_analysis::config::Config;
use wikistamp_analysis::vault::{NoteEntry, Vault};
use wikistamp_analysis::{check_note, parse};

const CITE: &str = "<a class=\"yt-timestamp\" data-t=\"00:01:02\">";

/// The hostile notes, each about `size` bytes.
fn cases(size: usize) -> Vec<(&'static str, String)> {
    vec![
        ("broken links on one line", "see [[nope]] ".repeat(size / 13)),
        (
            "mislabelled citations on one line",
            format!("a {CITE}[00:01:03]</a> ").repeat(size / 60),
        ),
        (
            "mixed constructs on one line",
            format!("word [[link]] {CITE}[00:01:02]</a> [[x|y]] <a data-t=\"28:25\">[1]</a> [!NOTE] %% `")
                .repeat(size / 100),
        ),
        ("unclosed [[", "[[".repeat(size / 2)),
        ("unclosed citations", CITE.repeat(size / CITE.len())),
        ("nested >", format!("{} text\n", ">".repeat(size))),
        (
            "deep list",
            // Depth d makes about d² bytes of indentation.
            (0..(size as f64).sqrt() as usize)
                .map(|i| format!("{}- item [[x]]\n", "  ".repeat(i)))
                .collect(),
        ),
        ("unterminated frontmatter", format!("---\n{}", "title: x\n".repeat(size / 9))),
    ]
}

/// Parse, index and check, as every front-end does; the best of five.
fn check_time(text: &str) -> Duration {
    let config = Config::default();
    (0..5)
        .map(|_| {
            let t = Instant::now();
            let note = parse(text);
            let mut vault = Vault::new(&config.links);
            vault.upsert(NoteEntry::from_note("x.md", &note, text));
            let ds = check_note(text, &note, "x.md", &vault, &config);
            std::hint::black_box(ds);
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

#[test]
fn adversarial_notes_check_in_linear_time() {
    let (small, large) = (cases(100_000), cases(1_000_000));
    for ((name, s), (_, l)) in small.iter().zip(&large) {
        let (ts, tl) = (check_time(s), check_time(l));
        // Linear is 10×; allow three times that and a floor for noise on tiny times.
        let limit = ts * 30 + Duration::from_millis(50);
        assert!(
            tl <= limit,
            "{name}: {} bytes took {tl:?}, {} bytes {ts:?} (more than linear)",
            l.len(),
            s.len()
        );
    }
}
