use std::ops::Range;

use crate::diagnostic::{Applicability, Diagnostic, Fix, TextEdit};
use crate::rules::citation_unsupported::best_moment;
use crate::rules::{declare_rule, Context, Rule, RuleMeta, Sink};
use crate::syntax::{callouts, format_hms, parse_time, Block, BlockKind, TimeForm};

declare_rule! {
    /// ## What it finds
    /// A claim with no source: a paragraph or list item in the body of a video note
    /// (frontmatter `videoId`), also inside blockquotes and callouts, that holds no timestamp
    /// citation.
    ///
    /// Not claims, so never reported: headings; a callout's title line (its body is checked);
    /// the `From: [[channel]]` line; lead-ins ending in `:`; blocks of fewer than
    /// `sources.min-words` words (default 6; link and citation markup is not counted, a link
    /// counts as the words it shows); blocks made only of links, and list items that open with a
    /// bare `[[note_name]]` (related-notes lists); display math (`$$…$$`); pointers to other
    /// notes ("For more, see [[…]]", "Explore [[…]]"), but not a claim of `min-words` words or
    /// more written before a pointer in the same block ("X does Y. See [[…]]."); tables, code
    /// and HTML.
    ///
    /// A time written as plain text (`[00:05:59]`, `(00:32:51-00:32:56)`, `1:25:00`) is not a
    /// citation: a claim cited only that way is reported too, with its own message. A time
    /// that is a Markdown link's text (`[1:25](https://youtu.be/…)`) opens the video, so it
    /// counts as a source; a `[[00:01:02]]` counts too (the link rules report its form).
    ///
    /// ## Why it matters
    /// Every claim of a timestamped note should point at the moment of the video it comes
    /// from, so that a reader can check it in one click. An uncited paragraph is either
    /// unverifiable or invented.
    ///
    /// ## Example
    /// ```markdown
    /// The discount to net asset value tends to narrow during bull markets.
    /// ```
    /// Use instead:
    /// ```markdown
    /// The discount to net asset value tends to narrow during bull markets <a class="yt-timestamp" data-t="00:14:07">[00:14:07]</a>.
    /// ```
    ///
    /// ## Fix
    /// For a claim with no time at all in a note whose video has a transcript (under
    /// `transcripts/`): unsafe, a citation of the moment that says it, when one moment stands
    /// out. The claim (the block's own text) is matched against the captions as
    /// `citation-unsupported` does; the fix is offered when it has at least 6 content words, its
    /// best 45-second window scores at least 10 and at least 1.3 times the best window more
    /// than 60 seconds away from it. The citation points where the window's first caption
    /// saying the claim's words starts (as `citation-unsupported`'s better moment), and goes
    /// at the end of the block's own text,
    /// before its final punctuation: `… bull markets <a class="yt-timestamp"
    /// data-t="00:14:07">[00:14:07]</a>.` Unsafe: matching words is not reading the video.
    /// Without a transcript, or when no moment stands out, none: only the video can tell
    /// which moment supports it. For one cited by times in brackets (`[00:05:59]`, `[00:53:03, 00:53:26]`,
    /// `[00:24:48 | 00:24:50]`), the fix writes each as a citation tag,
    /// `<a class="yt-timestamp" data-t="00:05:59">[00:05:59]</a>`: safe for `HH:MM:SS` (padded
    /// if needed), unsafe when a time has two fields (`[7:44]`), which it reads as minutes and
    /// seconds. Ranges (`[00:11:15 - 00:11:24]`) are left to the author. The finding points at
    /// the block's first line.
    pub struct SourceMissing { family: Source, severity: Warning, fix: Sometimes }
}

