//! The one place that converts between the analysis' byte offsets and LSP positions, in the
//! negotiated encoding: UTF-8 when the client offers it, else UTF-32 when it offers that, else
//! UTF-16 (the protocol default).
//! Lines end at `\n`, `\r\n` or a lone `\r`, as in the protocol and in the analysis.
//!
//! Every conversion clamps: a line past the end means the end of the text, a column past the
//! end of its line means the end of that line (as the protocol says), and a column inside a
//! multi-unit character is floored to that character's start. Nothing here panics.

use std::ops::Range;

use tower_lsp_server::ls_types::{self as lsp, PositionEncodingKind};
use wikistamp_analysis::text::{ColumnUnit, LineCol, LineIndex};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
    /// Columns count Unicode scalar values.
    Utf32,
}

impl Encoding {
    /// UTF-8 when the client lists it among `general.positionEncodings`, else UTF-32 when it
    /// lists that, else UTF-16.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Self {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF32) => Encoding::Utf32,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    /// What a column counts in this encoding.
    fn unit(self) -> ColumnUnit {
        match self {
            Encoding::Utf8 => ColumnUnit::Bytes,
            Encoding::Utf16 => ColumnUnit::Utf16,
            Encoding::Utf32 => ColumnUnit::Chars,
        }
    }
}

/// Offset ↔ position conversions over one text, by the analysis' [`LineIndex`].
pub struct LineMap<'t> {
    text: &'t str,
    lines: LineIndex,
    enc: Encoding,
}

impl<'t> LineMap<'t> {
    pub fn new(text: &'t str, enc: Encoding) -> Self {
        LineMap {
            text,
            lines: LineIndex::new(text),
            enc,
        }
    }

    /// The position of byte `offset` (clamped, floored to a character boundary).
    pub fn position(&self, offset: usize) -> lsp::Position {
        let at = self.lines.line_col(self.text, offset, self.enc.unit());
        lsp::Position::new(to_u32(at.line), to_u32(at.col))
    }

    pub fn range(&self, range: &Range<usize>) -> lsp::Range {
        lsp::Range::new(self.position(range.start), self.position(range.end))
    }

    /// The byte offset of `pos`, clamped to the text and to the end of its line.
    pub fn offset(&self, pos: lsp::Position) -> usize {
        let at = LineCol {
            line: pos.line as usize,
            col: pos.character as usize,
        };
        self.lines.offset(self.text, at, self.enc.unit())
    }

    pub fn byte_range(&self, range: lsp::Range) -> Range<usize> {
        let start = self.offset(range.start);
        let end = self.offset(range.end).max(start);
        start..end
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp::Position;

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    const TEXT: &str = "a🎉b\r\n日本語x\rend\n";

    #[test]
    fn utf16_counts_surrogate_pairs_and_bmp_cjk() {
        let m = LineMap::new(TEXT, Encoding::Utf16);
        let b = TEXT.find('b').unwrap_or(0);
        assert_eq!(m.position(b), pos(0, 3)); // a + 🎉 (2 units)
        assert_eq!(m.offset(pos(0, 3)), b);
        let x = TEXT.find('x').unwrap_or(0);
        assert_eq!(m.position(x), pos(1, 3)); // 3 CJK chars, 1 unit each
        assert_eq!(m.offset(pos(1, 3)), x);
        // Inside the surrogate pair: floored to the emoji's start.
        assert_eq!(m.offset(pos(0, 2)), 1);
    }

    #[test]
    fn utf8_counts_bytes() {
        let m = LineMap::new(TEXT, Encoding::Utf8);
        let b = TEXT.find('b').unwrap_or(0);
        assert_eq!(m.position(b), pos(0, 5));
        let x = TEXT.find('x').unwrap_or(0);
        assert_eq!(m.position(x), pos(1, 9));
        assert_eq!(m.offset(pos(1, 9)), x);
        assert_eq!(m.offset(pos(1, 4)), TEXT.find('本').unwrap_or(0)); // mid-char: floored
                                                                       // A byte offset inside a character maps to that character.
        assert_eq!(m.position(2), pos(0, 1));
    }

    #[test]
    fn crlf_and_lone_cr_end_lines_and_columns_clamp_to_line_end() {
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            let m = LineMap::new(TEXT, enc);
            let end_line0 = TEXT.find('\r').unwrap_or(0);
            assert_eq!(m.offset(pos(0, 99)), end_line0, "{enc:?}");
            assert_eq!(m.position(end_line0 + 2), pos(1, 0)); // after \r\n
            let e = TEXT.find("end").unwrap_or(0);
            assert_eq!(m.position(e), pos(2, 0)); // after a lone \r
            assert_eq!(m.offset(pos(2, 1)), e + 1);
            assert_eq!(m.offset(pos(3, 0)), TEXT.len());
            assert_eq!(m.offset(pos(99, 99)), TEXT.len());
            assert_eq!(m.position(usize::MAX), pos(3, 0));
        }
    }

