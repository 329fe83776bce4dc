//! Output formats: adapters over the plain [`Report`].

mod concise;
mod github;
mod human;
mod json;
mod sarif;
mod statistics;

pub use statistics::render as statistics;

use std::io::{self, Write};

use wikistamp_analysis::text::LineIndex;
use wikistamp_analysis::Diagnostic;

use crate::args::{CheckArgs, Format};
use crate::check::Report;

pub fn render(args: &CheckArgs, report: &Report) -> io::Result<()> {
    let stdout = io::stdout();
    match args.format {
        Format::Human => human::render(report, args.color, args.quiet),
        Format::Concise => {
            let mut out = io::BufWriter::new(stdout.lock());
            concise::render(&mut out, report, args.quiet)?;
            out.flush()
        }
        Format::Json => {
            let mut out = io::BufWriter::new(stdout.lock());
            json::render(&mut out, report)?;
            out.flush()
        }
        Format::Sarif => {
            let mut out = io::BufWriter::new(stdout.lock());
            sarif::render(&mut out, report)?;
            out.flush()
        }
        Format::Github => {
            let mut out = io::BufWriter::new(stdout.lock());
            github::render(&mut out, report)?;
            out.flush()
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
            let mut add = |r: &std::ops::Range<usize>| {
                offsets.extend([r.start, r.end, r.end.max(r.start)]);
            };
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
                .map(|o| (o, locate(text, &lines, o)))
                .collect(),
        )
    }

    /// The text, when kept; empty otherwise.
    pub fn text(&self) -> &str {
        match self {
            Source::Text(t) => t,
            Source::Located(_) => "",
        }
    }

    pub fn locator(&self) -> Locator<'_> {
        match self {
            Source::Text(t) => Locator::Text(t, LineIndex::new(t)),
            Source::Located(table) => Locator::Table(table),
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
    let (line, col) = lines.line_col_chars(text, offset);
    Location {
        line: line + 1,
        column: col + 1,
        offset: offset.min(text.len()),
    }
}

/// "1 error, 2 warnings in 3 files" and the like.
pub fn summary_line(report: &Report) -> String {
    use wikistamp_analysis::Severity;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let e = report.count(Severity::Error);
    let w = report.count(Severity::Warning);
    let i = report.count(Severity::Info);
    let mut parts = vec![plural(e, "error"), plural(w, "warning")];
    if i > 0 {
        parts.push(plural(i, "info"));
    }
    format!(
        "{} in {} ({} checked)",
        parts.join(", "),
        plural(report.files.len(), "file"),
        report.files_checked
    )
}
