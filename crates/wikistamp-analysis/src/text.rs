//! Byte offsets ↔ lines and columns: the one line index. Everything in the analysis speaks
//! byte offsets into the note's UTF-8 text; line/column appear only where a human or a protocol
//! needs them, converted here (the CLI to 1-based line and character column, the server to its
//! negotiated position encoding, a configuration error to its line).

use std::ops::Range;

/// What a column counts from the start of its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnUnit {
    /// UTF-8 bytes.
    Bytes,
    /// UTF-16 code units (the Language Server Protocol's default).
    Utf16,
    /// Unicode scalar values (what the CLI shows, and UTF-32 in the protocol).
    Chars,
}

/// A 0-based line and a 0-based column in some [`ColumnUnit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub col: usize,
}

/// Start offsets of every line of a text, for offset → (line, column) conversion.
#[derive(Debug)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    len: usize,
    /// The last column computed, so that converting many offsets of one long line in order
    /// costs the distance between them, not the distance from the line's start each time
    /// (a 5 MB line with 400,000 findings was quadratic).
    last: std::sync::Mutex<Option<ColumnMemo>>,
}

#[derive(Debug, Clone, Copy)]
struct ColumnMemo {
    line: usize,
    offset: usize,
    chars: usize,
    utf16: usize,
}

impl Clone for LineIndex {
    fn clone(&self) -> Self {
        LineIndex {
            line_starts: self.line_starts.clone(),
            len: self.len,
            last: std::sync::Mutex::new(None),
        }
    }
}

impl LineIndex {
    /// Lines end at `\n`; a `\r` before it belongs to the line's end, and a lone `\r` also ends
    /// a line (old Mac files), as CommonMark says.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        let mut i = 0;
        while let Some(pos) = memchr::memchr2(b'\n', b'\r', &bytes[i..]) {
            let at = i + pos;
            if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                i = at + 2;
            } else {
                i = at + 1;
            }
            line_starts.push(i);
        }
        LineIndex {
            line_starts,
            len: text.len(),
            last: std::sync::Mutex::new(None),
        }
    }

    /// Number of lines (a text ending in a newline has an empty last line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 0-based line that holds `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte offset where 0-based `line` starts (clamped to the end of the text).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line).copied().unwrap_or(self.len)
    }

    /// Byte range of 0-based `line` without its line ending.
    pub fn line_range(&self, text: &str, line: usize) -> Range<usize> {
        let start = self.line_start(line);
        let mut end = self.line_start(line + 1);
        let bytes = text.as_bytes();
        while end > start && matches!(bytes.get(end - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        start..end
    }

    /// The line and column of `offset` in `text` (the text this index was built from),
    /// clamped to the text and floored to a char boundary. A byte-order mark is not a column:
    /// editors hide it, so the first character after it is column 0.
    pub fn line_col(&self, text: &str, offset: usize, unit: ColumnUnit) -> LineCol {
        let offset = floor_char_boundary(text, offset).max(bom_len(text).min(text.len()));
        let line = self.line_of(offset);
        let col = match unit {
            ColumnUnit::Bytes => offset - self.line_start(line).min(offset),
            ColumnUnit::Utf16 => self.columns(text, offset).1.utf16,
            ColumnUnit::Chars => self.columns(text, offset).1.chars,
        };
        let bom_cols = match unit {
            _ if line > 0 || bom_len(text) == 0 => 0,
            ColumnUnit::Bytes => BOM.len_utf8(),
            ColumnUnit::Utf16 | ColumnUnit::Chars => 1,
        };
        LineCol {
            line,
            col: col - bom_cols,
        }
    }

    /// The byte offset of `at` in `text`: a line past the end is the end of the text, a column
    /// past the end of its line the end of that line (before its line ending), and a column
    /// inside a character that character's start.
    pub fn offset(&self, text: &str, at: LineCol, unit: ColumnUnit) -> usize {
        if at.line >= self.line_count() {
            return text.len();
        }
        let mut content = self.line_range(text, at.line);
        if at.line == 0 {
            // Columns start after a byte-order mark (see `line_col`).
            content.start += bom_len(text).min(content.end);
        }
        let line = &text[content.clone()];
        let within = match unit {
            ColumnUnit::Bytes => floor_char_boundary(line, at.col),
            ColumnUnit::Utf16 => {
                let mut units = 0;
                let mut within = line.len();
                for (i, c) in line.char_indices() {
                    units += c.len_utf16();
                    if units > at.col {
                        within = i;
                        break;
                    }
                }
                within
            }
            ColumnUnit::Chars => line
                .char_indices()
                .nth(at.col)
                .map_or(line.len(), |(i, _)| i),
        };
        content.start + within
    }

    /// The columns of `offset` (floored to a char boundary), counted from the remembered
    /// column of the same line when that is nearer than the line's start.
    fn columns(&self, text: &str, offset: usize) -> (usize, ColumnMemo) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_start(line).min(offset);
        let count = columns_of;
        let mut guard = self.last.try_lock().ok();
        let prev = guard
            .as_deref()
            .copied()
            .flatten()
            .filter(|m| m.line == line && m.offset <= text.len() && text.is_char_boundary(m.offset))
            .filter(|m| m.offset.abs_diff(offset) < offset - start);
        let memo = match prev {
            Some(m) if m.offset <= offset => {
                let (c, u) = count(&text[m.offset..offset]);
                ColumnMemo {
                    line,
                    offset,
                    chars: m.chars + c,
                    utf16: m.utf16 + u,
                }
            }
            Some(m) => {
                let (c, u) = count(&text[offset..m.offset]);
                ColumnMemo {
                    line,
                    offset,
                    chars: m.chars.saturating_sub(c),
                    utf16: m.utf16.saturating_sub(u),
                }
            }
            None => {
                let (c, u) = count(&text[start..offset]);
                ColumnMemo {
                    line,
                    offset,
                    chars: c,
                    utf16: u,
                }
            }
        };
        if let Some(g) = guard.as_deref_mut() {
            *g = Some(memo);
        }
        (line, memo)
    }
}

