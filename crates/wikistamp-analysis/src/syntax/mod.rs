//! The note parser: bytes → [`Note`]. It never fails: whatever the text, it returns what it
//! found, with byte ranges into the original text (BOM and CRLF included), and records broken
//! constructs for the rules to report.
//!
//! CommonMark block structure comes from pulldown-cmark's offset iterator, so nothing inside
//! code blocks, code spans or comments counts. Wiki-links, citations and callout markers are
//! found by raw scans outside those ranges, since a Markdown parser skips their broken forms.

mod block_ids;
mod blocks;
pub mod callouts;
pub mod citations;
mod comments;
pub mod frontmatter;
pub mod links;
mod md_links;
mod structure;
pub mod suppressions;
pub mod time;

use std::ops::Range;

pub use block_ids::block_ids;
pub use callouts::{Callout, CalloutMarker, MarkerProblem};
pub use citations::Citation;
pub use frontmatter::{Frontmatter, FrontmatterError, FrontmatterKey, FrontmatterValue};
pub use links::{LinkKind, LinkProblem, MalformedLink, WikiLink};
pub use suppressions::{Suppression, SuppressionKind};
pub use time::{format_hms, parse_time, Time, TimeError, TimeForm};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    /// The heading's whole source (both lines of a setext heading).
    pub range: Range<usize>,
    /// The heading's text without `#` markers, trimmed.
    pub text: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    /// The text of a list item itself (in a tight list), without its nested blocks.
    ListItem,
    Table,
    CodeBlock,
    HtmlBlock,
}

/// A leaf block of the body, for rules that judge blocks (claims need a source).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// For a paragraph that opens a callout, the range starts after the callout's header line.
    pub range: Range<usize>,
    /// Number of enclosing blockquotes.
    pub quote_depth: usize,
    /// Inside a callout's body.
    pub in_callout: bool,
}

/// Everything the rules need to know about one note. Holds ranges, not text: pair it with the
/// text it was parsed from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Note {
    /// 3 when the text starts with a UTF-8 byte order mark, else 0.
    pub bom_len: usize,
    pub frontmatter: Option<Frontmatter>,
    /// Where the Markdown body starts (after the frontmatter).
    pub body_start: usize,
    pub headings: Vec<Heading>,
    pub blocks: Vec<Block>,
    /// Wiki-links, Markdown links to notes and files, and wiki-links in frontmatter
    /// properties, sorted by start.
    pub links: Vec<WikiLink>,
    pub malformed_links: Vec<MalformedLink>,
    pub citations: Vec<Citation>,
    pub callouts: Vec<Callout>,
    pub callout_markers: Vec<CalloutMarker>,
    pub suppressions: Vec<Suppression>,
    /// Code blocks, code spans, HTML and Obsidian comments: sorted, disjoint.
    pub excluded: Vec<Range<usize>>,
}

impl Note {
    pub fn video_id(&self) -> Option<&FrontmatterValue> {
        self.frontmatter.as_ref()?.video_id.as_ref()
    }
    pub fn title(&self) -> Option<&FrontmatterValue> {
        self.frontmatter.as_ref()?.title.as_ref()
    }
}

/// Sorted, disjoint ranges where nothing counts.
#[derive(Debug, Default)]
pub(crate) struct Excluded {
    ranges: Vec<Range<usize>>,
}

impl Excluded {
    fn from_unsorted(mut ranges: Vec<Range<usize>>) -> Self {
        ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.start < last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        Excluded { ranges: merged }
    }

    /// If `pos` lies in an excluded range, that range's end.
    pub(crate) fn containing(&self, pos: usize) -> Option<usize> {
        let i = self.ranges.partition_point(|r| r.end <= pos);
        self.ranges.get(i).filter(|r| r.start <= pos).map(|r| r.end)
    }
}

/// The frontmatter of a note, exactly as [`parse`] finds it (`parse(text).frontmatter`), without
/// parsing the body.
pub fn parse_frontmatter(text: &str) -> Option<Frontmatter> {
    let bom_len = if text.starts_with('\u{feff}') { 3 } else { 0 };
    frontmatter::parse(text, bom_len).0
}

/// The number of block events of a parsed note's body, for the `phase_timing` example, not part
/// of the API.
#[doc(hidden)]
pub fn block_events_for_timing(text: &str, note: &Note) -> usize {
    blocks::events(&text[note.body_start..]).len()
}

/// The block scanner's prescan alone, for the `phase_timing` example, not part of the API.
#[doc(hidden)]
pub fn prescan_for_timing(text: &str, note: &Note) -> usize {
    usize::from(blocks::prescan(&text.as_bytes()[note.body_start..]))
}
/// The block scanner alone (prescan included, no pulldown-cmark fallback), for the
/// `phase_timing` example, not part of the API.
#[doc(hidden)]
pub fn scan_for_timing(text: &str, note: &Note) -> usize {
    blocks::scan(&text[note.body_start..]).map_or(0, |v| v.len())
}

