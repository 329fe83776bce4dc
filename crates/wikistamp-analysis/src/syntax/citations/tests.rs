use super::scanner::{attributes, looks_like_citation, reference, scan, MAX_TAG_LEN};
use super::*;
use crate::syntax::parse;
use crate::syntax::Excluded;

fn one(text: &str) -> (Citation, Shape) {
    let note = parse(text);
    assert_eq!(note.citations.len(), 1, "{text}: {:#?}", note.citations);
    let c = note.citations[0].clone();
    let s = c.shape(text);
    (c, s)
}

fn slice<'t>(text: &'t str, r: &Option<Range<usize>>) -> Option<&'t str> {
    r.as_ref().map(|r| &text[r.clone()])
}

#[test]
fn canonical_citation() {
    let t = r#"Claim <a class="yt-timestamp" data-t="00:01:36">[00:01:36]</a>."#;
    let (c, s) = one(t);
    assert!(c.is_canonical_tag(t));
    assert!(c.closed);
    assert_eq!(&t[c.range.clone()], &t[6..t.len() - 1]);
    assert_eq!(c.label_time(t), Some("00:01:36"));
    assert_eq!(c.time.map(|t| t.seconds), Ok(96));
    assert!(s.problems.is_empty(), "{s:?}");
    assert_eq!(slice(t, &s.label_time), Some("00:01:36"));
    assert_eq!(s.extent, c.range);
}

#[test]
fn other_attribute_order_and_extra_attributes_are_fine() {
    let t = r##"<a data-t="00:54:01" href="#fn:1" class="yt-timestamp">[00:54:01]</a>"##;
    let (c, s) = one(t);
    assert_eq!(c.time.map(|t| t.seconds), Ok(3241));
    assert!(s.problems.is_empty(), "{s:?}");
}

#[test]
fn broken_class_and_junk() {
    let t = r#"<a class="yt="yt-timestamp" data-t="00:01:02">[00:01:02]</a>"#;
    let (_, s) = one(t);
    assert!(s.tag_broken);
    assert_eq!(s.problems[0], TagProblem::Class);
    assert!(matches!(&s.problems[1], TagProblem::Junk(r) if &t[r.clone()] == "yt-timestamp\""));
    assert_eq!(slice(t, &s.data_t), Some("00:01:02"));

    let t = r#"<a class="yt_timestamp" data-t="00:01:02">[00:01:02]</a>"#;
    assert_eq!(one(t).1.problems, vec![TagProblem::Class]);

    // `class class="…"`: the browser keeps the first, empty class.
    let t = r#"<a class class="yt-timestamp" data-t="00:01:02">[00:01:02]</a>"#;
    let (_, s) = one(t);
    assert_eq!(s.problems[0], TagProblem::Class);
}

#[test]
fn garbled_data_t_recovers_the_time_from_the_tag_or_label() {
    let t = r#"<a class="yt-timestamp" data-3:54:44:00">[3:54:44:00]</a>"#;
    let (c, s) = one(t);
    assert!(c.data_t.is_none());
    assert!(s.problems.contains(&TagProblem::DataT));
    assert_eq!(slice(t, &s.data_t), Some("3:54:44:00"));

    let t = r#"<a class="yt-timestamp" data="00:01:02">[00:01:02]</a>"#;
    let (_, s) = one(t);
    assert_eq!(s.problems, vec![TagProblem::DataT]);
    assert_eq!(slice(t, &s.data_t), Some("00:01:02"));

    // Closing quote missing: the value ends at the tag's `>`.
    let t = r#"<a class="yt-timestamp" data-t="00:01:02>[00:01:02]</a>"#;
    let (c, s) = one(t);
    assert!(c.data_t.is_none());
    assert!(s.problems.contains(&TagProblem::DataT));
    assert_eq!(slice(t, &s.data_t), Some("00:01:02"));

    // A class made of the time: only the label has it.
    let t = r#"<a class="yt-0-12-34">[00:12:34]</a>"#;
    assert_eq!(slice(t, &one(t).1.data_t), Some("00:12:34"));

    // Two different times in the tag: not recoverable.
    let t = r#"<a class="yt-timestamp" data-t="00:14:14]-[00:16:42]</a>."#;
    let (c, s) = one(t);
    assert!(!c.closed);
    assert_eq!(s.data_t, None);
}

