//! Timestamp citations: `<a class="yt-timestamp" data-t="HH:MM:SS">[HH:MM:SS]</a>`.
//!
//! Found by a raw scan for `<a` tags that look like citations (a `yt…` class, a `data-t`
//! attribute), however broken. The scan records what is there; [`Citation::shape`] tells what
//! is wrong with the tag, and the timestamp rules judge the rest.

use std::ops::Range;

use super::time::{parse_time, Time, TimeError};
use super::Excluded;

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
    // The text at each citation's start and end, read once in a loop without data-dependent
    // branches so that the cache misses overlap: the rules that walk the citations next read
    // there (the tag, the label, the text after `</a>`).
    let mut touched = 0u8;
    for c in citations {
        touched ^= bytes.get(c.range.start).copied().unwrap_or(0)
            ^ bytes.get(c.label.start).copied().unwrap_or(0)
            ^ bytes.get(c.range.end).copied().unwrap_or(0);
    }
    std::hint::black_box(touched);
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

/// A real opening tag is far shorter; a `<a` with no `>` this close is cut off here, which
/// keeps the scan linear on adversarial lines.
const MAX_TAG_LEN: usize = 512;

/// Whether an `<a` tag starts at `lt`: `<a` or `<A`, then a blank or `>`.
fn is_a_tag(bytes: &[u8], lt: usize) -> bool {
    matches!(bytes.get(lt + 1), Some(b'a' | b'A'))
        && matches!(bytes.get(lt + 2), Some(b' ' | b'\t' | b'>'))
}

pub(crate) fn scan(text: &str, body: Range<usize>, excluded: &Excluded, out: &mut Vec<Citation>) {
    let bytes = text.as_bytes();
    let mut pos = body.start;
    // The end of the line holding `lt`, computed once per line and only when needed: a
    // canonical citation with its `</a>` nearby never asks (the line may be a long paragraph).
    let mut line_end_memo = body.start;
    let mut line_end = |lt: usize| {
        if lt >= line_end_memo {
            line_end_memo =
                lt + memchr::memchr2(b'\n', b'\r', &bytes[lt..body.end]).unwrap_or(body.end - lt);
        }
        line_end_memo
    };
    while let Some(found) = memchr::memchr(b'<', &bytes[pos..body.end]) {
        let lt = pos + found;
        pos = lt + 1;
        if !is_a_tag(bytes, lt) {
            continue;
        }
        if let Some(skip_to) = excluded.containing(lt) {
            pos = skip_to.max(lt + 1);
            continue;
        }
        let (open_tag, gt, class, data_t) = match canonical_open_tag(bytes, lt, body.end) {
            Some((gt, class, data_t)) => (lt..gt + 1, Some(gt), Some(class), Some(data_t)),
            None => {
                let window_end = line_end(lt).min(lt + MAX_TAG_LEN);
                let gt = memchr::memchr(b'>', &bytes[lt..window_end]).map(|i| lt + i);
                let mut open_end = gt.map_or(window_end, |g| g + 1);
                // Unterminated, the tag ends before the next `<`.
                if gt.is_none() {
                    if let Some(next) = memchr::memchr(b'<', &bytes[lt + 1..window_end]) {
                        open_end = lt + 1 + next;
                    }
                }
                while !text.is_char_boundary(open_end) {
                    open_end -= 1;
                }
                let open_tag = lt..open_end;
                if !looks_like_citation(&bytes[open_tag.clone()]) {
                    continue;
                }
                let (class, data_t) = class_and_data_t(bytes, open_tag.clone(), gt.is_some());
                (open_tag, gt, class, data_t)
            }
        };
        let label_start = open_tag.end;
        // The label runs to `</a>`, unless another tag or the line's end comes first.
        let (label_end, closed) = match near_label_end(bytes, label_start, body.end) {
            Some(found) => found,
            None => {
                let line_end = line_end(lt);
                let mut found = (line_end, false);
                let mut i = label_start;
                while let Some(at) = find_lt(bytes, i, line_end) {
                    if bytes[at..line_end].len() >= 4
                        && bytes[at..at + 4].eq_ignore_ascii_case(b"</a>")
                    {
                        found = (at, true);
                        break;
                    }
                    if is_a_tag(bytes, at) {
                        found = (at, false);
                        break;
                    }
                    i = at + 1;
                }
                found
            }
        };
        let (label, end) = if closed {
            (label_start..label_end, label_end + 4)
        } else {
            // Without `</a>`, only a time right after the tag reads as its label.
            match unclosed_label_len(&text[label_start..label_end]) {
                Some((len, with_gt)) => (label_start..label_start + len, label_start + with_gt),
                None => (label_start..label_start, label_start),
            }
        };
        let time = match &data_t {
            Some(v) => parse_time(&text[v.clone()]),
            None => Err(TimeError::Empty),
        };
        out.push(Citation {
            range: lt..end,
            open_tag_closed: gt.is_some(),
            open_tag,
            class,
            data_t,
            label,
            closed,
            time,
        });
        pos = end.max(lt + 1);
    }
}

