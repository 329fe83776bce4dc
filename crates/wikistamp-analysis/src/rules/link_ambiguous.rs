use crate::diagnostic::Diagnostic;
use crate::rules::{declare_rule, Context, Rule, RuleMeta, Sink};
use crate::vault::Resolution;

declare_rule! {
    /// ## What it finds
    /// A wiki-link whose target matches several notes (two files of the same name in
    /// different folders, or names that differ only by case) and the vault's app does not
    /// pick one. Obsidian picks the note at that exact path from the root, else the one in the
    /// linking note's folder, else the one with the shortest path: only a tie is ambiguous.
    /// Quartz picks the note at that path from the root, else links to a page that does not
    /// exist. Among notes whose names differ only by case, one written exactly as the link
    /// wins. Markdown links to notes and property links are checked alike (see `link-broken`).
    ///
    /// ## Why it matters
    /// The link opens a note the author may not have meant (Obsidian's pick among equally
    /// short paths), or a missing page (Quartz); other tools may each pick a different one.
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
                let target = link.read(ctx.text, &link.target);
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
