use std::ops::Range;

use crate::config::Flavor;
use crate::diagnostic::{Diagnostic, Fix, TextEdit};
use crate::rules::{declare_rule, Context, Rule, RuleMeta, Sink};
use crate::syntax::callouts::is_ascii_type;
use crate::syntax::{BlockKind, CalloutMarker, MarkerProblem};

declare_rule! {
    /// ## What it finds
    /// A callout marker that will not render as a callout:
    /// - `[!NOTE]` on a line that is not in a blockquote (no `>`);
    /// - `### [!info] Title`: a heading, not a blockquote;
    /// - `> **[!info] Title**`: emphasis around the marker;
    /// - `> [!NOTE` with no closing `]`;
    /// - a type with characters outside letters, digits, `_` and `-` (`[!PRO TIP]`); in the
    ///   Quartz flavor, outside ASCII letters, digits, `_` and `-` (`[!提示]`, `[!Café]`:
    ///   Quartz matches `[\w-]+`, while Obsidian renders letters of every script);
    /// - a marker on a later line of a blockquote rather than its first;
    /// - a marker inside an HTML block (`<div class="callout">`), where Markdown is not parsed.
    ///
    /// Valid and not reported: `> [!note|meta]`, fold markers `> [!tip]-`, callouts nested in
    /// callouts (`> > [!info]`) and callouts inside list items.
    ///
    /// ## Why it matters
    /// Obsidian and Quartz only recognise `[!type]` at the very start of a blockquote's first
    /// line. Anything else shows the reader a literal `[!NOTE]` and no callout.
    ///
    /// ## Example
    /// ```markdown
    /// [!NOTE] Consensus on war aims
    /// Even without Putin the elite would pursue the war <a class="yt-timestamp" data-t="00:09:06">[00:09:06]</a>.
    /// ```
    /// Use instead:
    /// ```markdown
    /// > [!NOTE] Consensus on war aims
    /// > Even without Putin the elite would pursue the war <a class="yt-timestamp" data-t="00:09:06">[00:09:06]</a>.
    /// ```
    ///
    /// ## Fix
    /// Where one repair is clearly meant:
    /// - no `>`: insert `> ` before the marker and before every following line of the same
    ///   paragraph (safe). The callout's body is taken to be the paragraph the marker opens:
    ///   a list or paragraph after it may or may not have been meant inside, so it is left as
    ///   it is. (CommonMark would already join the paragraph's lines lazily; quoting them all
    ///   keeps the callout whole in every renderer and editor.) When a following line is
    ///   indented less than the marker, only the marker line is quoted.
    /// - heading: replace the `#` markers with `> ` (safe when the next line is blank or
    ///   already quoted; unsafe otherwise, since the next paragraph then joins the callout);
    /// - emphasis: delete the emphasis markers around the marker (safe);
    /// - unclosed: add the `]` when nothing but the type follows `[!` (safe);
    /// - a type made of words separated by spaces: hyphenate it, `[!PRO TIP]` → `[!PRO-TIP]`
    ///   (safe: it keeps the author's words; `callout-unknown-type` then asks whether that
    ///   custom type is meant).
    ///
    /// A marker on a later line of a quote or inside HTML has no fix: where the callout should
    /// start is for the author to say.
    pub struct CalloutMalformed { family: Callout, severity: Error, fix: Sometimes }
}

