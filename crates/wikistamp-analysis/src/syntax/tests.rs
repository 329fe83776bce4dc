//! Parser tests: one per construct the rules depend on.

use super::*;

fn slice<'t>(text: &'t str, r: &Range<usize>) -> &'t str {
    &text[r.clone()]
}

fn targets(text: &str, note: &Note) -> Vec<String> {
    note.links
        .iter()
        .map(|l| slice(text, &l.target).to_string())
        .collect()
}

fn kinds(text: &str, note: &Note) -> Vec<String> {
    note.callouts
        .iter()
        .map(|c| slice(text, &c.kind).to_string())
        .collect()
}

const CITE: &str = r#"<a class="yt-timestamp" data-t="00:01:02">[00:01:02]</a>"#;

#[test]
fn fenced_and_indented_code_hide_everything() {
    let text = format!(
        "```md\n[[in_fence]] {CITE}\n> [!note] fence\n[!NOTE]\n```\n\n    [[indented]] {CITE}\n    [!NOTE]\n\n[[outside]]\n"
    );
    let note = parse(&text);
    assert_eq!(targets(&text, &note), ["outside"]);
    assert!(note.citations.is_empty());
    assert!(note.callouts.is_empty());
    assert!(note.callout_markers.is_empty());
    assert_eq!(
        note.blocks
            .iter()
            .filter(|b| b.kind == BlockKind::CodeBlock)
            .count(),
        0,
        "code blocks are excluded ranges, not claim blocks"
    );
    assert!(note.excluded.len() >= 2);
}

#[test]
fn inline_code_hides_links_and_citations() {
    let text = format!("Use `[[not_a_link]]` and `{CITE}` but [[real]] {CITE}.\n");
    let note = parse(&text);
    assert_eq!(targets(&text, &note), ["real"]);
    assert_eq!(note.citations.len(), 1);
    assert!(note.citations[0].range.start > text.find("but").expect("present"));
}

#[test]
fn html_and_obsidian_comments_hide_everything() {
    let text = format!(
        "<!-- [[in_html_comment]] {CITE} -->\n\nText %% [[in_percent]] {CITE} %% [[after]].\n\n%%\n[!NOTE] hidden\n> [!warn] hidden\n%%\n\nInline <!-- [[inline_comment]] --> [[end]]\n"
    );
    let note = parse(&text);
    assert_eq!(targets(&text, &note), ["after", "end"]);
    assert!(note.citations.is_empty());
    assert!(note.callouts.is_empty());
    assert!(note.callout_markers.is_empty());
}

#[test]
fn unclosed_percent_comment_runs_to_the_end() {
    let text = "Before [[a]] %% never closed [[b]]\n\n[[c]]\n";
    let note = parse(text);
    assert_eq!(targets(text, &note), ["a"]);
}

#[test]
fn tables_with_escaped_pipes() {
    let text = "| Note | Why |\n| --- | --- |\n| [[scaling_laws\\|scaling]] | a \\| b |\n";
    let note = parse(text);
    assert_eq!(note.links.len(), 1);
    let link = &note.links[0];
    assert_eq!(slice(text, &link.target), "scaling_laws");
    assert_eq!(
        slice(text, link.alias.as_ref().expect("present")),
        "scaling"
    );
    assert!(link.escaped_pipe);
    assert_eq!(note.blocks.len(), 1);
    assert_eq!(note.blocks[0].kind, BlockKind::Table);
}

#[test]
fn embeds_are_links() {
    let text = "![[diagram.png]] and ![[other_note#Part | shown]]\n";
    let note = parse(text);
    assert_eq!(note.links.len(), 2);
    assert!(note.links.iter().all(|l| l.embed));
    assert_eq!(note.links[0].range.start, 0, "the range includes the `!`");
    assert_eq!(
        slice(text, note.links[1].fragment.as_ref().expect("present")),
        "Part"
    );
    assert_eq!(
        slice(text, note.links[1].alias.as_ref().expect("present")),
        "shown"
    );
}

