//! Links to notes: wiki-links (`[[target]]`, `[[target|alias]]`, `[[target#Heading | alias]]`,
//! embeds `![[target]]`, and `[[target\|alias]]` inside tables), found by a raw scan of the text
//! outside code and comments, since CommonMark does not know them; and, in [`super::md_links`],
//! Markdown links to notes and wiki-links in frontmatter properties. One list holds all three
//! kinds, so every rule, rename and backlink treats them alike.

use std::borrow::Cow;
use std::ops::Range;

use super::Excluded;

/// How a link is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `[[target#fragment|alias]]` in the body.
    Wiki,
    /// `[text](Note%20name.md#Heading)`, or with the destination in `<…>` (`angled`): its
    /// target and fragment are read percent-decoded, and written percent-encoded unless angled.
    Markdown { angled: bool },
    /// `"[[target]]"`, a quoted wiki-link as a frontmatter property's value or list item.
    Property,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WikiLink {
    pub kind: LinkKind,
    /// From `[[` (or the `!` of an embed) to the end of `]]`; for a Markdown link from `[` (or
    /// `!`) to the closing `)`.
    pub range: Range<usize>,
    pub embed: bool,
    /// The target path, trimmed; empty for `[[#Heading]]` (a heading of the same note). As
    /// written: read it with [`WikiLink::read`].
    pub target: Range<usize>,
    /// After `#`, trimmed.
    pub fragment: Option<Range<usize>>,
    /// After `|`, trimmed; a Markdown link's text.
    pub alias: Option<Range<usize>>,
    /// The alias pipe is written `\|` (inside a table).
    pub escaped_pipe: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkProblem {
    /// `[[` with no `]]` before the end of the line.
    Unclosed,
    /// `[[` whose `]]` only comes on a later line.
    Newline,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalformedLink {
    pub range: Range<usize>,
    pub problem: LinkProblem,
}

pub(crate) fn scan(
    text: &str,
    body: Range<usize>,
    excluded: &Excluded,
    links: &mut Vec<WikiLink>,
    malformed: &mut Vec<MalformedLink>,
) {
    let bytes = text.as_bytes();
    let finder = memchr::memmem::Finder::new(b"[[");
    let mut pos = body.start;
    while pos < body.end {
        let Some(found) = finder.find(&bytes[pos..body.end]) else {
            break;
        };
        let open = pos + found;
        if let Some(skip_to) = excluded.containing(open) {
            pos = skip_to.max(open + 1);
            continue;
        }
        // Skip over runs like `[[[`: the link opens at the last two brackets.
        let mut open = open;
        while bytes.get(open + 2) == Some(&b'[') {
            open += 1;
        }
        let inner_start = open + 2;
        let (end, stop) = match link_end(bytes, inner_start, body.end) {
            LinkEnd::Close(close) => (Some(close), None),
            LinkEnd::Stop(at) => (None, Some((at, LinkProblem::Unclosed))),
            LinkEnd::None => (None, None),
        };
        let start = if open > 0 && bytes[open - 1] == b'!' {
            open - 1
        } else {
            open
        };
        match end {
            Some(close) => {
                links.push(split(text, start, open, inner_start..close));
                pos = close + 2;
            }
            None => {
                let (line_end, _) = stop.unwrap_or((body.end, LinkProblem::Unclosed));
                // `[[tag] Title](url)`: a Markdown link whose text starts with `[`.
                let rest = &bytes[inner_start..line_end];
                let first_close = memchr::memchr(b']', rest);
                let markdown_link = first_close.is_some_and(|c| {
                    rest.get(c + 1) != Some(&b'(')
                        && memchr::memmem::find(&rest[c..], b"](").is_some()
                });
                if markdown_link {
                    pos = inner_start;
                    continue;
                }
                let problem = if closes_on_later_line(bytes, line_end, body.end) {
                    LinkProblem::Newline
                } else {
                    LinkProblem::Unclosed
                };
                malformed.push(MalformedLink {
                    range: start..line_end.max(inner_start).min(body.end),
                    problem,
                });
                pos = inner_start;
            }
        }
    }
}

/// How the text after a `[[` goes on.
#[derive(Debug, PartialEq, Eq)]
enum LinkEnd {
    /// At the `]]` that closes the link.
    Close(usize),
    /// At a line end or at another `[[`, which come before any `]]`.
    Stop(usize),
    /// Before `end`, nothing of these.
    None,
}

/// The first `]]`, line end or `[[` in `bytes[from..end]` (the second bracket may lie at `end`).
/// Jumps with memchr from bracket to bracket and to `\n`; a `\r` is looked for only before what
/// was found, since it is rare.
fn link_end(bytes: &[u8], from: usize, end: usize) -> LinkEnd {
    let mut i = from;
    let found = loop {
        let Some(off) = memchr::memchr3(b']', b'[', b'\n', &bytes[i..end]) else {
            break LinkEnd::None;
        };
        let at = i + off;
        match bytes[at] {
            b'\n' => break LinkEnd::Stop(at),
            c if bytes.get(at + 1) == Some(&c) => {
                break if c == b']' {
                    LinkEnd::Close(at)
                } else {
                    LinkEnd::Stop(at)
                };
            }
            _ => i = at + 1,
        }
    };
    let upto = match found {
        LinkEnd::Close(at) | LinkEnd::Stop(at) => at,
        LinkEnd::None => end,
    };
    match memchr::memchr(b'\r', &bytes[from..upto]) {
        Some(cr) => LinkEnd::Stop(from + cr),
        None => found,
    }
}

/// The wiki-link scan alone over a parsed note's body, outside its excluded ranges: for the
/// `phase_timing` example, not part of the API.
#[doc(hidden)]
pub fn scan_for_timing(text: &str, note: &super::Note) -> (Vec<WikiLink>, Vec<MalformedLink>) {
    let excluded = Excluded {
        ranges: note.excluded.clone(),
    };
    let (mut links, mut malformed) = (Vec::new(), Vec::new());
    scan(
        text,
        note.body_start..text.len(),
        &excluded,
        &mut links,
        &mut malformed,
    );
    (links, malformed)
}

/// Whether a `]]` follows `from` (a line end) on a later line of the same paragraph, with no
/// `[[` before it. Bounded so an adversarial text stays linear.
fn closes_on_later_line(bytes: &[u8], from: usize, end: usize) -> bool {
    if from >= end || !matches!(bytes[from], b'\n' | b'\r') {
        return false;
    }
    let limit = end.min(from + 512);
    let mut i = from;
    let mut newlines = 0;
    while i < limit {
        match bytes[i] {
            b'\n' => {
                newlines += 1;
                if newlines > 1 && only_blank_since_line_start(bytes, i) {
                    return false;
                }
            }
            b']' if bytes.get(i + 1) == Some(&b']') => return true,
            b'[' if bytes.get(i + 1) == Some(&b'[') => return false,
            _ => {}
        }
        i += 1;
    }
    false
}

fn only_blank_since_line_start(bytes: &[u8], newline: usize) -> bool {
    let mut j = newline;
    while j > 0 {
        match bytes[j - 1] {
            b'\n' => return true,
            b' ' | b'\t' | b'\r' => j -= 1,
            _ => return false,
        }
    }
    true
}

pub(super) fn split(text: &str, start: usize, open: usize, inner: Range<usize>) -> WikiLink {
    let s = &text[inner.clone()];
    let (target_part, alias, escaped_pipe) = match memchr::memchr(b'|', s.as_bytes()) {
        Some(bar) => {
            let escaped = bar > 0 && s.as_bytes()[bar - 1] == b'\\';
            let target_end = if escaped { bar - 1 } else { bar };
            (
                inner.start..inner.start + target_end,
                Some(trim(text, inner.start + bar + 1..inner.end)),
                escaped,
            )
        }
        None => (inner.clone(), None, false),
    };
    let tp = &text[target_part.clone()];
    let (target, fragment) = match memchr::memchr(b'#', tp.as_bytes()) {
        Some(hash) => (
            trim(text, target_part.start..target_part.start + hash),
            Some(trim(text, target_part.start + hash + 1..target_part.end)),
        ),
        None => (trim(text, target_part), None),
    };
    WikiLink {
        kind: LinkKind::Wiki,
        range: start..inner.end + 2,
        embed: start < open,
        target,
        fragment,
        alias,
        escaped_pipe,
    }
}

impl WikiLink {
    /// The text of `range` (the link's target or fragment) as the apps read it: a Markdown
    /// link's percent-decoded (angled too: the apps decode the URL the link becomes).
    pub fn read<'t>(&self, text: &'t str, range: &Range<usize>) -> Cow<'t, str> {
        let raw = text.get(range.clone()).unwrap_or("");
        match self.kind {
            LinkKind::Markdown { .. } => percent_decode(raw),
            _ => Cow::Borrowed(raw),
        }
    }

    /// `s` (a target or fragment) as it must be written in this link: percent-encoded in a
    /// Markdown link whose destination is not angled.
    pub fn write<'s>(&self, s: &'s str) -> Cow<'s, str> {
        match self.kind {
            LinkKind::Markdown { angled: false } => percent_encode(s),
            _ => Cow::Borrowed(s),
        }
    }

    /// Whether the link is written as a wiki-link (in the body or in a property).
    pub fn is_wiki(&self) -> bool {
        !matches!(self.kind, LinkKind::Markdown { .. })
    }
}

