//! Character widths as codespan-reporting measures them (for tabs and wide or zero-width
//! characters).

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term;

/// `term::Config::default().tab_width`.
const TAB_WIDTH: usize = 4;

/// Columns `text` takes from `column` on (which it moves along).
pub(super) fn columns(text: &str, column: &mut usize) -> usize {
    let from = *column;
    if text.bytes().all(|b| matches!(b, b' '..=b'~')) {
        *column += text.len();
    } else {
        for ch in text.chars() {
            *column += char_width(ch, *column);
        }
    }
    *column - from
}

/// Columns a character takes in codespan-reporting's `char_metrics`: a tab reaches the next
/// tab stop from `column`; any other character is as wide as unicode-width says.
pub(super) fn char_width(ch: char, column: usize) -> usize {
    match ch {
        '\t' => TAB_WIDTH - column % TAB_WIDTH,
        ' '..='~' => 1,
        _ => WIDTHS.with(|w| {
            *w.borrow_mut()
                .entry(ch)
                .or_insert_with(|| measured_width(ch))
        }),
    }
}

thread_local! {
    static WIDTHS: RefCell<HashMap<char, usize>> = RefCell::new(HashMap::new());
}

/// The width codespan-reporting gives `ch` (unicode-width's, whichever version it was built
/// with): the carets it draws under `ch` alone.
fn measured_width(ch: char) -> usize {
    let source = format!("a{ch}a");
    let probe = Probe(&source);
    let label = Label::primary((), 1..1 + ch.len_utf8());
    let diagnostic = CsDiagnostic::note().with_labels(vec![label]);
    let mut buffer = Vec::new();
    if term::emit_to_io_write(&mut buffer, &term::Config::default(), &probe, &diagnostic).is_err() {
        return 0;
    }
    // The caret line is the last one: count its carets.
    let text = String::from_utf8_lossy(&buffer);
    let text = text.trim_end_matches('\n');
    let last = text.rsplit('\n').next().unwrap_or("");
    last.bytes().filter(|&b| b == b'^').count()
}

/// One line, whatever it holds (a `\n` too).
struct Probe<'s>(&'s str);

impl<'a> Files<'a> for Probe<'_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok("")
    }
    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(self.0)
    }
    fn line_index(&'a self, (): (), _byte_index: usize) -> Result<usize, FilesError> {
        Ok(0)
    }
    fn line_range(&'a self, (): (), _line_index: usize) -> Result<Range<usize>, FilesError> {
        Ok(0..self.0.len())
    }
}

/// [`char_width`] at column 0, for the tests.
#[cfg(test)]
pub fn tests_width(ch: char) -> usize {
    char_width(ch, 0)
}
