//! Callouts: a blockquote whose first line is `[!type]`, optional fold `+`/`-`, optional title.
//!
//! Quartz recognises a callout by `^\[!([\w-]+)(\|meta)?\]([+-]?)` on the blockquote's first
//! line. Every other line that starts with a callout marker does not render as one; the
//! line scan records those as [`CalloutMarker`]s for `callout-malformed`.

use std::ops::Range;

use super::{line_end, line_start, Excluded, Note};

/// Obsidian's callout types with their aliases, lowercase. Types compare case-insensitively.
pub const OBSIDIAN_TYPES: &[&str] = &[
    "note",
    "abstract",
    "summary",
    "tldr",
    "info",
    "todo",
    "tip",
    "hint",
    "important",
    "success",
    "check",
    "done",
    "question",
    "help",
    "faq",
    "warning",
    "caution",
    "attention",
    "failure",
    "fail",
    "missing",
    "danger",
    "error",
    "bug",
    "example",
    "quote",
    "cite",
];

/// Whether `kind` is made of Quartz's `[\w-]` alone (ASCII letters, digits, `_`, `-`): not
/// `[!提示]` nor `[!Café]`.
pub fn is_ascii_type(kind: &str) -> bool {
    kind.bytes()
        .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
}

/// Whether `kind` is one of Obsidian's types or aliases (case-insensitively).
pub fn is_obsidian_type(kind: &str) -> bool {
    OBSIDIAN_TYPES.iter().any(|t| t.eq_ignore_ascii_case(kind))
}

/// A well-formed callout header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callout {
    /// From `[!` to the end of the header line.
    pub range: Range<usize>,
    /// The type, e.g. `NOTE` in `[!NOTE]`.
    pub kind: Range<usize>,
    /// The part after `|` inside the brackets.
    pub meta: Option<Range<usize>>,
    /// `+` or `-`.
    pub fold: Option<char>,
    /// The title after the marker, trimmed; `None` when there is none.
    pub title: Option<Range<usize>>,
    /// Number of `>` before the marker.
    pub quote_depth: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerProblem {
    /// `[!NOTE]` on a line that is not in a blockquote.
    NoQuote,
    /// `### [!info] Title`: a heading, not a blockquote.
    InHeading,
    /// `> **[!info] Title**`: the emphasis hides the marker.
    Emphasized,
    /// `> [!NOTE`: no closing bracket.
    Unclosed,
    /// `[!PRO TIP]`: characters other than letters, digits, `_` and `-` in the type.
    InvalidType,
    /// The marker is on a later line of a blockquote, not its first.
    NotFirstLine,
    /// Inside an HTML block (`<div class="callout">`): Markdown is not parsed there.
    InHtml,
}

/// A callout marker that will not render as a callout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalloutMarker {
    /// The whole line's content from its first non-blank character.
    pub line: Range<usize>,
    /// From `[!` to the end of the bracket (or of the line, when unclosed).
    pub marker: Range<usize>,
    pub problem: MarkerProblem,
    /// Number of `>` before the marker.
    pub quote_depth: usize,
}

/// The `%%` comment scan over a parsed note's body, for the `phase_timing` example, not part
/// of the API. Approximate: the note's excluded ranges stand for its code ranges.
#[doc(hidden)]
pub fn percent_comments_for_timing(text: &str, note: &super::Note) -> usize {
    let excluded = super::Excluded {
        ranges: note.excluded.clone(),
    };
    let mut comments = Vec::new();
    super::comments::scan_percent_comments(
        text,
        note.body_start..text.len(),
        &excluded,
        &mut comments,
    );
    comments.len()
}

/// The callout marker line scan over a parsed note's body, for the `phase_timing` example, not
/// part of the API. Approximate: no line counts as a blockquote's first, none as HTML.
#[doc(hidden)]
pub fn markers_for_timing(text: &str, note: &super::Note) -> usize {
    let excluded = super::Excluded {
        ranges: note.excluded.clone(),
    };
    let mut scratch = super::Note::default();
    scan_callout_markers(
        text,
        note.body_start..text.len(),
        &excluded,
        &[],
        &[],
        &mut scratch,
    );
    scratch.callout_markers.len()
}

