use crate::config::OrderScope;
use crate::diagnostic::{Diagnostic, Fix, TextEdit};
use crate::rules::{declare_rule, Context, Rule, RuleMeta, Sink};
use crate::syntax::{format_hms, TimeForm};

declare_rule! {
    /// ## What it finds
    /// Citations whose times go backwards. By default (`timestamps.order-scope = "group"`)
    /// only within a citation group: citations separated only by spaces, `,` or `;`, such as
    /// `<a …>[00:05:00]</a>, <a …>[00:02:00]</a>`. With `"paragraph"`, `"section"` or
    /// `"document"`, any citation earlier in that scope with a later time is reported; `"off"`
    /// disables the rule.
    ///
    /// ## Why it matters
    /// A group cites the moments a claim comes from; in time order the reader can follow them
    /// through the video. Out of order they read as a mistake, and often are one (a typo in one
    /// of the times).
    ///
    /// ## Example
    /// ```markdown
    /// Both founders agreed <a class="yt-timestamp" data-t="00:05:00">[00:05:00]</a>, <a class="yt-timestamp" data-t="00:02:00">[00:02:00]</a>.
    /// ```
    /// Use instead:
    /// ```markdown
    /// Both founders agreed <a class="yt-timestamp" data-t="00:02:00">[00:02:00]</a>, <a class="yt-timestamp" data-t="00:05:00">[00:05:00]</a>.
    /// ```
    ///
    /// ## Fix
    /// In group scope, safe: the group's citations are sorted by time (the tags swap places, the
    /// separators stay). Offered once every citation of the group is canonical and its label
    /// matches its `data-t`, so the sort follows the times the player plays. In wider scopes there is no fix: reordering would move claims.
    pub struct TimestampOrder { family: Timestamp, severity: Warning, fix: Sometimes }
}

