//! The escape sequences of codespan-reporting's styles.

use std::sync::OnceLock;

use codespan_reporting::diagnostic::LabelStyle;
use codespan_reporting::term::{termcolor, Styles};
use termcolor::{ColorSpec, WriteColor};
use wikistamp_analysis::Severity;

/// The escape sequences codespan-reporting's styles become through termcolor (all empty
/// without color).
pub struct Palette {
    /// `header_error`, `header_warning`, `header_note`.
    pub(super) header: [Vec<u8>; 3],
    pub(super) header_message: Vec<u8>,
    /// `primary_label_error`, `…_warning`, `…_note`.
    pub(super) primary: [Vec<u8>; 3],
    pub(super) secondary: Vec<u8>,
    pub(super) line_number: Vec<u8>,
    pub(super) source_border: Vec<u8>,
    pub(super) note_bullet: Vec<u8>,
    pub(super) reset: Vec<u8>,
}

impl Palette {
    pub fn get(color: bool) -> &'static Palette {
        static PLAIN: OnceLock<Palette> = OnceLock::new();
        static ANSI: OnceLock<Palette> = OnceLock::new();
        if color {
            ANSI.get_or_init(|| Palette::new(true))
        } else {
            PLAIN.get_or_init(|| Palette::new(false))
        }
    }

    /// What termcolor's `Buffer` writes for each style (the blanket `WriteStyle` impl that
    /// `term::emit_to_write_style` uses takes them from `Styles::default()`).
    fn new(color: bool) -> Palette {
        let escape = |spec: Option<&ColorSpec>| {
            let mut buffer = if color {
                termcolor::Buffer::ansi()
            } else {
                termcolor::Buffer::no_color()
            };
            let written = match spec {
                Some(spec) => buffer.set_color(spec),
                None => buffer.reset(),
            };
            written.expect("writing to memory cannot fail");
            buffer.into_inner()
        };
        let styles = Styles::default();
        let severities = [
            codespan_reporting::diagnostic::Severity::Error,
            codespan_reporting::diagnostic::Severity::Warning,
            codespan_reporting::diagnostic::Severity::Note,
        ];
        Palette {
            header: severities.map(|s| escape(Some(styles.header(s)))),
            header_message: escape(Some(styles.header_message())),
            primary: severities.map(|s| escape(Some(styles.label(s, LabelStyle::Primary)))),
            secondary: escape(Some(styles.label(severities[0], LabelStyle::Secondary))),
            line_number: escape(Some(styles.line_number())),
            source_border: escape(Some(styles.source_border())),
            note_bullet: escape(Some(styles.note_bullet())),
            reset: escape(None),
        }
    }

    pub(super) fn label(&self, severity: Severity, style: LabelStyle) -> &[u8] {
        match style {
            LabelStyle::Primary => &self.primary[slot(severity)],
            LabelStyle::Secondary => &self.secondary,
        }
    }
}

pub(super) fn slot(severity: Severity) -> usize {
    match severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}
