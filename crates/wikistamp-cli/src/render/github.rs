//! `--format github`: GitHub Actions workflow commands, which become annotations on the files of
//! a pull request: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`.

use std::io::{self, Write};

use wikistamp_analysis::Severity;

use crate::report::{FileFindings, Report, Totals};

pub struct Github;

/// Escapes a workflow-command message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property value (also `:` and `,`, which delimit properties).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

impl Report for Github {
    fn render(&self, file: &FileFindings<'_>) -> Vec<u8> {
        let mut out = Vec::with_capacity(file.diagnostics.len() * 200);
        let loc = file.source.locator();
        for d in file.diagnostics {
            let start = loc.locate(d.range.start);
            let end = loc.locate(d.range.end);
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(file.path),
                start.line,
                start.column,
                end.line,
                end.column,
                escape_property(&format!("wikistamp ({})", d.rule)),
                escape_data(&message),
            )
            .expect("writing to memory cannot fail");
        }
        out
    }

    fn finish(&self, _out: &mut dyn Write, _totals: &Totals) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_workflow_command_rules() {
        assert_eq!(escape_data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