/// Length of `s` in Unicode scalar values and in UTF-16 code units, by counting bytes: every
/// scalar value has one byte that is not a continuation byte (0x80..=0xBF), and takes two
/// UTF-16 units exactly when it takes four UTF-8 bytes, whose lead byte is 0xF0 or more. The
/// counts run in `u8` over chunks of 255 bytes so that the compiler vectorizes them (15 times
/// faster on the corpus than decoding and encoding to UTF-16).
fn columns_of(s: &str) -> (usize, usize) {
    let (mut continuation, mut astral) = (0usize, 0usize);
    for chunk in s.as_bytes().chunks(255) {
        let (mut c, mut a) = (0u8, 0u8);
        for &b in chunk {
            c += u8::from((b as i8) < -0x40);
            a += u8::from(b >= 0xF0);
        }
        continuation += usize::from(c);
        astral += usize::from(a);
    }
    let chars = s.len() - continuation;
    (chars, chars + astral)
}

/// The largest char boundary at or before `offset`.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Lowercase and keep only letters and digits: the key under which `Foo_Bar`, `foo bar` and
/// `foo-bar!` are the same, used for suggestions and lenient heading matches.
/// The byte-order mark some editors write at the start of a file.
const BOM: char = '\u{feff}';

/// The length in bytes of the byte-order mark `text` starts with (0 when none).
fn bom_len(text: &str) -> usize {
    if text.starts_with(BOM) {
        BOM.len_utf8()
    } else {
        0
    }
}

