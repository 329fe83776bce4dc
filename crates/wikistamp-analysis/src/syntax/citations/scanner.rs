//! The citation scan: every `<a` tag of a body that looks like a citation, with its class,
//! `data-t`, label and end. Fast for the canonical form; [`reference`] beside it is the scan as
//! first written, which the differential tests hold it to (see docs/benchmarks.md for what the
//! fast scan buys).

use std::ops::Range;

use super::{unclosed_label_len, Attr, Citation};
use crate::syntax::time::{parse_time, TimeError};
use crate::syntax::Excluded;

/// A real opening tag is far shorter; a `<a` with no `>` this close is cut off here, which
/// keeps the scan linear on adversarial lines.
pub(super) const MAX_TAG_LEN: usize = 512;

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
pub fn scan_for_timing(text: &str, note: &crate::syntax::Note) -> Vec<Citation> {
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
pub(super) fn looks_like_citation(tag: &[u8]) -> bool {
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
pub(super) mod reference {
    use std::ops::Range;

    use super::MAX_TAG_LEN;
    use crate::syntax::citations::{unclosed_label_len, Attr, Citation};
    use crate::syntax::time::{parse_time, TimeError};
    use crate::syntax::Excluded;

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