/// The first `<` in `bytes[from..to]`: byte by byte nearby (a label is short), then by memchr.
#[inline]
fn find_lt(bytes: &[u8], from: usize, to: usize) -> Option<usize> {
    let near = to.min(from + 32);
    if let Some(i) = bytes[from..near].iter().position(|b| *b == b'<') {
        return Some(from + i);
    }
    memchr::memchr(b'<', &bytes[near..to]).map(|i| near + i)
}

/// Where the label that starts at `from` ends when that shows in the next 32 bytes (before
/// `end`), as the full search finds it: at `</a>` (closed), at another `<a` tag, or at the
/// line's end (neither closed). `None` when the full search must go on: no `<` nor line end
/// that near, or a `<` of something else.
#[inline]
fn near_label_end(bytes: &[u8], from: usize, end: usize) -> Option<(usize, bool)> {
    // The canonical label `[00:01:02]</a>`, checked as a whole: none of its bytes before `<`
    // is a `<` or a line end.
    if from + 14 <= end
        && bytes[from] == b'['
        && digits_or_colons8(bytes, from + 1)
        && bytes[from + 9] == b']'
        && &bytes[from + 10..from + 14] == b"</a>"
    {
        return Some((from + 10, true));
    }
    let near = &bytes[from..end.min(from + 32)];
    let at = from
        + near
            .iter()
            .position(|b| matches!(b, b'<' | b'\n' | b'\r'))?;
    if bytes[at] != b'<' {
        // No `<` before the line's end.
        return Some((at, false));
    }
    // `</a>` holds no line end, so it lies inside the line when it is there.
    if bytes[at..end].len() >= 4 && bytes[at..at + 4].eq_ignore_ascii_case(b"</a>") {
        return Some((at, true));
    }
    is_a_tag(bytes, at).then_some((at, false))
}

/// The canonical opening tag `<a class="yt-timestamp" data-t="…">` at `lt`, on one line, at
/// most [`MAX_TAG_LEN`] long and ending before `end`: its `>`, its class value and its `data-t`
/// value, exactly as the general path ([`looks_like_citation`], [`class_and_data_t`]) finds
/// them in its window up to the line's end.
#[inline]
fn canonical_open_tag(
    bytes: &[u8],
    lt: usize,
    end: usize,
) -> Option<(usize, Range<usize>, Range<usize>)> {
    const PREFIX: &[u8] = br#"<a class="yt-timestamp" data-t=""#;
    let tag = bytes.get(lt..end.min(lt + MAX_TAG_LEN))?;
    let value = tag.strip_prefix(PREFIX)?;
    // The value runs to the first `"`; a `>` in it would end the tag early, a line end would
    // end the window. A value of eight digits and colons (`00:01:02`) holds none of them.
    let quote = if value.get(8) == Some(&b'"') && digits_or_colons8(value, 0) {
        8
    } else {
        value
            .iter()
            .position(|b| matches!(b, b'"' | b'>' | b'\n' | b'\r'))?
    };
    if value[quote] != b'"' || value.get(quote + 1) != Some(&b'>') {
        return None;
    }
    let start = lt + PREFIX.len();
    let class_start = lt + br#"<a class=""#.len();
    Some((
        start + quote + 1,
        class_start..class_start + b"yt-timestamp".len(),
        start..start + quote,
    ))
}

