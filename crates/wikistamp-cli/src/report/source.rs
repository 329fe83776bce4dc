//! What renderers know of a file's text: the text itself, or the line and column of each offset
//! its findings mention.

use wikistamp_analysis::text::{ColumnUnit, LineIndex};
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
        let lines = LineIndex::new(text);
        Source::Located(
            offsets
                .into_iter()
                .map(|offset| (offset, locate(text, &lines, offset)))
                .collect(),
        )
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

pub fn locate(text: &str, lines: &LineIndex, offset: usize) -> Location {
    let at = lines.line_col(text, offset, ColumnUnit::Chars);
    Location {
        line: at.line + 1,
        column: at.col + 1,
        offset: offset.min(text.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wikistamp_analysis::diagnostic::{Fix, TextEdit};
    use wikistamp_analysis::RuleId;

    #[test]
    fn located_holds_every_offset_of_ranges_related_and_edits() {
        let text = "ab\r\ncd é\rx\n";
        let mut d = Diagnostic::new(RuleId::LinkBroken, 5..8, "m").with_related(1..2, "r");
        d = d.with_fix(Fix::safe("f", vec![TextEdit::replace(12..40, "y")]));
        let Source::Located(table) = Source::located(text, std::slice::from_ref(&d)) else {
            panic!("a table");
        };
        let at = |line, column, offset| Location {
            line,
            column,
            offset,
        };
        // Lines end at `\r\n`, a lone `\r` and `\n`; 8 is inside `é`; 40 is past the end.
        assert_eq!(
            table,
            [
                (1, at(1, 2, 1)),
                (2, at(1, 3, 2)),
                (5, at(2, 2, 5)),
                (8, at(2, 4, 8)),
                (12, at(4, 1, 12)),
                (40, at(4, 1, 12)),
            ]
        );
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
