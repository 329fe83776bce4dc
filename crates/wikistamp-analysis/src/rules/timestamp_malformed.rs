use crate::diagnostic::{Diagnostic, Fix, TextEdit};
use crate::rules::{declare_rule, Context, Rule, RuleMeta, Sink};
use crate::syntax::citations::{Shape, TagProblem};
use crate::syntax::{parse_time, Citation};

declare_rule! {
    /// ## What it finds
    /// A timestamp citation whose tag is not well formed: a broken `class`
    /// (`class="yt="yt-timestamp"`, `yt_timestamp`), a missing or garbled `data-t`
    /// (`data-3:54:44:00"`, `data="…"`, `href="…"`, a value without its closing quote), stray
    /// text in the tag, no `>` or no `</a>`, or a label that is not `[HH:MM:SS]`: empty,
    /// without brackets, in double brackets, padded with spaces, with the brackets outside the
    /// tag (`[<a …>00:01:25</a>]`) or wrapped in a Markdown link (`[00:01:25](<a …>…</a>)`).
    ///
    /// A well-formed `data-t` whose value is not a time is `timestamp-invalid`'s, and a label
    /// that shows another time is `timestamp-label-mismatch`'s.
    ///
    /// ## Why it matters
    /// The player only turns `<a class="yt-timestamp" data-t="…">` into a link that seeks the
    /// video: with a broken class or `data-t` the citation is dead text. Without `</a>` the
    /// link runs on over the following text; with an empty label there is nothing to click;
    /// odd brackets show up as litter in the rendered note.
    ///
    /// ## Example
    /// ```markdown
    /// Costs dominate <a class="yt-timestamp" data-t="00:03:59">00:03:59</a>.
    /// Margins shrink <a class="yt="yt-timestamp" data-t="00:04:10">[00:04:10]</a>.
    /// ```
    /// Use instead:
    /// ```markdown
    /// Costs dominate <a class="yt-timestamp" data-t="00:03:59">[00:03:59]</a>.
    /// Margins shrink <a class="yt-timestamp" data-t="00:04:10">[00:04:10]</a>.
    /// ```
    ///
    /// ## Fix
    /// Safe, when the time can be recovered (from `data-t`, the one time written in the tag, or
    /// the label) and is a time: a broken tag is rewritten as
    /// `<a class="yt-timestamp" data-t="T">[L]</a>`; when only the label is wrong, only the
    /// label (and the brackets or Markdown link around the tag) is rewritten. The label keeps
    /// the time it showed; an empty label gets the `data-t` time. No fix when two different
    /// times are in the tag or the label is words rather than a time.
    pub struct TimestampMalformed { family: Timestamp, severity: Error, fix: Sometimes }
}

impl Rule for TimestampMalformed {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink) {
        for c in &ctx.note.citations {
            // Most citations are canonical, and then only a wrapper around the tag can be wrong:
            // [`Citation::shape`] is not needed to tell (a speed-only shortcut; what it buys is
            // in docs/benchmarks.md).
            if c.is_canonical_tag(ctx.text) && c.label_time(ctx.text).is_some() {
                let before = &ctx.text[..c.range.start];
                let bracketed =
                    before.ends_with('[') && ctx.text.as_bytes().get(c.range.end) == Some(&b']');
                if !bracketed && !before.ends_with("](") {
                    continue;
                }
            }
            let shape = c.shape(ctx.text);
            if shape.problems.is_empty() {
                continue;
            }
            let label_only = shape.problems.iter().all(|p| {
                matches!(
                    p,
                    TagProblem::EmptyLabel
                        | TagProblem::LabelBrackets
                        | TagProblem::LabelDoubleBrackets
                        | TagProblem::LabelPadded
                        | TagProblem::BracketsOutside
                        | TagProblem::MarkdownWrapper
                )
            });
            // A well-formed `data-t` that is no time is `timestamp-invalid`'s: the label can only
            // be repaired once the time is.
            if label_only && c.data_t.is_some() && c.time.is_err() {
                continue;
            }
            let problems: Vec<String> = shape
                .problems
                .iter()
                .map(|p| describe(ctx, c, &shape, p))
                .collect();
            let mut message = format!("malformed timestamp citation: {}", problems.join("; "));
            if shape.tag_broken && shape.data_t.is_none() {
                message.push_str("; no time can be recovered from it");
            }
            let mut d = Diagnostic::new(Self::META.id, shape.extent.clone(), message);
            if let Some(fix) = repair(ctx, c, &shape) {
                d = d.with_fix(fix);
            } else if let Some(dt) = &shape.data_t {
                if parse_time(ctx.slice(dt)).is_err() {
                    d = d.with_help(format!(
                        "`{}` is not a time; write the citation by hand as <a class=\"yt-timestamp\" data-t=\"HH:MM:SS\">[HH:MM:SS]</a>",
                        ctx.slice(dt)
                    ));
                }
            }
            sink.push(d);
        }
    }
}