impl Rule for TimestampOrder {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink) {
        let cites = &ctx.note.citations;
        match ctx.config.timestamps.order_scope {
            OrderScope::Off => {}
            OrderScope::Group => {
                for g in ctx.citation_groups() {
                    let group = &cites[g.clone()];
                    let times: Vec<Option<u64>> = group
                        .iter()
                        .map(|c| c.time.as_ref().ok().map(|t| t.seconds))
                        .collect();
                    // The first descent between successive valid times.
                    let mut prev: Option<u64> = None;
                    let mut descent = None;
                    for s in times.iter().flatten() {
                        if let Some(p) = prev {
                            if *s < p {
                                descent = Some((p, *s));
                                break;
                            }
                        }
                        prev = Some(*s);
                    }
                    let Some((a, b)) = descent else {
                        continue;
                    };
                    let (first, last) = (&group[0], &group[group.len() - 1]);
                    let mut d = Diagnostic::new(
                        Self::META.id,
                        first.range.start..last.range.end,
                        format!(
                            "citations out of time order: `{}` comes before `{}` in this group",
                            format_hms(a),
                            format_hms(b)
                        ),
                    );
                    // Sorting is only sure when every citation plays what it shows: a label
                    // that disagrees with `data-t` (or a non-canonical one) is repaired first.
                    let clean = group.iter().all(|c| {
                        c.time.as_ref().is_ok_and(|t| t.form == TimeForm::Canonical)
                            && c.data_t.as_ref().map(|r| ctx.slice(r)) == c.label_time(ctx.text)
                    });
                    if clean {
                        let mut order: Vec<usize> = (0..group.len()).collect();
                        order.sort_by_key(|&i| times[i]);
                        let edits: Vec<TextEdit> = order
                            .iter()
                            .enumerate()
                            .filter(|(slot, from)| slot != *from)
                            .map(|(slot, &from)| {
                                TextEdit::replace(
                                    group[slot].range.clone(),
                                    ctx.slice(&group[from].range),
                                )
                            })
                            .collect();
                        d = d.with_fix(Fix::safe("Sort the group by time", edits));
                    }
                    sink.push(d);
                }
            }
            scope => {
                let scope_name = match scope {
                    OrderScope::Paragraph => "paragraph",
                    OrderScope::Section => "section",
                    _ => "note",
                };
                let key = |pos: usize| -> Option<usize> {
                    match scope {
                        OrderScope::Paragraph => {
                            let blocks = &ctx.note.blocks;
                            let i = blocks.partition_point(|b| b.range.start <= pos);
                            (i > 0 && pos < blocks[i - 1].range.end).then_some(i - 1)
                        }
                        OrderScope::Section => {
                            Some(ctx.note.headings.partition_point(|h| h.range.start <= pos))
                        }
                        _ => Some(0),
                    }
                };
                let mut last: Option<(Option<usize>, u64)> = None;
                for c in cites {
                    let Ok(t) = &c.time else { continue };
                    let k = key(c.range.start);
                    if k.is_none() {
                        continue;
                    }
                    if let Some((pk, p)) = last {
                        if pk == k && t.seconds < p {
                            sink.push(Diagnostic::new(
                                Self::META.id,
                                c.range.clone(),
                                format!(
                                    "citation `{}` comes after `{}` earlier in this {scope_name}: times go backwards",
                                    format_hms(t.seconds),
                                    format_hms(p)
                                ),
                            ));
                        }
                    }
                    last = Some((k, t.seconds));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn findings(text: &str, scope: OrderScope) -> Vec<Diagnostic> {
        let mut config = Config::default();
        config.timestamps.order_scope = scope;
        crate::rules::run_alone(&TimestampOrder, text, &config)
    }

    fn cite(t: &str) -> String {
        format!(r#"<a class="yt-timestamp" data-t="{t}">[{t}]</a>"#)
    }

    /// A note whose citations go backwards across sentences, paragraphs and sections, but never
    /// inside a group.
    fn note() -> String {
        format!(
            "# One\nFirst {}. Then {}.\n\nNext paragraph {}.\n\n# Two\nNew section {}.\n",
            cite("00:05:00"),
            cite("00:04:00"),
            cite("00:03:00"),
            cite("00:01:00"),
        )
    }

    #[test]
    fn group_scope_ignores_separate_claims() {
        assert!(findings(&note(), OrderScope::Group).is_empty());
        assert!(findings(&note(), OrderScope::Off).is_empty());
    }

    #[test]
    fn wider_scopes_report_each_step_back_without_a_fix() {
        let text = note();
        let times = |ds: &[Diagnostic]| -> Vec<String> {
            ds.iter()
                .map(|d| {
                    assert!(d.fix.is_none());
                    text[d.range.clone()].to_string()
                })
                .collect()
        };
        // Paragraph: only 00:04:00 steps back inside its paragraph.
        let p = findings(&text, OrderScope::Paragraph);
        assert_eq!(times(&p), [cite("00:04:00")]);
        assert!(p[0].message.contains("paragraph"));
        // Section: 00:04:00 and 00:03:00 (section One); 00:01:00 starts section Two.
        let s = findings(&text, OrderScope::Section);
        assert_eq!(times(&s), [cite("00:04:00"), cite("00:03:00")]);
        // Document: every step back.
        let d = findings(&text, OrderScope::Document);
        assert_eq!(
            times(&d),
            [cite("00:04:00"), cite("00:03:00"), cite("00:01:00")]
        );
    }

    #[test]
    fn group_fix_swaps_tags_and_keeps_separators() {
        let text = format!(
            "Claim {}; {},\n{}.",
            cite("00:09:00"),
            cite("00:01:00"),
            cite("00:05:00")
        );
        let ds = findings(&text, OrderScope::Group);
        assert_eq!(ds.len(), 1);
        let fix = ds[0].fix.as_ref().expect("fix");
        let fixed = crate::fix::apply_edits(&text, &fix.edits);
        assert_eq!(
            fixed,
            format!(
                "Claim {}; {},\n{}.",
                cite("00:01:00"),
                cite("00:05:00"),
                cite("00:09:00")
            )
        );
    }
}
