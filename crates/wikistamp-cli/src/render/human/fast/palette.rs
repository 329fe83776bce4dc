//! The escape sequences of codespan-reporting's default styles, as termcolor writes them.

use wikistamp_analysis::Severity;

use super::Style;

/// The escape sequences codespan-reporting's `Styles::default()` become through termcolor's
/// ANSI `Buffer` (all empty without color); a test holds them to what termcolor writes.
pub struct Palette {
    /// `header_error`, `header_warning`, `header_note`.
    pub(super) header: [&'static [u8]; 3],
    pub(super) header_message: &'static [u8],
    /// `primary_label_error`, `…_warning`, `…_note`.
    pub(super) primary: [&'static [u8]; 3],
    pub(super) secondary: &'static [u8],
    pub(super) line_number: &'static [u8],
    pub(super) source_border: &'static [u8],
    pub(super) note_bullet: &'static [u8],
    pub(super) reset: &'static [u8],
}

/// termcolor resets before each color, then writes bold and the (intense) foreground.
const ANSI: Palette = Palette {
    header: [
        b"\x1b[0m\x1b[1m\x1b[38;5;9m",
        b"\x1b[0m\x1b[1m\x1b[38;5;11m",
        b"\x1b[0m\x1b[1m\x1b[38;5;10m",
    ],
    header_message: b"\x1b[0m\x1b[1m",
    primary: [b"\x1b[0m\x1b[31m", b"\x1b[0m\x1b[33m", b"\x1b[0m\x1b[32m"],
    secondary: b"\x1b[0m\x1b[36m",
    line_number: b"\x1b[0m\x1b[36m",
    source_border: b"\x1b[0m\x1b[36m",
    note_bullet: b"\x1b[0m\x1b[36m",
    reset: b"\x1b[0m",
};

const PLAIN: Palette = Palette {
    header: [b"", b"", b""],
    header_message: b"",
    primary: [b"", b"", b""],
    secondary: b"",
    line_number: b"",
    source_border: b"",
    note_bullet: b"",
    reset: b"",
};

impl Palette {
    pub fn get(color: bool) -> &'static Palette {
        if color {
            &ANSI
        } else {
            &PLAIN
        }
    }

    pub(super) fn label(&self, severity: Severity, style: Style) -> &[u8] {
        match style {
            Style::Primary => self.primary[slot(severity)],
            Style::Secondary => self.secondary,
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

#[cfg(test)]
mod tests {
    use codespan_reporting::diagnostic::{LabelStyle, Severity as CsSeverity};
    use codespan_reporting::term::termcolor::{Buffer, ColorSpec, WriteColor};
    use codespan_reporting::term::Styles;

    use super::*;

    /// What termcolor's `Buffer` writes for each of codespan-reporting's default styles (the
    /// blanket `WriteStyle` impl that `term::emit_to_write_style` uses).
    #[test]
    fn escapes_are_termcolors() {
        for color in [false, true] {
            let escape = |spec: Option<&ColorSpec>| {
                let mut buffer = if color {
                    Buffer::ansi()
                } else {
                    Buffer::no_color()
                };
                match spec {
                    Some(spec) => buffer.set_color(spec),
                    None => buffer.reset(),
                }
                .expect("in memory");
                buffer.into_inner()
            };
            let styles = Styles::default();
            let severities = [CsSeverity::Error, CsSeverity::Warning, CsSeverity::Note];
            let p = Palette::get(color);
            for (k, s) in severities.into_iter().enumerate() {
                assert_eq!(p.header[k], escape(Some(styles.header(s))));
                let primary = styles.label(s, LabelStyle::Primary);
                assert_eq!(p.primary[k], escape(Some(primary)));
                let secondary = styles.label(s, LabelStyle::Secondary);
                assert_eq!(p.secondary, escape(Some(secondary)));
            }
            assert_eq!(p.header_message, escape(Some(styles.header_message())));
            assert_eq!(p.line_number, escape(Some(styles.line_number())));
            assert_eq!(p.source_border, escape(Some(styles.source_border())));
            assert_eq!(p.note_bullet, escape(Some(styles.note_bullet())));
            assert_eq!(p.reset, escape(None));
        }
    }
}
