//! What a check found, and the [`Report`] trait every output format implements. A check hands a
//! report each file's findings, then the totals; a format is built with what it needs to know
//! (colour, `--quiet`) and never sees the command line.

mod source;

pub use source::{locate, Location, Locator, Source, SourceRef};

use std::io::{self, Write};

use rayon::prelude::*;
use wikistamp_analysis::{Diagnostic, Severity};

/// An output format. Most are a head, each file's output in turn (files in path order, with a
/// separator between two), and a tail that may tell the totals; [`Stream`] writes them.
pub trait Report: Sync {
    /// Whether [`Report::render`] shows files' text; otherwise the locations their findings
    /// mention are enough ([`Source::located`]), so a check need not keep every text.
    fn shows_text(&self) -> bool {
        false
    }

    /// Written before the first file's output (or before the tail when there is none).
    fn head(&self) -> &[u8] {
        b""
    }

    /// Written between two files' outputs.
    fn separator(&self) -> &[u8] {
        b""
    }

    /// One file's output. A check renders many files at once, each on the thread that checked
    /// it, and writes the outputs in path order; empty outputs are skipped.
    fn render(&self, file: &FileFindings<'_>) -> Vec<u8>;

    /// Writes what follows the last file's output.
    fn finish(&self, out: &mut dyn Write, totals: &Totals) -> io::Result<()>;
}

/// Writes a [`Report`] a file at a time: the head before the first file, separators between
/// files, the tail at the end.
pub struct Stream<'r> {
    report: &'r dyn Report,
    started: bool,
    files: usize,
}

impl<'r> Stream<'r> {
    pub fn new(report: &'r dyn Report) -> Self {
        Stream {
            report,
            started: false,
            files: 0,
        }
    }

    fn start(&mut self, out: &mut impl Write) -> io::Result<()> {
        if !self.started {
            self.started = true;
            out.write_all(self.report.head())?;
        }
        Ok(())
    }

    /// One file's output ([`Report::render`]); files with nothing to show write nothing.
    pub fn file(&mut self, out: &mut impl Write, output: &[u8]) -> io::Result<()> {
        self.start(out)?;
        if output.is_empty() {
            return Ok(());
        }
        if self.files > 0 {
            out.write_all(self.report.separator())?;
        }
        self.files += 1;
        out.write_all(output)
    }

    pub fn finish(mut self, out: &mut impl Write, totals: &Totals) -> io::Result<()> {
        self.start(out)?;
        self.report.finish(out, totals)
    }
}

/// Writes `findings` whole through `report` (what `--fix` leaves, standard input).
pub fn write(report: &dyn Report, out: &mut impl Write, findings: &Findings) -> io::Result<()> {
    let mut stream = Stream::new(report);
    // A batch of files at a time, rendered in parallel: the output is never held whole.
    for batch in findings.files.chunks(256) {
        let outputs: Vec<Vec<u8>> = batch
            .par_iter()
            .map(|file| report.render(&file.findings()))
            .collect();
        for output in &outputs {
            stream.file(out, output)?;
        }
    }
    stream.finish(out, &findings.totals())
}

/// One file's findings as a renderer sees them.
pub struct FileFindings<'a> {
    /// Relative to the current directory, `/`-separated.
    pub path: &'a str,
    pub source: SourceRef<'a>,
    pub diagnostics: &'a [Diagnostic],
}

/// The findings of one file, with its text or the locations its findings mention.
pub struct FileReport {
    /// Relative to the current directory, `/`-separated.
    pub path: String,
    pub source: Source,
    pub diagnostics: Vec<Diagnostic>,
}

impl FileReport {
    /// `None` when there is nothing to report. Keeps the text only when `keep_text` (the
    /// human format shows source lines); otherwise only the locations the renderers need.
    pub fn new(
        path: String,
        text: &str,
        diagnostics: Vec<Diagnostic>,
        keep_text: bool,
    ) -> Option<Self> {
        if diagnostics.is_empty() {
            return None;
        }
        let source = if keep_text {
            Source::Text(text.to_string())
        } else {
            Source::located(text, &diagnostics)
        };
        Some(FileReport {
            path,
            source,
            diagnostics,
        })
    }

    pub fn findings(&self) -> FileFindings<'_> {
        FileFindings {
            path: &self.path,
            source: self.source.as_ref(),
            diagnostics: &self.diagnostics,
        }
    }
}

/// Everything a check found.
pub struct Findings {
    /// Number of files checked.
    pub files_checked: usize,
    /// Files with findings, sorted by path.
    pub files: Vec<FileReport>,
}

impl Findings {
    pub fn totals(&self) -> Totals {
        let mut totals = Totals {
            files_checked: self.files_checked,
            ..Totals::default()
        };
        for f in &self.files {
            totals.add(&f.diagnostics);
        }
        totals
    }

    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.files.iter().flat_map(|f| &f.diagnostics)
    }
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

/// `1 file`, `2 files`.
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
