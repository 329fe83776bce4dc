//! codespan-reporting 0.13's rich layout (`term::Config::default()`, termcolor's ANSI colors)
//! for the diagnostics the checker makes, written straight into the output: whole slices, no
//! per-character formatting. [`render`] writes diagnostics whose labels each lie on one line,
//! the usual case, itself; [`spanning`] writes those with a label over several lines.
//!
//! Each step below names the codespan-reporting 0.13 code it stands for (`views.rs`
//! `RichDiagnostic::render`, `renderer.rs` `Renderer`); codespan-reporting is a dev-dependency
//! only, and the differential tests in `human.rs` hold the two to the same bytes. Character
//! widths (for tabs and wide or zero-width characters) are unicode-width's, the crate and
//! version codespan-reporting measures them with.

mod palette;
mod spanning;
mod text;
mod width;

pub use palette::Palette;
pub use text::{Lines, Text, Unshown};
#[cfg(test)]
pub use width::tests_width;

use std::ops::Range;

use wikistamp_analysis::text::floor_char_boundary;
use wikistamp_analysis::{Applicability, Diagnostic, Severity};

use palette::slot;
use width::{char_width, columns};

/// The style of a label (codespan-reporting's `LabelStyle`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Primary,
    Secondary,
}

/// A label on one line, its range relative to the line's start (`SingleLabel`).
struct Single<'d> {
    style: Style,
    range: Range<usize>,
    message: &'d str,
}

/// A line with labels (views.rs `Line`), and the line after it when that one is shown too
/// (a gap of exactly one line between labelled lines).
struct Line<'d> {
    index: usize,
    number: usize,
    range: Range<usize>,
    labels: Vec<Single<'d>>,
    between: Option<(usize, Range<usize>)>,
}

/// Renders `d` as `term::emit_to_write_style` with `term::Config::default()` would for the
/// labels `to_codespan` makes (ranges clamped to `len`). Where codespan-reporting would
/// return an error of the files, [`Unshown`] is returned before anything is written.
pub fn render<F: Lines + ?Sized>(
    out: &mut Vec<u8>,
    p: &Palette,
    files: &F,
    d: &Diagnostic,
    len: usize,
    note: &mut String,
) -> Result<(), Unshown> {
    // Plan (views.rs: group labels by file, then by line).
    let primary = d.range.start.min(len)..d.range.end.min(len);
    let related = d.related.iter().map(|r| {
        (
            Style::Secondary,
            r.range.start.min(len)..r.range.end.min(len),
            r.message.as_str(),
        )
    });
    let mut lines: Vec<Line<'_>> = Vec::with_capacity(1 + d.related.len());
    let mut padding = 0;
    for (style, range, message) in
        std::iter::once((Style::Primary, primary.clone(), "")).chain(related)
    {
        let index = files.line_index(range.start);
        if files.line_index(range.end) != index {
            return spanning::render(out, p, files, d, &labels(d, len), note);
        }
        let number = files.line_number(index);
        let line_range = files.line_range(index)?;
        let digits = number.checked_ilog10().ok_or(Unshown)?;
        padding = padding.max(digits as usize + 1);
        let start = range.start.checked_sub(line_range.start).ok_or(Unshown)?;
        let end = range.end.checked_sub(line_range.start).ok_or(Unshown)?;
        // At least one caret, even for an empty range.
        let single = Single {
            style,
            range: start..end.max(start + 1),
            message,
        };
        let at = match lines.binary_search_by_key(&index, |l| l.index) {
            Ok(at) => at,
            Err(at) => {
                lines.insert(
                    at,
                    Line {
                        index,
                        number,
                        range: line_range,
                        labels: Vec::new(),
                        between: None,
                    },
                );
                at
            }
        };
        let labels = &mut lines[at].labels;
        let key = (single.range.start, single.range.end);
        let (Ok(i) | Err(i)) = labels.binary_search_by(|l| (l.range.start, l.range.end).cmp(&key));
        labels.insert(i, single);
    }
    for k in 1..lines.len() {
        if lines[k].index - lines[k - 1].index == 2 {
            let index = lines[k - 1].index + 1;
            lines[k - 1].between = Some((files.line_number(index), files.line_range(index)?));
        }
    }
    // The locus is the primary label's start (it comes first, and secondary labels never
    // displace it).
    let location_line = files.line_index(primary.start);
    let line_number = files.line_number(location_line);
    let column_number = files.column_number(location_line, primary.start)?;
    let name = files.name();
    let source = files.source();

    // Write.
    let severity = d.severity;
    header(out, p, d);
    snippet_start(out, p, padding, name, line_number, column_number);
    // render_snippet_empty
    empty(out, p, padding);
    for (k, line) in lines.iter().enumerate() {
        let text = source.get(line.range.clone()).unwrap_or("");
        source_line(out, p, severity, padding, line.number, text, &line.labels);
        if let Some(next) = lines.get(k + 1) {
            match (&line.between, next.index - line.index) {
                (_, 1) => {}
                (Some((number, range)), _) => {
                    let text = source.get(range.clone()).unwrap_or("");
                    source_line(out, p, severity, padding, *number, text, &[]);
                }
                // render_snippet_break
                (None, _) => {
                    outer_gutter(out, padding);
                    out.extend_from_slice(p.source_border);
                    out.extend_from_slice("·".as_bytes());
                    out.extend_from_slice(p.reset);
                    out.push(b'\n');
                }
            }
        }
    }
    if d.help.is_some() || d.fix.is_some() {
        empty(out, p, padding);
    }
    notes(out, p, d, padding, note);
    // render_empty
    out.push(b'\n');
    Ok(())
}

