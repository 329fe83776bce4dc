//! Links the apps see beside wiki-links: Markdown links to notes and files
//! (`[text](Note%20name.md#Heading)`, `[text](<Note name.md>)`, `![alt](chart.png)`), and
//! wiki-links as frontmatter property values (`related: "[[x]]"`, and list items of them).
//! Both go into the note's one list of links ([`WikiLink`], with their [`LinkKind`]).

use std::ops::Range;

use super::frontmatter::Frontmatter;
use super::links::{split, trim, LinkKind, WikiLink};
use super::Excluded;

/// How far back from a `](` the scan looks for the `[` that opens the link text.
const MAX_TEXT_LEN: usize = 1000;
/// The deepest nesting of parentheses in a destination (CommonMark's limit), and of brackets
/// in a link text: it also keeps the scans of a line of `](` linear, since each holds both.
const MAX_PAREN_DEPTH: usize = 32;

/// Markdown inline links in `body`, outside the excluded ranges and outside `wiki` (the note's
/// wiki-links, sorted) and not around one (a link never holds another), whose destination is not a URL (`scheme:` or `//host`) nor a fragment
/// of this note alone (`#Heading`). Reference links (`[text][ref]`) are not read.
pub(crate) fn scan_markdown(
    text: &str,
    body: Range<usize>,
    excluded: &Excluded,
    wiki: &[WikiLink],
    out: &mut Vec<WikiLink>,
) {
    let bytes = text.as_bytes();
    let in_wiki = |at: usize| {
        let i = wiki.partition_point(|l| l.range.start <= at);
        i > 0 && wiki[i - 1].range.contains(&at)
    };
    let mut pos = body.start;
    while let Some(found) = memchr::memmem::find(&bytes[pos..body.end], b"](") {
        let close = pos + found;
        pos = close + 2;
        if excluded.containing(close).is_some() || in_wiki(close) {
            continue;
        }
        let Some(open) = text_open(bytes, close, body.start) else {
            continue;
        };
        if in_wiki(open) || excluded.containing(open).is_some() {
            continue;
        }
        let Some((dest, end, angled)) = destination(bytes, close + 2, body.end) else {
            continue;
        };
        // `[text]([[note]])`: what the apps show is the wiki-link, not a link around it.
        let holds_wiki = wiki
            .get(wiki.partition_point(|l| l.range.start < open))
            .is_some_and(|l| l.range.start < end);
        if holds_wiki {
            continue;
        }
        let d = &text[dest.clone()];
        if d.is_empty() || d.starts_with('#') || is_url(d) {
            continue;
        }
        let embed = open > body.start && bytes[open - 1] == b'!';
        let (target, fragment) = match memchr::memchr(b'#', d.as_bytes()) {
            Some(h) => (
                dest.start..dest.start + h,
                Some(dest.start + h + 1..dest.end),
            ),
            None => (dest.clone(), None),
        };
        out.push(WikiLink {
            kind: LinkKind::Markdown { angled },
            range: if embed { open - 1 } else { open }..end,
            embed,
            target,
            fragment,
            alias: Some(trim(text, open + 1..close)),
            escaped_pipe: false,
        });
        pos = end;
    }
}

/// The `[` that opens the link text ending at the `]` at `close`: brackets nest, a `\` escapes
/// one, and a blank line ends the search. `None` when there is none, or it is escaped.
fn text_open(bytes: &[u8], close: usize, floor: usize) -> Option<usize> {
    let floor = floor.max(close.saturating_sub(MAX_TEXT_LEN));
    let mut depth = 0usize;
    let mut i = close;
    while i > floor {
        i -= 1;
        let escaped = i > floor && bytes[i - 1] == b'\\';
        match bytes[i] {
            // Past the nesting a destination may have, no link text: this also keeps the
            // scan of a line of `](` linear.
            b']' if !escaped && depth == MAX_PAREN_DEPTH => return None,
            b']' if !escaped => depth += 1,
            b'[' if !escaped => {
                if depth == 0 {
                    return Some(i);
                }
                depth -= 1;
            }
            b'[' => return None,
            b'\n' => {
                let mut j = i;
                while j > floor && matches!(bytes[j - 1], b' ' | b'\t' | b'\r') {
                    j -= 1;
                }
                if j == floor || bytes[j - 1] == b'\n' {
                    return None;
                }
            }
            _ => {}
        }
    }
    None
}