impl Rule for CalloutMalformed {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink) {
        if ctx.config.flavor() == Flavor::Quartz {
            for c in &ctx.note.callouts {
                let kind = ctx.slice(&c.kind);
                if !is_ascii_type(kind) {
                    sink.push(
                        Diagnostic::new(
                            Self::META.id,
                            c.kind.clone(),
                            format!("`[!{kind}]` is not a callout in Quartz: its type must be ASCII letters, digits, `_` or `-`"),
                        )
                        .with_help("Quartz renders it as a quote showing the marker; Obsidian would render it as a callout"),
                    );
                }
            }
        }
        for m in &ctx.note.callout_markers {
            let marker = ctx.slice(&m.marker);
            let (message, fix) = match m.problem {
                MarkerProblem::NoQuote => (
                    format!("`{marker}` is not in a blockquote: it renders as literal text, not a callout"),
                    Some(add_quote(ctx, m)),
                ),
                MarkerProblem::InHeading => (
                    format!("`{marker}` is in a heading: a callout must be a blockquote (`> {marker}`)"),
                    heading_fix(ctx, m),
                ),
                MarkerProblem::Emphasized => (
                    format!("emphasis hides the callout marker `{marker}`: it renders as literal text"),
                    strip_emphasis(ctx, m),
                ),
                MarkerProblem::Unclosed => (
                    format!("callout marker `{marker}` has no closing `]`"),
                    close_marker(ctx, m),
                ),
                MarkerProblem::InvalidType => (
                    format!("`{marker}` is not a callout type: only letters, digits, `_` and `-` are allowed"),
                    hyphenate(ctx, m),
                ),
                MarkerProblem::NotFirstLine => (
                    format!("`{marker}` is not on the first line of its blockquote: it renders as literal text"),
                    split_quote(ctx, m),
                ),
                MarkerProblem::InHtml => (
                    format!("`{marker}` is inside an HTML block, where Markdown is not parsed: it renders as literal text"),
                    leave_html(ctx, m),
                ),
            };
            let mut d = Diagnostic::new(Self::META.id, m.marker.clone(), message);
            if m.problem == MarkerProblem::NotFirstLine {
                d = d.with_help("start a new blockquote: separate it from the lines above with a blank line without `>`");
            }
            if m.problem == MarkerProblem::InHtml {
                d = d.with_help("write the callout as a Markdown blockquote, separated from the HTML by a blank line");
            }
            if let Some(fix) = fix {
                d = d.with_fix(fix);
            }
            sink.push(d);
        }
    }
}

fn line_start(b: &[u8], pos: usize) -> usize {
    let mut i = pos.min(b.len());
    while i > 0 && b[i - 1] != b'\n' && b[i - 1] != b'\r' {
        i -= 1;
    }
    i
}

fn line_end(b: &[u8], pos: usize) -> usize {
    pos + memchr::memchr2(b'\n', b'\r', &b[pos..]).unwrap_or(b.len() - pos)
}

fn next_line(b: &[u8], pos: usize) -> usize {
    let end = line_end(b, pos);
    match b.get(end) {
        Some(b'\r') if b.get(end + 1) == Some(&b'\n') => end + 2,
        Some(_) => end + 1,
        None => end,
    }
}

/// Width of leading spaces and tabs at `pos`.
fn indent(b: &[u8], pos: usize) -> usize {
    b[pos..]
        .iter()
        .take_while(|c| **c == b' ' || **c == b'\t')
        .count()
}

/// `> ` before the marker and before each later line of its paragraph.
fn add_quote(ctx: &Context<'_>, m: &CalloutMarker) -> Fix {
    let b = ctx.text.as_bytes();
    let mut edits = vec![TextEdit::insert(m.marker.start, "> ")];
    let column = m.marker.start - line_start(b, m.marker.start);
    let block = ctx.note.blocks.iter().find(|bl| {
        matches!(bl.kind, BlockKind::Paragraph | BlockKind::ListItem)
            && bl.range.start <= m.marker.start
            && m.marker.start < bl.range.end
    });
    if let Some(block) = block {
        let mut more = Vec::new();
        let mut pos = next_line(b, m.marker.start);
        let mut all_indented = true;
        while pos < block.range.end {
            let ind = indent(b, pos);
            let content = pos + ind;
            if content < line_end(b, pos) {
                if ind < column {
                    all_indented = false;
                    break;
                }
                more.push(TextEdit::insert(pos + column, "> "));
            }
            pos = next_line(b, pos);
        }
        if all_indented {
            edits.extend(more);
        }
    }
    let title = if edits.len() == 1 {
        "Quote the marker line with `> `"
    } else {
        "Quote the marker's paragraph with `> `"
    };
    Fix::safe(title, edits)
}

/// The previous line: its range without the line ending, and the line ending's text.
fn previous_line(b: &[u8], line: usize) -> Option<(Range<usize>, &'static str)> {
    if line == 0 {
        return None;
    }
    let (end, eol) = if line >= 2 && &b[line - 2..line] == b"\r\n" {
        (line - 2, "\r\n")
    } else if b[line - 1] == b'\r' {
        (line - 1, "\r")
    } else {
        (line - 1, "\n")
    };
    Some((line_start(b, end)..end, eol))
}

