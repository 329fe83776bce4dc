//! The body's block structure, read into the note: headings, leaf blocks, callout headers,
//! code and HTML ranges, and the comments found on the way.

use std::ops::Range;

use super::blocks::{self, BlockEvent, BlockTag};
use super::comments::html_comments;
use super::{
    callouts, line_end, line_start, links, next_line_start, Block, BlockKind, Heading, Note,
};

struct QuoteFrame {
    is_callout: bool,
}

struct ItemFrame {
    start: usize,
    has_paragraph: bool,
    first_child: Option<usize>,
    depth: usize,
}

pub(super) fn block_pass(
    text: &str,
    body_start: usize,
    note: &mut Note,
    code_and_html: &mut Vec<Range<usize>>,
    comments: &mut Vec<Range<usize>>,
    quote_lines: &mut Vec<usize>,
    html_blocks: &mut Vec<Range<usize>>,
) {
    let body = &text[body_start..];
    let mut quotes: Vec<QuoteFrame> = Vec::new();
    // (offset of the last blockquote start, start of its line)
    let mut quote_memo: (usize, usize) = (0, 0);
    let mut items: Vec<ItemFrame> = Vec::new();
    let mut depth = 0usize; // block nesting depth, to tell an item's direct children
    let mut table_depth = 0usize;
    let bytes = text.as_bytes();

    let events = blocks::events(body);
    for event in &events {
        match event {
            BlockEvent::Start(tag, r) => {
                let tag = *tag;
                let range = r.start + body_start..r.end + body_start;
                if let Some(item) = items.last_mut() {
                    if depth == item.depth {
                        if tag == BlockTag::Paragraph {
                            item.has_paragraph = true;
                        } else if item.first_child.is_none() {
                            item.first_child = Some(range.start);
                        }
                    }
                }
                depth += 1;
                match tag {
                    BlockTag::CodeBlock => code_and_html.push(range),
                    BlockTag::HtmlBlock => {
                        html_comments(text, range.clone(), comments);
                        html_blocks.push(range);
                    }
                    BlockTag::Heading(level) => {
                        note.headings.push(heading(text, level, range));
                    }
                    BlockTag::BlockQuote => {
                        // From the previous quote's line start: 20,000 quotes nested on one
                        // line made a scan back to the line start per quote quadratic.
                        let line = match quote_memo {
                            (pos, start) if pos <= range.start => {
                                memchr::memrchr2(b'\n', b'\r', &bytes[pos..range.start])
                                    .map_or(start, |i| pos + i + 1)
                            }
                            _ => line_start(bytes, range.start),
                        };
                        quote_memo = (range.start, line);
                        quote_lines.push(line);
                        let is_callout = callout_at(text, range.start, note);
                        quotes.push(QuoteFrame { is_callout });
                    }
                    BlockTag::Item => items.push(ItemFrame {
                        start: range.start,
                        has_paragraph: false,
                        first_child: None,
                        depth,
                    }),
                    BlockTag::Paragraph if table_depth == 0 => {
                        let mut start = range.start;
                        // A paragraph that opens a callout: its first line is the header.
                        if let Some(c) = note.callouts.last() {
                            if c.range.start >= line_start(bytes, start)
                                && c.range.start < range.end
                            {
                                start = next_line_start(bytes, c.range.end).min(range.end);
                            }
                        }
                        if start < range.end {
                            note.blocks.push(block(
                                BlockKind::Paragraph,
                                start..range.end,
                                &quotes,
                            ));
                        }
                    }
                    BlockTag::Table => {
                        table_depth += 1;
                        note.blocks.push(block(BlockKind::Table, range, &quotes));
                    }
                    _ => {}
                }
            }
            BlockEvent::End(tag, r) => {
                let tag = *tag;
                let range = r.start + body_start..r.end + body_start;
                depth = depth.saturating_sub(1);
                match tag {
                    BlockTag::BlockQuote => {
                        quotes.pop();
                    }
                    BlockTag::Table => table_depth = table_depth.saturating_sub(1),
                    BlockTag::Item => {
                        if let Some(item) = items.pop() {
                            if !item.has_paragraph {
                                let end = item.first_child.unwrap_or(range.end).min(range.end);
                                let start = item.start;
                                if start < end {
                                    note.blocks.push(block(
                                        BlockKind::ListItem,
                                        start..end,
                                        &quotes,
                                    ));
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
            BlockEvent::Code(r) => code_and_html.push(r.start + body_start..r.end + body_start),
            // Comments in HTML blocks were found at the block's start.
            BlockEvent::Comment(r) => comments.push(r.start + body_start..r.end + body_start),
        }
    }
    // Blocks come out in document order except list items (pushed at their end).
    note.blocks.sort_by_key(|b| b.range.start);
}

fn block(kind: BlockKind, range: Range<usize>, quotes: &[QuoteFrame]) -> Block {
    Block {
        kind,
        range,
        quote_depth: quotes.len(),
        in_callout: quotes.iter().any(|q| q.is_callout),
    }
}

fn heading(text: &str, level: u8, range: Range<usize>) -> Heading {
    let bytes = text.as_bytes();
    let first_line_end = range.start
        + memchr::memchr2(b'\n', b'\r', &bytes[range.start..range.end]).unwrap_or(range.len());
    let line = &text[range.start..first_line_end];
    let trimmed = line.trim_start();
    let text_range = if trimmed.starts_with('#') {
        let start = range.start + (line.len() - trimmed.len());
        let hashes = trimmed.bytes().take_while(|b| *b == b'#').count();
        let mut content = start + hashes..first_line_end;
        // A closing sequence of `#` preceded by a space is not part of the text.
        let s = &text[content.clone()];
        let s_trimmed = s.trim_end();
        // `#` is ASCII: no UTF-8 sequence holds its byte.
        let hashes_at_end = s_trimmed.bytes().rev().take_while(|b| *b == b'#').count();
        let without = &s_trimmed[..s_trimmed.len() - hashes_at_end];
        if without.len() < s_trimmed.len() && (without.is_empty() || without.ends_with([' ', '\t']))
        {
            content.end = content.start + without.len();
        }
        links::trim(text, content)
    } else {
        links::trim(text, range.start..first_line_end)
    };
    Heading {
        level,
        range,
        text: text_range,
    }
}

/// At a blockquote's start: records its header if its first line is a valid callout.
fn callout_at(text: &str, quote_start: usize, note: &mut Note) -> bool {
    let bytes = text.as_bytes();
    // Only the innermost quote of a line can open a callout: skip the `>` and blanks after it;
    // another `>` means a nested quote, whose own start event comes next. Checking this first
    // keeps deeply nested quotes linear.
    let mut content = quote_start + 1;
    while content < bytes.len() && (bytes[content] == b' ' || bytes[content] == b'\t') {
        content += 1;
    }
    if !bytes[content.min(bytes.len())..].starts_with(b"[!") {
        return false;
    }
    let end = line_end(bytes, content);
    let line = line_start(bytes, quote_start);
    let depth = bytes[line..quote_start + 1]
        .iter()
        .filter(|b| **b == b'>')
        .count();
    match callouts::parse_header(text, content, end, depth) {
        Ok(c) => {
            note.callouts.push(c);
            true
        }
        Err(_) => false,
    }
}
