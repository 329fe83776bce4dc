//! The JSON writer kept only for speed: one file's diagnostics written by hand, byte for byte
//! what serializing the contract's serde structs ([`super::JsonDiagnostic`], the reference
//! beside it) gives. A vault's output is tens of megabytes of mostly strings; writing the
//! shape directly escapes each file's path once instead of once per diagnostic and skips
//! serde's per-field calls. The property test below holds it equal to the reference;
//! docs/benchmarks.md says what it buys.

use wikistamp_analysis::{Applicability, Severity};

use crate::report::{FileFindings, Location, Locator};

/// One file's diagnostics, separated by commas.
pub fn file(out: &mut Vec<u8>, file: &FileFindings<'_>) {
    let loc = file.source.locator();
    // What every diagnostic of the file starts with.
    let mut head = Vec::with_capacity(file.path.len() + 24);
    head.extend_from_slice(b"{\"path\":");
    string(&mut head, file.path);
    head.extend_from_slice(b",\"rule\":\"");
    for (i, d) in file.diagnostics.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(&head);
        // Rule ids are kebab-case ASCII: nothing to escape.
        out.extend_from_slice(d.rule.as_str().as_bytes());
        out.extend_from_slice(match d.severity {
            Severity::Error => b"\",\"severity\":\"error\",\"message\":",
            Severity::Warning => b"\",\"severity\":\"warning\",\"message\":",
            Severity::Info => b"\",\"severity\":\"info\",\"message\":",
        });
        string(out, &d.message);
        out.extend_from_slice(b",\"range\":");
        range(out, &loc, &d.range);
        match &d.fix {
            None => out.extend_from_slice(b",\"fix\":null}"),
            Some(f) => {
                out.extend_from_slice(b",\"fix\":{\"title\":");
                string(out, &f.title);
                out.extend_from_slice(match f.applicability {
                    Applicability::Safe => b",\"applicability\":\"safe\",\"edits\":[",
                    Applicability::Unsafe => b",\"applicability\":\"unsafe\",\"edits\":[",
                });
                for (j, e) in f.edits.iter().enumerate() {
                    if j > 0 {
                        out.push(b',');
                    }
                    out.extend_from_slice(b"{\"range\":");
                    range(out, &loc, &e.range);
                    out.extend_from_slice(b",\"newText\":");
                    string(out, &e.new_text);
                    out.push(b'}');
                }
                out.extend_from_slice(b"]}}");
            }
        }
    }
}

/// `{"start":…,"end":…}`.
fn range(out: &mut Vec<u8>, loc: &Locator<'_>, r: &std::ops::Range<usize>) {
    out.extend_from_slice(b"{\"start\":");
    position(out, loc.locate(r.start));
    out.extend_from_slice(b",\"end\":");
    position(out, loc.locate(r.end));
    out.push(b'}');
}

fn position(out: &mut Vec<u8>, l: Location) {
    let mut digits = itoa::Buffer::new();
    out.extend_from_slice(b"{\"line\":");
    out.extend_from_slice(digits.format(l.line).as_bytes());
    out.extend_from_slice(b",\"column\":");
    out.extend_from_slice(digits.format(l.column).as_bytes());
    out.extend_from_slice(b",\"offset\":");
    out.extend_from_slice(digits.format(l.offset).as_bytes());
    out.push(b'}');
}

/// `s` as a JSON string, escaped as serde_json escapes it: `"`, `\\` and control characters
/// only (`\n`, `\t` and the like where JSON has a short form, else `\u00XX`).
fn string(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use wikistamp_analysis::{Diagnostic, Fix, RuleId, TextEdit};

    use super::*;
    use crate::report::Source;

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
        /// The hand-written writer gives exactly serde_json's bytes of the reference structs,
        /// for any strings, ranges and fixes, whether the file's text is kept or only the
        /// locations its findings mention.
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
            let rules = [RuleId::LinkBroken, RuleId::SourceMissing, RuleId::TimestampFormat];
            let severities = [Severity::Error, Severity::Warning, Severity::Info];
            let diagnostics: Vec<Diagnostic> = findings
                .into_iter()
                .enumerate()
                .map(|(i, (message, a, b, fix))| {
                    let mut d = Diagnostic::new(rules[i % 3], a.min(b)..a.max(b), message);
                    d.severity = severities[i % 3];
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
                    .map(|d| serde_json::to_string(&super::super::diagnostic(&path, &loc, d)).expect("serialize"))
                    .collect();
                prop_assert_eq!(String::from_utf8(written).expect("UTF-8"), expected.join(","));
            }
        }
    }
}
