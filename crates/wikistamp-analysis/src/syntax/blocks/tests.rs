#[cfg(test)]
mod shapes {
    use super::super::*;

    #[track_caller]
    fn same(body: &str) {
        let fast = scan(body).unwrap_or_else(|| panic!("the scanner gave up on {body:?}"));
        assert_eq!(fast, pulldown(body), "events differ for {body:?}");
    }

    #[test]
    fn matches_pulldown_on_note_shapes() {
        same("# Head  #\n\npara one\nline two\n\n* item a\n* item b\n    * nested\n      more\n* item c\n\n> [!NOTE] T\n> body\n\n1. one\n\n2. two\n   para\n\n   para2\n\n---\ntext `code` x\n");
        same("  > x\n  > y\n\nz\n");
        same("* > q\n  > r\n* b\n");
        same("  # h #\n  ```rs\n  code\n  ```\n\n> ```\n> c\n\nafter\n");
        same("* a\n  * b\n\n  * c\n* d\n");
        same("* a\n\n\n* b\n\n\n");
        same("1. x\n   ```\n   c\n2. y\n");
        same("- a\n  b `c\n  d` e\n- f\n");
        same("***\n* * *\n- x\n\n---\n");
        same("a\r\n> b\r\n\r\n# c");
        same("* a\n    * b\n        * c\n* d");
        same("1. a\n2) b\n- c\n+ d\n");
        same("From: [[x]] <br/>\n\ntext ``a ` b`` c `unclosed\n");
        same("> [!NOTE] Title\n> - a\n>   - b\n> - c\n\nx\n");
        same("- a\n\n  b\n- c\n");
        same("#tag\n##### five\n####### seven\n");
        // Lazy continuation lines, and lines that interrupt instead.
        same("> a\nlazy\n");
        // Setext headings, and breaks that interrupt a paragraph.
        same("From: x <br/> \n---\n\nnext\n");
        same("a\nb `c`\n===\nz");
        same("> a\n> ---\nq");
        same("* a\n  --\n* b\n");
        same("a\n***\nb\n- - -\nc\n___\n");
        same("* a\n\n  b\n  ---\n* c\n");
        same("* a <a class=\"yt-timestamp\" data-t=\"00:00:01\">[00:00:01]</a>\nlazy `x\ny` z\n* b\n");
        same("* a\n  * b\nlazy\n* c\n");
        same("> * a\n> lazy\nmore lazy\n\nafter\n");
        same("- a\n2) b\n- a\n***\n> q\n    lazy\n<a href=\"x\">y</a>\n[r]: x\n");
    }

    #[test]
    fn gives_up_outside_its_subset() {
        for body in [
            "<div>\nx\n</div>\n",
            "| a | b |\n|---|---|\n",
            "    code\n",
            "*\n  a\n",
            "x[^1]\n\n[^1]: note\n",
            "[ref]: https://example.com\n",
            "a <!-- c --> b\n",
            "\tindented\n",
            "a\rb\n",
            "```\n|--|\n```\n",
            "a\r\n|-|\r\n",
            "> x\n> | --- |\n",
            "text\n-|",
        ] {
            assert!(scan(body).is_none(), "should give up on {body:?}");
        }
    }
}

/// Differential property: wherever the scanner answers, it answers exactly as pulldown-cmark.
#[cfg(test)]
mod differential {
    use super::super::lines::*;
    use super::super::*;
    use proptest::prelude::*;

    const PREFIXES: &[&str] = &[
        "", "", "", " ", "  ", "   ", "    ", "      ", "> ", ">", "  > ", "> > ", ">  ",
    ];
    const MARKERS: &[&str] = &[
        "", "", "", "- ", "* ", "+ ", "1. ", "2) ", "10. ", "-   ", "*  ", "1.  ",
    ];
    const CONTENT: &[&str] = &[
        "text",
        "more words here",
        "`code`",
        "a `b",
        "``x ` y`` z",
        "# heading",
        "## heading ##",
        "#tag",
        "```",
        "```rust",
        "~~~",
        "---",
        "***",
        "- - -",
        "===",
        "[!NOTE] Title",
        "[[note | alias]]",
        "<a class=\"yt-timestamp\" data-t=\"00:01:02\">[00:01:02]</a>",
        "<br/>",
        "<br> text",
        "<a href=\"x\">",
        "</a>",
        "</a> x",
        "<span class=x >  ",
        "<b",
        "<em title='a>b'>z",
        "<a x=\"y>",
        "<a\tb>",
        "<a href = 'x' data-t=1 hidden/>",
        "<sup>1</sup>",
        "<div>",
        "",
        "  ",
    ];