/// A marker on a later line of a quote: start a new quote there. Safe when the line above is
/// an empty quote line (`>`), which the author evidently meant as a separator: it becomes a
/// blank line. Otherwise unsafe: a blank line is inserted, and which lines belong to which
/// callout is a guess.
fn split_quote(ctx: &Context<'_>, m: &CalloutMarker) -> Option<Fix> {
    if m.quote_depth != 1 {
        return None;
    }
    let b = ctx.text.as_bytes();
    let line = line_start(b, m.marker.start);
    let (prev, eol) = previous_line(b, line)?;
    let prev_text = ctx.slice(&prev).trim();
    let title = "Start a new blockquote at the marker";
    if prev_text == ">" {
        return Some(Fix::safe(title, vec![TextEdit::delete(prev)]));
    }
    if prev_text.starts_with('>') {
        return Some(Fix::unsafe_(title, vec![TextEdit::insert(line, eol)]));
    }
    None
}

/// `<br>` on the line above a quoted marker makes the quote part of an HTML block: a blank
/// line after the tag lets the quote be Markdown again.
fn leave_html(ctx: &Context<'_>, m: &CalloutMarker) -> Option<Fix> {
    if m.quote_depth == 0 {
        return None;
    }
    let b = ctx.text.as_bytes();
    let line = line_start(b, m.marker.start);
    let (prev, eol) = previous_line(b, line)?;
    let prev_text = ctx.slice(&prev).trim();
    let single_tag = prev_text.starts_with('<')
        && prev_text.ends_with('>')
        && prev_text[1..].find('<').is_none();
    // The tag must open the HTML block: the line above it is blank (or there is none).
    let opens_block =
        previous_line(b, prev.start).is_none_or(|(before, _)| ctx.slice(&before).trim().is_empty());
    if !single_tag || !opens_block {
        return None;
    }
    Some(Fix::safe(
        format!("Insert a blank line after `{prev_text}`"),
        vec![TextEdit::insert(line, eol)],
    ))
}

/// `### [!info] T` → `> [!info] T`.
fn heading_fix(ctx: &Context<'_>, m: &CalloutMarker) -> Option<Fix> {
    if m.quote_depth > 0 || ctx.slice(&m.line).trim_end().ends_with('#') {
        return None;
    }
    let b = ctx.text.as_bytes();
    let edit = TextEdit::replace(m.line.start..m.marker.start, "> ");
    let next = next_line(b, m.line.end);
    let next_content = next + indent(b, next);
    let next_blank_or_quoted =
        next >= b.len() || next_content >= line_end(b, next) || b.get(next_content) == Some(&b'>');
    let title = "Make the heading a callout";
    Some(if next_blank_or_quoted {
        Fix::safe(title, vec![edit])
    } else {
        Fix::unsafe_(title, vec![edit])
    })
}

/// `**[!info] T**` → `[!info] T`: the opener and its first closer on the line.
fn strip_emphasis(ctx: &Context<'_>, m: &CalloutMarker) -> Option<Fix> {
    let opener: Range<usize> = m.line.start..m.marker.start;
    let delim = ctx.slice(&opener);
    if delim.is_empty() || !delim.bytes().all(|c| c == b'*' || c == b'_') {
        return None;
    }
    let b = ctx.text.as_bytes();
    let ch = delim.as_bytes()[0];
    let mut edits = vec![TextEdit::delete(opener.clone())];
    let mut i = m.marker.end;
    while i < m.line.end {
        if b[i] == ch {
            let run = b[i..m.line.end].iter().take_while(|c| **c == ch).count();
            if run == delim.len() {
                edits.push(TextEdit::delete(i..i + run));
                break;
            }
            i += run;
        } else {
            i += 1;
        }
    }
    Some(Fix::safe("Remove the emphasis around the marker", edits))
}