/// The destination of a link whose `(` ends before `from`: its range (without `<>`), the offset
/// after the closing `)`, and whether it is angled. An optional title (`"…"`, `'…'`, `(…)`) may
/// follow; everything stays on the line.
fn destination(bytes: &[u8], from: usize, end: usize) -> Option<(Range<usize>, usize, bool)> {
    let skip_blanks = |mut i: usize| {
        while i < end && matches!(bytes[i], b' ' | b'\t') {
            i += 1;
        }
        i
    };
    let start = skip_blanks(from);
    let (dest, angled, mut i) = if bytes.get(start) == Some(&b'<') {
        let rel = memchr::memchr3(b'>', b'<', b'\n', &bytes[start + 1..end])?;
        let close = start + 1 + rel;
        if bytes[close] != b'>' {
            return None;
        }
        (start + 1..close, true, close + 1)
    } else {
        let mut i = start;
        let mut depth = 0usize;
        while i < end {
            match bytes[i] {
                b'\\' if i + 1 < end => i += 1,
                b'(' if depth == MAX_PAREN_DEPTH => return None,
                b'(' => depth += 1,
                b')' if depth == 0 => break,
                b')' => depth -= 1,
                c if c <= b' ' || c == 0x7f => break,
                _ => {}
            }
            i += 1;
        }
        (start..i, false, i)
    };
    i = skip_blanks(i);
    if let Some(&q) = bytes.get(i).filter(|&&q| matches!(q, b'"' | b'\'' | b'(')) {
        if i == dest.end {
            return None; // a title needs a blank before it
        }
        // A `(…)` title holds no `(`: stopping there keeps a line of `](a (` linear.
        let (closer, stop) = if q == b'(' { (b')', b'(') } else { (q, b'\n') };
        let rel = memchr::memchr3(closer, b'\n', stop, &bytes[i + 1..end])?;
        if bytes[i + 1 + rel] != closer {
            return None;
        }
        i = skip_blanks(i + 2 + rel);
    }
    (bytes.get(i) == Some(&b')')).then(|| (trim_range(bytes, dest), i + 1, angled))
}

fn trim_range(bytes: &[u8], mut r: Range<usize>) -> Range<usize> {
    while r.start < r.end && bytes[r.start].is_ascii_whitespace() {
        r.start += 1;
    }
    while r.end > r.start && bytes[r.end - 1].is_ascii_whitespace() {
        r.end -= 1;
    }
    r
}

/// Whether a destination is a URL rather than a path: it opens with a scheme (`https:`,
/// `mailto:`, `obsidian:`; a letter, then letters, digits, `+`, `-`, `.`) or with `//`.
fn is_url(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    let b = dest.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    let scheme_len = b
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
        .count();
    b.get(scheme_len) == Some(&b':')
}

/// Keys whose values are not links though they may look like one: the note's own names and
/// wikistamp's settings.
const NOT_LINK_KEYS: &[&str] = &["title", "aliases", "alias", "wikistamp-disable"];