impl Rule for SourceMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink) {
        if ctx.note.video_id().is_none() {
            return;
        }
        let min_words = ctx.config.sources.min_words;
        for (i, block) in ctx.note.blocks.iter().enumerate() {
            if !matches!(block.kind, BlockKind::Paragraph | BlockKind::ListItem) {
                continue;
            }
            let plain_times = match citing(ctx, &block.range) {
                Citing::Source => continue,
                Citing::PlainTimes => true,
                Citing::Nothing => false,
            };
            let Some(first_line) = claim_first_line(ctx, block) else {
                continue;
            };
            let words = count_words(ctx, &block.range);
            if words.prose == 0 || words.prose + words.link < min_words {
                continue;
            }
            let kind = match block.kind {
                BlockKind::ListItem => "list item",
                _ if block.in_callout => "callout paragraph",
                _ => "paragraph",
            };
            let n = words.prose + words.link;
            if !plain_times {
                let message = format!("{kind} of {n} words cites no moment of the video");
                let mut d = Diagnostic::new(Self::META.id, first_line, message);
                if let Some(fix) = cite_best_moment(ctx, block, &ctx.note.blocks[i + 1..]) {
                    d = d.with_fix(fix);
                }
                sink.push(d);
                continue;
            }
            let message = format!(
                "{kind} of {n} words cites the video only with times in plain text, which the player cannot open"
            );
            let mut d = Diagnostic::new(Self::META.id, first_line, message);
            if let Some(fix) = tag_plain_times(ctx, block, &ctx.note.blocks[i + 1..]) {
                d = d.with_fix(fix);
            }
            sink.push(d);
        }
    }
}

/// How a block cites the video.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Citing {
    /// A citation tag, a time as a Markdown link's text, or a `[[time]]`.
    Source,
    /// Only times in plain text, which the player cannot open.
    PlainTimes,
    Nothing,
}

fn citing(ctx: &Context<'_>, range: &Range<usize>) -> Citing {
    let cites = &ctx.note.citations;
    let i = cites.partition_point(|c| c.range.start < range.start);
    if cites.get(i).is_some_and(|c| c.range.start < range.end) {
        return Citing::Source;
    }
    bare_times(ctx.slice(range))
}

/// Video times written outside a citation tag: `[00:05:59]`, `(00:32:51-00:32:56)`, any
/// `H:MM:SS`, and two-field times right after `[` or `(` (so a time of day, `at 10:30 AM`,
/// is none). [`Citing::Source`] when one of them is a Markdown link's text
/// (`[1:25](https://youtu.be/…)`) or a `[[00:01:02]]`, else [`Citing::PlainTimes`] if any.
fn bare_times(text: &str) -> Citing {
    let b = text.as_bytes();
    let mut found = Citing::Nothing;
    let mut i = 0;
    while let Some(j) = memchr::memchr(b':', &b[i..]) {
        let colon = i + j;
        i = colon + 1;
        let mut start = colon;
        while start > 0 && b[start - 1].is_ascii_digit() {
            start -= 1;
        }
        let hours = colon - start;
        let two = |at: usize| {
            b.get(at).is_some_and(u8::is_ascii_digit)
                && b.get(at + 1).is_some_and(u8::is_ascii_digit)
        };
        if !(1..=2).contains(&hours) || !two(colon + 1) {
            continue;
        }
        if start > 0 && b[start - 1].is_ascii_alphanumeric() {
            continue;
        }
        let three_fields = b.get(colon + 3) == Some(&b':') && two(colon + 4);
        let opened = start > 0 && matches!(b[start - 1], b'[' | b'(');
        if !(three_fields || opened) {
            continue;
        }
        let end = if three_fields { colon + 6 } else { colon + 3 };
        let linked = start > 0
            && b[start - 1] == b'['
            && (b[end..].starts_with(b"](") || (start > 1 && b[start - 2] == b'['));
        if linked {
            return Citing::Source;
        }
        found = Citing::PlainTimes;
    }
    found
}

