//! `--format json`: the stable contract (version 1) from DESIGN.md.

use std::io::{self, Write};

use serde::Serialize;
use wikistamp_analysis::{Diagnostic, Severity};

use super::{Location, Locator};
use crate::check::Report;

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

/// Writes the report as one JSON document. Each file's diagnostics are serialized in
/// parallel (the output of a large vault is tens of megabytes), then written in order: the
/// bytes are exactly those of serializing the whole [`Output`] at once.
pub fn render(out: &mut impl Write, report: &Report) -> io::Result<()> {
    use rayon::prelude::*;
    out.write_all(b"{\"version\":1,\"diagnostics\":[")?;
    let mut first = true;
    // A batch of files at a time: the serialized output is never held whole.
    for batch in report.files.chunks(512) {
        let chunks: Vec<Vec<u8>> = batch
            .par_iter()
            .map(|file| {
                let loc = file.source.locator();
                let mut buf = Vec::with_capacity(file.diagnostics.len() * 400);
                for (i, d) in file.diagnostics.iter().enumerate() {
                    if i > 0 {
                        buf.push(b',');
                    }
                    serde_json::to_writer(&mut buf, &diagnostic(&file.path, &loc, d))
                        .expect("serializing to memory cannot fail");
                }
                buf
            })
            .collect();
        for chunk in chunks.iter().filter(|c| !c.is_empty()) {
            if !first {
                out.write_all(b",")?;
            }
            first = false;
            out.write_all(chunk)?;
        }
    }
    let summary = Summary {
        files: report.files_checked,
        diagnostics: report.files.iter().map(|f| f.diagnostics.len()).sum(),
        errors: report.count(Severity::Error),
        warnings: report.count(Severity::Warning),
    };
    out.write_all(b"],\"summary\":")?;
    serde_json::to_writer(&mut *out, &summary)?;
    out.write_all(b"}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The streamed document is byte for byte what serializing [`Output`] whole gives.
    #[test]
    fn streamed_output_equals_whole_serialization() {
        use crate::check::FileReport;
        use crate::render::Source;
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
        render(&mut streamed, &report).expect("render");

        let mut diagnostics = Vec::new();
        for file in &report.files {
            let loc = file.source.locator();
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
                errors: report.count(Severity::Error),
                warnings: report.count(Severity::Warning),
            },
            diagnostics,
        };
        let mut expected = serde_json::to_vec(&whole).expect("serialize");
        expected.push(b'\n');
        assert_eq!(String::from_utf8(streamed), String::from_utf8(expected));
    }
}
