//! Timestamp citations: `<a class="yt-timestamp" data-t="HH:MM:SS">[HH:MM:SS]</a>`.
//!
//! Found by a raw scan for `<a` tags that look like citations (a `yt…` class, a `data-t`
//! attribute), however broken. The scan records what is there; the timestamp rules judge it.

use std::ops::Range;

use super::time::{parse_time, Time, TimeError};
use super::Excluded;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// From `<a` to the end of `</a>` (or of what was recognised when the tag is broken).
    pub range: Range<usize>,
    /// The opening tag `<a …>`; to the end of the line when it has no `>`.
    pub open_tag: Range<usize>,
    /// The opening tag ends with `>`.
    pub open_tag_closed: bool,
    /// The value of `class="…"` (without quotes), when present.
    pub class: Option<Range<usize>>,
    /// The value of `data-t="…"` (without quotes), when present.
    pub data_t: Option<Range<usize>>,
    /// Text between the opening tag and `</a>` (or the end of the line).
    pub label: Range<usize>,
    /// `</a>` was found.
    pub closed: bool,
    /// `data-t` parsed; `Err(Empty)` when there is no `data-t`.
    pub time: Result<Time, TimeError>,
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
}

/// A real opening tag is far shorter; a `<a` with no `>` this close is cut off here, which
/// keeps the scan linear on adversarial lines.
const MAX_TAG_LEN: usize = 512;

pub(crate) fn scan(text: &str, body: Range<usize>, excluded: &Excluded, out: &mut Vec<Citation>) {
    let bytes = text.as_bytes();
    let mut pos = body.start;
    // The end of the line holding `pos`, computed once per line.
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
            line_end =
                lt + memchr::memchr2(b'\n', b'\r', &bytes[lt..body.end]).unwrap_or(body.end - lt);
        }
        let window_end = line_end.min(lt + MAX_TAG_LEN);
        let gt = memchr::memchr(b'>', &bytes[lt..window_end]).map(|i| lt + i);
        let mut open_end = gt.map_or(window_end, |g| g + 1);
        // The tag ends at `>`, or (unterminated) before the next `<`.
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
        let class = attr_value(text, open_tag.clone(), "class");
        let data_t = attr_value(text, open_tag.clone(), "data-t");
        let label_start = open_tag.end;
        // The label runs to `</a>`, unless another `<a` or the line's end comes first.
        let mut label_end = line_end;
        let mut closed = false;
        let mut i = label_start;
        while let Some(off) = memchr::memchr(b'<', &bytes[i..line_end]) {
            let at = i + off;
            if bytes[at..line_end].len() >= 4 && bytes[at..at + 4].eq_ignore_ascii_case(b"</a>") {
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
        let end = if closed { label_end + 4 } else { label_end };
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
            label: label_start..label_end,
            closed,
            time,
        });
        pos = end.max(lt + 1);
    }
}

/// An `<a>` tag that was meant as a citation: it names the `yt-timestamp` class (however
/// mangled) or carries a `data-t` attribute.
fn looks_like_citation(tag: &str) -> bool {
    let lower = tag.to_ascii_lowercase();
    lower.contains("timestamp")
        || lower.contains("data-t")
        || lower.contains("class=\"yt")
        || lower.contains("class='yt")
}

/// The value range of attribute `name` inside `tag` (quoted with `"` or `'`, or bare). A
/// quoted value that is never closed runs to the end of the tag.
fn attr_value(text: &str, tag: Range<usize>, name: &str) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let s = &text[tag.clone()];
    let lower = s.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(name) {
        let at = from + found;
        from = at + name.len();
        // The attribute name must stand alone: preceded by whitespace, followed by `=`.
        let before_ok = at > 0 && s.as_bytes()[at - 1].is_ascii_whitespace();
        if !before_ok || s.as_bytes().get(at + name.len()) != Some(&b'=') {
            continue;
        }
        let v = tag.start + at + name.len() + 1;
        return Some(match bytes.get(v) {
            Some(&q @ (b'"' | b'\'')) => {
                let start = v + 1;
                // An unclosed quote runs to the tag's end, without its `>`.
                let mut end = memchr::memchr(q, &bytes[start..tag.end])
                    .map(|i| start + i)
                    .unwrap_or_else(|| match bytes[tag.end - 1] {
                        b'>' => tag.end - 1,
                        _ => tag.end,
                    })
                    .max(start);
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                start..end
            }
            _ => {
                let end = bytes[v..tag.end]
                    .iter()
                    .position(|b| b.is_ascii_whitespace() || *b == b'>')
                    .map(|i| v + i)
                    .unwrap_or(tag.end);
                v..end
            }
        });
    }
    None
}
