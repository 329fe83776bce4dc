//! Character widths as codespan-reporting measures them (for tabs and wide or zero-width
//! characters): unicode-width, the crate and version it is built with (one entry in
//! Cargo.lock serves both).

use unicode_width::UnicodeWidthChar;

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
/// tab stop from `column`; any other character is as wide as unicode-width says (control
/// characters none).
pub(super) fn char_width(ch: char, column: usize) -> usize {
    match ch {
        '\t' => TAB_WIDTH - column % TAB_WIDTH,
        ' '..='~' => 1,
        _ => ch.width().unwrap_or(0),
    }
}

/// [`char_width`] at column 0, for the tests.
#[cfg(test)]
pub fn tests_width(ch: char) -> usize {
    char_width(ch, 0)
}
