//! Comments: `<!-- … -->` in HTML blocks and Obsidian's `%%…%%`, whose text counts for nothing.

use std::ops::Range;

use super::Excluded;

/// The `<!-- … -->` comments of an HTML block (an unclosed one runs to the block's end).
pub(super) fn html_comments(text: &str, block: Range<usize>, comments: &mut Vec<Range<usize>>) {
    let bytes = &text.as_bytes()[..block.end];
    let mut pos = block.start;
    while let Some(i) = memchr::memmem::find(&bytes[pos..], b"<!--") {
        let start = pos + i;
        let end = memchr::memmem::find(&bytes[start + 4..], b"-->")
            .map(|j| start + 4 + j + 3)
            .unwrap_or(block.end);
        comments.push(start..end);
        pos = end;
    }
}

/// Obsidian comments `%%…%%` in `body`, outside `code`; an unclosed one runs to the end.
pub(super) fn scan_percent_comments(
    text: &str,
    body: Range<usize>,
    code: &Excluded,
    out: &mut Vec<Range<usize>>,
) {
    let bytes = text.as_bytes();
    let mut pos = body.start;
    while let Some(start) = find_percent_pair(bytes, pos, body.end) {
        if let Some(end) = code.containing(start) {
            pos = end.max(start + 1);
            continue;
        }
        let mut search = start + 2;
        let end = loop {
            match find_percent_pair(bytes, search, body.end) {
                Some(at) => {
                    if let Some(code_end) = code.containing(at) {
                        search = code_end.max(at + 1);
                        continue;
                    }
                    break at + 2;
                }
                None => break body.end,
            }
        };
        out.push(start..end);
        pos = end;
    }
}

/// The first `%%` in `bytes[from..to]`, by its first `%` (a rare byte).
pub(crate) fn find_percent_pair(bytes: &[u8], mut from: usize, to: usize) -> Option<usize> {
    while let Some(i) = memchr::memchr(b'%', &bytes[from..to]) {
        let at = from + i;
        if at + 1 < to && bytes[at + 1] == b'%' {
            return Some(at);
        }
        from = at + 1;
    }
    None
}