#[test]
fn label_shapes() {
    let cases = [
        (
            r#"<a class="yt-timestamp" data-t="00:02:18"></a>"#,
            TagProblem::EmptyLabel,
        ),
        (
            r#"<a class="yt-timestamp" data-t="00:02:18">00:02:18</a>"#,
            TagProblem::LabelBrackets,
        ),
        (
            r#"<a class="yt-timestamp" data-t="00:02:18">[[00:02:18]]</a>"#,
            TagProblem::LabelDoubleBrackets,
        ),
        (
            r#"<a class="yt-timestamp" data-t="00:02:18"> [00:02:18]</a>"#,
            TagProblem::LabelPadded,
        ),
        (
            r#"[<a class="yt-timestamp" data-t="00:02:18">00:02:18</a>]"#,
            TagProblem::BracketsOutside,
        ),
        (
            r#"[00:02:18](<a class="yt-timestamp" data-t="00:02:18">00:02:18</a>)"#,
            TagProblem::MarkdownWrapper,
        ),
    ];
    for (t, problem) in cases {
        let (_, s) = one(t);
        assert!(s.problems.contains(&problem), "{t}: {s:?}");
        assert!(!s.tag_broken, "{t}");
    }
    // A wrapper never closed is litter too; one whose `)` comes after other text is
    // reported but its extent is unsure.
    let t = r#"[00:02:18](<a class="yt-timestamp" data-t="00:02:18">[00:02:18]</a>. Next"#;
    let (_, s) = one(t);
    assert_eq!(s.problems, vec![TagProblem::MarkdownWrapper]);
    assert!(!s.wrapper_unsure);
    let t = r#"[00:02:18](<a class="yt-timestamp" data-t="00:02:18">[00:02:18]</a> and more)"#;
    assert!(one(t).1.wrapper_unsure);
    let t = r#"x [<a class="yt-timestamp" data-t="00:02:18">00:02:18</a>] y"#;
    let (_, s) = one(t);
    assert_eq!(&t[s.extent.clone()], &t[2..t.len() - 2]);
    assert_eq!(slice(t, &s.label_time), Some("00:02:18"));
}

#[test]
fn unclosed_citations_end_after_their_time() {
    // A stray `>` instead of `</a>`, then the next citation.
    let t = r#"<a class="yt-timestamp" data-t="00:08:13">[00:08:13]>, <a class="yt-timestamp" data-t="00:08:20">[00:08:20]</a>"#;
    let note = parse(t);
    assert_eq!(note.citations.len(), 2);
    let c = &note.citations[0];
    assert!(!c.closed);
    assert_eq!(&t[c.label.clone()], "[00:08:13]");
    assert!(t[..c.range.end].ends_with("[00:08:13]>"));
    assert!(note.citations[1].closed);

    // No label at all: the citation ends with its tag, the sentence is not its label.
    let t = r#"traps <a class="yt-timestamp" data-t="01:12:42">. See [[other]]."#;
    let note = parse(t);
    let c = &note.citations[0];
    assert!(c.label.is_empty());
    assert_eq!(c.range.end, c.open_tag.end);
    assert_eq!(
        note.links.len(),
        1,
        "the link after it is not inside the citation"
    );
}