/// Wiki-links that are a whole quoted string of a frontmatter property (`key: "[[x]]"`,
/// `key: ['[[x]]', "[[y|z]]"]`, or `- "[[x]]"` under the key), as Obsidian reads them. Only
/// in a frontmatter that parses; an unquoted `[[x]]` is a YAML list, not a link.
pub(crate) fn scan_properties(text: &str, fm: &Frontmatter, out: &mut Vec<WikiLink>) {
    if !fm.terminated || fm.error.is_some() {
        return;
    }
    let bytes = text.as_bytes();
    for key in &fm.keys {
        if NOT_LINK_KEYS.contains(&key.name.as_str()) {
            continue;
        }
        let value = key.value.clone();
        let mut pos = value.start;
        while let Some(found) = memchr::memmem::find(&bytes[pos..value.end], b"[[") {
            let open = pos + found;
            pos = open + 2;
            let Some(&quote) = open.checked_sub(1).and_then(|q| bytes.get(q)) else {
                continue;
            };
            if !matches!(quote, b'"' | b'\'') {
                continue;
            }
            // The quote opens a string: at the value's start or after a blank, `[`, `,` or `-`.
            let opens = open - 1 == value.start
                || matches!(bytes[open - 2], b' ' | b'\t' | b'[' | b',' | b'-');
            let inner_start = open + 2;
            let Some(rel) = memchr::memmem::find(&bytes[inner_start..value.end], b"]]") else {
                break;
            };
            let close = inner_start + rel;
            let inner = &text[inner_start..close];
            // A double-quoted string with `\` holds escapes: its text is not what is written.
            let escapes = quote == b'"' && inner.contains('\\');
            let clean = !escapes && !inner.contains(['\n', '\r', '[', quote as char]);
            if opens && clean && bytes.get(close + 2) == Some(&quote) {
                let mut link = split(text, open, open, inner_start..close);
                link.kind = LinkKind::Property;
                out.push(link);
                pos = close + 2;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::syntax::{parse, LinkKind};

    /// Each link's (kind, target, fragment, text) as written.
    fn links(text: &str) -> Vec<(LinkKind, &str, Option<&str>, Option<&str>)> {
        parse(text)
            .links
            .iter()
            .map(|l| {
                (
                    l.kind,
                    &text[l.target.clone()],
                    l.fragment.clone().map(|f| &text[f]),
                    l.alias.clone().map(|a| &text[a]),
                )
            })
            .collect()
    }

    const MD: LinkKind = LinkKind::Markdown { angled: false };
    const ANGLED: LinkKind = LinkKind::Markdown { angled: true };

    #[test]
    fn markdown_links_to_notes_and_files_but_not_urls() {
        let text = "See [one](Note%20one.md), [two](<Note two.md#Part A>) and \
                    [three](sub/three \"title\").\n![chart](img/chart.png) [web](https://x.org/a) \
                    [mail](mailto:a@b.c) [here](#Heading) [proto](//cdn.x/y) [[wiki]] [e]()\n";
        assert_eq!(
            links(text),
            [
                (MD, "Note%20one.md", None, Some("one")),
                (ANGLED, "Note two.md", Some("Part A"), Some("two")),
                (MD, "sub/three", None, Some("three")),
                (MD, "img/chart.png", None, Some("chart")),
                (LinkKind::Wiki, "wiki", None, None),
            ]
        );
        let note = parse(text);
        assert!(note.links[3].embed && !note.links[0].embed);
        assert_eq!(
            &text[note.links[0].range.clone()],
            "[one](Note%20one.md)",
            "the range is the whole link"
        );
        assert_eq!(
            note.links[0].read(text, &note.links[0].target),
            "Note one.md"
        );
    }

    #[test]
    fn markdown_links_skip_code_citations_and_wiki_links() {
        let text = "`[a](code.md)` [[note]](b.md) [[tag] Title](c.md) \\[d](e.md) [x]([[w]])\n\n\
                    <a class=\"yt-timestamp\" data-t=\"00:00:01\">[00:00:01]</a>\n\n\
                    [x](<a class=\"yt-timestamp\" data-t=\"00:00:02\">[00:00:02]</a>)\n\n\
                    ```\n[f](g.md)\n```\n[t](00:01:19) [nest [in] text](h.md) [p](a_(b).md)\n";
        let got: Vec<_> = links(text).into_iter().map(|l| (l.0, l.1)).collect();
        assert_eq!(
            got,
            [
                (LinkKind::Wiki, "note"),
                (MD, "c.md"),
                (LinkKind::Wiki, "w"),
                (MD, "00:01:19"),
                (MD, "h.md"),
                (MD, "a_(b).md"),
            ]
        );
    }

    #[test]
    fn a_link_text_does_not_cross_a_blank_line() {
        assert!(links("[a\n\nb](c.md)\n").is_empty());
        assert_eq!(links("[a\nb](c.md)\n").len(), 1);
    }

    #[test]
    fn property_links_are_quoted_wiki_links() {
        let text = "---\ntitle: \"[[not a link]]\"\nrelated: \"[[One#Part|shown]]\"\n\
                    up: '[[Two]]'\nlist:\n  - \"[[Three]]\"\n  - plain\nflow: [\"[[Four]]\", '[[Five]]']\n\
                    bare: [[Six]]\ntext: \"see [[Seven]]\"\naliases: [\"[[Eight]]\"]\n---\n[[body]]\n";
        let got: Vec<_> = links(text)
            .into_iter()
            .map(|l| (l.0, l.1, l.2, l.3))
            .collect();
        let p = LinkKind::Property;
        assert_eq!(
            got,
            [
                (p, "One", Some("Part"), Some("shown")),
                (p, "Two", None, None),
                (p, "Three", None, None),
                (p, "Four", None, None),
                (p, "Five", None, None),
                (LinkKind::Wiki, "body", None, None),
            ]
        );
        // Broken YAML holds no property links.
        assert!(parse("---\nup: \"[[Two]]\"\nbad: [\n---\n")
            .links
            .is_empty());
    }

    #[test]
    fn hostile_lines_stay_linear() {
        for unit in ["](a (", "](", "](<", "[](a \"", "](a(", "[a]("] {
            let text = unit.repeat(200_000 / unit.len());
            let started = std::time::Instant::now();
            let _ = parse(&text);
            assert!(
                started.elapsed() < std::time::Duration::from_secs(5),
                "{unit:?}: {:?}",
                started.elapsed()
            );
        }
    }

    #[test]
    fn percent_coding_round_trips() {
        use crate::syntax::links::{percent_decode, percent_encode};
        assert_eq!(percent_decode("Note%20one%2Emd"), "Note one.md");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("Caf%C3%A9"), "Café");
        assert_eq!(percent_decode("%FF"), "%FF");
        let text = "[a](<A%20b.md>)\n";
        let l = &parse(text).links[0];
        assert_eq!(
            l.read(text, &l.target),
            "A b.md",
            "the apps decode an angled one too"
        );
        assert_eq!(l.write("C d"), "C d");
        assert_eq!(percent_encode("A (b) 100%.md"), "A%20%28b%29%20100%25.md");
        assert_eq!(percent_encode("Café#^id"), "Café#^id");
    }
}
