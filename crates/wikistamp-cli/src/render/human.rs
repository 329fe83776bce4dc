//! Human output in codespan-reporting's layout: `path:line:col`, the source line with the
//! finding underlined, the message, the suggestion and the fix. [`fast`] writes every
//! diagnostic itself, byte for byte what codespan-reporting 0.13 writes (much faster);
//! codespan-reporting is only the reference of the tests below.

mod fast;

use wikistamp_analysis::text::LineIndex;
use wikistamp_analysis::Diagnostic;

use crate::report::{FileFindings, Report, Totals};

pub struct Human {
    /// ANSI colors.
    pub color: bool,
    /// No summary line.
    pub quiet: bool,
}

impl Report for Human {
    fn shows_text(&self) -> bool {
        true
    }

    fn render(&self, findings: &FileFindings<'_>) -> Vec<u8> {
        let mut out = Vec::with_capacity(findings.diagnostics.len() * 400);
        file(&mut out, findings, self.color);
        out
    }

    fn finish(&self, out: &mut dyn std::io::Write, totals: &Totals) -> std::io::Result<()> {
        super::summary(out, totals, self.quiet)
    }
}

/// One file's findings, each with its source line underlined (ANSI colors when `color`).
fn file(out: &mut Vec<u8>, file: &FileFindings<'_>, color: bool) {
    let palette = fast::Palette::get(color);
    let text = file.source.text();
    let whole = fast::Text::new(file.path, text);
    let lines = LineIndex::new(text);
    let mut note = String::new();
    let mut memo = Memo::default();
    for d in file.diagnostics {
        // Notes often hold a whole paragraph on one line (hundreds of KB in real vaults):
        // show a window of such a line around the finding, not the line itself.
        let shown = match Excerpt::around(file.path, text, &lines, d, &mut memo) {
            Some(excerpt) => {
                let len = excerpt.source.len();
                fast::render(out, palette, &excerpt, &excerpt.diagnostic, len, &mut note)
            }
            None => fast::render(out, palette, &whole, d, text.len(), &mut note),
        };
        if shown.is_err() {
            // A span the layout cannot show (never seen): the finding is still reported.
            let at = crate::report::locate(text, &LineIndex::new(text), d.range.start);
            let line = format!(
                "{}:{}:{}: {}[{}] {}\n",
                file.path, at.line, at.column, d.severity, d.rule, d.message
            );
            out.extend_from_slice(line.as_bytes());
        }
    }
}

/// Lines longer than this (in characters) are shown as a window around the finding.
const LONG_LINE: usize = 300;
/// Characters of context on each side of the finding in a window.
const CONTEXT: usize = 60;
/// At most this many characters of the finding itself are shown.
const MAX_SPAN: usize = 80;

/// What [`Excerpt::around`] keeps of the line of the previous finding: whether it is long,
/// and the characters before an offset in it.
#[derive(Default)]
struct Memo {
    line: Option<usize>,
    long: bool,
    at: usize,
    chars: usize,
}

/// One long line cut down to a window around a finding, presented to the layout as a
/// one-line file that still reports the real line and column numbers.
struct Excerpt<'a> {
    name: &'a str,
    source: String,
    line_number: usize,
    /// Characters of the real line before the window (for column numbers).
    chars_before: usize,
    /// Bytes of the `…` marker at the start of `source` (0 when the window starts the line).
    marker_len: usize,
    /// The diagnostic with its ranges moved into `source`.
    diagnostic: Diagnostic,
}

