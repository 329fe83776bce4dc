use crate::diagnostic::{Diagnostic, Fix, TextEdit};
use crate::rules::{declare_rule, is_canonical_tag, label_time, Context, Rule, RuleMeta, Sink};
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
            if is_canonical_tag(c, ctx.text) && label_time(c, ctx.text).is_some() {
                // Fast path; only a wrapper around the tag can still be wrong.
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
            let mut message = String::with_capacity(160);
            message.push_str("malformed timestamp citation: ");
            for (i, p) in shape.problems.iter().enumerate() {
                if i > 0 {
                    message.push_str("; ");
                }
                describe(&mut message, ctx, c, &shape, p);
            }
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

/// Appends what `p` is about to `out`.
fn describe(out: &mut String, ctx: &Context<'_>, c: &Citation, shape: &Shape, p: &TagProblem) {
    let parts: [&str; 3] = match p {
        TagProblem::Class => match &c.class {
            Some(v) => [
                "its class is `",
                ctx.slice(v),
                "`, not `yt-timestamp`, so the player does not make it a link",
            ],
            None => [
                "it has no `class=\"yt-timestamp\"`, so the player does not make it a link",
                "",
                "",
            ],
        },
        TagProblem::DataT => {
            let unclosed = c
                .attributes(ctx.text)
                .iter()
                .any(|a| ctx.slice(&a.name).eq_ignore_ascii_case("data-t") && !a.well_formed);
            if unclosed {
                [
                    "the `data-t` value has no closing quote, so the player has no time to seek to",
                    "",
                    "",
                ]
            } else {
                [
                    "it has no `data-t=\"…\"` attribute, so the player has no time to seek to",
                    "",
                    "",
                ]
            }
        }
        TagProblem::Junk(r) => ["stray `", ctx.slice(r), "` in the tag"],
        TagProblem::Repeated(r) => [
            "a second `",
            ctx.slice(r),
            "` attribute, which the browser ignores",
        ],
        TagProblem::OpenTagUnclosed => ["the opening tag has no `>`", "", ""],
        TagProblem::NoCloseTag => [
            "`</a>` is missing, so the link runs on over the text after it",
            "",
            "",
        ],
        TagProblem::EmptyLabel => ["the label is empty, so there is nothing to click", "", ""],
        TagProblem::LabelBrackets => {
            let label = ctx.slice(&c.label).trim();
            if label.contains(['[', ']']) {
                ["the label `", label, "` has unpaired brackets"]
            } else {
                ["the label `", label, "` is not in brackets"]
            }
        }
        TagProblem::LabelDoubleBrackets => {
            ["the label `", ctx.slice(&c.label), "` has double brackets"]
        }
        TagProblem::LabelPadded => ["the label has spaces around it", "", ""],
        TagProblem::BracketsOutside => ["the brackets are outside the tag", "", ""],
        TagProblem::MarkdownWrapper => [
            "it is wrapped in a Markdown link `",
            ctx.slice(&(shape.extent.start..c.range.start - 1)),
            "(…)` that does not render, so readers see the brackets and parentheses",
        ],
    };
    for part in parts {
        out.push_str(part);
    }
}

/// [`describe`] as first written, one `String` per problem, for the tests.
#[cfg(test)]
fn describe_by_format(ctx: &Context<'_>, c: &Citation, shape: &Shape, p: &TagProblem) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::vault::Vault;

    /// Every problem of every citation of `text` described both ways.
    fn assert_descriptions_agree(text: &str) {
        let config = Config::default();
        let note = crate::syntax::parse(text);
        let vault = Vault::new(&config.links);
        let ctx = Context::new(text, &note, "n.md", &vault, &config);
        for c in &note.citations {
            let shape = c.shape(text);
            for p in &shape.problems {
                let mut s = String::from("x");
                describe(&mut s, &ctx, c, &shape, p);
                assert_eq!(
                    s,
                    format!("x{}", describe_by_format(&ctx, c, &shape, p)),
                    "{text:?}"
                );
            }
        }
    }

    const PIECES: &[&str] = &[
        "<a class=\"yt-timestamp\" data-t=\"00:01:02\">[00:01:02]</a>",
        "<a class=\"yt-timestamp\" data-t=\"00:01:02\">",
        "<A CLASS='YT-TIMESTAMP' DATA-T=00:01:02>",
        "<a class=\"yt=\"yt-timestamp\" data-t=\"00:04:10\">",
        "<a class=\"yt_timestamp\" ",
        "<a data-t=\"1:02\" data-t=\"1:03\">",
        "<a class=\"yt-timestamp\" data-t=\"00:01:02>",
        "<a href=\"x\" junk\"=1 ",
        "<a ",
        ">",
        "</a>",
        "[",
        "]",
        "[[",
        "]]",
        "](",
        ")",
        " ",
        "00:01:02",
        "1:25",
        "words",
        "é",
        "\n",
    ];

    #[test]
    fn descriptions_on_odd_citations() {
        for text in [
            "<a class=\"yt=\"yt-timestamp\" data-t=\"00:04:10\">[00:04:10]</a>",
            "<a class=\"yt-timestamp\" data-t=\"00:03:59\">00:03:59</a>",
            "[<a class=\"yt-timestamp\" data-t=\"00:01:25\">00:01:25</a>]",
            "[00:01:25](<a class=\"yt-timestamp\" data-t=\"00:01:25\">[00:01:25]</a>)",
            "<a class=\"yt-timestamp\" data-t=\"00:01:25\">[[00:01:25]]</a>",
            "<a class=\"yt-timestamp\" data-t=\"00:01:25\"> [00:01:25] </a>",
            "<a class=\"yt-timestamp\" data-t=\"00:01:25\"></a>",
            "<a class=\"yt-timestamp\" data-t=\"00:01:25\">[00:01:25]",
            "<a class=\"x\" class=\"y\" data-t=\"00:01:25 \">[a]b]</a>",
            "<a class=\"yt-timestamp\" data-t=\"00:01:25",
        ] {
            assert_descriptions_agree(text);
        }
    }

    proptest::proptest! {
        #[test]
        fn descriptions_equal_the_formatted_ones(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..24)
        ) {
            assert_descriptions_agree(&pieces.concat());
        }
    }
}
