//! Synthetic notes shaped like the real corpus (frontmatter with `videoId`, a `From:` line,
//! sections of cited paragraphs and lists, wiki-links with aliases, callouts), with a
//! realistic sprinkle of defects (MM:SS times, label mismatches, broken links, unknown
//! callouts). Deterministic: note `i` of a vault of `n` is always the same text. Shared by the
//! criterion benches and `examples/gen_vault.rs`.

#![allow(dead_code)]

use std::fmt::Write;

/// A small deterministic generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const WORDS: &[&str] = &[
    "model",
    "training",
    "data",
    "product",
    "design",
    "users",
    "growth",
    "market",
    "research",
    "scaling",
    "inference",
    "latency",
    "quality",
    "team",
    "strategy",
    "customers",
    "pricing",
    "the",
    "of",
    "and",
    "a",
    "to",
    "in",
    "is",
    "that",
    "for",
    "with",
    "this",
    "which",
    "their",
    "important",
    "approach",
    "problem",
    "system",
    "example",
    "value",
    "early",
    "because",
];

/// Folder of note `i` (100 notes per channel folder).
pub fn folder(i: usize) -> String {
    format!("channel_{:04}", i / 100)
}

/// File name (without `.md`) of note `i`.
pub fn name(i: usize) -> String {
    format!("topic_{i}_{}", WORDS[i % WORDS.len()])
}

/// Vault-relative path of note `i`.
pub fn path(i: usize) -> String {
    format!("{}/{}.md", folder(i), name(i))
}

fn sentence(rng: &mut Rng, out: &mut String, words: usize) {
    for w in 0..words {
        if w > 0 {
            out.push(' ');
        }
        out.push_str(WORDS[rng.below(WORDS.len() as u64) as usize]);
    }
}

/// A citation a little after the previous one (`clock`, in seconds), as in the corpus.
fn citation(rng: &mut Rng, out: &mut String, clock: &mut u64) {
    *clock += 5 + rng.below(40);
    let t = *clock;
    let (h, m, s) = (t / 3600, t / 60 % 60, t % 60);
    match rng.below(100) {
        // ~3%: MM:SS (timestamp-format)
        0..=2 => write!(
            out,
            r#"<a class="yt-timestamp" data-t="{m:02}:{s:02}">[{m:02}:{s:02}]</a>"#
        ),
        // ~3%: label differs from data-t
        3..=5 => write!(
            out,
            r#"<a class="yt-timestamp" data-t="{h:02}:{m:02}:{s:02}">[{h:02}:{m:02}:{:02}]</a>"#,
            (s + 1) % 60
        ),
        _ => write!(
            out,
            r#"<a class="yt-timestamp" data-t="{h:02}:{m:02}:{s:02}">[{h:02}:{m:02}:{s:02}]</a>"#
        ),
    }
    .expect("write to a String");
}

fn link(rng: &mut Rng, out: &mut String, n: usize) {
    let target = rng.below(n as u64) as usize;
    match rng.below(20) {
        // 5%: a link to no note
        0 => write!(out, "[[missing_topic_{target}]]"),
        1..=9 => write!(
            out,
            "[[{} | {}]]",
            name(target),
            WORDS[target % WORDS.len()]
        ),
        _ => write!(out, "[[{}]]", name(target)),
    }
    .expect("write to a String");
}

/// The text of note `i` in a vault of `n` notes (about 8 KB, like the corpus's average).
pub fn note(i: usize, n: usize) -> String {
    let mut rng = Rng::new(i as u64 * 7919 + 17);
    let mut out = String::with_capacity(9000);
    let mut title = String::new();
    sentence(&mut rng, &mut title, 6);
    let video: String = (0..11)
        .map(|_| {
            let c = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
            c[rng.below(c.len() as u64) as usize] as char
        })
        .collect();
    write!(
        out,
        "---\ntitle: {title}\nvideoId: {video}\n---\n\nFrom: [[{}]] <br/>\n\n",
        folder(i)
    )
    .expect("write to a String");
    let mut clock = 0;
    let sections = 4 + rng.below(4);
    for _ in 0..sections {
        out.push_str("## ");
        sentence(&mut rng, &mut out, 4);
        out.push_str("\n\n");
        for _ in 0..2 + rng.below(3) {
            // A paragraph of cited sentences, with a few links.
            for _ in 0..2 + rng.below(3) {
                let words = 8 + rng.below(12) as usize;
                sentence(&mut rng, &mut out, words / 2);
                if rng.below(3) == 0 {
                    out.push(' ');
                    link(&mut rng, &mut out, n);
                }
                out.push(' ');
                sentence(&mut rng, &mut out, words / 2);
                out.push(' ');
                citation(&mut rng, &mut out, &mut clock);
                if rng.below(4) == 0 {
                    out.push_str(", ");
                    citation(&mut rng, &mut out, &mut clock);
                }
                out.push_str(". ");
            }
            out.push_str("\n\n");
        }
        match rng.below(4) {
            0 => {
                let kind = ["NOTE", "TIP", "WARNING", "definition"][rng.below(4) as usize];
                write!(out, "> [!{kind}] ").expect("write to a String");
                sentence(&mut rng, &mut out, 3);
                out.push_str("\n> ");
                sentence(&mut rng, &mut out, 10);
                out.push(' ');
                citation(&mut rng, &mut out, &mut clock);
                out.push_str(".\n\n");
            }
            1 => {
                for _ in 0..3 {
                    out.push_str("* ");
                    sentence(&mut rng, &mut out, 9);
                    out.push(' ');
                    citation(&mut rng, &mut out, &mut clock);
                    out.push('\n');
                }
                out.push('\n');
            }
            _ => {}
        }
    }
    out
}
