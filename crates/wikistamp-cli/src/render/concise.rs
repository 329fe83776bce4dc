//! `--format concise`: `path:line:col: severity[rule] message`, one finding per line.

use std::io::{self, Write};

use crate::report::{FileFindings, Report, Totals};

pub struct Concise {
    /// No summary line.
    pub quiet: bool,
}

impl Report for Concise {
    fn render(&self, file: &FileFindings<'_>) -> Vec<u8> {
        let mut out = Vec::with_capacity(file.diagnostics.len() * 100);
        let loc = file.source.locator();
        for d in file.diagnostics {
            let at = loc.locate(d.range.start);
            writeln!(
                out,
                "{}:{}:{}: {}[{}] {}",
                file.path, at.line, at.column, d.severity, d.rule, d.message
            )
            .expect("writing to memory cannot fail");
        }
        out
    }

    fn finish(&self, out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
        super::summary(out, totals, self.quiet)
    }
}