/// The labels `to_codespan` makes: the primary one, then one per related span.
fn labels(d: &Diagnostic, len: usize) -> Vec<(Style, Range<usize>, &str)> {
    std::iter::once((
        Style::Primary,
        d.range.start.min(len)..d.range.end.min(len),
        "",
    ))
    .chain(d.related.iter().map(|r| {
        (
            Style::Secondary,
            r.range.start.min(len)..r.range.end.min(len),
            r.message.as_str(),
        )
    }))
    .collect()
}

/// `render_header`: `error[rule]: message`.
fn header(out: &mut Vec<u8>, p: &Palette, d: &Diagnostic) {
    let severity = d.severity;
    out.extend_from_slice(p.header[slot(severity)]);
    out.extend_from_slice(match severity {
        Severity::Error => b"error",
        Severity::Warning => b"warning",
        Severity::Info => b"note",
    });
    if !d.rule.as_str().is_empty() {
        out.push(b'[');
        out.extend_from_slice(d.rule.as_str().as_bytes());
        out.push(b']');
    }
    out.extend_from_slice(p.header_message);
    out.extend_from_slice(b": ");
    out.extend_from_slice(d.message.as_bytes());
    out.extend_from_slice(p.reset);
    out.push(b'\n');
}

/// `render_snippet_note` for the help and the fix.
fn notes(out: &mut Vec<u8>, p: &Palette, d: &Diagnostic, padding: usize, note: &mut String) {
    let fix = d.fix.as_ref().map(|f| {
        let kind = match f.applicability {
            Applicability::Safe => "fix",
            Applicability::Unsafe => "unsafe fix",
        };
        (kind, f.title.as_str())
    });
    let notes = d
        .help
        .as_deref()
        .map(|h| ("help", h))
        .into_iter()
        .chain(fix);
    for (kind, text) in notes {
        note.clear();
        note.push_str(kind);
        note.push_str(": ");
        note.push_str(text);
        for (i, line) in note.lines().enumerate() {
            outer_gutter(out, padding);
            if i == 0 {
                out.extend_from_slice(p.note_bullet);
                out.push(b'=');
                out.extend_from_slice(p.reset);
            } else {
                out.push(b' ');
            }
            out.push(b' ');
            out.extend_from_slice(line.as_bytes());
            out.push(b'\n');
        }
    }
}

/// codespan's `render_snippet_start`: `┌─ name:line:column`.
fn snippet_start(
    out: &mut Vec<u8>,
    p: &Palette,
    padding: usize,
    name: &str,
    line_number: usize,
    column_number: usize,
) {
    outer_gutter(out, padding);
    out.extend_from_slice(p.source_border);
    out.extend_from_slice("┌─".as_bytes());
    out.extend_from_slice(p.reset);
    out.push(b' ');
    out.extend_from_slice(name.as_bytes());
    out.push(b':');
    number(out, line_number, 0);
    out.push(b':');
    number(out, column_number, 0);
    out.push(b'\n');
}

fn outer_gutter(out: &mut Vec<u8>, padding: usize) {
    spaces(out, padding + 1);
}

