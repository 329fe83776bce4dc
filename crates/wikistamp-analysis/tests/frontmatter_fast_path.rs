//! The fast path for simple frontmatter (`key: plain text` lines) must give exactly what
//! serde-saphyr gives: differential tests of `parse_with(.., true)` against
//! `parse_with(.., false)` on generated frontmatter and, when `WIKISTAMP_CORPUS` names a vault,
//! on every note of that vault.

use proptest::prelude::*;
use wikistamp_analysis::syntax::frontmatter::{parse_with, takes_fast_path};

// The corpus walk the unit tests use: this test reads a vault from disk, which the crate
// itself never does (it is not a dependency of the library).
#[path = "../src/test_corpus.rs"]
#[allow(dead_code)]
mod test_corpus;

const KEYS: &[&str] = &[
    "title",
    "videoId",
    "duration",
    "aliases",
    "alias",
    "wikistamp-disable",
    "tags",
    "x_y",
    "_k",
    "k-",
    "Title",
    "TITLE",
    "true",
    "Yes",
    "n",
    "null",
    "~",
    "1",
    "0x1F",
    "a b",
    "\"title\"",
    "'title'",
    "title ",
    " title",
    "-",
    "- title",
    "? title",
    "<<",
    "&a title",
    "[a]",
    "é",
    "",
];

const SEPARATORS: &[&str] = &[
    ": ", ": ", ": ", ":", ":  ", ": \t", ":\t", " : ", ":x", "", "::",
];

/// Fragments that values are made of: plain text and everything YAML treats specially.
const FRAGMENTS: &[&str] = &[
    "Hello",
    "Behavioral pricing and its impact",
    "A6veeCbKIzw",
    "3Hk9xYz_abc",
    "1aBcDeF0123",
    "-x8f_Zq",
    "word",
    " ",
    "  ",
    "\t",
    "0",
    "7",
    "12",
    "0x1F",
    "0o17",
    "0b101",
    "0X1f",
    "1_000",
    "1e5",
    "1E-3",
    "1.5",
    ".5",
    "-3",
    "+1",
    "-0",
    "007",
    ".inf",
    "-.inf",
    "+.INF",
    ".nan",
    ".NaN",
    "-.nan",
    "NaN",
    "nan",
    "inf",
    "Infinity",
    "1e999",
    "2024-01-01",
    "12:30",
    "1:25:00",
    "true",
    "False",
    "TRUE",
    "yes",
    "No",
    "ON",
    "off",
    "y",
    "N",
    "null",
    "Null",
    "NULL",
    "nULL",
    "~",
    "'",
    "\"",
    "'quoted'",
    "\"dq\"",
    ":",
    ": ",
    "::",
    "#",
    " #",
    "C#",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a",
    "*a",
    "!",
    "!!str",
    "!!int",
    "|",
    ">",
    "%",
    "@",
    "`",
    "-",
    "- ",
    "--",
    "?",
    "? ",
    "<<",
    "=",
    "\\",
    "\\n",
    "http://x.y/z?a=b#c",
    "${HOME}",
    "é",
    "日本語",
    "🎉",
    "\u{a0}",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\u{feff}",
    "\u{fffd}",
    "\u{fffe}",
    "\u{e000}",
    "\u{1}",
    "\u{7f}",
    "\u{9f}",
    "\0",
];

const LINE_ENDINGS: &[&str] = &["\n", "\n", "\n", "\n", "\r\n", "\r"];

/// Lines that are not `key: value` lines.
const OTHER_LINES: &[&str] = &[
    "",
    "   ",
    "\t",
    "# comment",
    "  # indented comment",
    "- item",
    "  - item",
    "  - 1",
    "  continued",
    "\tindented",
    "---",
    "...",
    "--- x",
    "%YAML 1.2",
    "[a, b]",
    "{a: 1}",
    "just text",
    "\u{feff}title: x",
];

fn value() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..5).prop_map(|v| v.concat())
}

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (
            prop::sample::select(KEYS),
            prop::sample::select(SEPARATORS),
            value()
        )
            .prop_map(|(k, s, v)| format!("{k}{s}{v}")),
        1 => prop::sample::select(OTHER_LINES).prop_map(str::to_string),
    ]
}

/// A note with a frontmatter-like start.
fn note() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        prop::collection::vec((line(), prop::sample::select(LINE_ENDINGS)), 0..7),
        prop::sample::select(&["---\n", "---\r\n", "...\n", "---", "--- \n", ""][..]),
        prop::sample::select(&["body\n", "", "---\nmore\n"][..]),
    )
        .prop_map(|(bom, lines, close, body)| {
            let mut text = String::new();
            if bom {
                text.push('\u{feff}');
            }
            text.push_str("---\n");
            for (line, ending) in lines {
                text.push_str(&line);
                text.push_str(ending);
            }
            text.push_str(close);
            text.push_str(body);
            text
        })
}

fn start_of(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        3
    } else {
        0
    }
}

fn assert_same(text: &str) {
    let start = start_of(text);
    let fast = parse_with(text, start, true);
    let reference = parse_with(text, start, false);
    assert_eq!(
        fast, reference,
        "fast path differs from serde-saphyr on {text:?}"
    );
}

