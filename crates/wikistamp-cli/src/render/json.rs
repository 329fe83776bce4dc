//! `--format json`: the stable contract (version 1) from DESIGN.md.

use std::io::{self, Write};

use serde::Serialize;
#[cfg(test)]
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

// The contract's shape as serde structs: what [`file`] writes by hand, and what the tests
// compare it with.

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
impl From<Location> for JsonPosition {
    fn from(l: Location) -> Self {
        JsonPosition {
            line: l.line,
            column: l.column,
            offset: l.offset,
        }
    }
}

#[cfg(test)]
fn range(loc: &Locator<'_>, r: &std::ops::Range<usize>) -> JsonRange {
    JsonRange {
        start: loc.locate(r.start).into(),
        end: loc.locate(r.end).into(),
    }
}

#[cfg(test)]
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
/// [`Output`] would give. Written by hand for this one shape (the path is escaped once per
/// file, no intermediate structures): a vault's output is tens of megabytes.
pub fn file(out: &mut Vec<u8>, file: &FileFindings<'_>) {
    let loc = file.source.locator();
    let mut path = Vec::with_capacity(file.path.len() + 2);
    string(&mut path, file.path);
    for (i, d) in file.diagnostics.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"path\":");
        out.extend_from_slice(&path);
        out.extend_from_slice(b",\"rule\":");
        string(out, d.rule);
        out.extend_from_slice(b",\"severity\":");
        string(out, d.severity.as_str());
        out.extend_from_slice(b",\"message\":");
        string(out, &d.message);
        out.extend_from_slice(b",\"range\":");
        range_into(out, &loc, &d.range);
        out.extend_from_slice(b",\"fix\":");
        match &d.fix {
            None => out.extend_from_slice(b"null"),
            Some(f) => {
                out.extend_from_slice(b"{\"title\":");
                string(out, &f.title);
                out.extend_from_slice(b",\"applicability\":");
                string(out, f.applicability.as_str());
                out.extend_from_slice(b",\"edits\":[");
                for (j, e) in f.edits.iter().enumerate() {
                    if j > 0 {
                        out.push(b',');
                    }
                    out.extend_from_slice(b"{\"range\":");
                    range_into(out, &loc, &e.range);
                    out.extend_from_slice(b",\"newText\":");
                    string(out, &e.new_text);
                    out.push(b'}');
                }
                out.extend_from_slice(b"]}");
            }
        }
        out.push(b'}');
    }
}

fn range_into(out: &mut Vec<u8>, loc: &Locator<'_>, r: &std::ops::Range<usize>) {
    out.extend_from_slice(b"{\"start\":");
    position(out, loc.locate(r.start));
    out.extend_from_slice(b",\"end\":");
    position(out, loc.locate(r.end));
    out.push(b'}');
}

fn position(out: &mut Vec<u8>, l: Location) {
    let mut n = itoa::Buffer::new();
    out.extend_from_slice(b"{\"line\":");
    out.extend_from_slice(n.format(l.line).as_bytes());
    out.extend_from_slice(b",\"column\":");
    out.extend_from_slice(n.format(l.column).as_bytes());
    out.extend_from_slice(b",\"offset\":");
    out.extend_from_slice(n.format(l.offset).as_bytes());
    out.push(b'}');
}

/// `s` as a JSON string, escaped as serde_json escapes it: `"`, `\\` and control characters
/// only (`\n`, `\t` and the like where JSON has a short form, else `\u00XX`).
fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        start = i + 1;
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xf)]);
            }
        }
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
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

    use proptest::prelude::*;

    fn any_text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("\"".to_string()),
                Just("\\".to_string()),
                Just("\n".to_string()),
                Just("\r\n".to_string()),
                (0u8..0x20).prop_map(|b| char::from(b).to_string()),
                Just("\u{7f}".to_string()),
                Just("é".to_string()),
                Just("🎉".to_string()),
                Just("/".to_string()),
                "[a-z <>&]{1,4}",
            ],
            0..12,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        /// The hand-written writer gives exactly serde_json's bytes for any strings, ranges and
        /// fixes.
        #[test]
        fn file_equals_serde_serialization(
            path in any_text(),
            text in any_text(),
            findings in proptest::collection::vec(
                (any_text(), 0usize..40, 0usize..40, proptest::option::of((
                    any_text(),
                    any::<bool>(),
                    proptest::collection::vec((0usize..40, 0usize..40, any_text()), 0..3),
                ))),
                0..4,
            ),
        ) {
            use wikistamp_analysis::{Fix, TextEdit};
            use crate::render::Source;
            let diagnostics: Vec<Diagnostic> = findings
                .into_iter()
                .enumerate()
                .map(|(i, (message, a, b, fix))| {
                    let rules = ["link-broken", "source-missing", "timestamp-format"];
                    let mut d = Diagnostic::new(rules[i % 3], a.min(b)..a.max(b), message);
                    d.severity = [Severity::Error, Severity::Warning, Severity::Info][i % 3];
                    if let Some((title, safe, edits)) = fix {
                        let edits = edits
                            .into_iter()
                            .map(|(x, y, t)| TextEdit::replace(x.min(y)..x.max(y), t))
                            .collect();
                        d = d.with_fix(if safe { Fix::safe(title, edits) } else { Fix::unsafe_(title, edits) });
                    }
                    d
                })
                .collect();
            for source in [Source::Text(text.clone()), Source::located(&text, &diagnostics)] {
                let findings = FileFindings { path: &path, source: source.as_ref(), diagnostics: &diagnostics };
                let mut written = Vec::new();
                file(&mut written, &findings);
                let loc = findings.source.locator();
                let expected: Vec<String> = diagnostics
                    .iter()
                    .map(|d| serde_json::to_string(&diagnostic(&path, &loc, d)).expect("serialize"))
                    .collect();
                prop_assert_eq!(String::from_utf8(written).expect("UTF-8"), expected.join(","));
            }
        }
    }

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
