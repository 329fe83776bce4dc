use crate::diagnostic::Diagnostic;
use crate::rule_id::RuleId;
use crate::rules::{declare_rule, Context, Rule, RuleMeta, Sink};
use crate::suggest;

declare_rule! {
    /// ## What it finds
    /// A suppression comment (`<!-- wikistamp-disable-next-line RULE -->`,
    /// `<!-- wikistamp-disable RULE -->`, `<!-- wikistamp-enable RULE -->`) or a frontmatter
    /// `wikistamp-disable` list that names a rule that does not exist.
    ///
    /// ## Why it matters
    /// A misspelt rule id suppresses nothing, so the finding it was meant to silence stays, and
    /// the comment misleads the next reader.
    ///
    /// ## Example
    /// ```markdown
    /// <!-- wikistamp-disable-next-line link-brokn -->
    /// ```
    /// Use instead:
    /// ```markdown
    /// <!-- wikistamp-disable-next-line link-broken -->
    /// ```
    ///
    /// ## Fix
    /// None.
    pub struct SuppressionUnknownRule { family: Meta, severity: Warning, fix: None }
}

impl Rule for SuppressionUnknownRule {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink) {
        let comment_ids = ctx
            .note
            .suppressions
            .iter()
            .flat_map(|s| s.rules.iter().cloned());
        let fm_ids = ctx.note.frontmatter.iter().flat_map(|f| {
            f.disabled_rules
                .iter()
                .map(|v| (v.value.clone(), v.range.clone()))
        });
        for (rule, range) in comment_ids.chain(fm_ids) {
            if rule.parse::<RuleId>().is_ok() {
                continue;
            }
            let mut d = Diagnostic::new(Self::META.id, range, format!("unknown rule `{rule}`"));
            if let Some(best) = suggest::closest_rule_id(&rule) {
                d = d.with_help(suggest::did_you_mean(best.as_str()));
            }
            sink.push(d);
        }
    }
}
