//! `--format json`: the stable contract (version 1) from DESIGN.md.

use std::io::{self, Write};

use serde::Serialize;
use wikistamp_analysis::{Diagnostic, Severity};

use super::{Location, Locator};
use crate::check::Report;

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

pub fn render(out: &mut impl Write, report: &Report) -> io::Result<()> {
    let mut diagnostics = Vec::new();
    for file in &report.files {
        let loc = file.source.locator();
        for d in &file.diagnostics {
            diagnostics.push(diagnostic(&file.path, &loc, d));
        }
    }
    let output = Output {
        version: 1,
        summary: Summary {
            files: report.files_checked,
            diagnostics: diagnostics.len(),
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
        },
        diagnostics,
    };
    serde_json::to_writer(&mut *out, &output)?;
    writeln!(out)
}
