//! Output formats: adapters over plain diagnostic data. Most formats are a head, each file's
//! output in turn, and a tail ([`Streamed`]): a check renders each file as soon as it is checked,
//! in parallel, and only the rendered bytes wait for the files before them.

mod concise;
mod github;
mod human;
mod json;
mod sarif;
mod statistics;
#[cfg(test)]
mod timing;

pub use statistics::render as statistics;

use std::io::{self, IsTerminal, Write};

use rayon::prelude::*;
use wikistamp_analysis::text::{ColumnUnit, LineIndex};
use wikistamp_analysis::{Diagnostic, Severity};

use crate::args::{CheckArgs, ColorChoice, Format};
use crate::check::Report;

/// Renders a whole report (what `--fix` leaves, standard input, SARIF).
pub fn render(args: &CheckArgs, report: &Report) -> io::Result<()> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    match Streamed::of(args) {
        Some(format) => {
            // A batch of files at a time, rendered in parallel: the output is never held whole.
            let chunks = report.files.chunks(256).flat_map(|batch| {
                batch
                    .par_iter()
                    .map(|file| format.file(&file.findings()))
                    .collect::<Vec<_>>()
            });
            format.write(&mut out, chunks, &report.totals())?;
        }
        None => sarif::render(&mut out, report)?,
    }
    out.flush()
}

/// A format whose output is a head, each file's output in turn (files in path order), and a
/// tail: every format but SARIF (one document with every rule's metadata) and `--statistics`.
#[derive(Debug, Clone, Copy)]
pub enum Streamed {
    Human { color: bool, quiet: bool },
    Concise { quiet: bool },
    Json,
    Github,
}

impl Streamed {
    pub fn of(args: &CheckArgs) -> Option<Self> {
        if args.statistics {
            return None;
        }
        Some(match args.format {
            Format::Human => Streamed::Human {
                color: match args.color {
                    ColorChoice::Always => true,
                    ColorChoice::Never => false,
                    ColorChoice::Auto => {
                        io::stdout().is_terminal()
                            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    }
                },
                quiet: args.quiet,
            },
            Format::Concise => Streamed::Concise { quiet: args.quiet },
            Format::Json => Streamed::Json,
            Format::Github => Streamed::Github,
            Format::Sarif => return None,
        })
    }

    /// Whether [`Streamed::file`] needs the file's text (else its findings' locations do).
    pub fn shows_text(self) -> bool {
        matches!(self, Streamed::Human { .. })
    }

    /// One file's output.
    pub fn file(self, file: &FileFindings<'_>) -> Vec<u8> {
        if let Streamed::Json = self {
            // (Sized to its output up front.)
            let mut out = Vec::new();
            json::file(&mut out, file);
            return out;
        }
        let mut out = Vec::with_capacity(file.diagnostics.len() * 400);
        match self {
            Streamed::Human { color, .. } => human::file(&mut out, file, color),
            Streamed::Concise { .. } => concise::file(&mut out, file),
            Streamed::Json => json::file(&mut out, file),
            Streamed::Github => github::file(&mut out, file),
        }
        out
    }

    /// The head, the files' outputs in order, the tail.
    pub fn write<C: AsRef<[u8]>>(
        self,
        out: &mut impl Write,
        files: impl IntoIterator<Item = C>,
        totals: &Totals,
    ) -> io::Result<()> {
        let mut writer = StreamWriter::new(self);
        for chunk in files {
            writer.file(out, chunk.as_ref())?;
        }
        writer.finish(out, totals)
    }
}

/// Writes a [`Streamed`] format a file at a time: the head before the first file, separators
/// between files, the tail at the end.
pub struct StreamWriter {
    format: Streamed,
    started: bool,
    files: usize,
}

impl StreamWriter {
    pub fn new(format: Streamed) -> Self {
        StreamWriter {
            format,
            started: false,
            files: 0,
        }
    }

    fn start(&mut self, out: &mut impl Write) -> io::Result<()> {
        if !self.started {
            self.started = true;
            if let Streamed::Json = self.format {
                json::head(out)?;
            }
        }
        Ok(())
    }

    /// One file's output ([`Streamed::file`]); files with nothing to show write nothing.
    pub fn file(&mut self, out: &mut impl Write, output: &[u8]) -> io::Result<()> {
        self.start(out)?;
        if output.is_empty() {
            return Ok(());
        }
        if self.files > 0 {
            if let Streamed::Json = self.format {
                out.write_all(b",")?;
            }
        }
        self.files += 1;
        out.write_all(output)
    }

    pub fn finish(mut self, out: &mut impl Write, totals: &Totals) -> io::Result<()> {
        self.start(out)?;
        match self.format {
            Streamed::Json => json::tail(out, totals),
            Streamed::Human { quiet: false, .. } | Streamed::Concise { quiet: false } => {
                writeln!(out, "{}", summary_line(totals))
            }
            _ => Ok(()),
        }
    }
}

/// One file's findings as a renderer sees them.
pub struct FileFindings<'a> {
    /// Relative to the current directory, `/`-separated.
    pub path: &'a str,
    pub source: SourceRef<'a>,
    pub diagnostics: &'a [Diagnostic],
}