#[test]
fn crlf_offsets_stay_exact() {
    let text = "---\r\ntitle: T\r\nvideoId: ZtY8VXswa2o\r\n---\r\n\r\n## Head\r\n\r\nA [[link]] here.\r\n\r\n> [!NOTE] Title\r\n> Body.\r\n";
    let note = parse(text);
    assert_eq!(targets(text, &note), ["link"]);
    assert_eq!(slice(text, &note.headings[0].text), "Head");
    assert_eq!(kinds(text, &note), ["NOTE"]);
    let c = &note.callouts[0];
    assert_eq!(slice(text, c.title.as_ref().expect("present")), "Title");
    assert!(!slice(text, &c.range).contains('\r'));
    // The callout's body paragraph starts on the line after the header.
    let body = note.blocks.iter().find(|b| b.in_callout).expect("present");
    assert_eq!(slice(text, &body.range).trim_end(), "> Body.");
}

#[test]
fn bom_is_skipped_but_offsets_count_it() {
    let text = "\u{feff}---\ntitle: T\nvideoId: ZtY8VXswa2o\n---\n[[link]]\n";
    let note = parse(text);
    assert_eq!(note.bom_len, 3);
    assert!(note.video_id().is_some());
    assert_eq!(targets(text, &note), ["link"]);
    assert_eq!(note.links[0].range.start, text.find("[[").expect("present"));
}

#[test]
fn emoji_before_a_link_keeps_byte_offsets() {
    let text = "🚀 Rocket 👩‍🚀 [[space_travel | voyage]] 🎉\n";
    let note = parse(text);
    let link = &note.links[0];
    assert_eq!(slice(text, &link.target), "space_travel");
    assert_eq!(slice(text, link.alias.as_ref().expect("present")), "voyage");
}

#[test]
fn callout_header_parts() {
    let text = "> [!tip|wide]- Folded title\n> body\n\n> [!NOTE]\n> x\n\n>[!info]+\n";
    let note = parse(text);
    assert_eq!(kinds(text, &note), ["tip", "NOTE", "info"]);
    let tip = &note.callouts[0];
    assert_eq!(slice(text, tip.meta.as_ref().expect("present")), "wide");
    assert_eq!(tip.fold, Some('-'));
    assert_eq!(
        slice(text, tip.title.as_ref().expect("present")),
        "Folded title"
    );
    assert_eq!(note.callouts[1].title, None);
    assert_eq!(note.callouts[2].fold, Some('+'));
    assert!(note.callout_markers.is_empty());
}

#[test]
fn nested_callouts() {
    let text = "> [!info] Outer\n> > [!tip] Inner\n> > inner body\n>\n> outer body\n\n> > [!example] Quote in quote\n\n>> [!info] Tight\n";
    let note = parse(text);
    assert_eq!(kinds(text, &note), ["info", "tip", "example", "info"]);
    assert_eq!(note.callouts[1].quote_depth, 2);
    assert!(note.callout_markers.is_empty());
    let inner = note
        .blocks
        .iter()
        .find(|b| slice(text, &b.range).contains("inner body"))
        .expect("present");
    assert!(inner.in_callout);
    assert_eq!(inner.quote_depth, 2);
}

#[test]
fn callouts_in_list_items() {
    let text = "- Item\n    > [!WARNING] In a list\n    > body\n\n1. Ordered\n   > [!NOTE]\n";
    let note = parse(text);
    assert_eq!(kinds(text, &note), ["WARNING", "NOTE"]);
    assert!(note.callout_markers.is_empty());
}