impl<'a> Excerpt<'a> {
    fn around(
        name: &'a str,
        text: &str,
        lines: &LineIndex,
        d: &Diagnostic,
        memo: &mut Memo,
    ) -> Option<Self> {
        let line = lines.line_of(d.range.start);
        let range = lines.line_range(text, line);
        let line_text = text.get(range.clone())?;
        // (Bytes bound characters from above: most lines need no count.)
        if line_text.len() <= LONG_LINE {
            return None;
        }
        if memo.line != Some(line) {
            *memo = Memo {
                line: Some(line),
                long: line_text.chars().nth(LONG_LINE).is_some(),
                at: 0,
                chars: 0,
            };
        }
        if !memo.long {
            return None;
        }
        // Character positions of the finding within the line.
        let start = d.range.start.clamp(range.start, range.end) - range.start;
        let end = d.range.end.clamp(range.start, range.end) - range.start;
        // Counted on from the previous finding on the line (findings come in order).
        let start_char = if memo.at <= start {
            memo.chars + line_text[memo.at..start].chars().count()
        } else {
            line_text[..start].chars().count()
        };
        (memo.at, memo.chars) = (start, start_char);
        let span_chars = line_text[start..end.max(start)]
            .chars()
            .take(MAX_SPAN)
            .count();
        let from_char = start_char.saturating_sub(CONTEXT);
        let to_char = start_char + span_chars + CONTEXT;
        // Walk from the finding, not from the line start: a line may be hundreds of KB long
        // and hold thousands of findings. Where the context is ASCII, characters are bytes.
        let bytes = line_text.as_bytes();
        let back = start.saturating_sub(CONTEXT);
        let from = if CONTEXT > 0 && bytes[back..start].is_ascii() {
            back
        } else {
            match CONTEXT {
                0 => start,
                n => line_text[..start]
                    .char_indices()
                    .rev()
                    .nth(n - 1)
                    .map_or(0, |(i, _)| i),
            }
        };
        let ahead = to_char - start_char;
        let reach = (start + ahead).min(line_text.len());
        let to = if bytes[start..reach].is_ascii() {
            reach
        } else {
            line_text[start..]
                .char_indices()
                .nth(ahead)
                .map_or(line_text.len(), |(i, _)| start + i)
        };
        let lead = if from > 0 { "…" } else { "" };
        let trail = if to < line_text.len() { "…" } else { "" };
        let mut source = String::with_capacity(lead.len() + (to - from) + trail.len());
        source.push_str(lead);
        source.push_str(&line_text[from..to]);
        source.push_str(trail);
        let shift = |offset: usize| {
            let inside = offset.clamp(range.start + from, range.start + to) - range.start - from;
            inside + lead.len()
        };
        let mut diagnostic = d.clone();
        diagnostic.range = shift(d.range.start)..shift(d.range.end);
        // Related spans elsewhere in the note are left out of a one-line window.
        diagnostic
            .related
            .retain(|r| r.range.start >= range.start + from && r.range.end <= range.start + to);
        for r in &mut diagnostic.related {
            r.range = shift(r.range.start)..shift(r.range.end);
        }
        Some(Excerpt {
            name,
            source,
            line_number: line + 1,
            chars_before: from_char,
            marker_len: lead.len(),
            diagnostic,
        })
    }
}

