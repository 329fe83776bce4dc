//! A file as codespan-reporting's `SimpleFile` sees it, its lines found once.

use std::ops::Range;

use codespan_reporting::files::{Error as FilesError, Files};
use wikistamp_analysis::text::floor_char_boundary;

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

    fn line_start(&self, index: usize) -> Result<usize, FilesError> {
        match self.starts.get(index) {
            Some(&start) => Ok(start),
            None if index == self.starts.len() => Ok(self.text.len()),
            None => Err(FilesError::LineTooLarge {
                given: index,
                max: self.starts.len() - 1,
            }),
        }
    }
}

impl<'a> Files<'a> for Text<'_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(self.name)
    }
    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(self.text)
    }
    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, FilesError> {
        Ok(self
            .starts
            .binary_search(&byte_index)
            .unwrap_or_else(|next| next - 1))
    }
    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, FilesError> {
        Ok(self.line_start(line_index)?..self.line_start(line_index + 1)?)
    }
    /// `files::column_index`: the characters that end before `byte_index` on the line.
    fn column_number(
        &'a self,
        (): (),
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let range = self.line_range((), line_index)?;
        let end = floor_char_boundary(self.text, byte_index.min(range.end));
        let count = self
            .text
            .get(range.start..end)
            .map_or(0, |s| s.chars().count());
        Ok(count + 1)
    }
}
