//! The block structure of a note body as a stream of [`BlockEvent`]s, from one of two sources:
//!
//! - [`scan`], a line scanner of our own for the shapes notes are made of (paragraphs, ATX and
//!   setext headings, bullet and ordered lists, blockquotes and callouts, lazy continuation
//!   lines, fenced code, thematic breaks, code spans, lines that start with an inline tag such
//!   as `<a …>`). It gives up (`None`) on anything outside that subset — HTML blocks, tables,
//!   indented code, footnotes, link reference definitions, tabs, `<!--` — rather than guess.
//! - [`pulldown`], pulldown-cmark's offset iterator reduced to the same events: the reference,
//!   used whenever the scanner gives up.
//!
//! Where the scanner answers, its events are exactly pulldown-cmark's, ranges included (a
//! differential test checks this on generated notes and, when `WIKISTAMP_CORPUS` is set, on
//! every note of a real vault). It exists because pulldown-cmark also runs the full inline
//! pass (emphasis, links, entities), which the rules never look at: skipping it makes parsing
//! several times faster.
//!
//! The scanner lives in [`scanner`] (its line-shape predicates in [`lines`]); its reference is
//! [`pulldown`], here.

mod lines;
mod scanner;
#[cfg(test)]
mod tests;

pub(crate) use lines::prescan;
pub(crate) use scanner::scan;

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// A block-level tag, the only structure the rules use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BlockTag {
    Paragraph,
    Heading(u8),
    BlockQuote,
    CodeBlock,
    HtmlBlock,
    List,
    Item,
    Table,
    FootnoteDefinition,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BlockEvent {
    Start(BlockTag, Range<usize>),
    End(BlockTag, Range<usize>),
    /// An inline code span.
    Code(Range<usize>),
    /// An inline HTML comment (`<!-- … -->` inside a paragraph).
    Comment(Range<usize>),
}

/// The body's block events: the fast scanner's when it can answer, else pulldown-cmark's.
pub(crate) fn events(body: &str) -> Vec<BlockEvent> {
    scan(body).unwrap_or_else(|| pulldown(body))
}

/// pulldown-cmark's events, reduced to block structure, code spans and inline comments.
pub(crate) fn pulldown(body: &str) -> Vec<BlockEvent> {
    let mut out = Vec::new();
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let ev = match event {
            Event::Start(tag) => match block_tag(&tag) {
                Some(t) => BlockEvent::Start(t, range),
                None => continue,
            },
            Event::End(tag) => match block_tag_end(&tag) {
                Some(t) => BlockEvent::End(t, range),
                None => continue,
            },
            Event::Code(_) => BlockEvent::Code(range),
            Event::InlineHtml(_) if body[range.clone()].starts_with("<!--") => {
                BlockEvent::Comment(range)
            }
            _ => continue,
        };
        out.push(ev);
    }
    out
}

fn block_tag(tag: &Tag) -> Option<BlockTag> {
    Some(match tag {
        Tag::Paragraph => BlockTag::Paragraph,
        Tag::Heading { level, .. } => BlockTag::Heading(*level as u8),
        Tag::BlockQuote(_) => BlockTag::BlockQuote,
        Tag::CodeBlock(_) => BlockTag::CodeBlock,
        Tag::HtmlBlock => BlockTag::HtmlBlock,
        Tag::List(_) => BlockTag::List,
        Tag::Item => BlockTag::Item,
        Tag::Table(_) => BlockTag::Table,
        Tag::FootnoteDefinition(_) => BlockTag::FootnoteDefinition,
        _ => return None,
    })
}

fn block_tag_end(tag: &TagEnd) -> Option<BlockTag> {
    Some(match tag {
        TagEnd::Paragraph => BlockTag::Paragraph,
        TagEnd::Heading(level) => BlockTag::Heading(*level as u8),
        TagEnd::BlockQuote(_) => BlockTag::BlockQuote,
        TagEnd::CodeBlock => BlockTag::CodeBlock,
        TagEnd::HtmlBlock => BlockTag::HtmlBlock,
        TagEnd::List(_) => BlockTag::List,
        TagEnd::Item => BlockTag::Item,
        TagEnd::Table => BlockTag::Table,
        TagEnd::FootnoteDefinition => BlockTag::FootnoteDefinition,
        _ => return None,
    })
}
