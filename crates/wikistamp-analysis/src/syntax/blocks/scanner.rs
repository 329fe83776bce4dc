//! The block scanner: one pass over the lines of a body, keeping a stack of open containers,
//! emitting the same [`BlockEvent`]s as [`super::pulldown`] or giving up.

use super::lines::*;
use super::{BlockEvent, BlockTag};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListKind {
    Bullet(u8),
    Ordered(u8),
}

enum Container {
    Quote {
        ev: usize,
    },
    List {
        ev: usize,
        kind: ListKind,
        loose: bool,
        /// Events of paragraphs that are direct children of this list's items: dropped when
        /// the list turns out tight (pulldown-cmark emits no paragraph there).
        paragraphs: Vec<usize>,
    },
    Item {
        ev: usize,
        /// Spaces a continuation line needs, after the enclosing containers' markers, to
        /// belong to the item (relative, as in pulldown-cmark: `> - a` then `  > - b` is a
        /// sibling).
        indent: usize,
    },
}

enum Leaf {
    None,
    Paragraph { ev: usize, start: usize },
    Fence { ev: usize, ch: u8, len: usize },
}

struct Scanner<'a> {
    b: &'a [u8],
    /// Events of paragraphs a tight list turns out to drop are overwritten with [`DROPPED`]
    /// (so that the indices held in containers stay valid), and removed at the end.
    events: Vec<BlockEvent>,
    stack: Vec<Container>,
    leaf: Leaf,
    /// The first backtick at or after `tick_from` (`b.len()` when none): most paragraphs hold
    /// none, and one memchr serves every paragraph up to the next backtick.
    tick_from: usize,
    tick_at: usize,
    /// [`Scanner::code_spans`]'s buffers, kept from paragraph to paragraph.
    runs: Vec<(usize, usize)>,
    next_same: Vec<usize>,
}

/// Marks an event dropped (no body has a code span at `usize::MAX`).
const DROPPED: BlockEvent = BlockEvent::Code(usize::MAX..usize::MAX);

/// Containers (quotes, lists, items) deeper than this are left to pulldown-cmark: matching
/// every open container on every line must stay cheap.
const MAX_DEPTH: usize = 48;

/// Gives up on a construct outside the scanner's subset.
struct GiveUp;

/// The scanner's events, or `None` when the body holds something only pulldown-cmark should
/// judge.
pub(crate) fn scan(body: &str) -> Option<Vec<BlockEvent>> {
    let b = body.as_bytes();
    if !prescan(b) {
        return None;
    }
    let mut s = Scanner {
        b,
        events: Vec::new(),
        stack: Vec::new(),
        leaf: Leaf::None,
        tick_from: 0,
        tick_at: memchr::memchr(b'`', b).unwrap_or(b.len()),
        runs: Vec::new(),
        next_same: Vec::new(),
    };
    s.run().ok()?;
    let mut events = s.events;
    events.retain(|e| *e != DROPPED);
    Some(events)
}

