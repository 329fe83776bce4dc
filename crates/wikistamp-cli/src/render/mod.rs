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