#[test]
fn groups_are_runs_separated_by_spaces_commas_and_semicolons() {
    let c = |t: &str| format!(r#"<a class="yt-timestamp" data-t="{t}">[{t}]</a>"#);
    let t = format!(
        "A {}, {}; {}\n{}.\n\n{} B {}\n\n{}",
        c("00:00:01"),
        c("00:00:02"),
        c("00:00:03"),
        c("00:00:04"),
        c("00:00:05"),
        c("00:00:06"),
        c("00:00:07"),
    );
    let note = parse(&t);
    assert_eq!(note.citations.len(), 7);
    // 1-4 (a single line break is fine); 5 and 6 are split by text, 6 and 7 by a blank line.
    assert_eq!(groups(&t, &note.citations), vec![0..4]);
}

#[test]
fn attributes_split_like_a_browser() {
    let t = r#"<a class="yt" data-t='1:2' bare=x junk" >"#;
    let attrs = attributes(t, 0..t.len(), true);
    let names: Vec<&str> = attrs.iter().map(|a| &t[a.name.clone()]).collect();
    assert_eq!(names, ["class", "data-t", "bare", "junk\""]);
    assert_eq!(attrs[1].value.as_ref().map(|v| &t[v.clone()]), Some("1:2"));
    assert!(attrs.iter().all(|a| a.well_formed));
}

/// Pieces of citations, whole and broken, to build texts from.
const PIECES: &[&str] = &[
    "<a class=\"yt-timestamp\" data-t=\"",
    "<a class=\"yt-timestamp\" data-t=\"00:01:02\">[00:01:02]</a>",
    "<A CLASS='YT-TIMESTAMP' DATA-T=00:01:02>",
    "<a ",
    "<a\t",
    "<a>",
    "<A ",
    "<ab ",
    "</a>",
    "</A>",
    "<",
    ">",
    "\"",
    "'",
    "=",
    " = ",
    "`",
    "class",
    "class=\"yt",
    "class='yt",
    "CLASS=\"YT",
    "timestamp",
    "TimeStamp",
    "data-t",
    "DATA-T",
    "data-t=",
    "data-t=\"",
    "data=",
    "href=\"#x\"",
    "00:01:02",
    "[00:01:02]</a>",
    "00:01:0",
    "1:2:3",
    "28:25",
    "HH:MM:SS",
    "\">",
    "[",
    "]",
    "[[",
    "]]",
    "(",
    ")",
    "](",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    ", ",
    "é",
    "🎉",
    "x",
];

fn citation_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let piece = prop_oneof![
        6 => proptest::sample::select(PIECES).prop_map(str::to_string),
        1 => any::<char>().prop_map(|c| c.to_string()),
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

fn both_scans(text: &str, excluded: &[Range<usize>]) -> (Vec<Citation>, Vec<Citation>) {
    let excluded = Excluded::from_unsorted(excluded.to_vec());
    let (mut fast, mut slow) = (Vec::new(), Vec::new());
    scan(text, 0..text.len(), &excluded, &mut fast);
    reference::scan(text, 0..text.len(), &excluded, &mut slow);
    (fast, slow)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 2000,
        ..proptest::prelude::ProptestConfig::default()
    })]

    #[test]
    fn fast_scan_equals_the_reference(text in citation_text(), cut in 0usize..64) {
        let (fast, slow) = both_scans(&text, &[]);
        proptest::prop_assert_eq!(fast, slow);
        // With an excluded range in the middle too.
        let a = (cut * 7).min(text.len());
        let b = (a + cut).min(text.len());
        let (fast, slow) = both_scans(&text, std::slice::from_ref(&(a..b)));
        proptest::prop_assert_eq!(fast, slow);
    }

    #[test]
    fn attributes_and_looks_like_citation_equal_the_reference(text in citation_text()) {
        for lt in text.match_indices('<').map(|(i, _)| i) {
            for end in [text.len(), (lt + 40).min(text.len())] {
                if !text.is_char_boundary(end) || end < lt {
                    continue;
                }
                for closed in [false, true] {
                    proptest::prop_assert_eq!(
                        attributes(&text, lt..end, closed),
                        reference::attributes(&text, lt..end, closed)
                    );
                }
                let tag = &text[lt..end];
                if tag.len() <= MAX_TAG_LEN {
                    proptest::prop_assert_eq!(
                        looks_like_citation(tag.as_bytes()),
                        reference::looks_like_citation(tag)
                    );
                }
            }
        }
    }
}

#[test]
fn looks_like_citation_beyond_the_stack_buffer() {
    // Longer than the scan ever asks about, but it must still answer the same.
    let long = format!("<a {}DATA-T=1", "x".repeat(MAX_TAG_LEN));
    assert!(looks_like_citation(long.as_bytes()));
    assert!(!looks_like_citation(&long.as_bytes()[..MAX_TAG_LEN + 2]));
    let mixed = "<a Class=\"YT-x\">";
    assert!(looks_like_citation(mixed.as_bytes()));
    assert_eq!(
        looks_like_citation(mixed.as_bytes()),
        reference::looks_like_citation(mixed)
    );
}

#[test]
fn first_class_and_data_t_win_even_when_broken() {
    // The first `data-t` is malformed: no value, even though a good one follows.
    let t = r#"<a class="yt-timestamp" data-t=00:01:02" data-t="00:01:03">[00:01:02]</a>"#;
    let (fast, slow) = both_scans(t, &[]);
    assert_eq!(fast, slow);
    assert_eq!(fast[0].data_t, None);
    // `class` with no value, then one with: the first (empty) counts.
    let t = r#"<a class class="yt-timestamp" data-t="00:01:02">[00:01:02]</a>"#;
    let (fast, slow) = both_scans(t, &[]);
    assert_eq!(fast, slow);
    assert_eq!(fast[0].class, None);
    assert_eq!(
        fast[0].data_t.as_ref().map(|r| &t[r.clone()]),
        Some("00:01:02")
    );
}

