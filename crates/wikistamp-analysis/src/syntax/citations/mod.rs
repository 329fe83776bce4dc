//! Timestamp citations: `<a class="yt-timestamp" data-t="HH:MM:SS">[HH:MM:SS]</a>`.
//!
//! Found by a raw scan for `<a` tags that look like citations (a `yt…` class, a `data-t`
//! attribute), however broken. The scan records what is there; [`Citation::shape`] tells what
//! is wrong with the tag, and the timestamp rules judge the rest.

use std::ops::Range;

mod scanner;
#[cfg(test)]
mod tests;

use super::time::{Time, TimeError};

pub(crate) use scanner::scan;
pub use scanner::{attributes, scan_for_timing};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// From `<a` to the end of `</a>`. When `</a>` is missing: to the end of what reads as the
    /// label (a time, maybe bracketed, and a stray `>` standing for `</a>`), else to the end of
    /// the opening tag.
    pub range: Range<usize>,
    /// The opening tag `<a …>`; to the end of the line when it has no `>`.
    pub open_tag: Range<usize>,
    /// The opening tag ends with `>`.
    pub open_tag_closed: bool,
    /// The value of the first `class` attribute (without quotes), when present.
    pub class: Option<Range<usize>>,
    /// The value of the first `data-t` attribute (without quotes), when it is well formed:
    /// quoted with both quotes, or unquoted.
    pub data_t: Option<Range<usize>>,
    /// Text between the opening tag and `</a>`; without `</a>`, the time that reads as the label
    /// (possibly empty).
    pub label: Range<usize>,
    /// `</a>` was found.
    pub closed: bool,
    /// `data-t` parsed; `Err(Empty)` when there is no well-formed `data-t`.
    pub time: Result<Time, TimeError>,
}

/// What is wrong with a citation's tag (not its time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagProblem {
    /// No `class` attribute listing `yt-timestamp` (`yt_timestamp`, `class="yt="yt-timestamp"`).
    Class,
    /// No well-formed `data-t` attribute (`data="…"`, `href="…"`, `data-3:54:44:00"`, a
    /// `data-t` value whose closing quote is missing).
    DataT,
    /// Stray text in the tag: an attribute name with quotes or other odd characters in it.
    Junk(Range<usize>),
    /// An attribute given twice (the browser keeps the first).
    Repeated(Range<usize>),
    /// The opening tag has no `>`.
    OpenTagUnclosed,
    /// No `</a>`.
    NoCloseTag,
    EmptyLabel,
    /// The label is not in brackets (`00:02:18`), or its brackets do not pair.
    LabelBrackets,
    /// `[[00:01:02]]`.
    LabelDoubleBrackets,
    /// ` [00:01:02]`.
    LabelPadded,
    /// `[<a …>00:01:02</a>]`: the brackets around the tag, not inside it.
    BracketsOutside,
    /// `[00:01:02](<a …>…</a>)`: a Markdown link around the tag, which does not render.
    MarkdownWrapper,
}

/// A citation's tag checked against the canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    pub problems: Vec<TagProblem>,
    /// From the start of a wrapper (`[` or `[00:01:02](`) to the end of the citation and the
    /// wrapper's closing `]`/`)`: what a rewrite replaces.
    pub extent: Range<usize>,
    /// The time the tag holds, as written: the `data-t` value when well formed, else the one
    /// time found in the tag, else the label's.
    pub data_t: Option<Range<usize>>,
    /// The label's time without brackets or padding, when the label is a time.
    pub label_time: Option<Range<usize>>,
    /// Whether any problem concerns the opening tag (so a repair must rewrite it).
    pub tag_broken: bool,
    /// A Markdown-link wrapper whose `)` is not right after the tag but may come later: where
    /// it ends is unsure, so no repair.
    pub wrapper_unsure: bool,
}

/// One attribute of a tag, as a browser would split it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    pub name: Range<usize>,
    pub value: Option<Range<usize>>,
    /// The value is quoted with both quotes, or unquoted without quotes, `=`, `<` or `` ` ``.
    pub well_formed: bool,
}