pub fn loose_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // ASCII bytes one at a time; other characters decoded, as Unicode letters and digits.
    let mut rest = s;
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        for b in rest[..ascii].bytes() {
            if b.is_ascii_alphanumeric() {
                out.push(char::from(b.to_ascii_lowercase()));
            }
        }
        rest = &rest[ascii..];
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            if c.is_alphanumeric() {
                out.extend(c.to_lowercase());
            }
        }
        rest = chars.as_str();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_on_lf_crlf_and_cr() {
        let text = "a\nb\r\nc\rd";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        assert_eq!(idx.line_of(0), 0);
        assert_eq!(idx.line_of(2), 1);
        assert_eq!(idx.line_of(5), 2);
        assert_eq!(idx.line_of(7), 3);
        assert_eq!(idx.line_range(text, 1), 2..3);
    }

    #[test]
    fn columns_count_scalar_values() {
        let text = "é🎉x\n";
        let idx = LineIndex::new(text);
        let at = |offset, unit| {
            let lc = idx.line_col(text, offset, unit);
            (lc.line, lc.col)
        };
        assert_eq!(at("é🎉".len(), ColumnUnit::Chars), (0, 2));
        assert_eq!(at("é🎉".len(), ColumnUnit::Utf16), (0, 3));
        assert_eq!(at("é🎉".len(), ColumnUnit::Bytes), (0, 6));
        // An offset inside a character is floored to its start.
        assert_eq!(at(1, ColumnUnit::Chars), (0, 0));
        assert_eq!(at(1, ColumnUnit::Bytes), (0, 0));
    }

    #[test]
    fn columns_from_a_remembered_offset_equal_columns_from_the_line_start() {
        let text = "a é🎉 b\r\nx 漢字 🎉🎉 y\rz";
        let idx = LineIndex::new(text);
        let offsets: Vec<usize> = (0..=text.len()).collect();
        // Forwards, backwards and jumping around: always the same as a fresh count.
        for order in [
            offsets.clone(),
            offsets.iter().rev().copied().collect(),
            offsets.iter().map(|o| (o * 7) % (text.len() + 1)).collect(),
        ] {
            for o in order {
                let f = floor_char_boundary(text, o);
                let line = idx.line_of(f);
                let start = idx.line_start(line).min(f);
                assert_eq!(
                    idx.line_col(text, o, ColumnUnit::Chars),
                    LineCol {
                        line,
                        col: text[start..f].chars().count()
                    },
                    "{o}"
                );
                assert_eq!(
                    idx.line_col(text, o, ColumnUnit::Utf16),
                    LineCol {
                        line,
                        col: text[start..f].encode_utf16().count()
                    },
                    "{o}"
                );
            }
        }
    }

    const UNITS: [ColumnUnit; 3] = [ColumnUnit::Bytes, ColumnUnit::Utf16, ColumnUnit::Chars];

    #[test]
    fn positions_past_a_line_or_inside_a_character_clamp() {
        let text = "a🎉b\r\n日本語x\rend\n";
        let idx = LineIndex::new(text);
        let offset = |line, col, unit| idx.offset(text, LineCol { line, col }, unit);
        let b = text.find('b').unwrap_or(0);
        assert_eq!(offset(0, 3, ColumnUnit::Utf16), b);
        assert_eq!(offset(0, 2, ColumnUnit::Chars), b);
        assert_eq!(offset(0, 5, ColumnUnit::Bytes), b);
        // Inside the emoji (its second UTF-16 unit, its third byte): its start.
        assert_eq!(offset(0, 2, ColumnUnit::Utf16), 1);
        assert_eq!(offset(0, 3, ColumnUnit::Bytes), 1);
        for unit in UNITS {
            assert_eq!(
                offset(0, 99, unit),
                text.find('\r').unwrap_or(0),
                "{unit:?}"
            );
            assert_eq!(offset(2, 1, unit), text.find("end").unwrap_or(0) + 1);
            assert_eq!(offset(3, 0, unit), text.len());
            assert_eq!(offset(99, 99, unit), text.len());
            assert_eq!(
                idx.line_col(text, usize::MAX, unit),
                LineCol { line: 3, col: 0 }
            );
        }
    }

    proptest::proptest! {
        /// offset → line/column → offset is the identity on every char boundary that a line
        /// and column can name (not between the `\r` and `\n` of a CRLF, nor before a leading
        /// byte-order mark, which is no column), in every unit; and any line and column,
        /// however far out, names a char boundary.
        #[test]
        fn offsets_round_trip(
            pieces in proptest::collection::vec(proptest::sample::select(&[
                "a", " ", "é", "🎉", "日本", "\n", "\r\n", "\r", "\t", "\u{feff}", "𝒳",
            ][..]), 0..40),
            line in 0usize..50,
            col in 0usize..80,
        ) {
            let text = pieces.concat();
            let idx = LineIndex::new(&text);
            for unit in UNITS {
                for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
                    let inside_crlf = offset > 0
                        && text.as_bytes()[offset - 1] == b'\r'
                        && text.as_bytes().get(offset) == Some(&b'\n');
                    let before_bom = offset == 0 && text.starts_with('\u{feff}');
                    if !inside_crlf && !before_bom {
                        let at = idx.line_col(&text, offset, unit);
                        proptest::prop_assert_eq!(idx.offset(&text, at, unit), offset);
                    }
                }
                let o = idx.offset(&text, LineCol { line, col }, unit);
                proptest::prop_assert!(o <= text.len() && text.is_char_boundary(o));
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn columns_of_counts_like_encoding(s in "\\PC{0,40}|[a\u{e9}\u{6f22}\u{1f389}\u{10ffff}]{0,600}") {
            proptest::prop_assert_eq!(
                columns_of(&s),
                (s.chars().count(), s.encode_utf16().count())
            );
        }
    }

    #[test]
    fn columns_of_long_runs_of_one_kind_of_byte() {
        // Chunks full of continuation bytes and of four-byte lead bytes: no count overflows.
        for s in [
            "🎉".repeat(300),
            "é".repeat(300),
            "a".repeat(1000),
            format!("{}x{}", "漢".repeat(255), "🎉".repeat(64)),
        ] {
            for cut in [0, 1, 254, 255, 256, 511, s.len()] {
                let s = &s[..floor_char_boundary(&s, cut)];
                assert_eq!(columns_of(s), (s.chars().count(), s.encode_utf16().count()));
            }
        }
        crate::test_corpus::for_each_corpus_note(|path, text| {
            assert_eq!(
                columns_of(text),
                (text.chars().count(), text.encode_utf16().count()),
                "{path}"
            );
        });
    }

    /// `loose_key` as it was, char by char: the reference for the ASCII fast path.
    fn loose_key_reference(s: &str) -> String {
        let mut out = String::new();
        for c in s.chars() {
            if c.is_alphanumeric() {
                out.extend(c.to_lowercase());
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn loose_key_equals_the_reference(s in "\\PC{0,30}|[a-zA-Z0-9 _İẞΣσé漢🎉-]{0,30}") {
            proptest::prop_assert_eq!(loose_key(&s), loose_key_reference(&s));
        }
    }

    #[test]
    fn loose_key_of_non_ascii_letters() {
        for s in [
            "İstanbul",
            "STRAẞE",
            "ΣΊΣΥΦΟΣ",
            "Ünïcödé_Ñame",
            "漢字 and 🎉",
            "Ⅻ ½ ٣",
        ] {
            assert_eq!(loose_key(s), loose_key_reference(s), "{s}");
        }
        assert_eq!(loose_key("İ"), "i\u{307}");
    }

    #[test]
    fn a_byte_order_mark_is_no_column() {
        let text = "\u{feff}ab\ncd";
        let idx = LineIndex::new(text);
        for unit in UNITS {
            assert_eq!(idx.line_col(text, 4, unit), LineCol { line: 0, col: 1 });
            assert_eq!(idx.offset(text, LineCol { line: 0, col: 1 }, unit), 4);
            assert_eq!(idx.line_col(text, 6, unit), LineCol { line: 1, col: 0 });
        }
    }

    #[test]
    fn loose_key_ignores_case_spaces_and_punctuation() {
        assert_eq!(loose_key("AI's  Future_of-Work!"), "aisfutureofwork");
    }
}
