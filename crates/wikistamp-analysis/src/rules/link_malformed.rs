use crate::diagnostic::Diagnostic;
use crate::rules::{declare_rule, Context, Rule, RuleMeta, Sink};
use crate::syntax::LinkProblem;

declare_rule! {
    /// ## What it finds
    /// A wiki-link that is not well formed: `[[` with no `]]` on the same line, a link broken
    /// across lines, an empty target (`[[]]`, `[[|alias]]`, `[[ #]]`).
    ///
    /// ## Why it matters
    /// Obsidian and Quartz render these as literal brackets, and the note they meant to link
    /// is not linked.
    ///
    /// ## Example
    /// ```markdown
    /// See [[scaling_laws | scaling for details.
    /// ```
    /// Use instead:
    /// ```markdown
    /// See [[scaling_laws | scaling]] for details.
    /// ```
    ///
    /// ## Fix
    /// None: where the link should end is for the author to say.
    pub struct LinkMalformed { family: Link, severity: Error, fix: None }
}

impl Rule for LinkMalformed {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink) {
        for m in &ctx.note.malformed_links {
            let message = match m.problem {
                LinkProblem::Unclosed => "`[[` is never closed with `]]` on this line",
                LinkProblem::Newline => "wiki-link is broken across lines",
            };
            // Point at the opening brackets (with an embed's `!`): the rest of the line is not
            // part of the link.
            let width = if ctx.text[m.range.clone()].starts_with('!') {
                3
            } else {
                2
            };
            let open = m.range.start..(m.range.start + width).min(m.range.end);
            sink.push(Diagnostic::new(Self::META.id, open, message));
        }
        for link in &ctx.note.links {
            if link.target.is_empty() && link.fragment.as_ref().is_none_or(|f| f.is_empty()) {
                sink.push(Diagnostic::new(
                    Self::META.id,
                    link.range.clone(),
                    "wiki-link has an empty target",
                ));
            }
        }
    }
}
