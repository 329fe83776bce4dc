//! Human output through codespan-reporting: `path:line:col`, the source line with the finding
//! underlined, the message, the suggestion and the fix.

use std::io::Write;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::{Error as FilesError, Files, SimpleFile};
use codespan_reporting::term::{self, termcolor};
use wikistamp_analysis::text::LineIndex;
use wikistamp_analysis::{Applicability, Diagnostic, Severity};

use super::FileFindings;

/// One file's findings, each with its source line underlined (ANSI colors when `color`).
pub fn file(out: &mut Vec<u8>, file: &FileFindings<'_>, color: bool) {
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let config = term::Config::default();
    let text = file.source.text();
    let source = SimpleFile::new(file.path, text);
    let lines = LineIndex::new(text);
    for d in file.diagnostics {
        // Notes often hold a whole paragraph on one line (hundreds of KB in real vaults):
        // show a window of such a line around the finding, not the line itself.
        let shown = match Excerpt::around(file.path, text, &lines, d) {
            Some(excerpt) => {
                let cs = to_codespan(&excerpt.diagnostic, excerpt.source.len());
                term::emit_to_write_style(&mut buffer, &config, &excerpt, &cs)
            }
            None => {
                let cs = to_codespan(d, text.len());
                term::emit_to_write_style(&mut buffer, &config, &source, &cs)
            }
        };
        if shown.is_err() {
            // A span codespan cannot show (never seen): the finding is still reported.
            let at = super::locate(text, &lines, d.range.start);
            let line = format!(
                "{}:{}:{}: {}[{}] {}\n",
                file.path, at.line, at.column, d.severity, d.rule, d.message
            );
            buffer
                .write_all(line.as_bytes())
                .expect("writing to memory cannot fail");
        }
    }
    out.extend_from_slice(buffer.as_slice());
}

/// Lines longer than this (in characters) are shown as a window around the finding.
const LONG_LINE: usize = 300;
/// Characters of context on each side of the finding in a window.
const CONTEXT: usize = 60;
/// At most this many characters of the finding itself are shown.
const MAX_SPAN: usize = 80;

/// One long line cut down to a window around a finding, presented to codespan-reporting as a
/// one-line file that still reports the real line and column numbers.
struct Excerpt<'a> {
    name: &'a str,
    source: String,
    line_number: usize,
    /// Characters of the real line before the window (for column numbers).
    chars_before: usize,
    /// Bytes of the `…` marker at the start of `source` (0 when the window starts the line).
    marker_len: usize,
    /// The diagnostic with its ranges moved into `source`.
    diagnostic: Diagnostic,
}

impl<'a> Excerpt<'a> {
    fn around(name: &'a str, text: &str, lines: &LineIndex, d: &Diagnostic) -> Option<Self> {
        let line = lines.line_of(d.range.start);
        let range = lines.line_range(text, line);
        let line_text = text.get(range.clone())?;
        // (Bytes bound characters from above: most lines need no count.)
        if line_text.len() <= LONG_LINE || line_text.chars().count() <= LONG_LINE {
            return None;
        }
        // Character positions of the finding within the line.
        let start = d.range.start.clamp(range.start, range.end) - range.start;
        let end = d.range.end.clamp(range.start, range.end) - range.start;
        let start_char = line_text[..start].chars().count();
        let span_chars = line_text[start..end.max(start)]
            .chars()
            .count()
            .min(MAX_SPAN);
        let from_char = start_char.saturating_sub(CONTEXT);
        let to_char = start_char + span_chars + CONTEXT;
        // Walk from the finding, not from the line start: a line may be hundreds of KB long
        // and hold thousands of findings.
        let from = match CONTEXT {
            0 => start,
            n => line_text[..start]
                .char_indices()
                .rev()
                .nth(n - 1)
                .map_or(0, |(i, _)| i),
        };
        let to = line_text[start..]
            .char_indices()
            .nth(to_char - start_char)
            .map_or(line_text.len(), |(i, _)| start + i);
        let lead = if from > 0 { "…" } else { "" };
        let trail = if to < line_text.len() { "…" } else { "" };
        let source = format!("{lead}{}{trail}", &line_text[from..to]);
        let shift = |offset: usize| {
            let inside = offset.clamp(range.start + from, range.start + to) - range.start - from;
            inside + lead.len()
        };
        let mut diagnostic = d.clone();
        diagnostic.range = shift(d.range.start)..shift(d.range.end);
        // Related spans elsewhere in the note are left out of a one-line window.
        diagnostic
            .related
            .retain(|r| r.range.start >= range.start + from && r.range.end <= range.start + to);
        for r in &mut diagnostic.related {
            r.range = shift(r.range.start)..shift(r.range.end);
        }
        Some(Excerpt {
            name,
            source,
            line_number: line + 1,
            chars_before: from_char,
            marker_len: lead.len(),
            diagnostic,
        })
    }
}

impl<'a> Files<'a> for Excerpt<'_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(self.name)
    }
    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.source)
    }
    fn line_index(&'a self, (): (), _byte_index: usize) -> Result<usize, FilesError> {
        Ok(0)
    }
    fn line_number(&'a self, (): (), _line_index: usize) -> Result<usize, FilesError> {
        Ok(self.line_number)
    }
    fn column_number(
        &'a self,
        (): (),
        _line: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let at = byte_index.clamp(self.marker_len, self.source.len());
        let at = wikistamp_analysis::text::floor_char_boundary(&self.source, at);
        Ok(self.chars_before + self.source[self.marker_len.min(at)..at].chars().count() + 1)
    }
    fn line_range(
        &'a self,
        (): (),
        _line_index: usize,
    ) -> Result<std::ops::Range<usize>, FilesError> {
        Ok(0..self.source.len())
    }
}

fn to_codespan(d: &Diagnostic, len: usize) -> CsDiagnostic<()> {
    let severity = match d.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    };
    let range = d.range.start.min(len)..d.range.end.min(len);
    let mut labels = vec![Label::primary((), range)];
    for r in &d.related {
        labels.push(
            Label::secondary((), r.range.start.min(len)..r.range.end.min(len))
                .with_message(&r.message),
        );
    }
    let mut notes = Vec::new();
    if let Some(help) = &d.help {
        notes.push(format!("help: {help}"));
    }
    if let Some(fix) = &d.fix {
        let kind = match fix.applicability {
            Applicability::Safe => "fix",
            Applicability::Unsafe => "unsafe fix",
        };
        notes.push(format!("{kind}: {}", fix.title));
    }
    CsDiagnostic::new(severity)
        .with_message(&d.message)
        .with_code(d.rule)
        .with_labels(labels)
        .with_notes(notes)
}