    fn line() -> impl Strategy<Value = String> {
        (
            proptest::sample::select(PREFIXES),
            proptest::sample::select(MARKERS),
            proptest::sample::select(CONTENT),
            proptest::bool::weighted(0.1),
        )
            .prop_map(|(p, m, c, crlf)| format!("{p}{m}{c}{}", if crlf { "\r\n" } else { "\n" }))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(30_000))]
        #[test]
        fn scanner_agrees_with_pulldown(lines in proptest::collection::vec(line(), 1..24)) {
            let body: String = lines.concat();
            if let Some(events) = scan(&body) {
                prop_assert_eq!(events, pulldown(&body), "body: {:?}", body);
            }
        }
    }

    /// The prescan as first written: one pass per construct.
    fn prescan_reference(b: &[u8]) -> bool {
        if memchr::memchr2(b'\t', b'\0', b).is_some() {
            return false;
        }
        if memchr::memmem::find(b, b"<!--").is_some() || memchr::memmem::find(b, b"[^").is_some() {
            return false;
        }
        let mut pos = 0;
        while let Some(i) = memchr::memchr(b'\r', &b[pos..]) {
            if b.get(pos + i + 1) != Some(&b'\n') {
                return false;
            }
            pos += i + 1;
        }
        b.split(|c| *c == b'\n').all(|line| {
            !(line.contains(&b'|')
                && line.contains(&b'-')
                && line
                    .iter()
                    .all(|c| matches!(c, b'|' | b'-' | b':' | b' ' | b'>' | b'\r')))
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]
        #[test]
        fn prescan_agrees_with_reference(
            bytes in proptest::collection::vec(
                proptest::sample::select(b"<!-[^|:> \t\0\r\nax".to_vec()),
                0..40,
            )
        ) {
            // The table check moved into the scanner's line loop: both together.
            let checks = prescan(&bytes) && !bytes.split(|c| *c == b'\n').any(is_delimiter_row);
            prop_assert_eq!(checks, prescan_reference(&bytes), "body: {:?}", String::from_utf8_lossy(&bytes));
        }
    }

    /// The property above is not vacuous: most generated-like notes are scanned.
    #[test]
    fn common_shapes_are_scanned() {
        let body = "From: [[c]] <br/>\n\n## A\n\n* **x**: y `z` <a class=\"yt-timestamp\" data-t=\"00:00:01\">[00:00:01]</a>\n    * nested\n\n> [!NOTE] T\n> body\n> - item\n\n1. one\n2. two\n\n```py\ncode\n```\n";
        assert!(scan(body).is_some());
    }
}

/// Differential check on a real vault: `WIKISTAMP_CORPUS=../shared/corpus/tubegraph cargo test
/// --release -p wikistamp-analysis corpus_blocks -- --nocapture`.
#[cfg(test)]
mod corpus {
    use super::super::*;

    #[test]
    fn corpus_blocks_match_pulldown() {
        let Some(root) = std::env::var_os("WIKISTAMP_CORPUS") else {
            eprintln!(
                "SKIPPED corpus_blocks_match_pulldown: WIKISTAMP_CORPUS is not set (set it to a \
                 vault, e.g. /work/shared/corpus/tubegraph, to compare every note)"
            );
            return;
        };
        let mut stack = vec![std::path::PathBuf::from(root)];
        let (mut notes, mut fast, mut bad) = (0usize, 0usize, Vec::new());
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("readable vault").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "md") {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                notes += 1;
                let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
                let body = &text[crate::syntax::frontmatter::parse(&text, bom).1..];
                if let Some(events) = scan(body) {
                    fast += 1;
                    let reference = pulldown(body);
                    if events != reference {
                        if bad.len() < 12 {
                            let i = events
                                .iter()
                                .zip(&reference)
                                .take_while(|(a, b)| a == b)
                                .count();
                            let show = |e: Option<&BlockEvent>| match e {
                                Some(BlockEvent::Start(_, r) | BlockEvent::End(_, r)) => format!(
                                    "{e:?} {:?}",
                                    &body[r.start.saturating_sub(0)..r.end.min(r.start + 120)]
                                ),
                                other => format!("{other:?}"),
                            };
                            println!(
                                "{}\n  scan: {}\n  pull: {}",
                                path.display(),
                                show(events.get(i)),
                                show(reference.get(i))
                            );
                        }
                        bad.push(path);
                    }
                }
            }
        }
        println!(
            "{notes} notes, {fast} scanned without pulldown-cmark, {} differ",
            bad.len()
        );
        for p in bad.iter().take(20) {
            println!("differs: {}", p.display());
        }
        assert!(bad.is_empty(), "{} notes differ", bad.len());
    }
}
