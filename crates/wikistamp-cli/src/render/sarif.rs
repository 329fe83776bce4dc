//! `--format sarif`: SARIF 2.1.0 (what GitHub code scanning uploads), with every rule's metadata
//! and its documentation as help text. Paths are relative URIs against `%SRCROOT%` (the
//! current directory, normally the repository root).

use std::io::{self, Write};

use serde_json::{json, Value};
use wikistamp_analysis::rules;
use wikistamp_analysis::{Diagnostic, Severity};

use super::Locator;
use crate::check::Report;

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

pub fn render(out: &mut impl Write, report: &Report) -> io::Result<()> {
    let mut results = Vec::new();
    for file in &report.files {
        let loc = file.source.as_ref().locator();
        for d in &file.diagnostics {
            results.push(result(&file.path, &loc, d));
        }
    }
    let log = json!({
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
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
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

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(pascal("link-heading-missing"), "LinkHeadingMissing");
    }
}