/// Whether the 8 bytes at `at` are all digits or `:` (so none is a quote, a bracket, `<`, `>`
/// or a line end), checked in one word: XOR with `0` leaves exactly those bytes below 11.
#[inline]
fn digits_or_colons8(bytes: &[u8], at: usize) -> bool {
    const HIGH: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    let Some(Ok(word)) = bytes.get(at..at + 8).map(<[u8; 8]>::try_from) else {
        return false;
    };
    let d = u64::from_le_bytes(word) ^ u64::from_le_bytes([b'0'; 8]);
    // Every byte below 16, then below 11 (adding 5 carries into no other byte).
    d & HIGH == 0 && d.wrapping_add(0x0505_0505_0505_0505) & HIGH == 0
}

/// The values of the first `class` and of the first `data-t` attribute of a tag, as the browser
/// keeps them; a `data-t` value only when well formed.
fn class_and_data_t(
    bytes: &[u8],
    open_tag: Range<usize>,
    tag_closed: bool,
) -> (Option<Range<usize>>, Option<Range<usize>>) {
    let mut class = None;
    let mut data_t = None;
    for a in attrs(bytes, open_tag, tag_closed) {
        let name = &bytes[a.name.clone()];
        if class.is_none() && name.eq_ignore_ascii_case(b"class") {
            class = Some(a.value);
        } else if data_t.is_none() && name.eq_ignore_ascii_case(b"data-t") {
            data_t = Some(a.value.filter(|_| a.well_formed));
        }
        if class.is_some() && data_t.is_some() {
            break;
        }
    }
    (class.flatten(), data_t.flatten())
}

/// The citation scan alone over a parsed note's body, outside its excluded ranges: for the
/// `phase_timing` example, not part of the API.
#[doc(hidden)]
pub fn scan_for_timing(text: &str, note: &super::Note) -> Vec<Citation> {
    let excluded = Excluded {
        ranges: note.excluded.clone(),
    };
    let mut out = Vec::new();
    scan(text, note.body_start..text.len(), &excluded, &mut out);
    out
}

/// The start of every canonical tag: it names the class, so it is meant as a citation.
const CANONICAL_START: &[u8] = br#"<a class="yt-timestamp""#;

/// An `<a>` tag that was meant as a citation: it names the `yt-timestamp` class (however
/// mangled) or carries a `data-t` attribute. Compares ASCII case-insensitively.
fn looks_like_citation(tag: &[u8]) -> bool {
    if tag.starts_with(CANONICAL_START) {
        return true;
    }
    // Lowercase into a buffer on the stack (a tag is at most MAX_TAG_LEN long).
    let mut buf = [0u8; MAX_TAG_LEN];
    let lower: Vec<u8>;
    let lower: &[u8] = match buf.get_mut(..tag.len()) {
        Some(b) => {
            b.copy_from_slice(tag);
            b.make_ascii_lowercase();
            b
        }
        None => {
            lower = tag.to_ascii_lowercase();
            &lower
        }
    };
    let has = |needle: &[u8]| memchr::memmem::find(lower, needle).is_some();
    has(b"timestamp") || has(b"data-t") || has(b"class=\"yt") || has(b"class='yt")
}

/// Splits an opening tag into attributes the way a browser does: a name runs to whitespace,
/// `=` or the tag's end; a value is quoted (to the matching quote, else to the tag's end) or
/// runs to whitespace.
pub fn attributes(text: &str, tag: Range<usize>, tag_closed: bool) -> Vec<Attr> {
    attrs(text.as_bytes(), tag, tag_closed).collect()
}