impl fast::Lines for Excerpt<'_> {
    fn name(&self) -> &str {
        self.name
    }
    fn source(&self) -> &str {
        &self.source
    }
    fn line_index(&self, _byte_index: usize) -> usize {
        0
    }
    fn line_number(&self, _line_index: usize) -> usize {
        self.line_number
    }
    fn column_number(&self, _line: usize, byte_index: usize) -> Result<usize, fast::Unshown> {
        let at = byte_index.clamp(self.marker_len, self.source.len());
        let at = wikistamp_analysis::text::floor_char_boundary(&self.source, at);
        Ok(self.chars_before + self.source[self.marker_len.min(at)..at].chars().count() + 1)
    }
    fn line_range(&self, _line_index: usize) -> Result<std::ops::Range<usize>, fast::Unshown> {
        Ok(0..self.source.len())
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::io::Write;

    use codespan_reporting::diagnostic::{
        Diagnostic as CsDiagnostic, Label, Severity as CsSeverity,
    };
    use codespan_reporting::files::{Error as FilesError, Files, SimpleFile};
    use codespan_reporting::term::{self, termcolor};
    use proptest::prelude::*;
    use proptest::sample::Index;
    use proptest::test_runner::{Config, TestRunner};
    use wikistamp_analysis::diagnostic::{Fix, Related, TextEdit};
    use wikistamp_analysis::{Applicability, RuleId, Severity};

    use super::*;
    use crate::report::SourceRef;

    /// `d` through codespan-reporting.
    fn codespan<'f>(
        out: &mut Vec<u8>,
        color: bool,
        files: &'f impl Files<'f, FileId = ()>,
        d: &Diagnostic,
        len: usize,
    ) -> Result<(), FilesError> {
        let mut buffer = if color {
            termcolor::Buffer::ansi()
        } else {
            termcolor::Buffer::no_color()
        };
        let shown = term::emit_to_write_style(
            &mut buffer,
            &term::Config::default(),
            files,
            &to_codespan(d, len),
        );
        out.extend_from_slice(buffer.as_slice());
        shown
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
            .with_code(d.rule.as_str())
            .with_labels(labels)
            .with_notes(notes)
    }

    /// The excerpt as codespan-reporting's `Files` (one line, the real line and column
    /// numbers).
    impl<'a> Files<'a> for Excerpt<'_> {
        type FileId = ();
        type Name = &'a str;
        type Source = &'a str;

        fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
            Ok(self.name)
        }
        fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
            Ok(&self.source)
        }
        fn line_index(&'a self, (): (), _byte_index: usize) -> Result<usize, FilesError> {
            Ok(0)
        }
        fn line_number(&'a self, (): (), _line_index: usize) -> Result<usize, FilesError> {
            Ok(self.line_number)
        }
        fn column_number(
            &'a self,
            (): (),
            line: usize,
            byte_index: usize,
        ) -> Result<usize, FilesError> {
            Ok(fast::Lines::column_number(self, line, byte_index).expect("always"))
        }
        fn line_range(
            &'a self,
            (): (),
            _line_index: usize,
        ) -> Result<std::ops::Range<usize>, FilesError> {
            Ok(0..self.source.len())
        }
    }

    /// The renderer as it was: every diagnostic through codespan-reporting.
    fn reference(out: &mut Vec<u8>, file: &FileFindings<'_>, color: bool) {
        let mut buffer = if color {
            termcolor::Buffer::ansi()
        } else {
            termcolor::Buffer::no_color()
        };
        let config = term::Config::default();
        let text = file.source.text();
        let source = SimpleFile::new(file.path, text);
        let lines = LineIndex::new(text);
        for d in file.diagnostics {
            let shown = match reference_around(file.path, text, &lines, d) {
                Some(excerpt) => {
                    let cs = to_codespan(&excerpt.diagnostic, excerpt.source.len());
                    term::emit_to_write_style(&mut buffer, &config, &excerpt, &cs)
                }
                None => {
                    let cs = to_codespan(d, text.len());
                    term::emit_to_write_style(&mut buffer, &config, &source, &cs)
                }
            };
            if shown.is_err() {
                let at = crate::report::locate(text, &lines, d.range.start);
                let line = format!(
                    "{}:{}:{}: {}[{}] {}\n",
                    file.path, at.line, at.column, d.severity, d.rule, d.message
                );
                buffer.write_all(line.as_bytes()).expect("in memory");
            }
        }
        out.extend_from_slice(buffer.as_slice());
    }

    /// `Excerpt::around` as it was, without the memo.
    fn reference_around<'a>(
        name: &'a str,
        text: &str,
        lines: &LineIndex,
        d: &Diagnostic,
    ) -> Option<Excerpt<'a>> {
        let line = lines.line_of(d.range.start);
        let range = lines.line_range(text, line);
        let line_text = text.get(range.clone())?;
        // (Bytes bound characters from above: most lines need no count.)
        if line_text.len() <= LONG_LINE || line_text.chars().count() <= LONG_LINE {
            return None;
        }
        // Character positions of the finding within the line.
        let start = d.range.start.clamp(range.start, range.end) - range.start;
        let end = d.range.end.clamp(range.start, range.end) - range.start;
        let start_char = line_text[..start].chars().count();
        let span_chars = line_text[start..end.max(start)]
            .chars()
            .count()
            .min(MAX_SPAN);
        let from_char = start_char.saturating_sub(CONTEXT);
        let to_char = start_char + span_chars + CONTEXT;
        // Walk from the finding, not from the line start: a line may be hundreds of KB long
        // and hold thousands of findings.
        let from = match CONTEXT {
            0 => start,
            n => line_text[..start]
                .char_indices()
                .rev()
                .nth(n - 1)
                .map_or(0, |(i, _)| i),
        };
        let to = line_text[start..]
            .char_indices()
            .nth(to_char - start_char)
            .map_or(line_text.len(), |(i, _)| start + i);
        let lead = if from > 0 { "…" } else { "" };
        let trail = if to < line_text.len() { "…" } else { "" };
        let source = format!("{lead}{}{trail}", &line_text[from..to]);
        let shift = |offset: usize| {
            let inside = offset.clamp(range.start + from, range.start + to) - range.start - from;
            inside + lead.len()
        };
        let mut diagnostic = d.clone();
        diagnostic.range = shift(d.range.start)..shift(d.range.end);
        // Related spans elsewhere in the note are left out of a one-line window.
        diagnostic
            .related
            .retain(|r| r.range.start >= range.start + from && r.range.end <= range.start + to);
        for r in &mut diagnostic.related {
            r.range = shift(r.range.start)..shift(r.range.end);
        }
        Some(Excerpt {
            name,
            source,
            line_number: line + 1,
            chars_before: from_char,
            marker_len: lead.len(),
            diagnostic,
        })
    }

    /// Pieces of generated texts: line ends of every kind, tabs, characters of every width
    /// (wide, zero-width, combining, control), and lines long enough to be shown as a window.
    const PIECES: &[&str] = &[
        "a", "word ", " ", "\t", "\t\t", "\n", "\n", "\r\n", "\r", "é", "🎉", "中文", "\u{200b}",
        "e\u{301}", "\0", "\u{1}", "\u{7f}", "\u{85}", "[[link]]", "…", "x\tä\t",
    ];

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            8 => prop::sample::select(PIECES).prop_map(str::to_string),
            1 => (200usize..420).prop_map(|n| "l".repeat(n)),
            1 => (150usize..340).prop_map(|n| "ü\t中".repeat(n / 3)),
        ]
    }

    /// A range given as two picks among the text's character boundaries (and a little past
    /// its end), in either order.
    type Span = (Index, Index);

    #[derive(Debug, Clone)]
    struct Spec {
        severity: Severity,
        rule: RuleId,
        message: &'static str,
        range: Span,
        related: Vec<(Span, &'static str)>,
        help: Option<&'static str>,
        fix: Option<(bool, &'static str)>,
    }

    fn spec() -> impl Strategy<Value = Spec> {
        let severity = prop_oneof![
            Just(Severity::Error),
            Just(Severity::Warning),
            Just(Severity::Info)
        ];
        let message =
            prop::sample::select(&["m", "`x` links to no note", "two\nlines", "ünï", ""][..]);
        let related = prop::collection::vec(
            (
                any::<Span>(),
                prop::sample::select(&["", "r", "first defined here", "a\nb", "中"][..]),
            ),
            0..3,
        );
        let notes = prop::sample::select(&["did you mean `x`?", "a\r\nb\n", "", "é\tz"][..]);
        (
            severity,
            prop::sample::select(&[RuleId::LinkBroken, RuleId::SourceMissing][..]),
            message,
            any::<Span>(),
            prop_oneof![3 => Just(Vec::new()), 2 => related],
            prop::option::of(notes.clone()),
            prop::option::of((any::<bool>(), notes)),
        )
            .prop_map(
                |(severity, rule, message, range, related, help, fix)| Spec {
                    severity,
                    rule,
                    message,
                    range,
                    related,
                    help,
                    fix,
                },
            )
    }

    fn range(text: &str, (a, b): &Span) -> std::ops::Range<usize> {
        let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        offsets.extend([text.len(), text.len() + 1, text.len() + 9]);
        a.get(&offsets).to_owned()..b.get(&offsets).to_owned()
    }

    fn diagnostic(text: &str, spec: &Spec) -> Diagnostic {
        let mut d = Diagnostic::new(spec.rule, range(text, &spec.range), spec.message);
        d.severity = spec.severity;
        d.related = spec
            .related
            .iter()
            .map(|(span, message)| Related {
                range: range(text, span),
                message: message.to_string(),
            })
            .collect();
        d.help = spec.help.map(str::to_string);
        d.fix = spec.fix.map(|(safe, title)| {
            let mut fix = Fix::safe(title, vec![TextEdit::replace(0..0, "y")]);
            if !safe {
                fix.applicability = Applicability::Unsafe;
            }
            fix
        });
        d
    }

    /// Renders each diagnostic both ways, alone (counting those with a label over several
    /// lines) and all of them as a file, with and without color; all must be the same bytes.
    fn compare(text: &str, diagnostics: &[Diagnostic], spanning: &Cell<usize>) {
        let findings = FileFindings {
            path: "dir/note.md",
            source: SourceRef::Text(text),
            diagnostics,
        };
        for color in [false, true] {
            let mut ours = Vec::new();
            file(&mut ours, &findings, color);
            let mut theirs = Vec::new();
            reference(&mut theirs, &findings, color);
            assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&theirs),
                "color {color}"
            );
            assert_eq!(ours, theirs);
        }
        let whole = fast::Text::new(findings.path, text);
        let simple = SimpleFile::new(findings.path, text);
        let mut note = String::new();
        let mut memo = Memo::default();
        let lines = LineIndex::new(text);
        for d in diagnostics {
            for color in [false, true] {
                let palette = fast::Palette::get(color);
                let (mut ours, mut theirs) = (Vec::new(), Vec::new());
                let (shown, reference, over_lines) =
                    match Excerpt::around(findings.path, text, &lines, d, &mut memo) {
                        Some(e) => {
                            let len = e.source.len();
                            let theirs = codespan(&mut theirs, color, &e, &e.diagnostic, len);
                            let ours =
                                fast::render(&mut ours, palette, &e, &e.diagnostic, len, &mut note);
                            (ours, theirs, false)
                        }
                        None => {
                            let theirs = codespan(&mut theirs, color, &simple, d, text.len());
                            let ours =
                                fast::render(&mut ours, palette, &whole, d, text.len(), &mut note);
                            let len = text.len();
                            let spans = |r: &std::ops::Range<usize>| {
                                lines.line_of(r.start.min(len)) != lines.line_of(r.end.min(len))
                            };
                            let over = spans(&d.range) || d.related.iter().any(|r| spans(&r.range));
                            (ours, theirs, over)
                        }
                    };
                assert_eq!(shown.is_ok(), reference.is_ok(), "{reference:?}");
                if shown.is_ok() {
                    assert_eq!(
                        String::from_utf8_lossy(&ours),
                        String::from_utf8_lossy(&theirs)
                    );
                    assert_eq!(ours, theirs);
                    if over_lines {
                        spanning.set(spanning.get() + 1);
                    }
                }
            }
        }
    }

    #[test]
    fn layout_writes_what_codespan_writes() {
        let strategy = (
            prop::collection::vec(piece(), 0..40),
            prop::collection::vec(spec(), 1..5),
            any::<bool>(),
        );
        let spanning = Cell::new(0);
        let total = Cell::new(0);
        let mut runner = TestRunner::new(Config {
            cases: 3000,
            ..Config::default()
        });
        runner
            .run(&strategy, |(pieces, specs, no_cr)| {
                let mut text = pieces.concat();
                if no_cr {
                    // As most notes are: no `\r` at all.
                    text.retain(|c| c != '\r');
                }
                let diagnostics: Vec<Diagnostic> =
                    specs.iter().map(|s| diagnostic(&text, s)).collect();
                total.set(total.get() + 2 * diagnostics.len());
                compare(&text, &diagnostics, &spanning);
                Ok(())
            })
            .expect("the layout and codespan-reporting agree");
        // Labels over several lines are compared too, in a good share of the cases.
        let (spanning, total) = (spanning.get(), total.get());
        assert!(spanning * 10 > total, "{spanning} of {total}");
    }

    #[test]
    fn usual_shapes_are_codespans() {
        let text = "# T\n\tsee [[a]] and\r\n[[b|中文]] \u{200b}é🎉x\n\nlast [[c]]";
        let d = |r: std::ops::Range<usize>| {
            Diagnostic::new(RuleId::LinkBroken, r, "`a` links to no note")
                .with_help("did you mean `b`?")
        };
        let diagnostics = [
            d(9..14),
            d(21..33)
                .with_related(5..14, "also here")
                .with_related(48..55, "and here"),
            d(34..40)
                .with_related(34..36, "wide")
                .with_related(20..21, "line start"),
            d(text.len()..text.len()),
            d(7..7).with_fix(Fix {
                title: "remove\nit".into(),
                edits: vec![],
                applicability: Applicability::Unsafe,
            }),
        ];
        compare(text, &diagnostics, &Cell::new(0));
    }

    #[test]
    fn spanning_shapes_are_codespans() {
        let text =
            "# T\n  first [[a]]\n\tsecond\n3\n4\n5\n6\n7\n  eighth 中文 line\n9\n10\n11 end\n";
        let at = |needle: &str| text.find(needle).expect("in the text");
        let d = |r: std::ops::Range<usize>| {
            Diagnostic::new(RuleId::LinkBroken, r, "spans lines").with_help("did you mean `b`?")
        };
        let diagnostics = [
            // Over many lines (some elided), starting after the indentation.
            d(at("[[a]]")..at("line")),
            // Starting at the indentation, with a label over other lines and one on a line.
            d(at("  first")..at("second") + 3)
                .with_related(at("3")..at("6"), "also")
                .with_related(at("[[a]]")..at("[[a]]") + 5, "here")
                .with_related(at("中文")..at("11") + 2, ""),
            // Two lines, a line apart from a single-line label.
            d(at("9")..at("10") + 2).with_related(at("7")..at("7") + 1, "seven"),
            // Ending past the text.
            d(at("10")..text.len() + 5),
        ];
        compare(text, &diagnostics, &Cell::new(0));
    }

    /// codespan-reporting is the tests' reference only: no production code of the crate
    /// uses it, and it is no dependency of the build.
    #[test]
    fn codespan_is_only_the_reference() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("manifest");
        let dependencies = manifest
            .split("[dependencies]")
            .nth(1)
            .and_then(|rest| rest.split("\n[").next())
            .unwrap_or("");
        assert!(!dependencies.contains("codespan"), "{dependencies}");
        let mut dirs = vec![root.join("src")];
        let mut checked = 0;
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).expect("src") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).expect("source");
                    let code = text.split("#[cfg(test)]\nmod ").next().unwrap_or("");
                    assert!(!code.contains("codespan_reporting"), "{}", path.display());
                    checked += 1;
                }
            }
        }
        assert!(checked > 10, "{checked}");
    }

    #[test]
    fn widths_are_codespans() {
        let width = |c| fast::tests_width(c);
        assert_eq!(width('a'), 1);
        assert_eq!(width('中'), 2);
        assert_eq!(width('🎉'), 2);
        assert_eq!(width('\u{200b}'), 0);
        assert_eq!(width('\u{301}'), 0);
    }
}