/// The fix for a block cited only by times in plain text: each `[…]` of its own text (before
/// any block nested in it) that holds only times (`[00:05:59]`, `[00:53:03, 00:53:26]`)
/// becomes citation tags (`later`: the blocks after it). `None` when there is none to rewrite.
fn tag_plain_times(ctx: &Context<'_>, block: &Block, later: &[Block]) -> Option<Fix> {
    // A list item's own text ends where a block nested in it starts: that block's times are
    // its own finding's to fix.
    let own_end = own_end(block, later);
    // Both sorted by start; excluded ranges do not overlap, and a link never holds another.
    let inside = |ranges: &[Range<usize>], at: usize| {
        let i = ranges.partition_point(|r| r.start <= at);
        i > 0 && ranges[i - 1].contains(&at)
    };
    let in_link = |links: &[crate::syntax::WikiLink], at: usize| {
        let i = links.partition_point(|l| l.range.start <= at);
        i > 0 && links[i - 1].range.contains(&at)
    };
    let b = ctx.text.as_bytes();
    let mut edits = Vec::new();
    let mut safe = true;
    let mut pos = block.range.start;
    while let Some(j) = memchr::memchr(b'[', &b[pos..own_end]) {
        let open = pos + j;
        pos = open + 1;
        let Some(k) = memchr::memchr2(b']', b'\n', &b[open + 1..own_end]) else {
            break;
        };
        let close = open + 1 + k;
        if b[close] != b']'
            || (open > 0 && matches!(b[open - 1], b'[' | b'!'))
            || matches!(b.get(close + 1), Some(b']' | b'(' | b'['))
            || inside(&ctx.note.excluded, open)
            || in_link(&ctx.note.links, open)
        {
            continue;
        }
        let Some((tags, exact)) = tags_for(ctx.slice(&(open + 1..close))) else {
            continue;
        };
        safe &= exact;
        edits.push(TextEdit::replace(open..close + 1, tags));
        pos = close + 1;
    }
    if edits.is_empty() {
        return None;
    }
    Some(Fix {
        title: "Write the times as citation tags".to_string(),
        edits,
        applicability: if safe {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        },
    })
}

/// Where `block`'s own text ends: where the first block nested in it starts (`later`: the
/// blocks after it), else at its end.
fn own_end(block: &Block, later: &[Block]) -> usize {
    later
        .iter()
        .take_while(|b| b.range.start < block.range.end)
        .map(|b| b.range.start)
        .filter(|&s| s > block.range.start)
        .min()
        .unwrap_or(block.range.end)
}

/// The fix for an uncited claim of a note whose video has a transcript: a citation of the one
/// moment that says it clearly ([`best_moment`]), at the end of the block's own text, before
/// its final punctuation. `None` without a transcript, without such a moment, or when the
/// text ends inside code or HTML.
fn cite_best_moment(ctx: &Context<'_>, block: &Block, later: &[Block]) -> Option<Fix> {
    let file = ctx.transcript()?;
    let end = own_end(block, later);
    let own = ctx.slice(&(block.range.start..end));
    let moment = best_moment(file, own)?;
    let at = block.range.start + claim_end(own);
    let excluded = &ctx.note.excluded;
    let i = excluded.partition_point(|r| r.start < at);
    if i > 0 && excluded[i - 1].end >= at {
        return None;
    }
    let hms = format_hms(moment.start_ms / 1000);
    Some(Fix {
        title: format!("Cite {hms}, where the transcript says this best"),
        edits: vec![TextEdit::insert(
            at,
            format!(" <a class=\"yt-timestamp\" data-t=\"{hms}\">[{hms}]</a>"),
        )],
        applicability: Applicability::Unsafe,
    })
}

/// Where a citation closing `text` goes: before its final `.`, `!`, `?`, `;` or `:` (also
/// when emphasis closes after it, `**It is.**`), else after its last character; trailing
/// whitespace and `<br>` tags are not the claim's.
fn claim_end(text: &str) -> usize {
    let mut t = text.trim_end();
    loop {
        let before = t.len();
        for tag in ["<br/>", "<br />", "<br>"] {
            if let Some(rest) = t.strip_suffix(tag) {
                t = rest.trim_end();
            }
        }
        if t.len() == before {
            break;
        }
    }
    let unemphasized = t.trim_end_matches(['*', '_']);
    match unemphasized.chars().next_back() {
        Some('.' | '!' | '?' | ';' | ':') => {
            let body = unemphasized[..unemphasized.len() - 1].trim_end_matches('.');
            body.trim_end().len()
        }
        _ => t.len(),
    }
}