#[test]
fn markers_that_do_not_render() {
    let text = "[!NOTE] no quote\n\n### [!info] heading\n\n> **[!info] bold**\n\n> [!NOTE\n\n> [!PRO TIP]\n\n> first line\n> [!TIP] later\n\n<div>\n[!NOTE] in html\n</div>\n";
    let note = parse(text);
    let problems: Vec<MarkerProblem> = note.callout_markers.iter().map(|m| m.problem).collect();
    assert_eq!(
        problems,
        [
            MarkerProblem::NoQuote,
            MarkerProblem::InHeading,
            MarkerProblem::Emphasized,
            MarkerProblem::Unclosed,
            MarkerProblem::InvalidType,
            MarkerProblem::NotFirstLine,
            MarkerProblem::InHtml,
        ]
    );
    assert_eq!(slice(text, &note.callout_markers[4].marker), "[!PRO TIP]");
    assert!(note.callouts.is_empty());
}

#[test]
fn prose_brackets_are_not_markers() {
    let text =
        "Text [!NOTE] mid-line.\n\n[!] and [!1] are prose.\n\n| [!NOTE] | cell |\n| --- | --- |\n";
    let note = parse(text);
    assert!(
        note.callout_markers.is_empty(),
        "{:?}",
        note.callout_markers
    );
}

#[test]
fn claim_blocks() {
    let text = "---\nvideoId: ZtY8VXswa2o\n---\n# Title\n\nPara one\ncontinues.\n\n- item a\n- item b\n  - nested c\n\n1. loose item\n\n   second para of item\n\n> quoted para\n\n> [!note] Header line\n> callout body\n\n| a | b |\n| - | - |\n| c | d |\n";
    let note = parse(text);
    let got: Vec<(BlockKind, &str, usize, bool)> = note
        .blocks
        .iter()
        .map(|b| {
            (
                b.kind,
                slice(text, &b.range).trim_end(),
                b.quote_depth,
                b.in_callout,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (BlockKind::Paragraph, "Para one\ncontinues.", 0, false),
            (BlockKind::ListItem, "- item a", 0, false),
            (BlockKind::ListItem, "- item b", 0, false),
            (BlockKind::ListItem, "- nested c", 0, false),
            (BlockKind::Paragraph, "loose item", 0, false),
            (BlockKind::Paragraph, "second para of item", 0, false),
            (BlockKind::Paragraph, "quoted para", 1, false),
            (BlockKind::Paragraph, "> callout body", 1, true),
            (
                BlockKind::Table,
                "| a | b |\n| - | - |\n| c | d |",
                0,
                false
            ),
        ]
    );
    assert_eq!(note.headings.len(), 1);
}

#[test]
fn never_panics_on_odd_input() {
    for text in [
        "",
        "\u{feff}",
        "---",
        "---\n",
        "[!",
        "> [!",
        "> [!]",
        "### [!",
        "**[!",
        "[[",
        "<a class=\"yt-timestamp\" data-t=\"",
        "%%",
        "<!--",
        "> > > > > > > > > > > [!note]",
        "\r\r\n\n\r",
        "*   [!WARNING]\r",
    ] {
        let _ = parse(text);
    }
    let deep = "> ".repeat(500) + "[!note] deep\n";
    let _ = parse(&deep);
    let long = "[!NOTE] ".to_string() + &"word ".repeat(100_000);
    let _ = parse(&long);
}

mod pair_search {
    use crate::syntax::callouts::find_marker_start;
    use crate::syntax::comments::find_percent_pair;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]
        /// The rare-byte searches find exactly what a substring search finds.
        #[test]
        fn rare_byte_searches_agree_with_memmem(
            bytes in proptest::collection::vec(proptest::sample::select(b"%[!a".to_vec()), 0..24),
            from in 0usize..26,
            to in 0usize..26,
        ) {
            let to = to.min(bytes.len());
            let from = from.min(to);
            let window = &bytes[from..to];
            prop_assert_eq!(
                find_percent_pair(&bytes, from, to),
                memchr::memmem::find(window, b"%%").map(|i| from + i)
            );
            prop_assert_eq!(
                find_marker_start(&bytes, from, to),
                memchr::memmem::find(window, b"[!").map(|i| from + i)
            );
        }
    }
}