proptest! {
    // PROPTEST_CASES=1000000 for a longer run.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(4096)
    ))]

    #[test]
    fn fast_path_matches_serde_saphyr(text in note()) {
        assert_same(&text);
    }

    /// One `key: value` line, so that most cases probe the scalar rules.
    #[test]
    fn fast_path_matches_serde_saphyr_on_one_value(
        key in prop::sample::select(&["title", "videoId", "aliases", "wikistamp-disable"][..]),
        value in value(),
        crlf in any::<bool>(),
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        assert_same(&format!("---{eol}{key}: {value}{eol}other: x{eol}---{eol}body"));
    }

    /// Corpus-shaped frontmatter always takes the fast path (so the tests above exercise it).
    #[test]
    fn simple_frontmatter_takes_fast_path(
        title in "[A-Za-z][A-Za-z0-9 ,'()?!&/-]{0,40}[A-Za-z0-9)?!]",
        video_id in "[A-Za-z_][A-Za-z0-9_-]{10}",
    ) {
        let yaml = format!("title: {title}\nvideoId: {video_id}\n");
        prop_assume!(!matches!(title.to_ascii_lowercase().as_str(), "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null"));
        prop_assert!(takes_fast_path(&yaml), "{yaml:?}");
        assert_same(&format!("---\n{yaml}---\nbody"));
    }
}

/// The generators above reach both paths often: the differential tests compare the fast path
/// on many inputs, and on many near misses that must fall back.
#[test]
fn generators_exercise_both_paths() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let one_value = value().prop_map(|v| format!("title: {v}\nother: x\n"));
    let whole_notes = note().prop_filter_map("terminated frontmatter", |text| {
        let start = start_of(&text);
        let fm = parse_with(&text, start, false).0?;
        fm.terminated.then(|| text[fm.content].to_string())
    });
    for (name, strategy) in [
        ("one value", one_value.boxed()),
        ("whole notes", whole_notes.boxed()),
    ] {
        let n = 2000;
        let fast = (0..n)
            .filter(|_| {
                let tree = strategy.new_tree(&mut runner).expect("generate a case");
                takes_fast_path(&tree.current())
            })
            .count();
        println!("{name}: {fast} of {n} take the fast path");
        assert!(fast > n / 10 && fast < n * 9 / 10, "{name}: {fast} of {n}");
    }
}

#[test]
fn fast_path_takes_simple_lines_and_leaves_the_rest() {
    let long_value = format!("title: {}\n", "word ".repeat(2000).trim_end());
    let many_keys: String = (0..300).map(|i| format!("key{i}: value {i}\n")).collect();
    let long_key = format!("{}: x\n", "k".repeat(128));
    for yaml in [&long_value, &many_keys, &long_key] {
        assert!(takes_fast_path(yaml), "{yaml:?}");
        assert_same(&format!("---\n{yaml}---\nbody"));
    }
    assert!(!takes_fast_path(&format!("{}: x\n", "k".repeat(129))));
    for yaml in [
        "title: Behavioral pricing and its impact on consumer decisions\nvideoId: A6veeCbKIzw\n",
        "title: T\r\nvideoId: 3Hk9xYz_abc\r\n",
        "videoId: -x8f_Zq\n",
        "title: C# in 2024, and why it matters (part 1/2) a:b, x#y\n",
        "title:\naliases: Hi\n\n",
        "title: x   \n   \nwikistamp-disable: link-broken\n",
        "title: Überblick 日本語 \u{fffd}\n",
    ] {
        assert!(takes_fast_path(yaml), "{yaml:?}");
        assert_same(&format!("---\n{yaml}---\nbody"));
    }
    for yaml in [
        "title: 123\n",
        "videoId: 1e5\n",
        "videoId: 0x1F\n",
        "title: yes\n",
        "title: Null\n",
        "title: ~\n",
        "title: 'quoted'\n",
        "title: a: b\n",
        "title: a #comment\n",
        "title: a:\n",
        "title: [a]\n",
        "title: - a\n",
        "aliases:\n  - a\n",
        "title: a\ntitle: b\n",
        "# comment\ntitle: a\n",
        "title:\ta\n",
        "title: a\u{2028}b\n",
        "title: a\rb\n",
        "\"title\": a\n",
        "title: a",
    ] {
        assert!(!takes_fast_path(yaml), "{yaml:?}");
        assert_same(&format!("---\n{yaml}---\nbody"));
    }
}

/// Every note of the vault named by `WIKISTAMP_CORPUS`: both paths give the same frontmatter.
#[test]
fn fast_path_matches_serde_saphyr_on_corpus() {
    let Some(root) = std::env::var_os("WIKISTAMP_CORPUS") else {
        eprintln!(
            "SKIPPED fast_path_matches_serde_saphyr_on_corpus: WIKISTAMP_CORPUS is not set (a vault \
             to compare both paths on)"
        );
        return;
    };
    let root = std::path::Path::new(&root);
    let paths = test_corpus::markdown_files(root);
    let (mut notes, mut with_yaml, mut fast) = (0, 0, 0);
    for path in &paths {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        notes += 1;
        let start = start_of(&text);
        let (fm, body) = parse_with(&text, start, true);
        let reference = parse_with(&text, start, false);
        assert_eq!(
            (&fm, body),
            (&reference.0, reference.1),
            "{}",
            path.display()
        );
        if let Some(fm) = fm.filter(|fm| fm.terminated) {
            with_yaml += 1;
            if takes_fast_path(&text[fm.content.clone()]) {
                fast += 1;
            } else if with_yaml - fast <= 20 {
                println!("slow path: {}: {:?}", path.display(), &text[fm.content]);
            }
        }
    }
    println!(
        "{notes} notes, {with_yaml} with a terminated frontmatter, {fast} took the fast path, \
         all identical to serde-saphyr"
    );
}
