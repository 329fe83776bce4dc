//! `--format json`: the stable contract (version 1) from DESIGN.md.

use std::io::{self, Write};

use serde::Serialize;
#[cfg(test)]
use wikistamp_analysis::Diagnostic;
use wikistamp_analysis::{Applicability, Severity};

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

/// The document's head: `diagnostics` follows, each file's [`file`] separated by commas.
pub fn head(out: &mut impl Write) -> io::Result<()> {
    out.write_all(b"{\"version\":1,\"diagnostics\":[")
}

/// One file's diagnostics, separated by commas: the bytes serializing them in a whole
/// [`Output`] would give. Written by hand for this one shape (the path is escaped once per
/// file, no intermediate structures): a vault's output is tens of megabytes.
pub fn file(out: &mut Vec<u8>, file: &FileFindings<'_>) {
    let loc = file.source.locator();
    // What every diagnostic of the file starts with.
    let mut head = Vec::with_capacity(file.path.len() + 24);
    head.extend_from_slice(b"{\"path\":");
    string(&mut head, file.path);
    head.extend_from_slice(b",\"rule\":");
    // Room for all of it (the numbers at their longest), so the output grows at most once.
    let mut room = 0;
    for d in file.diagnostics {
        room += head.len() + d.rule.as_str().len() + d.message.len() + 2 * RANGE + 64;
        if let Some(f) = &d.fix {
            room += f.title.len() + 64;
            for e in &f.edits {
                room += RANGE + e.new_text.len() + 16;
            }
        }
    }
    out.reserve(room);
    for (i, d) in file.diagnostics.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(&head);
        string(out, d.rule.as_str());
        out.extend_from_slice(match d.severity {
            Severity::Error => b",\"severity\":\"error\",\"message\":",
            Severity::Warning => b",\"severity\":\"warning\",\"message\":",
            Severity::Info => b",\"severity\":\"info\",\"message\":",
        });
        string(out, &d.message);
        out.extend_from_slice(b",\"range\":");
        range_into(out, &loc, &d.range);
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
                    range_into(out, &loc, &e.range);
                    out.extend_from_slice(b",\"newText\":");
                    string(out, &e.new_text);
                    out.push(b'}');
                }
                out.extend_from_slice(b"]}}");
            }
        }
    }
}

/// The longest [`range_into`] writes: its punctuation and six numbers of 20 digits.
const RANGE: usize = 2 * POSITION + 16;
/// The longest [`position`] writes.
const POSITION: usize = 30 + 3 * 20;

/// `{"start":…,"end":…}`, built on the stack and copied out at once.
fn range_into(out: &mut Vec<u8>, loc: &Locator<'_>, r: &std::ops::Range<usize>) {
    let mut buf = Buf {
        bytes: [0; RANGE],
        len: 0,
    };
    buf.put(b"{\"start\":");
    position(&mut buf, loc.locate(r.start));
    buf.put(b",\"end\":");
    position(&mut buf, loc.locate(r.end));
    buf.put(b"}");
    out.extend_from_slice(&buf.bytes[..buf.len]);
}

fn position(buf: &mut Buf, l: Location) {
    buf.put(b"{\"line\":");
    buf.number(l.line);
    buf.put(b",\"column\":");
    buf.number(l.column);
    buf.put(b",\"offset\":");
    buf.number(l.offset);
    buf.put(b"}");
}

/// A range's bytes as they are written.
struct Buf {
    bytes: [u8; RANGE],
    len: usize,
}

impl Buf {
    fn put(&mut self, s: &[u8]) {
        self.bytes[self.len..self.len + s.len()].copy_from_slice(s);
        self.len += s.len();
    }