fn spaces(out: &mut Vec<u8>, n: usize) {
    out.resize(out.len() + n, b' ');
}

/// `n` in decimal, right-aligned in `width` columns.
fn number(out: &mut Vec<u8>, mut n: usize, width: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    spaces(out, width.saturating_sub(digits.len() - at));
    out.extend_from_slice(&digits[at..]);
}

/// `render_snippet_empty` without multi-line labels: the gutter and `│`.
fn empty(out: &mut Vec<u8>, p: &Palette, padding: usize) {
    outer_gutter(out, padding);
    border(out, p);
    out.push(b'\n');
}

fn border(out: &mut Vec<u8>, p: &Palette) {
    out.extend_from_slice(p.source_border);
    out.extend_from_slice("│".as_bytes());
    out.extend_from_slice(p.reset);
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start.max(b.start) < a.end.min(b.end)
}

fn priority(style: &Style) -> u8 {
    match style {
        Style::Secondary => 0,
        Style::Primary => 1,
    }
}

/// The style of highest priority among `styles` (the last one of equal priority, as
/// `max_by_key`).
fn strongest(styles: impl Iterator<Item = Style>) -> Option<Style> {
    styles.max_by_key(priority)
}

/// `render_snippet_source` without multi-line labels.
fn source_line(
    out: &mut Vec<u8>,
    p: &Palette,
    severity: Severity,
    padding: usize,
    line_number: usize,
    source: &str,
    labels: &[Single<'_>],
) {
    let source = source.trim_end_matches(['\n', '\r', '\0']);
    let bytes = source.as_bytes();
    // outer_gutter_number, border_left
    out.extend_from_slice(p.line_number);
    number(out, line_number, padding);
    out.extend_from_slice(p.reset);
    out.push(b' ');
    border(out, p);
    out.push(b' ');
    // The source, characters under a primary label colored.
    let primaries = labels.iter().filter(|l| l.style == Style::Primary).count();
    if primaries <= 1 && memchr::memchr(b'\t', bytes).is_none() {
        // One run of characters overlapping the primary label.
        let run = labels
            .iter()
            .find(|l| l.style == Style::Primary && l.range.start < source.len())
            .map(|l| {
                floor_char_boundary(source, l.range.start)
                    ..ceil_char_boundary(source, l.range.end.min(source.len()))
            });
        match run {
            Some(run) => {
                out.extend_from_slice(&bytes[..run.start]);
                out.extend_from_slice(p.label(severity, Style::Primary));
                out.extend_from_slice(&bytes[run.clone()]);
                out.extend_from_slice(p.reset);
                out.extend_from_slice(&bytes[run.end..]);
            }
            None => out.extend_from_slice(bytes),
        }
    } else {
        let mut in_primary = false;
        let mut column = 0;
        for (at, ch) in source.char_indices() {
            let width = char_width(ch, column);
            column += width;
            let here = at..at + ch.len_utf8();
            let is_primary = labels
                .iter()
                .any(|l| l.style == Style::Primary && overlaps(&l.range, &here));
            if is_primary && !in_primary {
                out.extend_from_slice(p.label(severity, Style::Primary));
                in_primary = true;
            } else if !is_primary && in_primary {
                out.extend_from_slice(p.reset);
                in_primary = false;
            }
            if ch == '\t' {
                spaces(out, width);
            } else {
                out.extend_from_slice(&bytes[here]);
            }
        }
        if in_primary {
            out.extend_from_slice(p.reset);
        }
    }
    out.push(b'\n');
    if labels.is_empty() {
        return;
    }

    // The carets, and the message of the rightmost label after them when it overlaps no other.
    if let [only] = labels {
        // The usual line: one label. Spaces under the characters before it, carets under
        // those it overlaps (and under the column after the line when it reaches past it).
        outer_gutter(out, padding);
        border(out, p);
        out.push(b' ');
        let Range { start, end } = only.range;
        let mut column = 0;
        if start > source.len() {
            spaces(out, columns(source, &mut column) + 1);
        } else {
            let from = floor_char_boundary(source, start);
            let to = ceil_char_boundary(source, end.min(source.len()));
            let before = columns(&source[..from], &mut column);
            let under = columns(&source[from..to], &mut column) + usize::from(end > source.len());
            spaces(out, before);
            out.extend_from_slice(p.label(severity, only.style));
            let caret = match only.style {
                Style::Primary => b'^',
                Style::Secondary => b'-',
            };
            out.resize(out.len() + under, caret);
            out.extend_from_slice(p.reset);
        }
        if !only.message.is_empty() {
            out.push(b' ');
            out.extend_from_slice(p.label(severity, only.style));
            out.extend_from_slice(only.message.as_bytes());
            out.extend_from_slice(p.reset);
        }
        out.push(b'\n');
        return;
    }
    let mut messages = 0;
    let mut max_start = 0;
    let mut max_end = 0;
    let mut trailing = None;
    for (i, l) in labels.iter().enumerate() {
        if !l.message.is_empty() {
            messages += 1;
        }
        max_start = max_start.max(l.range.start);
        max_end = max_end.max(l.range.end);
        if l.range.end == max_end {
            trailing = (!l.message.is_empty()).then_some(i);
        }
    }
    if let Some(t) = trailing {
        let range = &labels[t].range;
        if labels
            .iter()
            .enumerate()
            .any(|(i, l)| i != t && overlaps(range, &l.range))
        {
            trailing = None;
        }
    }
    outer_gutter(out, padding);
    border(out, p);
    out.push(b' ');
    let mut previous: Option<Style> = None;
    let mut column = 0;
    // Each character, then a placeholder column after the line; nothing is written from
    // `max_end` on (but a style change, which the reset after the loop stands for).
    let cells = source
        .char_indices()
        .map(|(at, ch)| (at, ch.len_utf8(), Some(ch)))
        .chain(std::iter::once((source.len(), 1, None)));
    for (at, len, ch) in cells {
        if at >= max_end {
            break;
        }
        let width = match ch {
            Some(ch) => char_width(ch, column),
            None => 1,
        };
        column += width;
        let here = at..at + len;
        let current = strongest(
            labels
                .iter()
                .filter(|l| overlaps(&l.range, &here))
                .map(|l| l.style),
        );
        if previous != current {
            match current {
                None => out.extend_from_slice(p.reset),
                Some(style) => out.extend_from_slice(p.label(severity, style)),
            }
        }
        let caret = match current {
            Some(Style::Primary) => b'^',
            Some(Style::Secondary) => b'-',
            None => b' ',
        };
        out.resize(out.len() + width, caret);
        previous = current;
    }
    if previous.is_some() {
        out.extend_from_slice(p.reset);
    }
    if let Some(t) = trailing {
        let l = &labels[t];
        out.push(b' ');
        out.extend_from_slice(p.label(severity, l.style));
        out.extend_from_slice(l.message.as_bytes());
        out.extend_from_slice(p.reset);
    }
    out.push(b'\n');

    // The other messages, each under a line of pointers to the carets.
    if messages > usize::from(trailing.is_some()) {
        let hanging = || {
            labels
                .iter()
                .enumerate()
                .filter(move |(i, l)| !l.message.is_empty() && Some(*i) != trailing)
                .map(|(_, l)| l)
        };
        let pointers = |out: &mut Vec<u8>, upto: usize| {
            let mut column = 0;
            for (at, ch) in source.char_indices().take_while(|(at, _)| *at < upto) {
                let width = char_width(ch, column);
                column += width;
                let end = at + ch.len_utf8();
                let style = strongest(
                    hanging()
                        .filter(|l| at <= l.range.start && l.range.start < end)
                        .map(|l| l.style),
                );
                let mut pad = width;
                if let Some(style) = style {
                    out.extend_from_slice(p.label(severity, style));
                    out.extend_from_slice("│".as_bytes());
                    out.extend_from_slice(p.reset);
                    pad = width.saturating_sub(1);
                }
                if at <= max_start {
                    spaces(out, pad);
                }
            }
        };
        outer_gutter(out, padding);
        border(out, p);
        out.push(b' ');
        pointers(out, usize::MAX);
        out.push(b'\n');
        for l in hanging().rev() {
            outer_gutter(out, padding);
            border(out, p);
            out.push(b' ');
            pointers(out, l.range.start);
            out.extend_from_slice(p.label(severity, l.style));
            out.extend_from_slice(l.message.as_bytes());
            out.extend_from_slice(p.reset);
            out.push(b'\n');
        }
    }
}

fn ceil_char_boundary(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at += 1;
    }
    at
}
