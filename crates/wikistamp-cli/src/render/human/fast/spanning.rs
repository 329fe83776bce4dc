//! Diagnostics with a label that spans lines, in codespan-reporting 0.13's layout: a port of
//! views.rs `RichDiagnostic::render` and renderer.rs `Renderer::render_snippet_source` for one
//! file and `term::Config::default()` (no context lines before or after labels, three lines
//! shown after the start of a multi-line label and one before its end). [`super::render`]
//! writes the usual diagnostics faster; this one writes every layout.

use std::collections::BTreeMap;
use std::ops::Range;

use wikistamp_analysis::{Diagnostic, Severity};

use super::palette::Palette;
use super::text::{Lines, Unshown};
use super::width::char_width;
use super::{
    border, header, notes, number, outer_gutter, overlaps, snippet_start, spaces, strongest, Style,
};

/// `Config::default().start_context_lines`.
const START_CONTEXT_LINES: usize = 3;
/// `Config::default().end_context_lines`.
const END_CONTEXT_LINES: usize = 1;

/// A label on one line: its style, its range relative to the line, its message.
type SingleLabel<'d> = (Style, Range<usize>, &'d str);

/// The part of a multi-line label on one line (renderer.rs `MultiLabel`).
#[derive(Clone, Copy)]
enum Multi<'d> {
    /// Where it starts on its first line.
    Top(usize),
    /// A line inside it.
    Left,
    /// Where it ends on its last line, and its message.
    Bottom(usize, &'d str),
}

type MultiLabel<'d> = (usize, Style, Multi<'d>);

struct Line<'d> {
    number: usize,
    range: Range<usize>,
    single_labels: Vec<SingleLabel<'d>>,
    multi_labels: Vec<MultiLabel<'d>>,
    must_render: bool,
}

fn count_digits(n: usize) -> Result<usize, Unshown> {
    n.checked_ilog10().map(|d| d as usize + 1).ok_or(Unshown)
}

