//! What renderers know of a file's text: the text itself, or the line and column of each offset
//! its findings mention.

use wikistamp_analysis::text::{floor_char_boundary, LineIndex};
use wikistamp_analysis::Diagnostic;

/// A 1-based line and column (in Unicode scalar values) plus the byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

/// What a renderer needs of a file's text: the text itself (the human format shows source
/// lines), or only the locations of the offsets its findings mention, so a check of a whole
/// vault need not keep every text until the end.
pub enum Source {
    Text(String),
    /// Sorted by offset; every offset any finding of the file mentions.
    Located(Vec<(usize, Location)>),
}

impl Source {
    /// Locates, up front, every offset that `diagnostics` mention in `text`.
    pub fn located(text: &str, diagnostics: &[Diagnostic]) -> Self {
        let mut offsets: Vec<usize> = Vec::new();
        for d in diagnostics {
            let mut add = |r: &std::ops::Range<usize>| offsets.extend([r.start, r.end]);
            add(&d.range);
            d.related.iter().for_each(|r| add(&r.range));
            if let Some(f) = &d.fix {
                f.edits.iter().for_each(|e| add(&e.range));
            }
        }
        offsets.sort_unstable();
        offsets.dedup();
        Source::Located(locate_sorted(text, offsets))
    }

    pub fn as_ref(&self) -> SourceRef<'_> {
        match self {
            Source::Text(t) => SourceRef::Text(t),
            Source::Located(table) => SourceRef::Located(table),
        }
    }
}

/// A borrowed [`Source`].
#[derive(Clone, Copy)]
pub enum SourceRef<'a> {
    Text(&'a str),
    Located(&'a [(usize, Location)]),
}

impl<'a> SourceRef<'a> {
    /// The text, when kept; empty otherwise.
    pub fn text(self) -> &'a str {
        match self {
            SourceRef::Text(t) => t,
            SourceRef::Located(_) => "",
        }
    }

    pub fn locator(self) -> Locator<'a> {
        match self {
            SourceRef::Text(t) => Locator::Text(t, LineIndex::new(t)),
            SourceRef::Located(table) => Locator::Table(table),
        }
    }
}

/// Offset → [`Location`] for one file.
pub enum Locator<'a> {
    Text(&'a str, LineIndex),
    Table(&'a [(usize, Location)]),
}

impl Locator<'_> {
    pub fn locate(&self, offset: usize) -> Location {
        match self {
            Locator::Text(text, lines) => locate(text, lines, offset),
            Locator::Table(table) => {
                // Every offset a finding mentions is in the table; the nearest one below
                // stands in for any other (never reached).
                let i = table.partition_point(|(o, _)| *o <= offset);
                table.get(i.wrapping_sub(1)).map_or(
                    Location {
                        line: 1,
                        column: 1,
                        offset: 0,
                    },
                    |(_, l)| *l,
                )
            }
        }
    }
}

/// The [`locate`] of each of `offsets` (ascending), in one pass over the text up to the last
/// of them: no index of every line, and each column counted from the previous offset of its
/// line.
fn locate_sorted(text: &str, offsets: Vec<usize>) -> Vec<(usize, Location)> {
    let bytes = text.as_bytes();
    // Most texts end their lines with `\n` alone: then the lines between two offsets are
    // counted at once (memchr's vectorized count), not one by one.
    let last = offsets
        .last()
        .map_or(0, |&offset| floor_char_boundary(text, offset));
    let returns = memchr::memchr(b'\r', bytes.get(..last).unwrap_or(bytes)).is_some();
    // `at` is on 0-based line `line`, `column` characters after the line's start.
    let (mut line, mut at, mut column) = (0usize, 0usize, 0usize);
    offsets
        .into_iter()
        .map(|offset| {
            // Offsets inside a character count as its start, as in `LineIndex`.
            let to = floor_char_boundary(text, offset);
            let segment = bytes.get(at..to).unwrap_or(&[]);
            if !returns {
                if let Some(k) = memchr::memrchr(b'\n', segment) {
                    // The last `\n` starts `to`'s line.
                    line += 1 + memchr::memchr_iter(b'\n', &segment[..k]).count();
                    at += k + 1;
                    column = 0;
                }
            } else {
                // Lines end at `\n`, `\r\n` or a lone `\r` (see `LineIndex::new`).
                while let Some(k) = memchr::memchr2(b'\n', b'\r', bytes.get(at..to).unwrap_or(&[]))
                {
                    let end = at + k;
                    let next = if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
                        end + 2
                    } else {
                        end + 1
                    };
                    if next > to {
                        // `to` is the `\n` of a `\r\n`: still on this line.
                        break;
                    }
                    line += 1;
                    at = next;
                    column = 0;
                }
            }
            column += text.get(at..to).map_or(0, |s| s.chars().count());
            at = to;
            let location = Location {
                line: line + 1,
                column: column + 1,
                offset: offset.min(text.len()),
            };
            (offset, location)
        })
        .collect()
}

