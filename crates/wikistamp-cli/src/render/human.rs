//! Human output through codespan-reporting: `path:line:col`, the source line with the finding
//! underlined, the message, the suggestion and the fix.

use std::io::{self, IsTerminal, Write};

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor};
use wikistamp_analysis::{Applicability, Diagnostic, Severity};

use super::summary_line;
use crate::args::ColorChoice;
use crate::check::Report;

pub fn render(report: &Report, color: ColorChoice, quiet: bool) -> io::Result<()> {
    let use_color = match color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let choice = if use_color {
        termcolor::ColorChoice::Always
    } else {
        termcolor::ColorChoice::Never
    };
    let stream = termcolor::BufferedStandardStream::stdout(choice);
    let mut stream = stream;
    let config = term::Config::default();
    for file in &report.files {
        let text = file.source.text();
        let source = SimpleFile::new(file.path.as_str(), text);
        for d in &file.diagnostics {
            let cs = to_codespan(d, text.len());
            term::emit_to_write_style(&mut stream, &config, &source, &cs)
                .map_err(io::Error::other)?;
        }
    }
    if !quiet {
        writeln!(stream, "{}", summary_line(report))?;
    }
    stream.flush()
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