/// Parses a note. Never fails and never panics.
pub fn parse(text: &str) -> Note {
    let bom_len = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let (frontmatter, body_start) = frontmatter::parse(text, bom_len);
    let body = body_start..text.len();
    let mut note = Note {
        bom_len,
        frontmatter,
        body_start,
        ..Note::default()
    };

    let mut code_and_html = Vec::new();
    let mut comments = Vec::new();
    let mut quote_lines = Vec::new();
    let mut html_blocks = Vec::new();
    structure::block_pass(
        text,
        body_start,
        &mut note,
        &mut code_and_html,
        &mut comments,
        &mut quote_lines,
        &mut html_blocks,
    );

    // Obsidian comments `%%…%%`: outside code only; unclosed runs to the end.
    let code = Excluded::from_unsorted(code_and_html.clone());
    comments::scan_percent_comments(text, body.clone(), &code, &mut comments);
    // Most notes have no comments, many no code: sort and merge only what is there.
    let excluded = if comments.is_empty() {
        code
    } else {
        let comment_only = Excluded::from_unsorted(comments.clone());
        note.headings
            .retain(|h| comment_only.containing(h.range.start).is_none());
        note.blocks
            .retain(|b| comment_only.containing(b.range.start).is_none());
        note.callouts
            .retain(|c| comment_only.containing(c.range.start).is_none());
        if code_and_html.is_empty() {
            comment_only
        } else {
            let mut all = code_and_html;
            all.extend(comments.iter().cloned());
            Excluded::from_unsorted(all)
        }
    };

    citations::scan(text, body.clone(), &excluded, &mut note.citations);
    links::scan(
        text,
        body.clone(),
        &excluded,
        &mut note.links,
        &mut note.malformed_links,
    );
    let mut more = Vec::new();
    if let Some(fm) = &note.frontmatter {
        md_links::scan_properties(text, fm, &mut more);
    }
    md_links::scan_markdown(text, body.clone(), &excluded, &note.links, &mut more);
    if !more.is_empty() {
        note.links.extend(more);
        note.links.sort_by_key(|l| l.range.start);
    }
    // `[[00:01:02]]` as a citation's label is that citation's defect, not a link.
    if !note.citations.is_empty() {
        let cites = &note.citations;
        let inside_citation = |r: &Range<usize>| {
            let i = cites.partition_point(|c| c.range.end <= r.start);
            cites
                .get(i)
                .is_some_and(|c| c.range.start <= r.start && r.end <= c.range.end)
        };
        // `[[00:01:02]](<a …>)`: a time wrapped around a citation as a Markdown link's text is
        // the citation's defect (timestamp-malformed reports the wrapper), not a link. Only a
        // time: `[[podcast transcript]](<a …>)` is a link (followed by a citation in brackets).
        let wraps_citation = |l: &WikiLink| {
            let after = l.range.end + 1;
            let inner = text[l.range.clone()]
                .trim_start_matches('!')
                .strip_prefix("[[")
                .and_then(|t| t.strip_suffix("]]"));
            inner.is_some_and(citations::is_time_token)
                && text.as_bytes().get(l.range.end) == Some(&b'(')
                && cites
                    .binary_search_by_key(&after, |c| c.range.start)
                    .is_ok()
        };
        note.links
            .retain(|l| !inside_citation(&l.range) && !wraps_citation(l));
        note.malformed_links.retain(|l| !inside_citation(&l.range));
    }
    callouts::scan_callout_markers(
        text,
        body.clone(),
        &excluded,
        &quote_lines,
        &html_blocks,
        &mut note,
    );

    for c in &comments {
        if text[c.clone()].starts_with("<!--") {
            if let Some(s) = suppressions::parse_comment(text, c.clone()) {
                note.suppressions.push(s);
            }
        }
    }
    note.excluded = excluded.ranges;
    note
}

pub(crate) fn line_start(bytes: &[u8], pos: usize) -> usize {
    let mut i = pos.min(bytes.len());
    while i > 0 && bytes[i - 1] != b'\n' && bytes[i - 1] != b'\r' {
        i -= 1;
    }
    i
}

pub(crate) fn line_end(bytes: &[u8], pos: usize) -> usize {
    pos + memchr::memchr2(b'\n', b'\r', &bytes[pos..]).unwrap_or(bytes.len() - pos)
}

pub(crate) fn next_line_start(bytes: &[u8], pos: usize) -> usize {
    let end = line_end(bytes, pos);
    match bytes.get(end) {
        Some(b'\r') if bytes.get(end + 1) == Some(&b'\n') => end + 2,
        Some(_) => end + 1,
        None => end,
    }
}

#[cfg(test)]
mod tests;