impl Citation {
    /// The tag is exactly `<a class="yt-timestamp" data-t="…">…</a>`.
    pub fn is_canonical_tag(&self, text: &str) -> bool {
        let Some(dt) = &self.data_t else {
            return false;
        };
        self.closed
            && text.get(self.open_tag.start..dt.start)
                == Some(r#"<a class="yt-timestamp" data-t=""#)
            && text.get(dt.end..self.open_tag.end) == Some(r#"">"#)
    }

    /// The label without its surrounding `[` `]`, if it has exactly those.
    pub fn label_time<'t>(&self, text: &'t str) -> Option<&'t str> {
        let label = text.get(self.label.clone())?;
        let inner = label.strip_prefix('[')?.strip_suffix(']')?;
        (!inner.contains(['[', ']'])).then_some(inner)
    }

    /// The range of the label's inner text (inside `[` `]`), if the label is exactly bracketed.
    pub fn label_inner(&self, text: &str) -> Option<Range<usize>> {
        self.label_time(text)
            .map(|_| self.label.start + 1..self.label.end - 1)
    }

    /// The attributes of the opening tag.
    pub fn attributes(&self, text: &str) -> Vec<Attr> {
        attributes(text, self.open_tag.clone(), self.open_tag_closed)
    }

    /// Checks the tag and its label against the canonical form. Cheap for canonical tags.
    pub fn shape(&self, text: &str) -> Shape {
        let bytes = text.as_bytes();
        let mut problems = Vec::new();
        let mut tag_broken = false;
        if !self.is_canonical_tag(text) {
            let attrs = self.attributes(text);
            let mut seen: Vec<String> = Vec::new();
            let mut class_ok = None;
            for a in &attrs {
                let name = text[a.name.clone()].to_ascii_lowercase();
                let valid_name = !name.is_empty()
                    && name.bytes().all(|b| {
                        b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')
                    });
                if !valid_name && name != "/" {
                    let end = a.value.as_ref().map_or(a.name.end, |v| v.end);
                    problems.push(TagProblem::Junk(a.name.start..end));
                    continue;
                }
                if seen.contains(&name) {
                    problems.push(TagProblem::Repeated(a.name.clone()));
                    continue;
                }
                if name == "class" {
                    class_ok = Some(
                        a.well_formed
                            && a.value.as_ref().is_some_and(|v| {
                                text[v.clone()]
                                    .split_ascii_whitespace()
                                    .any(|c| c == "yt-timestamp")
                            }),
                    );
                }
                seen.push(name);
            }
            let mut head = Vec::new();
            if class_ok != Some(true) {
                head.push(TagProblem::Class);
            }
            if self.data_t.is_none() {
                head.push(TagProblem::DataT);
            }
            problems.splice(0..0, head);
            if !self.open_tag_closed {
                problems.push(TagProblem::OpenTagUnclosed);
            }
            tag_broken = !problems.is_empty();
        }
        if !self.closed {
            problems.push(TagProblem::NoCloseTag);
        }

        // The label.
        let label = &text[self.label.clone()];
        let trimmed = label.trim();
        let mut label_time = None;
        if trimmed.is_empty() {
            problems.push(TagProblem::EmptyLabel);
        } else {
            if trimmed.len() != label.len() {
                problems.push(TagProblem::LabelPadded);
            }
            let lead = label.len() - label.trim_start().len();
            let open = trimmed.bytes().take_while(|b| *b == b'[').count();
            let close = trimmed.bytes().rev().take_while(|b| *b == b']').count();
            let inner_start = self.label.start + lead + open.min(trimmed.len());
            let inner_end = (self.label.start + lead + trimmed.len())
                .saturating_sub(close)
                .max(inner_start);
            match (open, close) {
                (1, 1) if text[inner_start..inner_end].contains(['[', ']']) => {
                    problems.push(TagProblem::LabelBrackets)
                }
                (1, 1) => {}
                (2, 2) => problems.push(TagProblem::LabelDoubleBrackets),
                _ => problems.push(TagProblem::LabelBrackets),
            }
            let inner = &text[inner_start..inner_end];
            if is_time_token(inner) {
                label_time = Some(inner_start..inner_end);
            }
        }

        // Wrappers around the tag.
        let mut extent = self.range.clone();
        let before = &text[..self.range.start];
        let after = &bytes[self.range.end..];
        // `[T](` before the tag, or `[[T]](`.
        let wrapper_open = before.strip_suffix("](").and_then(|head| {
            let single = head.rfind('[').filter(|&o| is_time_token(&head[o + 1..]));
            let double = || {
                let inner = head.strip_suffix(']')?;
                inner
                    .rfind("[[")
                    .filter(|&o| is_time_token(&inner[o + 2..]))
            };
            single.or_else(double)
        });
        let mut wrapper_unsure = false;
        if let Some(open) = wrapper_open {
            // `[00:01:02](<a …>…</a>)`, a group of them closed by one `)` after the last
            // (`[00:01:02](<a …>…</a>, [00:01:09](<a …>…</a>)`), or one never closed.
            let closes = after.first() == Some(&b')');
            problems.push(TagProblem::MarkdownWrapper);
            extent = open..self.range.end + usize::from(closes);
            if !closes {
                // A `)` further on (before the line's end or the next wrapped citation) may
                // close this wrapper around more text: then removing the prefix alone would
                // leave it dangling.
                let rest = &text[self.range.end..];
                let line = &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())];
                let upto = line.find("](<a").unwrap_or(line.len());
                wrapper_unsure = line[..upto].contains(')');
            }
        } else if after.first() == Some(&b']')
            && before.ends_with('[')
            && !before.ends_with("[[")
            && after.get(1) != Some(&b']')
        {
            problems.push(TagProblem::BracketsOutside);
            extent = self.range.start - 1..self.range.end + 1;
        }

        let data_t = match &self.data_t {
            Some(dt) => Some(dt.clone()),
            None => {
                let tokens = time_tokens(text, self.open_tag.clone());
                match tokens.as_slice() {
                    [] => label_time.clone(),
                    [first, rest @ ..]
                        if rest.iter().all(|t| text[t.clone()] == text[first.clone()]) =>
                    {
                        Some(first.clone())
                    }
                    _ => None,
                }
            }
        };
        Shape {
            problems,
            extent,
            data_t,
            label_time,
            tag_broken,
            wrapper_unsure,
        }
    }
}