/// The citation tags for the times listed in `inner` (separated by `,`, `;` or `|`, written
/// back as `, ` or `; `); whether every time had three fields (else `MM:SS` was assumed). `None`
/// unless every item is a valid time.
fn tags_for(inner: &str) -> Option<(String, bool)> {
    let mut out = String::with_capacity(64);
    let mut exact = true;
    let mut rest = inner;
    loop {
        let end = rest.find([',', ';', '|']).unwrap_or(rest.len());
        let item = rest[..end].trim();
        if item.is_empty() || !item.bytes().all(|c| c.is_ascii_digit() || c == b':') {
            return None;
        }
        let time = parse_time(item).ok()?;
        exact &= time.form != TimeForm::MinutesSeconds;
        let hms = time.canonical();
        out.push_str("<a class=\"yt-timestamp\" data-t=\"");
        out.push_str(&hms);
        out.push_str("\">[");
        out.push_str(&hms);
        out.push_str("]</a>");
        if end == rest.len() {
            return Some((out, exact));
        }
        // `|` is no separator of a citation group: a comma is.
        out.push_str(if &rest[end..=end] == ";" { "; " } else { ", " });
        rest = &rest[end + 1..];
    }
}

/// The range of the block's first line from its content (after `>` markers and the list
/// bullet), or `None` when the block is not a claim by its shape: a lead-in ending in `:`,
/// the `From:` line.
fn claim_first_line(ctx: &Context<'_>, block: &Block) -> Option<Range<usize>> {
    let b = ctx.text.as_bytes();
    let line_end = block.range.start
        + memchr::memchr2(b'\n', b'\r', &b[block.range.start..block.range.end])
            .unwrap_or(block.range.len());
    let prefix = callouts::line_prefix(b, block.range.start, line_end);
    let first = ctx.slice(&(prefix.content..line_end));
    let first_trimmed = first.trim_end();
    if first_trimmed.is_empty() {
        return None;
    }
    let whole = ctx.slice(&block.range);
    let stripped = strip_decoration(whole);
    if stripped.ends_with(':') {
        return None;
    }
    let rest = ctx.slice(&(prefix.content..block.range.end));
    let start = strip_decoration_start(rest);
    if start.starts_with("From:") {
        return None;
    }
    // `$$ … $$`: a display formula (Obsidian and Quartz render it with KaTeX), not a sentence.
    if is_display_math(rest.trim()) {
        return None;
    }
    // `**Matt Henry vs. Shakib Al Hasan**` alone: a bold label that heads the items below it,
    // a heading in disguise rather than a claim.
    if is_bold_label(rest.trim()) {
        return None;
    }
    // `For more, see [[note]].`: a pointer to other notes, not a claim.
    if is_pointer(ctx, &block.range, start) {
        return None;
    }
    // `- [[note_name]]: what it covers`: an entry of a related-notes list, which names a
    // note by its raw name rather than making a claim.
    if block.kind == BlockKind::ListItem && start.starts_with("[[") {
        let at = prefix.content + (rest.len() - start.len());
        let links = &ctx.note.links;
        let i = links.partition_point(|l| l.range.start < at);
        if links
            .get(i)
            .is_some_and(|l| l.range.start == at && l.alias.is_none())
        {
            return None;
        }
    }
    Some(prefix.content..prefix.content + first_trimmed.len())
}

/// The whole text is one `$$…$$` display-math block.
fn is_display_math(text: &str) -> bool {
    text.len() >= 4 && text.starts_with("$$") && text.ends_with("$$")
}

/// The whole text is one `**…**` (or `__…__`) span.
fn is_bold_label(text: &str) -> bool {
    ["**", "__"].iter().any(|m| {
        text.len() > 2 * m.len()
            && text.starts_with(m)
            && text.ends_with(m)
            && !text[m.len()..text.len() - m.len()].contains(m)
            && !text.contains(['\n', '\r'])
    })
}