    /// `n` in decimal, two digits at a time.
    fn number(&mut self, mut n: usize) {
        const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
            2021222324252627282930313233343536373839\
            4041424344454647484950515253545556575859\
            6061626364656667686970717273747576777879\
            8081828384858687888990919293949596979899";
        // (Positions are small: a few comparisons count their digits.)
        let mut digits = 1;
        let mut power = 10usize;
        while digits < 20 && n >= power {
            digits += 1;
            power = power.wrapping_mul(10);
        }
        self.len += digits;
        let mut at = self.len;
        while n >= 10 {
            let pair = 2 * (n % 100);
            n /= 100;
            at -= 2;
            self.bytes[at..at + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
        }
        if at > self.len - digits {
            at -= 1;
            self.bytes[at] = b'0' + n as u8;
        }
    }
}

/// `s` as a JSON string, escaped as serde_json escapes it: `"`, `\\` and control characters
/// only (`\n`, `\t` and the like where JSON has a short form, else `\u00XX`).
fn string(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    loop {
        let i = start + to_escape(&bytes[start..]);
        out.extend_from_slice(&bytes[start..i]);
        let Some(&b) = bytes.get(i) else {
            break;
        };
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
    out.push(b'"');
}

/// The index of the first byte of `bytes` that a JSON string escapes (`"`, `\\` or a control
/// character), or its length: eight bytes at a time (most strings escape nothing).
fn to_escape(bytes: &[u8]) -> usize {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES << 7;
    // The high bit of each byte that is below 0x20, `"` or `\\`. A borrow can set a bit above
    // such a byte too, never below one: the lowest bit set is exact.
    let flags = |word: u64| {
        let zero = |x: u64| x.wrapping_sub(ONES) & !x;
        (word.wrapping_sub(ONES * 0x20) & !word
            | zero(word ^ (ONES * u64::from(b'"')))
            | zero(word ^ (ONES * u64::from(b'\\'))))
            & HIGH
    };
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let mut w = [0; 8];
        w.copy_from_slice(word);
        let found = flags(u64::from_le_bytes(w));
        if found != 0 {
            return at + found.trailing_zeros() as usize / 8;
        }
        at += 8;
    }
    // The last bytes, padded with a byte that needs no escape.
    let rest = words.remainder();
    let mut w = [b'a'; 8];
    w[..rest.len()].copy_from_slice(rest);
    let found = flags(u64::from_le_bytes(w));
    if found != 0 {
        at + found.trailing_zeros() as usize / 8
    } else {
        bytes.len()
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
    use wikistamp_analysis::RuleId;

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
                    let rules = [RuleId::LinkBroken, RuleId::SourceMissing, RuleId::TimestampFormat];
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

    /// Numbers of every length, up to the largest, as `to_string` writes them.
    #[test]
    fn numbers_are_written_in_decimal() {
        let mut values = vec![
            0,
            1,
            9,
            10,
            11,
            99,
            100,
            101,
            12_345,
            usize::MAX,
            usize::MAX - 1,
        ];
        values.extend((1..20).map(|k| 10usize.pow(k)));
        values.extend((1..20).map(|k| 10usize.pow(k) - 1));
        for n in values {
            let mut buf = Buf {
                bytes: [0; RANGE],
                len: 0,
            };
            buf.put(b"x");
            buf.number(n);
            assert_eq!(&buf.bytes[..buf.len], format!("x{n}").as_bytes());
        }
    }

    /// [`to_escape`] finds the first byte to escape as a byte-by-byte scan does: every byte
    /// value at every position of words and tails, after filler of every class (below, at and
    /// above ASCII) and before a second byte to escape.
    #[test]
    fn to_escape_equals_a_byte_scan() {
        let naive = |bytes: &[u8]| {
            bytes
                .iter()
                .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
                .unwrap_or(bytes.len())
        };
        for filler in [b'a', b' ', b'!', b'#', b'[', b']', 0x7f, 0x80, 0xc3, 0xff] {
            for len in 0..20 {
                for at in 0..len {
                    for b in 0..=255u8 {
                        for second in [None, Some(b'"'), Some(0u8)] {
                            let mut bytes = vec![filler; len];
                            bytes[at] = b;
                            if let Some(second) = second {
                                if at + 1 < len {
                                    bytes[len - 1] = second;
                                }
                            }
                            assert_eq!(to_escape(&bytes), naive(&bytes), "{bytes:?}");
                        }
                    }
                }
                let bytes = vec![filler; len];
                assert_eq!(to_escape(&bytes), naive(&bytes), "{bytes:?}");
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
            Diagnostic::new(RuleId::LinkBroken, 2..13, "no note \"nowhere\"").with_fix(Fix::safe(
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