#[test]
fn canonical_fast_path_equals_the_reference_at_its_edges() {
    let prefix = r#"<a class="yt-timestamp" data-t=""#;
    let mut cases: Vec<String> = [
        r#"00:01:02">[00:01:02]</a>"#,
        r#"00:01:02" >[00:01:02]</a>"#,
        r#"00:01:02"x>[00:01:02]</a>"#,
        r#"00:0>1:02">[00:01:02]</a>"#,
        r#"00:01:02>[00:01:02]</a>"#,
        r#"00:01:02"#,
        r#"00:01:02""#,
        "00:01\n:02\">[00:01:02]</a>",
        "00:01\r:02\">[00:01:02]</a>",
        r#"é">[é]</a>"#,
        r#"">[]</a>"#,
        r#"00:01:02"><a class="yt-timestamp" data-t="00:01:03">[00:01:03]</a>"#,
        r#"00:01:02">[00:01:02]"#,
        r#"00:01:02">[00:01:02]</A>"#,
        r#"00:01:02">[00:01:02]<b></a>"#,
        // Labels around the 32 bytes looked at first.
        r#"00:01:02">0123456789012345678901234567890</a>"#,
        r#"00:01:02">01234567890123456789012345678901</a>"#,
        r#"00:01:02">012345678901234567890123456789012</a>"#,
        r#"00:01:02">0123456789012345678901234567890123456789<a class="yt-timestamp">"#,
        r#"00:01:02">0123456789012345678901234567890123456789 and the line goes on"#,
        "00:01:02\">[00:01:02]\n</a>",
        "00:01:02\">[00:01:02]>\r\n</a>",
        r#"00:01:02">[00:01:02]<<</a>"#,
        r#"00:01:02">[00:01:02]</a"#,
        r#"00:01:02">[00:01:02]<"#,
        r#"00:01:02"><A "#,
        r#"00:01:02"><a"#,
        // Values and labels of eight bytes that are not all digits and colons.
        r#"00:01:0<">[00:01:02]</a>"#,
        r#"00:01:0;">[00:01:02]</a>"#,
        r#"00:01:0/">[00:01:02]</a>"#,
        r#"00:01:02">[00:01:0<]</a>"#,
        r#"00:01:02">[00:01:0;]</a>"#,
        r#"00:01:02">[00:01:0/]</a>"#,
        "00:01:02\">[00:01:0\n]</a>",
        r#"00:01:02">[::::::::]</a>"#,
        r#"00:01:02">[00:01:02]</a "#,
        r#"00:01:02">[00:01:02]</b>"#,
        r#"00:01:02">[00:01:02)</a>"#,
        r#"00:01:02">(00:01:02]</a>"#,
        r#"00:01:02">[00:01:02]"#,
        r#"00:01:02">[00:01:02]</"#,
    ]
    .iter()
    .map(|v| format!("{prefix}{v}"))
    .collect();
    // The tag's `>` right before, at and after the end of the window.
    for len in [MAX_TAG_LEN - 1, MAX_TAG_LEN, MAX_TAG_LEN + 1] {
        let value = "1".repeat(len - prefix.len() - 2);
        cases.push(format!("{prefix}{value}\">[00:01:02]</a>"));
    }
    for t in &cases {
        for text in [t.clone(), format!("x {t} y"), format!("{t}\n{t}")] {
            let (fast, slow) = both_scans(&text, &[]);
            assert_eq!(fast, slow, "{text}");
        }
    }
    let t = &cases[0];
    let (fast, _) = both_scans(t, &[]);
    assert!(fast[0].is_canonical_tag(t));
}

/// Every note of the corpus, when it is there: the fast scan finds exactly what the
/// reference finds.
#[test]
fn fast_scan_equals_the_reference_on_the_corpus() {
    crate::test_corpus::for_each_corpus_note(|path, text| {
        let note = parse(text);
        let (fast, slow) = both_scans(text, &note.excluded);
        assert_eq!(fast, slow, "{path}");
    });
}

#[test]
fn citations_in_code_are_ignored_and_odd_input_does_not_panic() {
    let t = "`<a class=\"yt-timestamp\" data-t=\"00:00:01\">[00:00:01]</a>`";
    assert!(parse(t).citations.is_empty());
    for t in [
        "<a class=\"yt",
        "<a data-t=",
        "<a data-t=\"",
        "<a class='yt-timestamp' data-t=\"1:2:3\">[",
        "<a class=\"yt-timestamp\" = = data-t=\"é\">[é]</a>",
        "[<a class=\"yt-timestamp\">",
        "](<a class=\"yt\">)",
    ] {
        let note = parse(t);
        for c in &note.citations {
            let _ = c.shape(t);
        }
    }
}