/// `> [!NOTE` → `> [!NOTE]` when nothing but the type follows.
fn close_marker(ctx: &Context<'_>, m: &CalloutMarker) -> Option<Fix> {
    let rest = ctx.slice(&(m.marker.start + 2..m.line.end));
    let kind = rest.trim_end();
    if kind.is_empty()
        || !kind
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
    {
        return None;
    }
    Some(Fix::safe(
        "Close the marker with `]`",
        vec![TextEdit::insert(m.marker.start + 2 + kind.len(), "]")],
    ))
}

/// `[!PRO TIP]` → `[!PRO-TIP]`.
fn hyphenate(ctx: &Context<'_>, m: &CalloutMarker) -> Option<Fix> {
    let marker = ctx.slice(&m.marker);
    let inner = marker.strip_prefix("[!")?.strip_suffix(']')?;
    let kind = inner.split('|').next().unwrap_or("");
    let words: Vec<&str> = kind.split(' ').collect();
    let word_ok = |w: &str| {
        !w.is_empty()
            && w.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
    };
    if words.len() < 2 || !words.iter().all(|w| word_ok(w)) {
        return None;
    }
    let start = m.marker.start + 2;
    let edits = kind
        .match_indices(' ')
        .map(|(i, _)| TextEdit::replace(start + i..start + i + 1, "-"))
        .collect();
    Some(Fix::safe(
        format!("Hyphenate the type: `{}`", words.join("-")),
        edits,
    ))
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::fix::apply_edits;

    use super::CalloutMalformed;

    /// The findings' fixes applied one at a time, in order, each to the original text.
    fn fixed(text: &str) -> Vec<String> {
        crate::rules::run_alone(&CalloutMalformed, text, &Config::default())
            .iter()
            .map(|d| apply_edits(text, &d.fix.as_ref().expect("a fix").edits))
            .collect()
    }

    #[test]
    fn quotes_the_whole_paragraph() {
        assert_eq!(
            fixed("Intro.\n\n[!NOTE] Title\nline one\nline two\n\nAfter.\n"),
            ["Intro.\n\n> [!NOTE] Title\n> line one\n> line two\n\nAfter.\n"]
        );
    }

    #[test]
    fn quotes_only_from_the_marker_on() {
        assert_eq!(
            fixed("Text before\n[!TIP] Mid\nafter\n"),
            ["Text before\n> [!TIP] Mid\n> after\n"]
        );
    }

    #[test]
    fn quotes_inside_a_list_item_at_its_column() {
        assert_eq!(
            fixed("*   [!WARNING] Item\n    more text\n"),
            ["*   > [!WARNING] Item\n    > more text\n"]
        );
    }

    #[test]
    fn lazy_lines_keep_only_the_marker_quoted() {
        assert_eq!(
            fixed("*   [!WARNING] Item\nlazy line\n"),
            ["*   > [!WARNING] Item\nlazy line\n"]
        );
    }

    #[test]
    fn crlf_paragraph_and_split() {
        assert_eq!(fixed("[!NOTE] A\r\nb\r\n"), ["> [!NOTE] A\r\n> b\r\n"]);
        assert_eq!(
            fixed("> [!NOTE] A\r\n> [!TIP] B\r\n"),
            ["> [!NOTE] A\r\n\r\n> [!TIP] B\r\n"]
        );
        assert_eq!(
            fixed("> [!NOTE] A\r\n>\r\n> [!TIP] B\r\n"),
            ["> [!NOTE] A\r\n\r\n> [!TIP] B\r\n"]
        );
    }

    #[test]
    fn heading_emphasis_type_html() {
        assert_eq!(fixed("### [!info] T\n> body\n"), ["> [!info] T\n> body\n"]);
        assert_eq!(
            fixed("> **[!info] T**\n> body\n"),
            ["> [!info] T\n> body\n"]
        );
        assert_eq!(fixed("> [!PRO TIP] x\n"), ["> [!PRO-TIP] x\n"]);
        assert_eq!(
            fixed("> [!big pro tip|meta]\n"),
            ["> [!big-pro-tip|meta]\n"]
        );
        assert_eq!(
            fixed("<br>\n> [!Note] About\n> body\n"),
            ["<br>\n\n> [!Note] About\n> body\n"]
        );
    }

    #[test]
    fn invalid_type_without_quote_is_hyphenated_first() {
        assert_eq!(fixed("[!PRO TIP] x\n"), ["[!PRO-TIP] x\n"]);
    }
}