/// A block that points the reader at other notes: it links somewhere and opens with (or says)
/// "see", "for more", "explore", "refer to", "read more", "learn more", "check out". A block
/// that says "see [[…]]" only after whole sentences of `min_words` words or more is a claim
/// followed by a pointer ("X does Y. See [[z]]."): its claim still needs a source.
fn is_pointer(ctx: &Context<'_>, range: &Range<usize>, start: &str) -> bool {
    let links = &ctx.note.links;
    let i = links.partition_point(|l| l.range.start < range.start);
    if links.get(i).is_none_or(|l| l.range.start >= range.end) {
        return false;
    }
    if opens_pointer(start) {
        return true;
    }
    let block = ctx.slice(range);
    let Some(says) = says_pointer_at(block) else {
        return false;
    };
    match sentence_end_before(block, says) {
        Some(end) => {
            let before = count_words(ctx, &(range.start..range.start + end));
            before.prose + before.link < ctx.config.sources.min_words
        }
        None => true,
    }
}

/// The end (past its `.`, `!` or `?`) of the last sentence of `text` that ends before `at`.
fn sentence_end_before(text: &str, at: usize) -> Option<usize> {
    let b = text.as_bytes();
    (0..at.min(b.len()))
        .rev()
        .find(|&i| {
            matches!(b[i], b'.' | b'!' | b'?')
                && b.get(i + 1).is_some_and(|c| c.is_ascii_whitespace())
        })
        .map(|i| i + 1)
}

/// Words that make a block with a link a pointer to other notes, at its start.
const OPENERS: &[&str] = &[
    "see ",
    "see:",
    "for more",
    "explore ",
    "refer to",
    "read more",
    "learn more",
    "check out",
    "related",
    "further reading",
];

/// The block (`start` its text from the first word) opens with one of [`OPENERS`] or says
/// "see [[" or "see also", in any case: [`opens_pointer`] or [`says_pointer_at`], for the tests.
#[cfg(test)]
fn opens_or_says_pointer(start: &str, block: &str) -> bool {
    opens_pointer(start) || says_pointer_at(block).is_some()
}

/// `start` (a block's text from its first word) opens with one of [`OPENERS`], in any case.
/// The same answer as lowercasing the text and looking for them, without allocating: when the
/// first 24 bytes are ASCII they are the first 24 characters, which is more than any opener.
fn opens_pointer(start: &str) -> bool {
    let head = start.as_bytes();
    if head[..head.len().min(24)].is_ascii() {
        OPENERS.iter().any(|o| {
            head.get(..o.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(o.as_bytes()))
        })
    } else {
        let head: String = start.chars().take(24).collect::<String>().to_lowercase();
        OPENERS.iter().any(|o| head.starts_with(o))
    }
}

