//! The note parser: bytes → [`Note`]. It never fails: whatever the text, it returns what it
//! found, with byte ranges into the original text (BOM and CRLF included), and records broken
//! constructs for the rules to report.
//!
//! CommonMark block structure comes from pulldown-cmark's offset iterator, so nothing inside
//! code blocks, code spans or comments counts. Wiki-links, citations and callout markers are
//! found by raw scans outside those ranges, since a Markdown parser skips their broken forms.

mod blocks;
pub mod callouts;
pub mod citations;
pub mod frontmatter;
pub mod links;
pub mod suppressions;
pub mod time;

use std::ops::Range;

use blocks::{BlockEvent, BlockTag};

pub use callouts::{Callout, CalloutMarker, MarkerProblem};
pub use citations::Citation;
pub use frontmatter::{Frontmatter, FrontmatterError, FrontmatterKey, FrontmatterValue};
pub use links::{LinkProblem, MalformedLink, WikiLink};
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
    let mut events = Vec::new();
    blocks::events_into(&text[note.body_start..], &mut events);
    events.iter().filter(|e| !blocks::is_dropped(e)).count()
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
    note.blocks = take_scratch(&BLOCKS);
    let hints = block_pass(
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
    scan_percent_comments(
        text,
        body_start + hints.percent_pair..body.end,
        &code,
        &mut comments,
    );
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

    // Into a reused buffer, then one allocation of the right size.
    note.citations = with_scratch(&CITATIONS, |found| {
        citations::scan(text, body.clone(), &excluded, found);
        let mut exact = Vec::with_capacity(found.len());
        exact.append(found);
        exact
    });
    note.blocks = exact_from_scratch(&BLOCKS, std::mem::take(&mut note.blocks));
    note.links = take_scratch(&LINKS);
    links::scan(
        text,
        body.clone(),
        &excluded,
        &mut note.links,
        &mut note.malformed_links,
    );
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
    note.links = exact_from_scratch(&LINKS, std::mem::take(&mut note.links));
    scan_callout_markers(
        text,
        body_start + hints.marker..body.end,
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

/// Per-thread buffers reused from note to note: what one parse needs only while it runs.
const SCRATCH_KEEP: usize = 1 << 14;

thread_local! {
    static EVENTS: std::cell::RefCell<Vec<BlockEvent>> = const { std::cell::RefCell::new(Vec::new()) };
    static CITATIONS: std::cell::RefCell<Vec<Citation>> = const { std::cell::RefCell::new(Vec::new()) };
    static BLOCKS: std::cell::RefCell<Vec<Block>> = const { std::cell::RefCell::new(Vec::new()) };
    static LINKS: std::cell::RefCell<Vec<WikiLink>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The thread's buffer `key`, moved out (empty) for a parse to fill; give it back with
/// [`exact_from_scratch`].
fn take_scratch<T>(key: &'static std::thread::LocalKey<std::cell::RefCell<Vec<T>>>) -> Vec<T> {
    key.with_borrow_mut(std::mem::take)
}

/// `filled`'s elements in a vector of exactly their number; `filled` goes back to the thread as
/// its buffer `key` (unless grown past [`SCRATCH_KEEP`]).
fn exact_from_scratch<T>(
    key: &'static std::thread::LocalKey<std::cell::RefCell<Vec<T>>>,
    mut filled: Vec<T>,
) -> Vec<T> {
    let mut exact = Vec::with_capacity(filled.len());
    exact.append(&mut filled);
    if filled.capacity() <= SCRATCH_KEEP {
        key.with_borrow_mut(|v| *v = filled);
    }
    exact
}

/// Runs `f` with the thread's empty buffer `key`; a buffer grown past [`SCRATCH_KEEP`]
/// elements (a huge note) is freed afterwards rather than kept.
fn with_scratch<T, R>(
    key: &'static std::thread::LocalKey<std::cell::RefCell<Vec<T>>>,
    f: impl FnOnce(&mut Vec<T>) -> R,
) -> R {
    key.with_borrow_mut(|v| {
        v.clear();
        let r = f(v);
        if v.capacity() > SCRATCH_KEEP {
            *v = Vec::new();
        } else {
            v.clear();
        }
        r
    })
}

struct QuoteFrame {
    is_callout: bool,
}

struct ItemFrame {
    start: usize,
    has_paragraph: bool,
    first_child: Option<usize>,
    depth: usize,
}

fn block_pass(
    text: &str,
    body_start: usize,
    note: &mut Note,
    code_and_html: &mut Vec<Range<usize>>,
    comments: &mut Vec<Range<usize>>,
    quote_lines: &mut Vec<usize>,
    html_blocks: &mut Vec<Range<usize>>,
) -> blocks::Hints {
    let body = &text[body_start..];
    let mut quotes: Vec<QuoteFrame> = Vec::new();
    // (offset of the last blockquote start, start of its line)
    let mut quote_memo: (usize, usize) = (0, 0);
    let mut items: Vec<ItemFrame> = Vec::new();
    let mut depth = 0usize; // block nesting depth, to tell an item's direct children
    let mut table_depth = 0usize;
    let bytes = text.as_bytes();

    let hints = with_scratch(&EVENTS, |events| {
        let hints = blocks::events_into(body, events);
        for event in events.iter() {
            match event {
                BlockEvent::Start(tag, r) => {
                    let tag = *tag;
                    let range = r.start + body_start..r.end + body_start;
                    if let Some(item) = items.last_mut() {
                        if depth == item.depth {
                            if tag == BlockTag::Paragraph {
                                item.has_paragraph = true;
                            } else if item.first_child.is_none() {
                                item.first_child = Some(range.start);
                            }
                        }
                    }
                    depth += 1;
                    match tag {
                        BlockTag::CodeBlock => code_and_html.push(range),
                        BlockTag::HtmlBlock => {
                            html_comments(text, range.clone(), comments);
                            html_blocks.push(range);
                        }
                        BlockTag::Heading(level) => {
                            note.headings.push(heading(text, level, range));
                        }
                        BlockTag::BlockQuote => {
                            // From the previous quote's line start: 20,000 quotes nested on one
                            // line made a scan back to the line start per quote quadratic.
                            let line = match quote_memo {
                                (pos, start) if pos <= range.start => {
                                    memchr::memrchr2(b'\n', b'\r', &bytes[pos..range.start])
                                        .map_or(start, |i| pos + i + 1)
                                }
                                _ => line_start(bytes, range.start),
                            };
                            quote_memo = (range.start, line);
                            quote_lines.push(line);
                            let is_callout = callout_at(text, range.start, note);
                            quotes.push(QuoteFrame { is_callout });
                        }
                        BlockTag::Item => items.push(ItemFrame {
                            start: range.start,
                            has_paragraph: false,
                            first_child: None,
                            depth,
                        }),
                        BlockTag::Paragraph if table_depth == 0 => {
                            let mut start = range.start;
                            // A paragraph that opens a callout: its first line is the header.
                            if let Some(c) = note.callouts.last() {
                                if c.range.start >= line_start(bytes, start)
                                    && c.range.start < range.end
                                {
                                    start = next_line_start(bytes, c.range.end).min(range.end);
                                }
                            }
                            if start < range.end {
                                note.blocks.push(block(
                                    BlockKind::Paragraph,
                                    start..range.end,
                                    &quotes,
                                ));
                            }
                        }
                        BlockTag::Table => {
                            table_depth += 1;
                            note.blocks.push(block(BlockKind::Table, range, &quotes));
                        }
                        _ => {}
                    }
                }
                BlockEvent::End(tag, r) => {
                    let tag = *tag;
                    let range = r.start + body_start..r.end + body_start;
                    depth = depth.saturating_sub(1);
                    match tag {
                        BlockTag::BlockQuote => {
                            quotes.pop();
                        }
                        BlockTag::Table => table_depth = table_depth.saturating_sub(1),
                        BlockTag::Item => {
                            if let Some(item) = items.pop() {
                                if !item.has_paragraph {
                                    let end = item.first_child.unwrap_or(range.end).min(range.end);
                                    let start = item.start;
                                    if start < end {
                                        note.blocks.push(block(
                                            BlockKind::ListItem,
                                            start..end,
                                            &quotes,
                                        ));
                                    }
                                }
                            }
                        }
                        _ => {}
                    }
                }
                BlockEvent::Code(_) if blocks::is_dropped(event) => {}
                BlockEvent::Code(r) => code_and_html.push(r.start + body_start..r.end + body_start),
                // Comments in HTML blocks were found at the block's start.
                BlockEvent::Comment(r) => comments.push(r.start + body_start..r.end + body_start),
            }
        }
        hints
    });
    // Blocks come out in document order except list items (pushed at their end).
    note.blocks.sort_by_key(|b| b.range.start);
    hints
}

fn block(kind: BlockKind, range: Range<usize>, quotes: &[QuoteFrame]) -> Block {
    Block {
        kind,
        range,
        quote_depth: quotes.len(),
        in_callout: quotes.iter().any(|q| q.is_callout),
    }
}

fn heading(text: &str, level: u8, range: Range<usize>) -> Heading {
    let bytes = text.as_bytes();
    let first_line_end = range.start
        + memchr::memchr2(b'\n', b'\r', &bytes[range.start..range.end]).unwrap_or(range.len());
    let line = &text[range.start..first_line_end];
    let trimmed = links::trim_start(line);
    let text_range = if trimmed.starts_with('#') {
        let start = range.start + (line.len() - trimmed.len());
        let hashes = trimmed.bytes().take_while(|b| *b == b'#').count();
        let mut content = start + hashes..first_line_end;
        // A closing sequence of `#` preceded by a space is not part of the text.
        let s = &text[content.clone()];
        let s_trimmed = links::trim_end(s);
        // `#` is ASCII: no UTF-8 sequence holds its byte.
        let hashes_at_end = s_trimmed.bytes().rev().take_while(|b| *b == b'#').count();
        let without = &s_trimmed[..s_trimmed.len() - hashes_at_end];
        if without.len() < s_trimmed.len() && (without.is_empty() || without.ends_with([' ', '\t']))
        {
            content.end = content.start + without.len();
        }
        links::trim(text, content)
    } else {
        links::trim(text, range.start..first_line_end)
    };
    Heading {
        level,
        range,
        text: text_range,
    }
}

fn line_start(bytes: &[u8], pos: usize) -> usize {
    let mut i = pos.min(bytes.len());
    while i > 0 && bytes[i - 1] != b'\n' && bytes[i - 1] != b'\r' {
        i -= 1;
    }
    i
}

fn line_end(bytes: &[u8], pos: usize) -> usize {
    pos + memchr::memchr2(b'\n', b'\r', &bytes[pos..]).unwrap_or(bytes.len() - pos)
}

fn next_line_start(bytes: &[u8], pos: usize) -> usize {
    let end = line_end(bytes, pos);
    match bytes.get(end) {
        Some(b'\r') if bytes.get(end + 1) == Some(&b'\n') => end + 2,
        Some(_) => end + 1,
        None => end,
    }
}

/// At a blockquote's start: records its header if its first line is a valid callout.
fn callout_at(text: &str, quote_start: usize, note: &mut Note) -> bool {
    let bytes = text.as_bytes();
    // Only the innermost quote of a line can open a callout: skip the `>` and blanks after it;
    // another `>` means a nested quote, whose own start event comes next. Checking this first
    // keeps deeply nested quotes linear.
    let mut content = quote_start + 1;
    while content < bytes.len() && (bytes[content] == b' ' || bytes[content] == b'\t') {
        content += 1;
    }
    if !bytes[content.min(bytes.len())..].starts_with(b"[!") {
        return false;
    }
    let end = line_end(bytes, content);
    let line = line_start(bytes, quote_start);
    let depth = bytes[line..quote_start + 1]
        .iter()
        .filter(|b| **b == b'>')
        .count();
    match callouts::parse_header(text, content, end, depth) {
        Ok(c) => {
            note.callouts.push(c);
            true
        }
        Err(_) => false,
    }
}

fn html_comments(text: &str, block: Range<usize>, comments: &mut Vec<Range<usize>>) {
    let bytes = &text.as_bytes()[..block.end];
    let mut pos = block.start;
    while let Some(i) = memchr::memmem::find(&bytes[pos..], b"<!--") {
        let start = pos + i;
        let end = memchr::memmem::find(&bytes[start + 4..], b"-->")
            .map(|j| start + 4 + j + 3)
            .unwrap_or(block.end);
        comments.push(start..end);
        pos = end;
    }
}

fn scan_percent_comments(
    text: &str,
    body: Range<usize>,
    code: &Excluded,
    out: &mut Vec<Range<usize>>,
) {
    let bytes = text.as_bytes();
    let mut pos = body.start;
    while let Some(start) = find_percent_pair(bytes, pos, body.end) {
        if let Some(end) = code.containing(start) {
            pos = end.max(start + 1);
            continue;
        }
        let mut search = start + 2;
        let end = loop {
            match find_percent_pair(bytes, search, body.end) {
                Some(at) => {
                    if let Some(code_end) = code.containing(at) {
                        search = code_end.max(at + 1);
                        continue;
                    }
                    break at + 2;
                }
                None => break body.end,
            }
        };
        out.push(start..end);
        pos = end;
    }
}

/// The first `%%` in `bytes[from..to]`, by its first `%` (a rare byte).
fn find_percent_pair(bytes: &[u8], mut from: usize, to: usize) -> Option<usize> {
    while let Some(i) = memchr::memchr(b'%', &bytes[from..to]) {
        let at = from + i;
        if at + 1 < to && bytes[at + 1] == b'%' {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The first `[!` in `bytes[from..to]`, by its `!` (a rare byte).
fn find_marker_start(bytes: &[u8], from: usize, to: usize) -> Option<usize> {
    let mut pos = from + 1;
    while pos < to {
        let at = pos + memchr::memchr(b'!', &bytes[pos..to])?;
        if bytes[at - 1] == b'[' {
            return Some(at - 1);
        }
        pos = at + 1;
    }
    None
}

/// Line scan for callout markers that will not render: `[!NOTE]` with no `>`, in a heading,
/// hidden by emphasis, unclosed, with an invalid type, or not on a blockquote's first line.
fn scan_callout_markers(
    text: &str,
    body: Range<usize>,
    excluded: &Excluded,
    quote_lines: &[usize],
    html_blocks: &[Range<usize>],
    note: &mut Note,
) {
    let bytes = text.as_bytes();
    let mut pos = body.start;
    // Only lines that contain `[!` can hold a marker: jump from one to the next. Found by
    // their `!`, a rare byte (a memmem searcher per note cost more than the search).
    while let Some(hit) = find_marker_start(bytes, pos, body.end) {
        let line = line_start(bytes, hit);
        let end = line_end(bytes, hit);
        pos = end.max(hit + 2);
        let prefix = callouts::line_prefix(bytes, line, end);
        let Some((marker_at, mut problem)) = callouts::hidden_marker(bytes, prefix.content, end)
        else {
            continue;
        };
        if excluded.containing(marker_at).is_some() {
            continue;
        }
        let in_html = {
            let i = html_blocks.partition_point(|r| r.end <= marker_at);
            html_blocks.get(i).is_some_and(|r| r.start <= marker_at)
        };
        if in_html {
            // Raw HTML: no blockquote, no callout, whatever the line looks like.
            if bytes
                .get(marker_at + 2)
                .is_some_and(|c| c.is_ascii_alphabetic())
            {
                let marker_end =
                    memchr::memchr(b']', &bytes[marker_at..end]).map_or(end, |j| marker_at + j + 1);
                note.callout_markers.push(CalloutMarker {
                    line: prefix.content..end,
                    marker: marker_at..marker_end,
                    problem: MarkerProblem::InHtml,
                    quote_depth: prefix.quote_depth,
                });
            }
            continue;
        }
        if problem == MarkerProblem::NoQuote && prefix.quote_depth > 0 {
            if quote_lines.binary_search(&line).is_err() {
                problem = MarkerProblem::NotFirstLine;
            } else {
                match callouts::parse_header(text, marker_at, end, prefix.quote_depth) {
                    Ok(_) => continue,
                    Err(p) => problem = p,
                }
            }
        } else if problem == MarkerProblem::NoQuote {
            // Outside a quote, an otherwise valid marker is only missing its `>`; report an
            // invalid type or a missing bracket first, as that is what the reader must fix.
            if let Err(p) = callouts::parse_header(text, marker_at, end, 0) {
                if p == MarkerProblem::Unclosed || p == MarkerProblem::InvalidType {
                    // Obsidian prose like `[!]` or `[!1]` is not meant as a callout.
                    if !bytes
                        .get(marker_at + 2)
                        .is_some_and(|c| c.is_ascii_alphabetic())
                    {
                        continue;
                    }
                    problem = p;
                }
            }
        }
        let marker_end =
            memchr::memchr(b']', &bytes[marker_at..end]).map_or(end, |j| marker_at + j + 1);
        note.callout_markers.push(CalloutMarker {
            line: prefix.content..end,
            marker: marker_at..marker_end,
            problem,
            quote_depth: prefix.quote_depth,
        });
    }
}

#[cfg(test)]
mod tests;