/// What the summaries count.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub files_checked: usize,
    /// Files with findings.
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Totals {
    /// Counts one file's findings (none: the file does not count).
    pub fn add(&mut self, diagnostics: &[Diagnostic]) {
        if diagnostics.is_empty() {
            return;
        }
        self.files += 1;
        for d in diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }

    pub fn merge(&mut self, other: &Totals) {
        self.files_checked += other.files_checked;
        self.files += other.files;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
    }

    pub fn diagnostics(&self) -> usize {
        self.errors + self.warnings + self.infos
    }

    /// Findings of `severity` or above.
    pub fn at_least(&self, severity: Severity) -> usize {
        match severity {
            Severity::Error => self.errors,
            Severity::Warning => self.errors + self.warnings,
            Severity::Info => self.diagnostics(),
        }
    }
}

/// A 1-based line and column (in Unicode scalar values) plus the byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

/// What a renderer needs of a file's text: the text itself (the human format shows source
/// lines), or only the locations of the offsets its findings mention, so a check of a whole
/// vault need not keep every text until the end.
pub enum Source {
    Text(String),
    /// Sorted by offset; every offset any finding of the file mentions.
    Located(Vec<(usize, Location)>),
}

impl Source {
    /// Locates, up front, every offset that `diagnostics` mention in `text`.
    pub fn located(text: &str, diagnostics: &[Diagnostic]) -> Self {
        let mut offsets: Vec<usize> = Vec::new();
        for d in diagnostics {
            let mut add = |r: &std::ops::Range<usize>| offsets.extend([r.start, r.end]);
            add(&d.range);
            d.related.iter().for_each(|r| add(&r.range));
            if let Some(f) = &d.fix {
                f.edits.iter().for_each(|e| add(&e.range));
            }
        }
        offsets.sort_unstable();
        offsets.dedup();
        let lines = LineIndex::new(text);
        Source::Located(
            offsets
                .into_iter()
                .map(|offset| (offset, locate(text, &lines, offset)))
                .collect(),
        )
    }

    pub fn as_ref(&self) -> SourceRef<'_> {
        match self {
            Source::Text(t) => SourceRef::Text(t),
            Source::Located(table) => SourceRef::Located(table),
        }
    }
}

/// A borrowed [`Source`].
#[derive(Clone, Copy)]
pub enum SourceRef<'a> {
    Text(&'a str),
    Located(&'a [(usize, Location)]),
}

impl<'a> SourceRef<'a> {
    /// The text, when kept; empty otherwise.
    pub fn text(self) -> &'a str {
        match self {
            SourceRef::Text(t) => t,
            SourceRef::Located(_) => "",
        }
    }

    pub fn locator(self) -> Locator<'a> {
        match self {
            SourceRef::Text(t) => Locator::Text(t, LineIndex::new(t)),
            SourceRef::Located(table) => Locator::Table(table),
        }
    }
}

/// Offset → [`Location`] for one file.
pub enum Locator<'a> {
    Text(&'a str, LineIndex),
    Table(&'a [(usize, Location)]),
}

impl Locator<'_> {
    pub fn locate(&self, offset: usize) -> Location {
        match self {
            Locator::Text(text, lines) => locate(text, lines, offset),
            Locator::Table(table) => {
                // Every offset a finding mentions is in the table; the nearest one below
                // stands in for any other (never reached).
                let i = table.partition_point(|(o, _)| *o <= offset);
                table.get(i.wrapping_sub(1)).map_or(
                    Location {
                        line: 1,
                        column: 1,
                        offset: 0,
                    },
                    |(_, l)| *l,
                )
            }
        }
    }
}

pub fn locate(text: &str, lines: &LineIndex, offset: usize) -> Location {
    let at = lines.line_col(text, offset, ColumnUnit::Chars);
    Location {
        line: at.line + 1,
        column: at.col + 1,
        offset: offset.min(text.len()),
    }
}

/// "1 error, 2 warnings in 3 files" and the like.
pub fn summary_line(totals: &Totals) -> String {
    use crate::check::plural;
    let mut parts = vec![
        plural(totals.errors, "error"),
        plural(totals.warnings, "warning"),
    ];
    if totals.infos > 0 {
        parts.push(plural(totals.infos, "info"));
    }
    format!(
        "{} in {} ({} checked)",
        parts.join(", "),
        plural(totals.files, "file"),
        totals.files_checked
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use wikistamp_analysis::diagnostic::{Fix, TextEdit};
    use wikistamp_analysis::RuleId;

    #[test]
    fn located_holds_every_offset_of_ranges_related_and_edits() {
        let text = "ab\r\ncd é\rx\n";
        let mut d = Diagnostic::new(RuleId::LinkBroken, 5..8, "m").with_related(1..2, "r");
        d = d.with_fix(Fix::safe("f", vec![TextEdit::replace(12..40, "y")]));
        let Source::Located(table) = Source::located(text, std::slice::from_ref(&d)) else {
            panic!("a table");
        };
        let at = |line, column, offset| Location {
            line,
            column,
            offset,
        };
        // Lines end at `\r\n`, a lone `\r` and `\n`; 8 is inside `é`; 40 is past the end.
        assert_eq!(
            table,
            [
                (1, at(1, 2, 1)),
                (2, at(1, 3, 2)),
                (5, at(2, 2, 5)),
                (8, at(2, 4, 8)),
                (12, at(4, 1, 12)),
                (40, at(4, 1, 12)),
            ]
        );
        let loc = Source::located(text, &[d]);
        let loc = loc.as_ref().locator();
        assert_eq!(
            loc.locate(8),
            Location {
                line: 2,
                column: 4,
                offset: 8
            }
        );
        assert_eq!(loc.locate(40).offset, text.len());
    }
}