pub fn locate(text: &str, lines: &LineIndex, offset: usize) -> Location {
    let (line, col) = lines.line_col_chars(text, offset);
    Location {
        line: line + 1,
        column: col + 1,
        offset: offset.min(text.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wikistamp_analysis::diagnostic::{Fix, TextEdit};

    /// The table as the renderers built it before: a [`LineIndex`] of the whole text.
    fn reference(text: &str, offsets: &[usize]) -> Vec<(usize, Location)> {
        let lines = LineIndex::new(text);
        offsets
            .iter()
            .map(|&o| (o, locate(text, &lines, o)))
            .collect()
    }

    /// Longer texts than the exhaustive test below reaches: findings far apart, with many
    /// lines (of every ending) between them.
    #[test]
    fn located_equals_a_line_index_on_long_texts() {
        const PIECES: &[&str] = &["abc ", "\r", "\n", "\n", "é", "🎉", "\r\n"];
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..300 {
            let n = (next() % 400) as usize;
            // Some texts with no `\r` at all, as most notes are.
            let pieces = if round % 2 == 0 { 7 } else { 4 };
            let text: String = (0..n).map(|_| PIECES[(next() % pieces) as usize]).collect();
            let offsets: Vec<usize> = (0..=text.len() + 1)
                .filter(|_| next().is_multiple_of(40))
                .collect();
            assert_eq!(
                locate_sorted(&text, offsets.clone()),
                reference(&text, &offsets),
                "{text:?} {offsets:?}"
            );
        }
    }

    /// Every text of up to five pieces from line endings and characters of 1 to 4 bytes, with
    /// every offset (past the end too) and subsets of them that skip over line ends.
    #[test]
    fn located_equals_a_line_index_on_every_small_text() {
        const PIECES: &[&str] = &["a", "\r", "\n", "é", "🎉", "\r\n"];
        let mut texts = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..5 {
            last = last
                .iter()
                .flat_map(|t| PIECES.iter().map(move |p| format!("{t}{p}")))
                .collect();
            texts.extend(last.iter().cloned());
        }
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut compared = 0;
        for text in &texts {
            let all: Vec<usize> = (0..=text.len() + 2).collect();
            let mut subsets = vec![all.clone()];
            for _ in 0..3 {
                subsets.push(
                    all.iter()
                        .copied()
                        .filter(|_| {
                            seed ^= seed << 13;
                            seed ^= seed >> 7;
                            seed ^= seed << 17;
                            seed.is_multiple_of(3)
                        })
                        .collect(),
                );
            }
            for offsets in subsets {
                assert_eq!(
                    locate_sorted(text, offsets.clone()),
                    reference(text, &offsets),
                    "{text:?} {offsets:?}"
                );
                compared += 1;
            }
        }
        assert!(compared > 30_000, "{compared}");
    }

    #[test]
    fn located_holds_every_offset_of_ranges_related_and_edits() {
        let text = "ab\r\ncd é\rx\n";
        let mut d = Diagnostic::new("x", 5..8, "m").with_related(1..2, "r");
        d = d.with_fix(Fix::safe("f", vec![TextEdit::replace(12..40, "y")]));
        let Source::Located(table) = Source::located(text, std::slice::from_ref(&d)) else {
            panic!("a table");
        };
        let offsets: Vec<usize> = table.iter().map(|(o, _)| *o).collect();
        assert_eq!(offsets, [1, 2, 5, 8, 12, 40]);
        assert_eq!(table, reference(text, &offsets));
        let loc = Source::located(text, &[d]);
        let loc = loc.as_ref().locator();
        assert_eq!(
            loc.locate(8),
            Location {
                line: 2,
                column: 4,
                offset: 8
            }
        );
        assert_eq!(loc.locate(40).offset, text.len());
    }
}
