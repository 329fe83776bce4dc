//! `--format json`: the stable contract (version 1) from DESIGN.md.

use std::io::{self, Write};

use serde::Serialize;
use wikistamp_analysis::Diagnostic;

use super::{FileFindings, Location, Locator, Totals};

/// The whole document (contract version 1), as [`render`] streams it.
#[cfg(test)]
#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    diagnostics: usize,
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: &'a str,
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    range: JsonRange,
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonRange {
    start: JsonPosition,
    end: JsonPosition,
}

#[derive(Serialize)]
struct JsonPosition {
    line: usize,
    column: usize,
    offset: usize,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    applicability: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonEdit<'a> {
    range: JsonRange,
    new_text: &'a str,
}

impl From<Location> for JsonPosition {
    fn from(l: Location) -> Self {
        JsonPosition {
            line: l.line,
            column: l.column,
            offset: l.offset,
        }
    }
}

fn range(loc: &Locator<'_>, r: &std::ops::Range<usize>) -> JsonRange {
    JsonRange {
        start: loc.locate(r.start).into(),
        end: loc.locate(r.end).into(),
    }
}

fn diagnostic<'a>(path: &'a str, loc: &Locator<'_>, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    JsonDiagnostic {
        path,
        rule: d.rule,
        severity: d.severity.as_str(),
        message: &d.message,
        range: range(loc, &d.range),
        fix: d.fix.as_ref().map(|f| JsonFix {
            title: &f.title,
            applicability: f.applicability.as_str(),
            edits: f
                .edits
                .iter()
                .map(|e| JsonEdit {
                    range: range(loc, &e.range),
                    new_text: &e.new_text,
                })
                .collect(),
        }),
    }
}

/// The document's head: `diagnostics` follows, each file's [`file`] separated by commas.
pub fn head(out: &mut impl Write) -> io::Result<()> {
    out.write_all(b"{\"version\":1,\"diagnostics\":[")
}

/// One file's diagnostics, separated by commas: the bytes serializing them in a whole
/// [`Output`] would give.
pub fn file(out: &mut Vec<u8>, file: &FileFindings<'_>) {
    let loc = file.source.locator();
    for (i, d) in file.diagnostics.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut *out, &diagnostic(file.path, &loc, d))
            .expect("serializing to memory cannot fail");
    }
}

/// The document's tail: the summary.
pub fn tail(out: &mut impl Write, totals: &Totals) -> io::Result<()> {
    let summary = Summary {
        files: totals.files_checked,
        diagnostics: totals.diagnostics(),
        errors: totals.errors,
        warnings: totals.warnings,
    };
    out.write_all(b"],\"summary\":")?;
    serde_json::to_writer(&mut *out, &summary)?;
    out.write_all(b"}\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use wikistamp_analysis::Severity;

    /// The streamed document is byte for byte what serializing [`Output`] whole gives.
    #[test]
    fn streamed_output_equals_whole_serialization() {
        use crate::check::{FileReport, Report};
        use crate::render::{Source, Streamed};
        use wikistamp_analysis::{Fix, TextEdit};
        let file = |path: &str, text: &str, diagnostics: Vec<Diagnostic>| FileReport {
            path: path.into(),
            source: Source::located(text, &diagnostics),
            diagnostics,
        };
        let mut error =
            Diagnostic::new("link-broken", 2..13, "no note \"nowhere\"").with_fix(Fix::safe(
                "Link to `somewhere`",
                vec![TextEdit::replace(4..11, "somewhere")],
            ));
        error.severity = Severity::Error;
        let report = Report {
            files_checked: 3,
            files: vec![
                file(
                    "a.md",
                    "x [[nowhere]]\ny\n",
                    vec![error, Diagnostic::new("source-missing", 14..15, "uncited")],
                ),
                file(
                    "b/ünï.md",
                    "\"quoted\"\n",
                    vec![Diagnostic::new("source-missing", 0..8, "tab\there")],
                ),
            ],
        };
        let mut streamed = Vec::new();
        let chunks = report
            .files
            .iter()
            .map(|f| Streamed::Json.file(&f.findings()));
        Streamed::Json
            .write(&mut streamed, chunks, &report.totals())
            .expect("render");

        let mut diagnostics = Vec::new();
        for file in &report.files {
            let loc = file.source.as_ref().locator();
            diagnostics.extend(
                file.diagnostics
                    .iter()
                    .map(|d| diagnostic(&file.path, &loc, d)),
            );
        }
        let whole = Output {
            version: 1,
            summary: Summary {
                files: report.files_checked,
                diagnostics: diagnostics.len(),
                errors: 1,
                warnings: 2,
            },
            diagnostics,
        };
        let mut expected = serde_json::to_vec(&whole).expect("serialize");
        expected.push(b'\n');
        assert_eq!(String::from_utf8(streamed), String::from_utf8(expected));
    }
}