/// Parses a header at `at` (which must point at `[!`), up to `line_end`.
pub(crate) fn parse_header(
    text: &str,
    at: usize,
    line_end: usize,
    quote_depth: usize,
) -> Result<Callout, MarkerProblem> {
    let b = text.as_bytes();
    let kind_start = at + 2;
    let mut i = kind_start;
    // Letters and digits of any script: Obsidian renders `[!提示]`; Quartz, which matches
    // `[\w-]` (ASCII) only, does not, and `callout-malformed` says so in that flavor.
    while i < line_end {
        if b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'-' {
            i += 1;
        } else if let Some(c) = text[i..line_end]
            .chars()
            .next()
            .filter(|c| !c.is_ascii() && c.is_alphanumeric())
        {
            i += c.len_utf8();
        } else {
            break;
        }
    }
    let kind = kind_start..i;
    let close = match memchr::memchr(b']', &b[at..line_end]) {
        Some(c) => at + c,
        None => return Err(MarkerProblem::Unclosed),
    };
    if kind.is_empty() {
        return Err(MarkerProblem::InvalidType);
    }
    let meta = match b.get(i) {
        Some(b']') => None,
        Some(b'|') => Some(i + 1..close),
        _ => return Err(MarkerProblem::InvalidType),
    };
    let mut after = close + 1;
    let fold = match b.get(after) {
        Some(&c @ (b'+' | b'-')) if after < line_end => {
            after += 1;
            Some(c as char)
        }
        _ => None,
    };
    let title = super::links::trim(text, after..line_end);
    Ok(Callout {
        range: at..line_end,
        kind,
        meta,
        fold,
        title: (!title.is_empty()).then_some(title),
        quote_depth,
    })
}

/// A line taken apart: where its content starts after blockquote markers and list bullets.
pub(crate) struct LinePrefix {
    pub content: usize,
    pub quote_depth: usize,
}

/// Skips indentation, `>` markers and list bullets (`- `, `* `, `+ `, `1. `).
pub(crate) fn line_prefix(b: &[u8], start: usize, end: usize) -> LinePrefix {
    let mut i = start;
    let mut depth = 0;
    loop {
        while i < end && (b[i] == b' ' || b[i] == b'\t') {
            i += 1;
        }
        if i < end && b[i] == b'>' {
            depth += 1;
            i += 1;
            continue;
        }
        if i + 1 < end && matches!(b[i], b'-' | b'*' | b'+') && b[i + 1] == b' ' {
            i += 2;
            continue;
        }
        let digits = b[i..end].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits > 0
            && digits < 10
            && i + digits + 1 < end
            && matches!(b[i + digits], b'.' | b')')
            && b[i + digits + 1] == b' '
        {
            i += digits + 2;
            continue;
        }
        return LinePrefix {
            content: i,
            quote_depth: depth,
        };
    }
}

/// How a line's content after its prefix hides a callout marker, if it does.
pub(crate) fn hidden_marker(
    b: &[u8],
    content: usize,
    end: usize,
) -> Option<(usize, MarkerProblem)> {
    let rest = &b[content..end];
    if rest.starts_with(b"[!") {
        return Some((content, MarkerProblem::NoQuote));
    }
    if rest.first() == Some(&b'#') {
        let hashes = rest.iter().take_while(|c| **c == b'#').count();
        let mut j = hashes;
        while j < rest.len() && rest[j] == b' ' {
            j += 1;
        }
        if hashes <= 6 && j > hashes && rest[j..].starts_with(b"[!") {
            return Some((content + j, MarkerProblem::InHeading));
        }
    }
    for emphasis in [&b"**"[..], b"__", b"*", b"_"] {
        if rest.starts_with(emphasis) && rest[emphasis.len()..].starts_with(b"[!") {
            return Some((content + emphasis.len(), MarkerProblem::Emphasized));
        }
    }
    None
}

/// The first `[!` in `bytes[from..to]`, by its `!` (a rare byte).
pub(crate) fn find_marker_start(bytes: &[u8], from: usize, to: usize) -> Option<usize> {
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
pub(super) fn scan_callout_markers(
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
        let prefix = line_prefix(bytes, line, end);
        let Some((marker_at, mut problem)) = hidden_marker(bytes, prefix.content, end) else {
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
                match parse_header(text, marker_at, end, prefix.quote_depth) {
                    Ok(_) => continue,
                    Err(p) => problem = p,
                }
            }
        } else if problem == MarkerProblem::NoQuote {
            // Outside a quote, an otherwise valid marker is only missing its `>`; report an
            // invalid type or a missing bracket first, as that is what the reader must fix.
            if let Err(p) = parse_header(text, marker_at, end, 0) {
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
