//! A file as codespan-reporting's `SimpleFile` sees it, its lines found once.

use std::ops::Range;

use wikistamp_analysis::text::floor_char_boundary;

/// A diagnostic that cannot be shown: a span outside the lines of its file (where
/// codespan-reporting's `Files` would return an error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unshown;

/// What the layout asks of a file (codespan-reporting's `Files` for one file).
pub trait Lines {
    fn name(&self) -> &str;
    fn source(&self) -> &str;
    /// The line a byte is on (0-based).
    fn line_index(&self, byte_index: usize) -> usize;
    /// The number shown for a line.
    fn line_number(&self, line_index: usize) -> usize {
        line_index + 1
    }
    /// The column shown for a byte on a line (1-based, in characters).
    fn column_number(&self, line_index: usize, byte_index: usize) -> Result<usize, Unshown>;
    /// The bytes of a line, its line end included.
    fn line_range(&self, line_index: usize) -> Result<Range<usize>, Unshown>;
}

/// A file as codespan-reporting's `SimpleFile` sees it (lines end after each `\n`), its line
/// starts found with memchr and its columns counted with `chars().count()`.
pub struct Text<'a> {
    name: &'a str,
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Text<'a> {
    pub fn new(name: &'a str, text: &'a str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Text { name, text, starts }
    }

    fn line_start(&self, index: usize) -> Result<usize, Unshown> {
        match self.starts.get(index) {
            Some(&start) => Ok(start),
            None if index == self.starts.len() => Ok(self.text.len()),
            None => Err(Unshown),
        }
    }
}

impl Lines for Text<'_> {
    fn name(&self) -> &str {
        self.name
    }
    fn source(&self) -> &str {
        self.text
    }
    fn line_index(&self, byte_index: usize) -> usize {
        self.starts
            .binary_search(&byte_index)
            .unwrap_or_else(|next| next - 1)
    }
    fn line_range(&self, line_index: usize) -> Result<Range<usize>, Unshown> {
        Ok(self.line_start(line_index)?..self.line_start(line_index + 1)?)
    }
    /// `files::column_index`: the characters that end before `byte_index` on the line.
    fn column_number(&self, line_index: usize, byte_index: usize) -> Result<usize, Unshown> {
        let range = self.line_range(line_index)?;
        let end = floor_char_boundary(self.text, byte_index.min(range.end));
        let count = self
            .text
            .get(range.start..end)
            .map_or(0, |s| s.chars().count());
        Ok(count + 1)
    }
}
