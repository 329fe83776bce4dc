use std::io::Write;

use super::FileFindings;

/// `path:line:col: severity[rule] message`, one finding per line.
pub fn file(out: &mut Vec<u8>, file: &FileFindings<'_>) {
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
}