/// What `p` is about, for the message.
fn describe(ctx: &Context<'_>, c: &Citation, shape: &Shape, p: &TagProblem) -> String {
    match p {
        TagProblem::Class => match &c.class {
            Some(v) => format!(
                "its class is `{}`, not `yt-timestamp`, so the player does not make it a link",
                ctx.slice(v)
            ),
            None => "it has no `class=\"yt-timestamp\"`, so the player does not make it a link"
                .to_string(),
        },
        TagProblem::DataT => {
            let unclosed = c.attributes(ctx.text).iter().any(|a| {
                ctx.slice(&a.name).eq_ignore_ascii_case("data-t") && !a.well_formed
            });
            if unclosed {
                "the `data-t` value has no closing quote, so the player has no time to seek to"
                    .to_string()
            } else {
                "it has no `data-t=\"…\"` attribute, so the player has no time to seek to"
                    .to_string()
            }
        }
        TagProblem::Junk(r) => format!("stray `{}` in the tag", ctx.slice(r)),
        TagProblem::Repeated(r) => format!(
            "a second `{}` attribute, which the browser ignores",
            ctx.slice(r)
        ),
        TagProblem::OpenTagUnclosed => "the opening tag has no `>`".to_string(),
        TagProblem::NoCloseTag => {
            "`</a>` is missing, so the link runs on over the text after it".to_string()
        }
        TagProblem::EmptyLabel => "the label is empty, so there is nothing to click".to_string(),
        TagProblem::LabelBrackets => {
            let label = ctx.slice(&c.label).trim();
            if label.contains(['[', ']']) {
                format!("the label `{label}` has unpaired brackets")
            } else {
                format!("the label `{label}` is not in brackets")
            }
        }
        TagProblem::LabelDoubleBrackets => {
            format!("the label `{}` has double brackets", ctx.slice(&c.label))
        }
        TagProblem::LabelPadded => "the label has spaces around it".to_string(),
        TagProblem::BracketsOutside => "the brackets are outside the tag".to_string(),
        TagProblem::MarkdownWrapper => format!(
            "it is wrapped in a Markdown link `{}(…)` that does not render, so readers see the brackets and parentheses",
            ctx.slice(&(shape.extent.start..c.range.start - 1))
        ),
    }
}

/// The canonical citation, when the time is recoverable and the label is a time or empty.
fn repair(ctx: &Context<'_>, c: &Citation, shape: &Shape) -> Option<Fix> {
    if shape.wrapper_unsure {
        return None;
    }
    let dt = ctx.slice(shape.data_t.as_ref()?);
    parse_time(dt).ok()?;
    let label_text = ctx.slice(&c.label).trim();
    let label = match &shape.label_time {
        Some(l) if parse_time(ctx.slice(l)).is_ok() => ctx.slice(l),
        Some(_) => dt,
        None if label_text.is_empty() => dt,
        // Words, a wiki-link: not ours to replace.
        None => return None,
    };
    if shape.problems.contains(&TagProblem::MarkdownWrapper) {
        // `[X](<a …>…</a>)`: X must be the same time.
        let x = ctx
            .slice(&(shape.extent.start + 1..c.range.start - 2))
            .trim_start_matches('[')
            .trim_end_matches(']');
        if x != dt && x != label {
            return None;
        }
    }
    let canonical = format!(r#"<a class="yt-timestamp" data-t="{dt}">[{label}]</a>"#);
    if shape.tag_broken {
        return Some(Fix::safe(
            format!("Rewrite as `{canonical}`"),
            vec![TextEdit::replace(shape.extent.clone(), canonical)],
        ));
    }
    // The tag is fine: rewrite only the label (and `</a>`), and drop the wrapper.
    let mut edits = Vec::new();
    if shape.extent.start < c.range.start {
        edits.push(TextEdit::delete(shape.extent.start..c.range.start));
    }
    let new_label = format!("[{label}]");
    if c.closed {
        edits.push(TextEdit::replace(c.label.clone(), new_label.clone()));
    } else {
        edits.push(TextEdit::replace(
            c.open_tag.end..c.range.end,
            format!("{new_label}</a>"),
        ));
    }
    if c.range.end < shape.extent.end {
        edits.push(TextEdit::delete(c.range.end..shape.extent.end));
    }
    // Drop no-op edits (a closed, well-bracketed label inside a wrapper).
    edits.retain(|e| ctx.slice(&e.range) != e.new_text);
    let relabels = edits.iter().any(|e| !e.new_text.is_empty());
    let title = if relabels {
        format!("Rewrite the label as `{new_label}`")
    } else {
        "Remove what wraps the tag".to_string()
    };
    Some(Fix::safe(title, edits))
}
