//! Shapes of single lines (and of whole bodies, for [`prescan`]) that the scanner asks about.

/// Whole-body checks for constructs the scanner leaves to pulldown-cmark, two passes over the
/// body for rare bytes. Tables (a delimiter row, [`is_delimiter_row`]) are checked line by line
/// by the scanner itself: `|` is common in wiki-link aliases.
pub(crate) fn prescan(b: &[u8]) -> bool {
    // Tabs change column arithmetic; NUL is replaced; a lone CR is a line ending of its own.
    let mut pos = 0;
    while let Some(i) = memchr::memchr3(b'\t', b'\0', b'\r', &b[pos..]) {
        let at = pos + i;
        if b[at] != b'\r' || b.get(at + 1) != Some(&b'\n') {
            return false;
        }
        pos = at + 1;
    }
    // `<!--` and `[^`.
    let mut pos = 0;
    while let Some(i) = memchr::memchr2(b'!', b'^', &b[pos..]) {
        let at = pos + i;
        pos = at + 1;
        if at == 0 {
            continue;
        }
        match b[at] {
            b'!' if b[at - 1] == b'<' && b[at + 1..].starts_with(b"--") => return false,
            b'^' if b[at - 1] == b'[' => return false,
            _ => {}
        }
    }
    true
}

/// A table's delimiter row (`| --- | :-: |`): a line (without its `\n`) of only `|`, `-`, `:`,
/// blanks, `>` and `\r`, with a `|` and a `-`. The scanner gives up on any such line, even in
/// code.
pub(super) fn is_delimiter_row(line: &[u8]) -> bool {
    // Most lines fail on their first byte.
    if !matches!(line.first(), Some(b'|' | b'-' | b':' | b' ' | b'>' | b'\r')) {
        return false;
    }
    let (mut pipe, mut dash) = (false, false);
    for &c in line {
        match c {
            b'|' => pipe = true,
            b'-' => dash = true,
            b':' | b' ' | b'>' | b'\r' => {}
            _ => return false,
        }
    }
    pipe && dash
}

pub(super) fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|c| *c == b' ')
}

/// Spaces at the start of `b[pos..end]`.
pub(super) fn spaces(b: &[u8], pos: usize, end: usize) -> usize {
    b[pos..end].iter().take_while(|c| **c == b' ').count()
}

/// Tags that start neither an HTML block of kinds 1 to 6 (`<pre`, `<div`, `<p`, …) nor any
/// other block: lowercase, as the corpus writes them.
pub(super) const INLINE_TAGS: &[&[u8]] = &[
    b"a", b"b", b"br", b"cite", b"code", b"em", b"i", b"img", b"kbd", b"mark", b"s", b"small",
    b"span", b"strong", b"sub", b"sup", b"u",
];

/// Whether `line` (from its `<`, to the end of the line) is paragraph text: its tag is one of
/// [`INLINE_TAGS`] and, in a `fresh` context, the line is not an HTML block of kind 7, a
/// complete open or closing tag alone on its line. The tag grammar is pulldown-cmark's
/// (`scan_html_block_inner` without a newline handler: the tag must end on its line).
pub(super) fn inline_tag_start(line: &[u8], fresh: bool) -> bool {
    let close = usize::from(line.get(1) == Some(&b'/'));
    let name_start = 1 + close;
    let name_len = line[name_start..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    if !INLINE_TAGS.contains(&&line[name_start..name_start + name_len]) {
        return false;
    }
    if !fresh {
        return true;
    }
    match html_tag_end(line, close == 1) {
        // A complete tag: a block when only whitespace follows it.
        Some(i) => !line[i..]
            .iter()
            .all(|c| matches!(c, b' ' | b'\t' | 0x0b | 0x0c)),
        None => true,
    }
}

/// The end of the HTML tag at the start of `line` (after its `>`), if the line holds a complete
/// one: pulldown-cmark's `scan_html_block_inner`, where reaching the end of the line fails.
pub(super) fn html_tag_end(line: &[u8], close: bool) -> Option<usize> {
    let ws_no_nl = |c: &u8| matches!(c, b' ' | b'\t' | 0x0b | 0x0c);
    let skip_ws = |i: usize| i + line[i..].iter().take_while(|c| ws_no_nl(c)).count();
    let mut i = 1 + usize::from(close);
    let name = line[i..]
        .iter()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    if name == 0 {
        return None;
    }
    i += name;
    i += line[i..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
        .count();
    if !close {
        loop {
            let old = i;
            i = skip_ws(i);
            if i >= line.len() {
                return None;
            }
            if matches!(line[i], b'/' | b'>') {
                break;
            }
            if old == i {
                return None;
            }
            // An attribute: a name, then optionally `=` and a value.
            let c = line[i];
            if !(c.is_ascii_alphabetic() || c == b'_' || c == b':') {
                return None;
            }
            i += 1;
            i += line[i..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b':' | b'-'))
                .count();
            let after_name = i;
            let j = skip_ws(i);
            if j >= line.len() {
                return None;
            }
            if line[j] != b'=' {
                i = after_name;
                continue;
            }
            let j = skip_ws(j + 1);
            match *line.get(j)? {
                q @ (b'"' | b'\'') => {
                    i = j + 1 + memchr::memchr(q, &line[j + 1..])? + 1;
                }
                b' ' | b'=' | b'>' | b'<' | b'`' => return None,
                _ => {
                    i = j + line[j..]
                        .iter()
                        .take_while(|c| {
                            !matches!(c, b'\'' | b'"' | b' ' | b'=' | b'>' | b'<' | b'`')
                        })
                        .count();
                }
            }
        }
    }
    i = skip_ws(i);
    if !close && line.get(i) == Some(&b'/') {
        i += 1;
    }
    (line.get(i) == Some(&b'>')).then_some(i + 1)
}

/// `***`, `- - -`, `___`: three or more of `c`, spaces allowed between.
pub(super) fn is_thematic_break(line: &[u8], c: u8) -> bool {
    let mut count = 0;
    for &x in line {
        if x == c {
            count += 1;
        } else if x != b' ' {
            return false;
        }
    }
    count >= 3
}

/// A setext underline: a run of `c`, then only spaces.
pub(super) fn is_underline(line: &[u8], c: u8) -> bool {
    let run = line.iter().take_while(|x| **x == c).count();
    run > 0 && is_blank(&line[run..])
}