impl Scanner<'_> {
    fn push(&mut self, ev: BlockEvent) -> usize {
        self.events.push(ev);
        self.events.len() - 1
    }

    /// Sets the end of the start event `ev` and pushes its end event.
    fn close_event(&mut self, ev: usize, end: usize) {
        if let BlockEvent::Start(tag, range) = &mut self.events[ev] {
            range.end = end;
            let (tag, range) = (*tag, range.clone());
            self.push(BlockEvent::End(tag, range));
        }
    }

    fn run(&mut self) -> Result<(), GiveUp> {
        let b = self.b;
        let mut line_start = 0;
        let mut last_blank = false;
        while line_start < b.len() {
            // Blank lines (a third of a note's) without a search.
            let nl = if b[line_start] == b'\n' {
                Some(line_start)
            } else {
                memchr::memchr(b'\n', &b[line_start..]).map(|i| line_start + i)
            };
            let next = nl.map_or(b.len(), |i| i + 1);
            // Content end: before `\n` or `\r\n`.
            let mut end = nl.unwrap_or(b.len());
            if is_delimiter_row(&b[line_start..end]) {
                return Err(GiveUp);
            }
            if end > line_start && b[end - 1] == b'\r' {
                end -= 1;
            }
            last_blank = self.line(line_start, end, next, last_blank)?;
            line_start = next;
        }
        self.close_leaf(b.len())?;
        self.close_containers(0, b.len());
        Ok(())
    }

    /// Handles one line; returns whether it was blank (for list looseness).
    fn line(
        &mut self,
        line_start: usize,
        end: usize,
        next: usize,
        last_blank: bool,
    ) -> Result<bool, GiveUp> {
        let b = self.b;
        // 1. Continue the open containers.
        let mut pos = line_start;
        let mut matched = 0;
        // Everything from `pos` on is blank: one scan back per line, not one per container.
        let mut last_text = end;
        while last_text > line_start && b[last_text - 1] == b' ' {
            last_text -= 1;
        }
        let rest_blank = |pos: usize| pos >= last_text;
        while matched < self.stack.len() {
            match self.stack[matched] {
                Container::Quote { .. } => {
                    let n = spaces(b, pos, end);
                    if n <= 3 && b.get(pos + n) == Some(&b'>') && pos + n < end {
                        pos += n + 1;
                        if pos < end && b[pos] == b' ' {
                            pos += 1;
                        }
                    } else {
                        break;
                    }
                }
                Container::List { .. } => {}
                Container::Item { indent, .. } => {
                    if rest_blank(pos) {
                        // Blank lines belong to the item; consume what indentation there is.
                        pos += spaces(b, pos, end).min(indent);
                    } else if spaces(b, pos, end) >= indent {
                        pos += indent;
                    } else {
                        break;
                    }
                }
            }
            matched += 1;
        }
        let all_matched = matched == self.stack.len();

        // 2. Inside a fenced code block: a closing fence, content, or the block ends.
        if let Leaf::Fence { ev, ch, len } = self.leaf {
            if all_matched {
                let n = spaces(b, pos, end);
                let run = b[pos + n..end].iter().take_while(|c| **c == ch).count();
                if n <= 3 && run >= len && is_blank(&b[pos + n + run..end]) {
                    self.leaf = Leaf::None;
                    self.close_event(ev, end);
                }
                return Ok(false);
            }
            self.close_leaf(line_start)?;
        }

        if rest_blank(pos) {
            // A blank line: ends a paragraph, and every quote it does not continue.
            self.close_leaf(line_start)?;
            if !all_matched {
                // Only a quote can fail a blank line (items take blank lines).
                self.close_containers(matched, line_start);
            }
            // pulldown-cmark does not count a blank line inside a quote (`>` alone).
            return Ok(!matches!(self.stack.last(), Some(Container::Quote { .. })));
        }

        // 3. A line that does not continue every container: a lazy continuation of the open
        // paragraph when it starts nothing that could interrupt a paragraph (the containers
        // stay open); otherwise the unmatched containers end here.
        if !all_matched {
            let start = if matches!(self.leaf, Leaf::Paragraph { .. }) {
                let start = self.block_start(pos, end, Context::Lazy)?;
                if start.is_none() {
                    return Ok(false);
                }
                start
            } else {
                self.block_start(pos, end, Context::Fresh)?
            };
            self.close_leaf(line_start)?;
            let sibling = match (&start, matched.checked_sub(1).map(|i| &self.stack[i])) {
                (Some(Start::Item { kind, .. }), Some(Container::List { kind: k, .. })) => {
                    kind == k
                }
                _ => false,
            };
            if sibling {
                self.close_containers(matched, line_start);
            } else {
                // pulldown-cmark ends the items at the line start, but the list where the
                // new block starts: a paragraph's first character, another list's item, or
                // the line start for anything else.
                let list_end = match start {
                    None => pos + spaces(b, pos, end),
                    Some(Start::Item { .. }) => pos,
                    Some(_) => line_start,
                };
                self.close_containers(matched, line_start);
                if matches!(self.stack.last(), Some(Container::List { .. })) {
                    self.close_containers(matched - 1, list_end);
                }
            }
        }

        // 4. New blocks, left to right (`> * > text` opens three containers). Only the first
        // follows the blank line, if any.
        let mut last_blank = last_blank;
        loop {
            if self.stack.len() >= MAX_DEPTH {
                // Deep nesting is no note's shape; pulldown-cmark bounds its cost.
                return Err(GiveUp);
            }
            let paragraph_open = matches!(self.leaf, Leaf::Paragraph { .. });
            let context = if paragraph_open {
                Context::Paragraph
            } else {
                Context::Fresh
            };
            let Some(start) = self.block_start(pos, end, context)? else {
                if !paragraph_open {
                    let at = pos + spaces(b, pos, end);
                    let ev = self.open(BlockTag::Paragraph, at, last_blank);
                    self.leaf = Leaf::Paragraph { ev, start: at };
                }
                return Ok(false);
            };
            if let (Start::Setext { level }, Leaf::Paragraph { ev, start }) = (&start, &self.leaf) {
                let (level, ev, start) = (*level, *ev, *start);
                self.leaf = Leaf::None;
                self.code_spans(start, line_start)?;
                self.events[ev] = BlockEvent::Start(BlockTag::Heading(level), start..start);
                // Not a paragraph for a tight list to drop.
                let n = self.stack.len();
                if n >= 2 {
                    if let Container::List { paragraphs, .. } = &mut self.stack[n - 2] {
                        if paragraphs.last() == Some(&ev) {
                            paragraphs.pop();
                        }
                    }
                }
                self.close_event(ev, next);
                return Ok(false);
            }
            self.close_leaf(line_start)?;
            let after_blank = std::mem::replace(&mut last_blank, false);
            match start {
                Start::Quote { at, after } => {
                    let ev = self.open(BlockTag::BlockQuote, at, after_blank);
                    self.stack.push(Container::Quote { ev });
                    pos = after;
                    if rest_blank(pos) {
                        return Ok(false);
                    }
                }
                Start::Item { kind, content } => {
                    let item_start = pos;
                    let sibling = matches!(self.stack.last(), Some(Container::List { kind: k, .. }) if *k == kind);
                    if sibling {
                        if after_blank {
                            if let Some(Container::List { loose, .. }) = self.stack.last_mut() {
                                *loose = true;
                            }
                        }
                    } else {
                        let ev = self.open(BlockTag::List, item_start, after_blank);
                        self.stack.push(Container::List {
                            ev,
                            kind,
                            loose: false,
                            paragraphs: Vec::new(),
                        });
                    }
                    let ev = self.push(BlockEvent::Start(BlockTag::Item, item_start..item_start));
                    self.stack.push(Container::Item {
                        ev,
                        indent: content,
                    });
                    pos += content;
                }
                Start::Heading { at, level } => {
                    self.open(BlockTag::Heading(level), at, after_blank);
                    let ev = self.events.len() - 1;
                    let text_start = at + level as usize;
                    self.code_spans(text_start, end)?;
                    self.close_event(ev, next);
                    return Ok(false);
                }
                Start::Fence { at, ch, len } => {
                    let ev = self.open(BlockTag::CodeBlock, at, after_blank);
                    self.leaf = Leaf::Fence { ev, ch, len };
                    return Ok(false);
                }
                Start::Break => {
                    self.note_child(after_blank);
                    return Ok(false);
                }
                // Only where a paragraph is open, handled above.
                Start::Setext { .. } => return Err(GiveUp),
            }
        }
    }

    /// Records a new block inside the innermost container: after a blank line, inside an item,
    /// that makes the item's list loose.
    fn note_child(&mut self, last_blank: bool) {
        if !last_blank {
            return;
        }
        let n = self.stack.len();
        if n >= 2 {
            if let (Container::List { loose, .. }, Container::Item { .. }) = {
                let (a, b) = self.stack.split_at_mut(n - 1);
                (&mut a[n - 2], &b[0])
            } {
                *loose = true;
            }
        }
    }

    fn open(&mut self, tag: BlockTag, at: usize, last_blank: bool) -> usize {
        self.note_child(last_blank);
        let ev = self.push(BlockEvent::Start(tag, at..at));
        if tag == BlockTag::Paragraph {
            let n = self.stack.len();
            if n >= 2 && matches!(self.stack[n - 1], Container::Item { .. }) {
                if let Container::List { paragraphs, .. } = &mut self.stack[n - 2] {
                    paragraphs.push(ev);
                }
            }
        }
        ev
    }

    fn close_leaf(&mut self, at: usize) -> Result<(), GiveUp> {
        match std::mem::replace(&mut self.leaf, Leaf::None) {
            Leaf::None => {}
            Leaf::Paragraph { ev, start } => {
                self.code_spans(start, at)?;
                self.close_event(ev, at);
            }
            Leaf::Fence { ev, .. } => self.close_event(ev, at),
        }
        Ok(())
    }

    fn close_containers(&mut self, keep: usize, at: usize) {
        while self.stack.len() > keep {
            match self.stack.pop() {
                Some(Container::Quote { ev }) | Some(Container::Item { ev, .. }) => {
                    self.close_event(ev, at)
                }
                Some(Container::List {
                    ev,
                    loose,
                    paragraphs,
                    ..
                }) => {
                    if !loose {
                        for p in paragraphs {
                            // The start event, and its end: the next Paragraph end after it.
                            self.events[p] = DROPPED;
                            if let Some(i) = self.events[p..]
                                .iter()
                                .position(|e| matches!(e, BlockEvent::End(BlockTag::Paragraph, _)))
                            {
                                self.events[p + i] = DROPPED;
                            }
                        }
                    }
                    self.close_event(ev, at);
                }
                None => {}
            }
        }
    }

    /// Code spans in `b[start..end]`: backtick runs closed by the next run of the same length.
    /// Linear in the number of runs (a line of 50,000 unmatched runs must not be quadratic).
    fn code_spans(&mut self, start: usize, end: usize) -> Result<(), GiveUp> {
        let b = self.b;
        if !(self.tick_from <= start && start <= self.tick_at) {
            self.tick_from = start;
            self.tick_at = b
                .get(start..)
                .and_then(|rest| memchr::memchr(b'`', rest))
                .map_or(b.len(), |i| start + i);
        }
        if self.tick_at >= end {
            return Ok(());
        }
        let mut runs = std::mem::take(&mut self.runs);
        runs.clear();
        let (mut last_lt, mut last_gt, mut scanned) = (None, None, start);
        let mut pos = start;
        while let Some(i) = memchr::memchr(b'`', &b[pos..end]) {
            let at = pos + i;
            if at > 0 && b[at - 1] == b'\\' {
                // An escaped backtick.
                return Err(GiveUp);
            }
            // A backtick inside an HTML tag or autolink belongs to it.
            if let Some(j) = memchr::memrchr(b'<', &b[scanned..at]) {
                last_lt = Some(scanned + j);
            }
            if let Some(j) = memchr::memrchr(b'>', &b[scanned..at]) {
                last_gt = Some(scanned + j);
            }
            scanned = at;
            if last_lt.is_some() && last_lt > last_gt {
                return Err(GiveUp);
            }
            let len = b[at..end].iter().take_while(|c| **c == b'`').count();
            runs.push((at, len));
            pos = at + len;
        }
        // For each run, the index of the next run of the same length: short runs in an array,
        // longer ones (rare) in a map.
        let mut next_same = std::mem::take(&mut self.next_same);
        next_same.clear();
        next_same.resize(runs.len(), usize::MAX);
        let mut seen_short = [usize::MAX; 16];
        let mut seen_long: std::collections::HashMap<usize, usize> =
            std::collections::HashMap::new();
        for (i, &(_, len)) in runs.iter().enumerate().rev() {
            let slot = match seen_short.get_mut(len) {
                Some(slot) => slot,
                None => seen_long.entry(len).or_insert(usize::MAX),
            };
            next_same[i] = *slot;
            *slot = i;
        }
        let mut i = 0;
        while i < runs.len() {
            match next_same[i] {
                usize::MAX => i += 1,
                j => {
                    let (open, _) = runs[i];
                    let (close, len) = runs[j];
                    self.push(BlockEvent::Code(open..close + len));
                    i = j + 1;
                }
            }
        }
        self.runs = runs;
        self.next_same = next_same;
        Ok(())
    }

    /// What block starts at `pos`, if any, in `context`.
    fn block_start(
        &self,
        pos: usize,
        end: usize,
        context: Context,
    ) -> Result<Option<Start>, GiveUp> {
        let b = self.b;
        let fresh = context == Context::Fresh;
        let n = spaces(b, pos, end);
        if n >= 4 {
            // Indented code, unless it continues a paragraph.
            return if fresh { Err(GiveUp) } else { Ok(None) };
        }
        let at = pos + n;
        let Some(&c) = b.get(at).filter(|_| at < end) else {
            return Ok(None);
        };
        match c {
            b'>' => {
                let mut after = at + 1;
                if after < end && b[after] == b' ' {
                    after += 1;
                }
                Ok(Some(Start::Quote { at, after }))
            }
            // A line that starts with an inline tag: the text of a paragraph, unless it is an
            // HTML block of kind 7 (which cannot interrupt a paragraph).
            b'<' if inline_tag_start(&b[at..end], fresh) => Ok(None),
            b'<' => Err(GiveUp),
            b'#' => {
                let level = b[at..end].iter().take_while(|c| **c == b'#').count();
                if level <= 6 && (at + level == end || b[at + level] == b' ') {
                    Ok(Some(Start::Heading {
                        at,
                        level: level as u8,
                    }))
                } else {
                    Ok(None)
                }
            }
            b'`' | b'~' => {
                let len = b[at..end].iter().take_while(|x| **x == c).count();
                if len < 3 {
                    return Ok(None);
                }
                if c == b'`' && memchr::memchr(b'`', &b[at + len..end]).is_some() {
                    return Err(GiveUp);
                }
                Ok(Some(Start::Fence { at, ch: c, len }))
            }
            // A setext underline (a lazy line cannot be one).
            b'=' if context == Context::Paragraph && is_underline(&b[at..end], b'=') => {
                Ok(Some(Start::Setext { level: 1 }))
            }
            b'-' | b'*' | b'_' | b'+' | b'0'..=b'9' => {
                if c == b'-' && context == Context::Paragraph && is_underline(&b[at..end], b'-') {
                    return Ok(Some(Start::Setext { level: 2 }));
                }
                if matches!(c, b'-' | b'*' | b'_') && is_thematic_break(&b[at..end], c) {
                    // Other breaks interrupt a paragraph.
                    return Ok(Some(Start::Break));
                }
                self.item_start(pos, n, end, context == Context::Paragraph)
            }
            b'[' => {
                // A link reference definition `[label]: url` is not a paragraph.
                if fresh
                    && b.get(at + 1) != Some(&b'[')
                    && memchr::memmem::find(&b[at..end], b"]:").is_some()
                {
                    return Err(GiveUp);
                }
                Ok(None)
            }
            _ => Ok(None),
        }
    }

    /// An item's marker at `pos + indent`. `paragraph_open`: it would interrupt a paragraph of
    /// the same container, which only a bullet or `1.` may.
    fn item_start(
        &self,
        pos: usize,
        indent: usize,
        end: usize,
        paragraph_open: bool,
    ) -> Result<Option<Start>, GiveUp> {
        let b = self.b;
        let at = pos + indent;
        let (kind, marker_len) = match b[at] {
            c @ (b'-' | b'*' | b'+') => (ListKind::Bullet(c), 1),
            b'0'..=b'9' => {
                let digits = b[at..end].iter().take_while(|c| c.is_ascii_digit()).count();
                match b.get(at + digits) {
                    Some(&d @ (b'.' | b')')) if digits <= 9 && at + digits < end => {
                        if paragraph_open && &b[at..at + digits] != b"1" {
                            if b[at] == b'0' {
                                return Err(GiveUp);
                            }
                            return Ok(None);
                        }
                        (ListKind::Ordered(d), digits + 1)
                    }
                    _ => return Ok(None),
                }
            }
            _ => return Ok(None),
        };
        let after = at + marker_len;
        if after == end {
            // An empty item.
            return Err(GiveUp);
        }
        if b[after] != b' ' {
            return Ok(None);
        }
        let gap = spaces(b, after, end);
        if after + gap == end || gap >= 5 {
            // Empty item, or an item opening with indented code.
            return Err(GiveUp);
        }
        let content = indent + marker_len + gap;
        Ok(Some(Start::Item { kind, content }))
    }
}

/// Where a line's possible block start stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    /// No paragraph is open.
    Fresh,
    /// It would otherwise continue the open paragraph of the same container: only some
    /// blocks may interrupt it.
    Paragraph,
    /// It does not continue every open container but would lazily continue the open
    /// paragraph, unless it starts a block (pulldown-cmark lets any list item start one).
    Lazy,
}

enum Start {
    Quote {
        at: usize,
        after: usize,
    },
    Item {
        kind: ListKind,
        /// Bytes from the line position to the item's content.
        content: usize,
    },
    Heading {
        at: usize,
        level: u8,
    },
    Fence {
        at: usize,
        ch: u8,
        len: usize,
    },
    Break,
    /// The underline of a setext heading: the open paragraph becomes the heading.
    Setext {
        level: u8,
    },
}
