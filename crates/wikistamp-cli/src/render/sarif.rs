//! `--format sarif`: SARIF 2.1.0 (what GitHub code scanning uploads), with every rule's metadata
//! and its documentation as help text. Paths are relative URIs against `%SRCROOT%` (the
//! current directory, normally the repository root).

use std::io::{self, Write};

use serde_json::{json, Value};
use wikistamp_analysis::rules;
use wikistamp_analysis::{Diagnostic, Severity};

use crate::report::{FileFindings, Locator, Report, Totals};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `link-broken` → `LinkBroken` (SARIF's readable rule name).
fn pascal(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// A relative path as a URI reference: `/` kept, everything outside the unreserved and
/// sub-delimiter characters percent-encoded (`:` too, so a first segment never reads as a
/// scheme).
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
            | b'@' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn region(loc: &Locator<'_>, r: &std::ops::Range<usize>) -> Value {
    let start = loc.locate(r.start);
    let end = loc.locate(r.end.max(r.start));
    json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
        "byteOffset": start.offset,
        "byteLength": end.offset - start.offset,
    })
}

fn result(path: &str, loc: &Locator<'_>, d: &Diagnostic) -> Value {
    let location = |r: &std::ops::Range<usize>| {
        json!({
            "physicalLocation": {
                "artifactLocation": { "uri": uri_path(path), "uriBaseId": "%SRCROOT%" },
                "region": region(loc, r),
            }
        })
    };
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let mut out = json!({
        "ruleId": d.rule.as_str(),
        "level": level(d.severity),
        "message": { "text": message },
        "locations": [location(&d.range)],
    });
    out["ruleIndex"] = json!(d.rule.index());
    if !d.related.is_empty() {
        out["relatedLocations"] = d
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut l = location(&r.range);
                l["id"] = json!(i);
                l["message"] = json!({ "text": r.message });
                l
            })
            .collect();
    }
    if let Some(fix) = &d.fix {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|e| {
                json!({
                    "deletedRegion": region(loc, &e.range),
                    "insertedContent": { "text": e.new_text },
                })
            })
            .collect();
        out["fixes"] = json!([{
            "description": { "text": fix.title },
            "artifactChanges": [{
                "artifactLocation": { "uri": uri_path(path), "uriBaseId": "%SRCROOT%" },
                "replacements": replacements,
            }],
            "properties": { "applicability": fix.applicability.as_str() },
        }]);
    }
    out
}

fn rule_descriptors() -> Vec<Value> {
    let repo = env!("CARGO_PKG_REPOSITORY");
    rules::all()
        .iter()
        .map(|r| {
            let m = r.meta();
            let doc = m.doc_markdown();
            json!({
                "id": m.id.as_str(),
                "name": pascal(m.id.as_str()),
                "shortDescription": { "text": m.summary() },
                "fullDescription": { "text": m.summary() },
                "help": { "text": doc, "markdown": doc },
                "helpUri": format!("{repo}/blob/main/docs/rules.md#{}", m.id),
                "defaultConfiguration": { "level": level(m.default_severity) },
                "properties": {
                    "tags": [m.family.as_str()],
                    "fix": m.fix.as_str(),
                },
            })
        })
        .collect()
}

/// The SARIF log, its results streamed a file at a time between a head and a tail made once.
pub struct Sarif {
    head: Vec<u8>,
    tail: Vec<u8>,
}

/// How deep the results are in the log (`runs[0].results[i]`): pretty-printed results are
/// indented this much (JSON strings hold no raw line breaks, so every `\n` starts a line).
const RESULT_INDENT: &[u8] = b"\n        ";

/// The whole log with `results`.
fn log(results: Vec<Value>) -> Value {
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "wikistamp",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rule_descriptors(),
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

impl Default for Sarif {
    fn default() -> Self {
        let mut empty =
            serde_json::to_vec_pretty(&log(Vec::new())).expect("writing to memory cannot fail");
        empty.push(b'\n');
        // The one `"results": []` of the log (inside a string its quotes would be escaped).
        const RESULTS: &[u8] = b"\"results\": [";
        let at = empty
            .windows(RESULTS.len() + 1)
            .position(|w| w.starts_with(RESULTS) && w.ends_with(b"]"))
            .expect("the log has a list of results")
            + RESULTS.len();
        let tail = empty.split_off(at);
        Sarif { head: empty, tail }
    }
}

impl Report for Sarif {
    fn head(&self) -> &[u8] {
        &self.head
    }

    fn separator(&self) -> &[u8] {
        b","
    }

    /// The file's results, each on a new line, separated by commas.
    fn render(&self, file: &FileFindings<'_>) -> Vec<u8> {
        let loc = file.source.locator();
        let mut out = Vec::new();
        for (i, d) in file.diagnostics.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let pretty = serde_json::to_vec_pretty(&result(file.path, &loc, d))
                .expect("writing to memory cannot fail");
            out.extend_from_slice(RESULT_INDENT);
            for line in pretty.split_inclusive(|&b| b == b'\n') {
                match line.strip_suffix(b"\n") {
                    Some(line) => {
                        out.extend_from_slice(line);
                        out.extend_from_slice(RESULT_INDENT);
                    }
                    None => out.extend_from_slice(line),
                }
            }
        }
        out
    }

    fn finish(&self, out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
        if totals.diagnostics() > 0 {
            // The end of the list, on a line of its own.
            out.write_all(&RESULT_INDENT[..RESULT_INDENT.len() - 2])?;
        }
        out.write_all(&self.tail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded_relative_references() {
        assert_eq!(uri_path("notes/a b.md"), "notes/a%20b.md");
        assert_eq!(uri_path("c:d#e?.md"), "c%3Ad%23e%3F.md");
        assert_eq!(uri_path("é.md"), "%C3%A9.md");
        assert_eq!(uri_path("../x/(y).md"), "../x/(y).md");
    }

    /// The log streamed a file at a time is byte for byte the log serialized whole.
    #[test]
    fn streamed_log_equals_whole_serialization() {
        use crate::report::{self, FileReport, Findings};
        use wikistamp_analysis::{Fix, RuleId, TextEdit};
        let text = "x [[nowhere]]\ny \"é\"\n";
        let mut broken = Diagnostic::new(RuleId::LinkBroken, 2..13, "no note\n\"nowhere\"")
            .with_help("did you mean `somewhere`?")
            .with_related(14..15, "and here")
            .with_fix(Fix::safe(
                "Link to `somewhere`",
                vec![TextEdit::replace(4..11, "somewhere")],
            ));
        broken.severity = Severity::Error;
        let diagnostics = vec![broken, Diagnostic::new(RuleId::SourceMissing, 16..20, "m")];
        for files in [0, 1, 2] {
            let findings = Findings {
                files_checked: 3,
                files: ["a.md", "b c/d.md"][..files]
                    .iter()
                    .map(|path| {
                        FileReport::new(path.to_string(), text, diagnostics.clone(), false)
                            .expect("findings")
                    })
                    .collect(),
            };
            let mut streamed = Vec::new();
            report::write(&Sarif::default(), &mut streamed, &findings).expect("render");
            let mut results = Vec::new();
            for file in &findings.files {
                let loc = file.source.as_ref().locator();
                results.extend(file.diagnostics.iter().map(|d| result(&file.path, &loc, d)));
            }
            let mut whole = serde_json::to_vec_pretty(&log(results)).expect("serialize");
            whole.push(b'\n');
            assert_eq!(String::from_utf8(streamed), String::from_utf8(whole));
        }
    }

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(pascal("link-heading-missing"), "LinkHeadingMissing");
    }
}