    #[test]
    fn negotiation_prefers_utf8_only_when_offered() {
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        let both = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&both)), Encoding::Utf8);
        let only16 = [PositionEncodingKind::UTF16];
        assert_eq!(Encoding::negotiate(Some(&only16)), Encoding::Utf16);
    }

    #[test]
    fn negotiation_prefers_utf8_then_utf32_then_utf16() {
        use PositionEncodingKind as K;
        assert_eq!(
            Encoding::negotiate(Some(&[K::UTF16, K::UTF8])),
            Encoding::Utf8
        );
        assert_eq!(
            Encoding::negotiate(Some(&[K::UTF32, K::UTF16])),
            Encoding::Utf32
        );
        assert_eq!(Encoding::negotiate(Some(&[K::UTF16])), Encoding::Utf16);
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        let m = LineMap::new("🎉x", Encoding::Utf32);
        assert_eq!(m.position(4), Position::new(0, 1));
        assert_eq!(m.offset(Position::new(0, 1)), 4);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        const PIECES: &[&str] = &[
            "a", "Z", " ", "é", "🎉", "日本", "\n", "\r\n", "\r", "\t", "[[x]]", "\u{feff}", "𝒳",
        ];

        fn text() -> impl Strategy<Value = String> {
            proptest::collection::vec(proptest::sample::select(PIECES), 0..40)
                .prop_map(|v| v.concat())
        }

        fn encodings() -> impl Strategy<Value = Encoding> {
            prop_oneof![
                Just(Encoding::Utf8),
                Just(Encoding::Utf16),
                Just(Encoding::Utf32)
            ]
        }

        proptest! {
            /// offset → position → offset is the identity on every character boundary that a
            /// position can name (not between the `\r` and `\n` of a CRLF, nor before a
            /// leading byte-order mark, which editors hide: it is no column), in every encoding.
            #[test]
            fn offsets_round_trip(text in text(), enc in encodings()) {
                let map = LineMap::new(&text, enc);
                for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
                    let inside_crlf = offset > 0
                        && text.as_bytes()[offset - 1] == b'\r'
                        && text.as_bytes().get(offset) == Some(&b'\n');
                    let before_bom = offset == 0 && text.starts_with('\u{feff}');
                    if inside_crlf || before_bom {
                        continue;
                    }
                    let p = map.position(offset);
                    prop_assert_eq!(map.offset(p), offset, "{:?} at {}", text, offset);
                }
            }

            /// Any position, however far out of range, maps to a character boundary.
            #[test]
            fn any_position_is_clamped(text in text(), enc in encodings(), line in 0u32..50, ch in 0u32..80) {
                let map = LineMap::new(&text, enc);
                let offset = map.offset(Position::new(line, ch));
                prop_assert!(offset <= text.len() && text.is_char_boundary(offset));
            }
        }
    }
}
