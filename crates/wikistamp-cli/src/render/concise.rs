use std::io::{self, Write};

use super::summary_line;
use crate::check::Report;

/// `path:line:col: severity[rule] message`, one finding per line.
pub fn render(out: &mut impl Write, report: &Report, quiet: bool) -> io::Result<()> {
    for file in &report.files {
        let loc = file.source.locator();
        for d in &file.diagnostics {
            let at = loc.locate(d.range.start);
            writeln!(
                out,
                "{}:{}:{}: {}[{}] {}",
                file.path, at.line, at.column, d.severity, d.rule, d.message
            )?;
        }
    }
    if !quiet {
        writeln!(out, "{}", summary_line(report))?;
    }
    Ok(())
}
