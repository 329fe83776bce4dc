//! `--format json`: the stable contract (version 1) from DESIGN.md, streamed a file at a time:
//! `{"version":1,"diagnostics":[…],"summary":{…}}`. The serde structs here are the contract's
//! shape; [`fast`] writes a file's diagnostics in that shape by hand, for speed.

mod fast;

use std::io::{self, Write};

use serde::Serialize;
#[cfg(test)]
use wikistamp_analysis::Diagnostic;

#[cfg(test)]
use crate::report::Locator;
use crate::report::{FileFindings, Report, Totals};

pub struct Json;

impl Report for Json {
    fn head(&self) -> &[u8] {
        b"{\"version\":1,\"diagnostics\":["
    }

    fn separator(&self) -> &[u8] {
        b","
    }

    /// The file's diagnostics, separated by commas.
    fn render(&self, file: &FileFindings<'_>) -> Vec<u8> {
        let mut out = Vec::with_capacity(file.diagnostics.len() * 300);
        fast::file(&mut out, file);
        out
    }

    /// The summary.
    fn finish(&self, out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
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
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    diagnostics: usize,
    errors: usize,
    warnings: usize,
}

// The contract's shape as serde structs: the reference that [`fast`] is held equal to.

#[cfg(test)]
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: &'a str,
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    range: JsonRange,
    fix: Option<JsonFix<'a>>,
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonRange {
    start: JsonPosition,
    end: JsonPosition,
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonPosition {
    line: usize,
    column: usize,
    offset: usize,
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    applicability: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[cfg(test)]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonEdit<'a> {
    range: JsonRange,
    new_text: &'a str,
}

#[cfg(test)]
fn position(loc: &Locator<'_>, offset: usize) -> JsonPosition {
    let l = loc.locate(offset);
    JsonPosition {
        line: l.line,
        column: l.column,
        offset: l.offset,
    }
}

#[cfg(test)]
fn range(loc: &Locator<'_>, r: &std::ops::Range<usize>) -> JsonRange {
    JsonRange {
        start: position(loc, r.start),
        end: position(loc, r.end),
    }
}

#[cfg(test)]
fn diagnostic<'a>(path: &'a str, loc: &Locator<'_>, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    JsonDiagnostic {
        path,
        rule: d.rule.as_str(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use wikistamp_analysis::RuleId;

    use wikistamp_analysis::{Fix, Severity, TextEdit};

    use crate::report::{self, FileReport, Findings, Source};

    /// The whole document (contract version 1), as [`Json`] streams it.
    #[derive(Serialize)]
    struct Output<'a> {
        version: u32,
        diagnostics: Vec<JsonDiagnostic<'a>>,
        summary: Summary,
    }

    /// The streamed document is byte for byte what serializing [`Output`] whole gives.
    #[test]
    fn streamed_output_equals_whole_serialization() {
        let file = |path: &str, text: &str, diagnostics: Vec<Diagnostic>| FileReport {
            path: path.into(),
            source: Source::located(text, &diagnostics),
            diagnostics,
        };
        let mut error =
            Diagnostic::new(RuleId::LinkBroken, 2..13, "no note \"nowhere\"").with_fix(Fix::safe(
                "Link to `somewhere`",
                vec![TextEdit::replace(4..11, "somewhere")],
            ));
        error.severity = Severity::Error;
        let findings = Findings {
            files_checked: 3,
            files: vec![
                file(
                    "a.md",
                    "x [[nowhere]]\ny\n",
                    vec![
                        error,
                        Diagnostic::new(RuleId::SourceMissing, 14..15, "uncited"),
                    ],
                ),
                file(
                    "b/ünï.md",
                    "\"quoted\"\n",
                    vec![Diagnostic::new(RuleId::SourceMissing, 0..8, "tab\there")],
                ),
            ],
        };
        let mut streamed = Vec::new();
        report::write(&Json, &mut streamed, &findings).expect("render");

        let mut diagnostics = Vec::new();
        for file in &findings.files {
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
                files: findings.files_checked,
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

    /// No files with findings: an empty list, and the summary.
    #[test]
    fn a_clean_check_is_an_empty_list() {
        let findings = Findings {
            files_checked: 2,
            files: Vec::new(),
        };
        let mut streamed = Vec::new();
        report::write(&Json, &mut streamed, &findings).expect("render");
        assert_eq!(
            String::from_utf8(streamed).expect("UTF-8"),
            "{\"version\":1,\"diagnostics\":[],\"summary\":{\"files\":2,\"diagnostics\":0,\"errors\":0,\"warnings\":0}}\n"
        );
    }
}