/// `%XX` sequences decoded as UTF-8 (as `decodeURI` does, which Obsidian and Quartz apply to a
/// Markdown link's destination); the text as it is when the bytes are not UTF-8.
pub fn percent_decode(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_or(Cow::Borrowed(s), Cow::Owned)
}

/// `s` with the characters a Markdown link destination cannot hold as they are (spaces,
/// brackets, parentheses, `%`, `|`, `\`) percent-encoded, as Obsidian writes them. `#` and `^`
/// stay: they separate a fragment's levels and mark a block id.
pub fn percent_encode(s: &str) -> Cow<'_, str> {
    let special = |c: char| {
        c.is_ascii_whitespace()
            || c.is_ascii_control()
            || matches!(c, '%' | '|' | '\\' | '<' | '>' | '(' | ')' | '[' | ']')
    };
    if !s.contains(special) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if special(c) {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Shrinks `range` to exclude surrounding whitespace.
pub(crate) fn trim(text: &str, range: Range<usize>) -> Range<usize> {
    let s = &text[range.clone()];
    let lead = s.len() - s.trim_start().len();
    if lead == s.len() {
        return range.start..range.start;
    }
    let trail = s.len() - s.trim_end().len();
    range.start + lead..range.end - trail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_drops_unicode_whitespace_too() {
        for (s, want) in [
            ("  a b ", 2..5),
            ("\u{a0}a\u{3000}", 2..3),
            (" \t\r\n", 0..0),
            ("", 0..0),
            ("é", 0..2),
        ] {
            assert_eq!(trim(s, 0..s.len()), want, "{s:?}");
        }
    }

    /// The search after `[[` as it was, byte by byte: the reference for [`link_end`].
    fn link_end_reference(bytes: &[u8], from: usize, end: usize) -> LinkEnd {
        let mut i = from;
        while i < end {
            match bytes[i] {
                b']' if bytes.get(i + 1) == Some(&b']') => return LinkEnd::Close(i),
                b'\n' | b'\r' => return LinkEnd::Stop(i),
                b'[' if bytes.get(i + 1) == Some(&b'[') => return LinkEnd::Stop(i),
                _ => i += 1,
            }
        }
        LinkEnd::None
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 5000,
            ..proptest::prelude::ProptestConfig::default()
        })]

        #[test]
        fn link_end_equals_the_reference(
            text in "([\\[\\]\n\r|#!]|\\[\\[|\\]\\]|\r\n|a|é| ){0,40}",
            from in 0usize..40,
            short in 0usize..3,
        ) {
            let bytes = text.as_bytes();
            let end = bytes.len().saturating_sub(short);
            let from = from.min(end);
            proptest::prop_assert_eq!(
                link_end(bytes, from, end),
                link_end_reference(bytes, from, end)
            );
        }
    }

    /// After every `[[` of every corpus note (when the corpus is there): the same answer.
    #[test]
    fn link_end_equals_the_reference_on_the_corpus() {
        crate::test_corpus::for_each_corpus_note(|path, text| {
            let bytes = text.as_bytes();
            for open in memchr::memmem::find_iter(bytes, b"[[") {
                assert_eq!(
                    link_end(bytes, open + 2, bytes.len()),
                    link_end_reference(bytes, open + 2, bytes.len()),
                    "{path} at {open}"
                );
            }
        });
    }

    #[test]
    fn link_end_stops_at_the_first_of_close_newline_cr_and_open() {
        for (text, want) in [
            ("a]]", LinkEnd::Close(1)),
            ("a]b]]", LinkEnd::Close(3)),
            ("a\r]]", LinkEnd::Stop(1)),
            ("a\r\n]]", LinkEnd::Stop(1)),
            ("a\n\r]]", LinkEnd::Stop(1)),
            ("a]]\r", LinkEnd::Close(1)),
            ("a[b[[c]]", LinkEnd::Stop(3)),
            ("a[b]c", LinkEnd::None),
            ("a\rb", LinkEnd::Stop(1)),
            ("", LinkEnd::None),
        ] {
            let bytes = text.as_bytes();
            assert_eq!(link_end(bytes, 0, bytes.len()), want, "{text:?}");
            assert_eq!(link_end_reference(bytes, 0, bytes.len()), want, "{text:?}");
        }
        // A closing bracket that lies just past the end still closes, as before.
        assert_eq!(link_end(b"a]]", 0, 2), LinkEnd::Close(1));
        assert_eq!(link_end_reference(b"a]]", 0, 2), LinkEnd::Close(1));
    }
}
