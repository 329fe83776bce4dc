use crate::diagnostic::{Diagnostic, Fix, TextEdit};
use crate::rules::{declare_rule, Context, Rule, RuleMeta, Sink};
use crate::syntax::format_hms;

declare_rule! {
    /// ## What it finds
    /// The same time cited twice in one citation group (citations separated only by spaces,
    /// `,` or `;`), such as `<a …>[00:01:10]</a>, <a …>[00:01:10]</a>`. Times are compared by
    /// value, so `00:01:10` and `0:01:10` are the same.
    ///
    /// ## Why it matters
    /// The repeat adds nothing for the reader and usually stands where a different moment
    /// was meant, or is left over from merging two claims.
    ///
    /// ## Example
    /// ```markdown
    /// Churn fell <a class="yt-timestamp" data-t="00:01:10">[00:01:10]</a>, <a class="yt-timestamp" data-t="00:01:10">[00:01:10]</a>.
    /// ```
    /// Use instead:
    /// ```markdown
    /// Churn fell <a class="yt-timestamp" data-t="00:01:10">[00:01:10]</a>.
    /// ```
    ///
    /// ## Fix
    /// Safe: the repeated citation is removed with the separator before it.
    pub struct TimestampDuplicate { family: Timestamp, severity: Warning, fix: Always }
}

impl Rule for TimestampDuplicate {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink) {
        let cites = &ctx.note.citations;
        for g in ctx.citation_groups() {
            let group = &cites[g.clone()];
            for (k, c) in group.iter().enumerate().skip(1) {
                let Ok(t) = &c.time else { continue };
                let Some(first) = group[..k]
                    .iter()
                    .find(|p| p.time.as_ref().is_ok_and(|pt| pt.seconds == t.seconds))
                else {
                    continue;
                };
                let prev = &group[k - 1];
                sink.push(
                    Diagnostic::new(
                        Self::META.id,
                        c.range.clone(),
                        format!(
                            "`{}` is cited twice in this citation group",
                            format_hms(t.seconds)
                        ),
                    )
                    .with_related(first.range.clone(), "first cited here")
                    .with_fix(Fix::safe(
                        "Remove the repeated citation",
                        vec![TextEdit::delete(prev.range.end..c.range.end)],
                    )),
                );
            }
        }
    }
}