/// Whether `s` is digits and colons, starts with a digit and holds a colon: something meant
/// as a time, valid or not.
pub fn is_time_token(s: &str) -> bool {
    s.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && s.contains(':')
        && s.bytes().all(|b| b.is_ascii_digit() || b == b':')
}

/// Maximal runs of digits and colons in `range` that start with a digit and hold a colon,
/// without trailing colons.
fn time_tokens(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = range.start;
    while i < range.end {
        if bytes[i].is_ascii_digit() && (i == range.start || !bytes[i - 1].is_ascii_alphanumeric())
        {
            let start = i;
            while i < range.end && (bytes[i].is_ascii_digit() || bytes[i] == b':') {
                i += 1;
            }
            let mut end = i;
            while end > start && bytes[end - 1] == b':' {
                end -= 1;
            }
            if text[start..end].contains(':') {
                out.push(start..end);
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Length of what reads as a citation's label at the start of `s` when `</a>` is missing:
/// optional spaces, up to two `[`, a time, up to two `]`. Returns (label length, length with a
/// stray `>` after it).
fn unclosed_label_len(s: &str) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    let mut i = b.iter().take_while(|c| **c == b' ').count();
    i += b[i..].iter().take(2).take_while(|c| **c == b'[').count();
    let t = b[i..]
        .iter()
        .take_while(|c| c.is_ascii_digit() || **c == b':')
        .count();
    if !is_time_token(&s[i..i + t]) {
        return None;
    }
    i += t;
    i += b[i..].iter().take(2).take_while(|c| **c == b']').count();
    let with_gt = if b.get(i) == Some(&b'>') { i + 1 } else { i };
    Some((i, with_gt))
}

/// Citation groups: runs of two or more closed citations separated only by whitespace, `,` or
/// `;` (and no blank line). Returns index ranges into `citations`, which must be in text order.
pub fn groups(text: &str, citations: &[Citation]) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    // The text between two citations of a group: only whitespace, `,` and `;`, with at most
    // one line feed.
    let separates = |gap: &[u8]| {
        let mut line_feeds = 0;
        for &c in gap {
            match c {
                b'\n' => {
                    line_feeds += 1;
                    if line_feeds > 1 {
                        return false;
                    }
                }
                b' ' | b'\t' | b'\r' | b',' | b';' => {}
                _ => return false,
            }
        }
        true
    };
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=citations.len() {
        let joined = i < citations.len() && {
            let (a, b) = (&citations[i - 1], &citations[i]);
            a.closed && b.closed && bytes.get(a.range.end..b.range.start).is_some_and(separates)
        };
        if !joined {
            if i - start >= 2 {
                out.push(start..i);
            }
            start = i;
        }
    }
    out
}