/// `labels` (the primary one first) as codespan-reporting lays them out.
pub(super) fn render<'d, F: Lines + ?Sized>(
    out: &mut Vec<u8>,
    p: &Palette,
    files: &F,
    d: &'d Diagnostic,
    labels: &[(Style, Range<usize>, &'d str)],
    note: &mut String,
) -> Result<(), Unshown> {
    let mut lines: BTreeMap<usize, Line<'d>> = BTreeMap::new();
    let mut padding = 0;
    let mut num_multi_labels = 0;
    fn line<'a, 'd>(
        lines: &'a mut BTreeMap<usize, Line<'d>>,
        index: usize,
        range: Range<usize>,
        number: usize,
    ) -> &'a mut Line<'d> {
        lines.entry(index).or_insert_with(|| Line {
            range,
            number,
            single_labels: Vec::new(),
            multi_labels: Vec::new(),
            must_render: false,
        })
    }
    for &(style, ref range, message) in labels {
        let start_index = files.line_index(range.start);
        let start_number = files.line_number(start_index);
        let start_range = files.line_range(start_index)?;
        let end_index = files.line_index(range.end);
        let end_number = files.line_number(end_index);
        let end_range = files.line_range(end_index)?;
        padding = padding.max(count_digits(start_number)?);
        padding = padding.max(count_digits(end_number)?);
        if start_index == end_index {
            let start = range.start.checked_sub(start_range.start).ok_or(Unshown)?;
            let end = range.end.checked_sub(start_range.start).ok_or(Unshown)?;
            let end = end.max(start + 1);
            let l = line(&mut lines, start_index, start_range, start_number);
            let (Ok(at) | Err(at)) = l
                .single_labels
                .binary_search_by(|(_, r, _)| (r.start, r.end).cmp(&(start, end)));
            l.single_labels.insert(at, (style, start..end, message));
            l.must_render = true;
        } else {
            let label_index = num_multi_labels;
            num_multi_labels += 1;
            let start = range.start.checked_sub(start_range.start).ok_or(Unshown)?;
            let l = line(&mut lines, start_index, start_range, start_number);
            l.multi_labels.push((label_index, style, Multi::Top(start)));
            l.must_render = true;
            for index in start_index + 1..end_index {
                let range = files.line_range(index)?;
                let number = files.line_number(index);
                padding = padding.max(count_digits(number)?);
                let l = line(&mut lines, index, range, number);
                l.multi_labels.push((label_index, style, Multi::Left));
                l.must_render |= index - start_index <= START_CONTEXT_LINES
                    || end_index - index <= END_CONTEXT_LINES;
            }
            let end = range.end.checked_sub(end_range.start).ok_or(Unshown)?;
            let l = line(&mut lines, end_index, end_range, end_number);
            l.multi_labels
                .push((label_index, style, Multi::Bottom(end, message)));
            l.must_render = true;
        }
    }
    let primary = labels.first().map_or(0, |l| l.1.start);
    let location_line = files.line_index(primary);
    let line_number = files.line_number(location_line);
    let column_number = files.column_number(location_line, primary)?;
    let name = files.name();
    let source = files.source();
    let slice = |range: Range<usize>| source.get(range).ok_or(Unshown);
    // Everything the layout reads is read before anything is written (the lines between
    // two shown ones too).
    let shown: Vec<(&usize, &Line<'_>)> = lines.iter().filter(|(_, l)| l.must_render).collect();
    let mut between = Vec::new();
    for pair in shown.windows(2) {
        let index = *pair[0].0;
        if *pair[1].0 - index == 2 {
            let range = files.line_range(index + 1)?;
            between.push(Some((files.line_number(index + 1), slice(range)?)));
        } else {
            between.push(None);
        }
    }
    for (_, l) in &shown {
        slice(l.range.clone())?;
    }

    let severity = d.severity;
    let r = Renderer {
        p,
        severity,
        padding,
        num_multi_labels,
    };
    header(out, p, d);
    snippet_start(out, p, padding, name, line_number, column_number);
    r.snippet_empty(out);
    for (k, (index, l)) in shown.iter().enumerate() {
        let text = slice(l.range.clone())?;
        r.snippet_source(out, l.number, text, &l.single_labels, &l.multi_labels);
        if let Some((next_index, next)) = shown.get(k + 1) {
            match (**next_index - **index, between[k]) {
                (1, _) => {}
                (2, Some((number, text))) => {
                    let multi = lines
                        .get(&(**index + 1))
                        .map_or(&[][..], |l| &l.multi_labels[..]);
                    r.snippet_source(out, number, text, &[], multi);
                }
                _ => {
                    // render_snippet_break
                    outer_gutter(out, padding);
                    out.extend_from_slice(p.source_border);
                    out.extend_from_slice("·".as_bytes());
                    out.extend_from_slice(p.reset);
                    r.inner_gutter(out, &next.multi_labels);
                    out.push(b'\n');
                }
            }
        }
    }
    if d.help.is_some() || d.fix.is_some() {
        r.snippet_empty(out);
    }
    notes(out, p, d, padding, note);
    out.push(b'\n');
    Ok(())
}

struct Renderer<'p> {
    p: &'p Palette,
    severity: Severity,
    padding: usize,
    num_multi_labels: usize,
}

impl Renderer<'_> {
    fn label(&self, out: &mut Vec<u8>, style: Style) {
        out.extend_from_slice(self.p.label(self.severity, style));
    }

    fn reset(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.p.reset);
    }

    /// `render_snippet_empty` with no multi-line labels given.
    fn snippet_empty(&self, out: &mut Vec<u8>) {
        outer_gutter(out, self.padding);
        border(out, self.p);
        spaces(out, 2 * self.num_multi_labels);
        out.push(b'\n');
    }

    fn gutter_space(out: &mut Vec<u8>) {
        out.extend_from_slice(b"  ");
    }

    fn multi_left(&self, out: &mut Vec<u8>, style: Style, underline: Option<Style>) {
        match underline {
            None => out.push(b' '),
            Some(u) => {
                self.label(out, u);
                out.extend_from_slice("─".as_bytes());
                self.reset(out);
            }
        }
        self.label(out, style);
        out.extend_from_slice("│".as_bytes());
        self.reset(out);
    }

    fn multi_corner(&self, out: &mut Vec<u8>, style: Style, corner: &str) {
        out.push(b' ');
        self.label(out, style);
        out.extend_from_slice(corner.as_bytes());
        self.reset(out);
    }

    fn gutter_column(&self, out: &mut Vec<u8>, underline: Option<Style>) {
        match underline {
            None => Self::gutter_space(out),
            Some(style) => {
                self.label(out, style);
                out.extend_from_slice("──".as_bytes());
                self.reset(out);
            }
        }
    }

    fn inner_gutter(&self, out: &mut Vec<u8>, multi_labels: &[MultiLabel<'_>]) {
        let mut iter = multi_labels.iter().peekable();
        for column in 0..self.num_multi_labels {
            match iter.peek() {
                Some((index, style, label)) if *index == column => {
                    match label {
                        Multi::Left | Multi::Bottom(..) => self.multi_left(out, *style, None),
                        Multi::Top(..) => Self::gutter_space(out),
                    }
                    iter.next();
                }
                _ => Self::gutter_space(out),
            }
        }
    }

    /// Column widths of the characters of `source` (from the line start).
    fn metrics(source: &str) -> impl Iterator<Item = (usize, usize, char)> + '_ {
        let mut column = 0;
        source.char_indices().map(move |(at, ch)| {
            let width = char_width(ch, column);
            column += width;
            (at, width, ch)
        })
    }

    fn snippet_source(
        &self,
        out: &mut Vec<u8>,
        line_number: usize,
        source: &str,
        single_labels: &[SingleLabel<'_>],
        multi_labels: &[MultiLabel<'_>],
    ) {
        let p = self.p;
        let source = source.trim_end_matches(['\n', '\r', '\0']);
        let indent = source.len() - source.trim_start().len();
        // outer_gutter_number, border_left
        out.extend_from_slice(p.line_number);
        number(out, line_number, self.padding);
        out.extend_from_slice(p.reset);
        out.push(b' ');
        border(out, p);
        let mut iter = multi_labels.iter().peekable();
        for column in 0..self.num_multi_labels {
            match iter.peek() {
                Some((index, style, label)) if *index == column => {
                    match label {
                        Multi::Top(start) if *start <= indent => {
                            self.multi_corner(out, *style, "╭");
                        }
                        Multi::Top(..) => Self::gutter_space(out),
                        Multi::Left | Multi::Bottom(..) => self.multi_left(out, *style, None),
                    }
                    iter.next();
                }
                _ => Self::gutter_space(out),
            }
        }
        out.push(b' ');
        let mut in_primary = false;
        for (at, width, ch) in Self::metrics(source) {
            let here = at..at + ch.len_utf8();
            let is_primary = single_labels
                .iter()
                .any(|(s, r, _)| *s == Style::Primary && overlaps(r, &here))
                || multi_labels.iter().any(|(_, s, label)| {
                    *s == Style::Primary
                        && match label {
                            Multi::Top(start) => here.start >= *start,
                            Multi::Left => true,
                            Multi::Bottom(start, _) => here.end <= *start,
                        }
                });
            if is_primary && !in_primary {
                self.label(out, Style::Primary);
                in_primary = true;
            } else if !is_primary && in_primary {
                self.reset(out);
                in_primary = false;
            }
            if ch == '\t' {
                spaces(out, width);
            } else {
                out.extend_from_slice(&source.as_bytes()[here]);
            }
        }
        if in_primary {
            self.reset(out);
        }
        out.push(b'\n');

        if !single_labels.is_empty() {
            self.single_labels(out, source, single_labels, multi_labels);
        }

        for (k, &(_, style, label)) in multi_labels.iter().enumerate() {
            let (range, message) = match label {
                Multi::Left => continue,
                Multi::Top(start) if start <= indent => continue,
                Multi::Top(start) => (start, None),
                Multi::Bottom(end, message) => (end, Some(message)),
            };
            outer_gutter(out, self.padding);
            border(out, p);
            let mut underline = None;
            let mut iter = multi_labels.iter().enumerate().peekable();
            for column in 0..self.num_multi_labels {
                match iter.peek() {
                    Some((i, (index, ls, l))) if *index == column => {
                        let u = underline;
                        match l {
                            Multi::Left => self.multi_left(out, *ls, u),
                            Multi::Top(..) if k > *i => self.multi_left(out, *ls, u),
                            Multi::Bottom(..) if k < *i => self.multi_left(out, *ls, u),
                            Multi::Top(..) if k == *i => {
                                underline = Some(*ls);
                                self.multi_corner(out, style, "╭");
                            }
                            Multi::Bottom(..) if k == *i => {
                                underline = Some(*ls);
                                self.multi_corner(out, style, "╰");
                            }
                            Multi::Top(..) | Multi::Bottom(..) => {
                                self.gutter_column(out, underline);
                            }
                        }
                        iter.next();
                    }
                    _ => self.gutter_column(out, underline),
                }
            }
            let caret = match style {
                Style::Primary => b'^',
                Style::Secondary => b'\'',
            };
            self.label(out, style);
            // label_multi_top_caret takes the characters up to `start` inclusive,
            // label_multi_bottom_caret those before `start`.
            let upto = match message {
                None => range + 1,
                Some(_) => range,
            };
            for (_, width, _) in Self::metrics(source).take_while(|(at, _, _)| *at < upto) {
                for _ in 0..width {
                    out.extend_from_slice("─".as_bytes());
                }
            }
            out.push(caret);
            if let Some(message) = message {
                if !message.is_empty() {
                    out.push(b' ');
                    out.extend_from_slice(message.as_bytes());
                }
            }
            self.reset(out);
            out.push(b'\n');
        }
    }

    /// The carets of the single-line labels and their messages (`render_snippet_source`).
    fn single_labels(
        &self,
        out: &mut Vec<u8>,
        source: &str,
        single_labels: &[SingleLabel<'_>],
        multi_labels: &[MultiLabel<'_>],
    ) {
        let (p, severity) = (self.p, self.severity);
        let mut num_messages = 0;
        let mut max_start = 0;
        let mut max_end = 0;
        let mut trailing = None;
        for (i, (_, range, message)) in single_labels.iter().enumerate() {
            if !message.is_empty() {
                num_messages += 1;
            }
            max_start = max_start.max(range.start);
            max_end = max_end.max(range.end);
            if range.end == max_end {
                trailing = (!message.is_empty()).then_some(i);
            }
        }
        if let Some(t) = trailing {
            let range = &single_labels[t].1;
            if single_labels
                .iter()
                .enumerate()
                .any(|(i, (_, r, _))| i != t && overlaps(range, r))
            {
                trailing = None;
            }
        }
        outer_gutter(out, self.padding);
        border(out, p);
        self.inner_gutter(out, multi_labels);
        out.push(b' ');
        let mut previous: Option<Style> = None;
        let cells = Self::metrics(source).chain(std::iter::once((source.len(), 1, '\0')));
        for (at, width, ch) in cells {
            let here = at..at + ch.len_utf8();
            let current = strongest(
                single_labels
                    .iter()
                    .filter(|(_, r, _)| overlaps(r, &here))
                    .map(|l| l.0),
            );
            if previous != current {
                match current {
                    None => self.reset(out),
                    Some(style) => self.label(out, style),
                }
            }
            let caret = match current {
                Some(Style::Primary) => Some(b'^'),
                Some(Style::Secondary) => Some(b'-'),
                None if at < max_end => Some(b' '),
                None => None,
            };
            if let Some(caret) = caret {
                out.resize(out.len() + width, caret);
            }
            previous = current;
        }
        if previous.is_some() {
            self.reset(out);
        }
        if let Some(t) = trailing {
            let (style, _, message) = &single_labels[t];
            out.push(b' ');
            self.label(out, *style);
            out.extend_from_slice(message.as_bytes());
            self.reset(out);
        }
        out.push(b'\n');

        if num_messages > usize::from(trailing.is_some()) {
            let hanging = || {
                single_labels
                    .iter()
                    .enumerate()
                    .filter(move |(i, (_, _, m))| !m.is_empty() && Some(*i) != trailing)
                    .map(|(_, l)| l)
            };
            let pointers = |out: &mut Vec<u8>, upto: usize| {
                for (at, width, ch) in Self::metrics(source).take_while(|(at, _, _)| *at < upto) {
                    let end = at + ch.len_utf8();
                    let style = strongest(
                        hanging()
                            .filter(|(_, r, _)| at <= r.start && r.start < end)
                            .map(|l| l.0),
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
            outer_gutter(out, self.padding);
            border(out, p);
            self.inner_gutter(out, multi_labels);
            out.push(b' ');
            pointers(out, usize::MAX);
            out.push(b'\n');
            for (style, range, message) in hanging().rev() {
                outer_gutter(out, self.padding);
                border(out, p);
                self.inner_gutter(out, multi_labels);
                out.push(b' ');
                pointers(out, range.start);
                self.label(out, *style);
                out.extend_from_slice(message.as_bytes());
                self.reset(out);
                out.push(b'\n');
            }
        }
    }
}