/// [`attributes`] one at a time, without allocating.
fn attrs(bytes: &[u8], tag: Range<usize>, tag_closed: bool) -> Attrs<'_> {
    let end = if tag_closed {
        tag.end.saturating_sub(1)
    } else {
        tag.end
    };
    Attrs {
        bytes,
        // Skip `<a`.
        i: (tag.start + 2).min(end),
        end,
    }
}

struct Attrs<'t> {
    bytes: &'t [u8],
    i: usize,
    end: usize,
}

impl Iterator for Attrs<'_> {
    type Item = Attr;

    fn next(&mut self) -> Option<Attr> {
        let (bytes, end) = (self.bytes, self.end);
        let mut i = self.i;
        while i < end && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= end {
            self.i = i;
            return None;
        }
        let name_start = i;
        while i < end && !bytes[i].is_ascii_whitespace() && bytes[i] != b'=' {
            // A name can hold a quote (junk), but a quote after `=` starts a value.
            i += 1;
        }
        if i == name_start {
            // A lone `=`: junk with an empty name.
            i += 1;
        }
        let name = name_start..i;
        let mut j = i;
        while j < end && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        let attr =
            if j < end && bytes[j] == b'=' && name.start < name.end && bytes[name.start] != b'=' {
                j += 1;
                while j < end && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                match bytes.get(j) {
                    Some(&q @ (b'"' | b'\'')) if j < end => {
                        let start = j + 1;
                        match memchr::memchr(q, &bytes[start..end]) {
                            Some(k) => {
                                i = start + k + 1;
                                Attr {
                                    name,
                                    value: Some(start..start + k),
                                    well_formed: true,
                                }
                            }
                            None => {
                                i = end;
                                Attr {
                                    name,
                                    value: Some(start..end),
                                    well_formed: false,
                                }
                            }
                        }
                    }
                    _ => {
                        let start = j;
                        while j < end && !bytes[j].is_ascii_whitespace() {
                            j += 1;
                        }
                        let well_formed = !bytes[start..j]
                            .iter()
                            .any(|b| matches!(b, b'"' | b'\'' | b'=' | b'<' | b'`'));
                        i = j;
                        Attr {
                            name,
                            value: Some(start..j),
                            well_formed,
                        }
                    }
                }
            } else {
                Attr {
                    name,
                    value: None,
                    well_formed: true,
                }
            };
        self.i = i;
        Some(attr)
    }
}

/// The scan as it was before it was made faster: the reference the differential tests compare
/// the fast scan with.
#[cfg(test)]
mod reference {
    use std::ops::Range;

    use super::super::time::{parse_time, TimeError};
    use super::super::Excluded;
    use super::{unclosed_label_len, Attr, Citation, MAX_TAG_LEN};