/// Where `block` first says "see [[" or "see also", in any case. The same answer as in the
/// lowercased text: no non-ASCII character lowercases to a letter of "see [[" or "see also"
/// (only `K` and `İ` lowercase to ASCII, `k` and `i…`), so an occurrence in the lowercased text
/// is one in ASCII, ignoring case, in the text itself.
fn says_pointer_at(block: &str) -> Option<usize> {
    let b = block.as_bytes();
    let mut i = 0;
    while let Some(j) = memchr::memchr2(b's', b'S', &b[i..]) {
        let at = i + j;
        let says = |word: &[u8]| {
            b.get(at..at + word.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(word))
        };
        if says(b"see [[") || says(b"see also") {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// [`opens_or_says_pointer`] as first written, for the tests.
#[cfg(test)]
fn opens_or_says_pointer_by_lowercase(start: &str, block: &str) -> bool {
    let head: String = start.chars().take(24).collect::<String>().to_lowercase();
    if OPENERS.iter().any(|o| head.starts_with(o)) {
        return true;
    }
    let lower = block.to_lowercase();
    lower.contains("see [[") || lower.contains("see also")
}

/// The text without trailing whitespace, emphasis markers and `<br>` tags.
fn strip_decoration(s: &str) -> &str {
    let mut s = s.trim_end();
    loop {
        let before = s.len();
        s = s.trim_end_matches(['*', '_', ' ', '\t', '\r', '\n']);
        for tag in ["<br/>", "<br />", "<br>"] {
            if let Some(rest) = s.strip_suffix(tag) {
                s = rest;
            }
        }
        if s.len() == before {
            return s;
        }
    }
}

fn strip_decoration_start(s: &str) -> &str {
    s.trim_start_matches(['*', '_', ' ', '\t'])
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Words {
    /// Words outside links.
    prose: usize,
    /// Words links show (the alias, else the target).
    link: usize,
}

/// Counts words the reader sees: citations, HTML tags, URLs of Markdown links and Markdown
/// markup are not words; a wiki-link counts as the words it shows.
fn count_words(ctx: &Context<'_>, range: &Range<usize>) -> Words {
    let mut words = Words::default();
    let mut pos = range.start;
    let links = &ctx.note.links;
    let cites = &ctx.note.citations;
    let mut li = links.partition_point(|l| l.range.start < range.start);
    let mut ci = cites.partition_point(|c| c.range.start < range.start);
    while pos < range.end {
        // The next link or citation in the block, whichever comes first.
        let link = links.get(li).filter(|l| l.range.start < range.end);
        let cite = cites.get(ci).filter(|c| c.range.start < range.end);
        let next = match (link, cite) {
            (Some(l), Some(c)) => l.range.start.min(c.range.start),
            (Some(l), None) => l.range.start,
            (None, Some(c)) => c.range.start,
            (None, None) => range.end,
        };
        words.prose += prose_words(ctx.slice(&(pos..next.max(pos))));
        if next >= range.end {
            break;
        }
        if let Some(l) = link.filter(|l| l.range.start == next) {
            let shown = l.alias.as_ref().unwrap_or(&l.target);
            words.link += prose_words(ctx.slice(shown)).max(1);
            pos = l.range.end.max(pos);
            li += 1;
        } else if let Some(c) = cite.filter(|c| c.range.start == next) {
            pos = c.range.end.max(pos);
            ci += 1;
        } else {
            break;
        }
        while links.get(li).is_some_and(|l| l.range.start < pos) {
            li += 1;
        }
        while cites.get(ci).is_some_and(|c| c.range.start < pos) {
            ci += 1;
        }
    }
    words
}

/// Words in plain Markdown text: tokens with a letter or digit, outside HTML tags and the
/// `(url)` of Markdown links.
fn prose_words(s: &str) -> usize {
    let b = s.as_bytes();
    let mut count = 0;
    let mut word_has_alnum = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        // Most bytes are ASCII letters, digits, spaces and punctuation: classified by a table,
        // without branches on the class.
        let class = BYTE_CLASS[usize::from(c)];
        if class <= ALNUM {
            let whitespace = class == SPACE;
            count += usize::from(whitespace & word_has_alnum);
            word_has_alnum = (word_has_alnum & !whitespace) | (class == ALNUM);
            i += 1;
            continue;
        }
        // `<tag …>` and `</tag>`, and the `](url)` of a Markdown link, end a word.
        let skip_to = match c {
            b'<' if b
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == b'/') =>
            {
                memchr::memchr(b'>', &b[i..])
            }
            b']' if b.get(i + 1) == Some(&b'(') => memchr::memchr(b')', &b[i..]),
            _ => None,
        };
        if let Some(j) = skip_to {
            count += usize::from(word_has_alnum);
            word_has_alnum = false;
            i += j + 1;
            continue;
        }
        if c.is_ascii() {
            // A `<` or `]` that starts nothing: punctuation.
            i += 1;
            continue;
        }
        let ch = s.get(i..).and_then(|r| r.chars().next()).unwrap_or(' ');
        if ch.is_whitespace() {
            count += usize::from(word_has_alnum);
            word_has_alnum = false;
        } else if ch.is_alphanumeric() {
            word_has_alnum = true;
        }
        i += ch.len_utf8();
    }
    count + usize::from(word_has_alnum)
}

/// [`BYTE_CLASS`] values: an ASCII byte that is neither (punctuation), whitespace as
/// `char::is_whitespace` says (tab, line feed, vertical tab, form feed, carriage return,
/// space), a letter or digit; `<` and `]`, which may start markup; a non-ASCII byte.
const OTHER: u8 = 0;
const SPACE: u8 = 1;
const ALNUM: u8 = 2;
const MARKUP: u8 = 3;
const NON_ASCII: u8 = 4;

static BYTE_CLASS: [u8; 256] = {
    let mut table = [NON_ASCII; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        table[c] = match b {
            b'\t'..=b'\r' | b' ' => SPACE,
            b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' => ALNUM,
            b'<' | b']' => MARKUP,
            _ => OTHER,
        };
        c += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_skip_markup() {
        assert_eq!(prose_words("**Bold** claim, with - dashes"), 4);
        assert_eq!(prose_words("see [the docs](https://a.b/c?d=e) now"), 4);
        assert_eq!(prose_words("line <br/> break"), 2);
        assert_eq!(prose_words("> * — ;"), 0);
        assert_eq!(prose_words("Zürich’s café — 2024"), 3);
        assert_eq!(prose_words("a<b and c"), 3);
    }

    /// `prose_words` as first written: one `char` at a time.
    fn prose_words_by_char(s: &str) -> usize {
        let b = s.as_bytes();
        let mut count = 0;
        let mut word_has_alnum = false;
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            let skip_to = if c == b'<'
                && b.get(i + 1)
                    .is_some_and(|n| n.is_ascii_alphabetic() || *n == b'/')
            {
                memchr::memchr(b'>', &b[i..])
            } else if c == b']' && b.get(i + 1) == Some(&b'(') {
                memchr::memchr(b')', &b[i..])
            } else {
                None
            };
            if let Some(j) = skip_to {
                count += usize::from(word_has_alnum);
                word_has_alnum = false;
                i += j + 1;
                continue;
            }
            let ch = s[i..].chars().next().unwrap_or(' ');
            if ch.is_whitespace() {
                count += usize::from(word_has_alnum);
                word_has_alnum = false;
            } else if ch.is_alphanumeric() {
                word_has_alnum = true;
            }
            i += ch.len_utf8();
        }
        count + usize::from(word_has_alnum)
    }

    #[test]
    fn words_ascii_fast_path_equals_counting_chars() {
        // Every ASCII byte alone and between letters, the characters that end or skip words.
        for c in 0u8..128 {
            let c = char::from(c);
            for s in [c.to_string(), format!("a{c}b"), format!("a{c}{c}b {c}")] {
                assert_eq!(prose_words(&s), prose_words_by_char(&s), "{s:?}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn words_equal_counting_chars(
            s in "([a-z0-9 \\t\\n\\r\\x0b\\x0c<>/\\[\\]()*_.,é—’\\u{a0}\\u{2003}漢🎉]|</a>|<br/>|\\]\\()*"
        ) {
            proptest::prop_assert_eq!(prose_words(&s), prose_words_by_char(&s));
        }
    }

    #[test]
    fn plain_times() {
        for plain in [
            "costs rose [00:05:59].",
            "both [00:53:03, 00:53:26]",
            "short [5:59]",
            "heavy (00:32:51-00:32:56).",
            "see 1:25:00 and on",
        ] {
            assert_eq!(bare_times(plain), Citing::PlainTimes, "{plain}");
        }
        for linked in [
            "a link [1:25](https://youtu.be/x?t=85) opens it",
            "plain [00:01:00] then linked [00:01:02](https://youtu.be/x?t=62)",
            "a time as a note [[00:01:02]]",
        ] {
            assert_eq!(bare_times(linked), Citing::Source, "{linked}");
        }
        for none in [
            "the meeting at 10:30 AM",
            "ratio 3:1 and John 3:16",
            "a [link](x) and [[note]]",
            "[!NOTE] a callout",
        ] {
            assert_eq!(bare_times(none), Citing::Nothing, "{none}");
        }
    }

    #[test]
    fn tags_for_lists_of_times() {
        let tag = |t: &str| format!("<a class=\"yt-timestamp\" data-t=\"{t}\">[{t}]</a>");
        assert_eq!(tags_for("00:05:59"), Some((tag("00:05:59"), true)));
        assert_eq!(tags_for("1:25:00"), Some((tag("01:25:00"), true)));
        assert_eq!(tags_for(" 7:44 "), Some((tag("00:07:44"), false)));
        assert_eq!(
            tags_for("00:53:03, 00:53:26"),
            Some((format!("{}, {}", tag("00:53:03"), tag("00:53:26")), true))
        );
        assert_eq!(
            tags_for("00:53:03;00:53:26"),
            Some((format!("{}; {}", tag("00:53:03"), tag("00:53:26")), true))
        );
        assert_eq!(
            tags_for("00:24:48 | 00:24:50"),
            Some((format!("{}, {}", tag("00:24:48"), tag("00:24:50")), true))
        );
        for not in [
            "",
            "00:61:00",
            "00:05:59 and more",
            "00:01:02,",
            "HH:MM:SS",
            "12",
            "00:11:15 - 00:11:24",
        ] {
            assert_eq!(tags_for(not), None, "{not}");
        }
    }

    #[test]
    fn only_kelvin_and_dotted_i_lowercase_to_ascii() {
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            let ascii: String = c.to_lowercase().filter(char::is_ascii).collect();
            assert!(
                ascii.is_empty() || ascii == "k" || ascii == "i",
                "{c:?} {ascii:?}"
            );
        }
    }

    #[test]
    fn pointers_as_by_lowercase() {
        for (start, block) in [
            ("See [[a]]", "See [[a]]"),
            ("SEE ALSO [[a]]", "SEE ALSO [[a]]"),
            ("Chec\u{212a} out [[a]]", "x"),
            ("İ see [[a]]", "İ see [[a]]"),
            ("Further Reading: [[a]]", "x"),
            ("Further", "x"),
            ("“See” [[a]]", "“See” [[a]]"),
            ("the rest, sEe\tAlso", "the rest, sEe\tAlso"),
            ("ss see also", "ss see also"),
            ("", ""),
        ] {
            assert_eq!(
                opens_or_says_pointer(start, block),
                opens_or_says_pointer_by_lowercase(start, block),
                "{start:?} {block:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn pointers_equal_lowercasing(
            start in "((see|SEE|See|for more|Explore|refer to|READ MORE|learn more|check out|chec\u{212a} out|related|further reading|further readİng)[ :]?|[a-zA-Z \\[\\]:İı\u{212a}ſé—’ΣΑ]){0,8}",
            rest in "((see|SEE|sEe|ſee)( |  )(\\[\\[|also|ALSO|al)|[a-z \\[\\]İ\u{212a}é])*"
        ) {
            let block = format!("{start}{rest}");
            proptest::prop_assert_eq!(
                opens_or_says_pointer(&start, &block),
                opens_or_says_pointer_by_lowercase(&start, &block)
            );
        }
    }

    #[test]
    fn sentence_ends() {
        let text = "Dr. Smith says so. See [[a]].";
        let see = text.find("See").expect("the pointer");
        assert_eq!(sentence_end_before(text, see), Some(18));
        assert_eq!(sentence_end_before(text, 2), None);
        assert_eq!(sentence_end_before(text, 3), Some(3));
        assert_eq!(sentence_end_before("e.g.see [[a]]", 4), None);
        assert_eq!(sentence_end_before("Why?\nsee also", 5), Some(4));
        assert_eq!(sentence_end_before("a. b", 99), Some(2));
    }

    #[test]
    fn claim_ends() {
        let at = |t: &str| {
            let i = claim_end(t);
            format!("{}|{}", &t[..i], &t[i..])
        };
        assert_eq!(
            at("It narrows in bull markets."),
            "It narrows in bull markets|."
        );
        assert_eq!(at("- It narrows\n"), "- It narrows|\n");
        assert_eq!(at("**It narrows.** <br>\n"), "**It narrows|.** <br>\n");
        assert_eq!(at("It narrows..."), "It narrows|...");
        assert_eq!(at("a [[link|It]]"), "a [[link|It]]|");
        assert_eq!(at("Why $x$?"), "Why $x$|?");
    }

    #[test]
    fn decoration() {
        assert_eq!(strip_decoration("**Key points:** <br/>\n"), "**Key points:");
        assert_eq!(strip_decoration_start("**From:** x"), "From:** x");
    }
}
