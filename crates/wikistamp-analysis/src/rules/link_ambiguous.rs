use crate::diagnostic::Diagnostic;
use crate::rules::{declare_rule, Context, Rule, RuleMeta, Sink};
use crate::vault::Resolution;

declare_rule! {
    /// ## What it finds
    /// A wiki-link whose target matches several notes (two files of the same name in
    /// different folders, or names that differ only by case) and none is written exactly as
    /// the link.
    ///
    /// ## Why it matters
    /// Which note the link opens depends on the tool: Obsidian, Quartz and a language server
    /// may each pick a different one.
    ///
    /// ## Example
    /// ```markdown
    /// See [[overview]].
    /// ```
    /// with `talks/overview.md` and `papers/overview.md` in the vault. Use instead:
    /// ```markdown
    /// See [[talks/overview]].
    /// ```
    ///
    /// ## Fix
    /// None: only the author knows which note is meant.
    pub struct LinkAmbiguous { family: Link, severity: Warning, fix: None }
}

impl Rule for LinkAmbiguous {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink) {
        for (i, link) in ctx.note.links.iter().enumerate() {
            if let Some(Resolution::Ambiguous(ids)) = ctx.link_resolution(i) {
                let target = ctx.slice(&link.target);
                let paths: Vec<String> = ids
                    .iter()
                    .filter_map(|&id| ctx.vault.entry(id))
                    .map(|e| format!("`{}`", e.path))
                    .collect();
                sink.push(
                    Diagnostic::new(
                        Self::META.id,
                        link.target.clone(),
                        format!("`{target}` matches {} notes", paths.len()),
                    )
                    .with_help(format!(
                        "write the path of the one you mean: {}",
                        paths.join(", ")
                    )),
                );
            }
        }
    }
}