    pub fn scan(text: &str, body: Range<usize>, excluded: &Excluded, out: &mut Vec<Citation>) {
        let bytes = text.as_bytes();
        let mut pos = body.start;
        let mut line_end = body.start;
        while let Some(found) = memchr::memchr(b'<', &bytes[pos..body.end]) {
            let lt = pos + found;
            pos = lt + 1;
            let is_a = matches!(bytes.get(lt + 1), Some(b'a' | b'A'))
                && matches!(bytes.get(lt + 2), Some(b' ' | b'\t' | b'>'));
            if !is_a {
                continue;
            }
            if let Some(skip_to) = excluded.containing(lt) {
                pos = skip_to.max(lt + 1);
                continue;
            }
            if lt >= line_end {
                line_end = lt
                    + memchr::memchr2(b'\n', b'\r', &bytes[lt..body.end]).unwrap_or(body.end - lt);
            }
            let window_end = line_end.min(lt + MAX_TAG_LEN);
            let gt = memchr::memchr(b'>', &bytes[lt..window_end]).map(|i| lt + i);
            let mut open_end = gt.map_or(window_end, |g| g + 1);
            if gt.is_none() {
                if let Some(next) = memchr::memchr(b'<', &bytes[lt + 1..window_end]) {
                    open_end = lt + 1 + next;
                }
            }
            while !text.is_char_boundary(open_end) {
                open_end -= 1;
            }
            let open_tag = lt..open_end;
            let tag = &text[open_tag.clone()];
            if !looks_like_citation(tag) {
                continue;
            }
            let attrs = attributes(text, open_tag.clone(), gt.is_some());
            let find = |name: &str| {
                attrs
                    .iter()
                    .find(|a| text[a.name.clone()].eq_ignore_ascii_case(name))
            };
            let class = find("class").and_then(|a| a.value.clone());
            let data_t = find("data-t")
                .filter(|a| a.well_formed)
                .and_then(|a| a.value.clone());
            let label_start = open_tag.end;
            let mut label_end = line_end;
            let mut closed = false;
            let mut i = label_start;
            while let Some(off) = memchr::memchr(b'<', &bytes[i..line_end]) {
                let at = i + off;
                if bytes[at..line_end].len() >= 4 && bytes[at..at + 4].eq_ignore_ascii_case(b"</a>")
                {
                    label_end = at;
                    closed = true;
                    break;
                }
                if matches!(bytes.get(at + 1), Some(b'a' | b'A'))
                    && matches!(bytes.get(at + 2), Some(b' ' | b'\t' | b'>'))
                {
                    label_end = at;
                    break;
                }
                i = at + 1;
            }
            let (label, end) = if closed {
                (label_start..label_end, label_end + 4)
            } else {
                match unclosed_label_len(&text[label_start..label_end]) {
                    Some((len, with_gt)) => (label_start..label_start + len, label_start + with_gt),
                    None => (label_start..label_start, label_start),
                }
            };
            let time = match &data_t {
                Some(v) => parse_time(&text[v.clone()]),
                None => Err(TimeError::Empty),
            };
            out.push(Citation {
                range: lt..end,
                open_tag_closed: gt.is_some(),
                open_tag,
                class,
                data_t,
                label,
                closed,
                time,
            });
            pos = end.max(lt + 1);
        }
    }

    pub fn looks_like_citation(tag: &str) -> bool {
        let lower = tag.to_ascii_lowercase();
        lower.contains("timestamp")
            || lower.contains("data-t")
            || lower.contains("class=\"yt")
            || lower.contains("class='yt")
    }

    pub fn attributes(text: &str, tag: Range<usize>, tag_closed: bool) -> Vec<Attr> {
        let bytes = text.as_bytes();
        let end = if tag_closed {
            tag.end.saturating_sub(1)
        } else {
            tag.end
        };
        let mut out = Vec::new();
        let mut i = (tag.start + 2).min(end);
        loop {
            while i < end && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= end {
                break;
            }
            let name_start = i;
            while i < end && !bytes[i].is_ascii_whitespace() && bytes[i] != b'=' {
                i += 1;
            }
            if i == name_start {
                i += 1;
            }
            let name = name_start..i;
            let mut j = i;
            while j < end && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < end && bytes[j] == b'=' && name.start < name.end && bytes[name.start] != b'=' {
                j += 1;
                while j < end && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                match bytes.get(j) {
                    Some(&q @ (b'"' | b'\'')) if j < end => {
                        let start = j + 1;
                        match memchr::memchr(q, &bytes[start..end]) {
                            Some(k) => {
                                out.push(Attr {
                                    name,
                                    value: Some(start..start + k),
                                    well_formed: true,
                                });
                                i = start + k + 1;
                            }
                            None => {
                                out.push(Attr {
                                    name,
                                    value: Some(start..end),
                                    well_formed: false,
                                });
                                i = end;
                            }
                        }
                    }
                    _ => {
                        let start = j;
                        while j < end && !bytes[j].is_ascii_whitespace() {
                            j += 1;
                        }
                        let well_formed = !bytes[start..j]
                            .iter()
                            .any(|b| matches!(b, b'"' | b'\'' | b'=' | b'<' | b'`'));
                        out.push(Attr {
                            name,
                            value: Some(start..j),
                            well_formed,
                        });
                        i = j;
                    }
                }
            } else {
                out.push(Attr {
                    name,
                    value: None,
                    well_formed: true,
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

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
}
