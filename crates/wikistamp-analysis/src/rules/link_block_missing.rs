use crate::diagnostic::{Diagnostic, Fix, TextEdit};
use crate::rules::{declare_rule, Context, Rule, RuleMeta, Sink};
use crate::suggest;
use crate::syntax::block_ids;

declare_rule! {
    /// ## What it finds
    /// A block reference, `[[note#^id]]` or `![[note#^id]]` (or `[[#^id]]` in the same note),
    /// where the note has no block `^id`. A block's id is the `^id` Obsidian writes at the end
    /// of a paragraph or list item (after a space), or alone on the line after a block; ids are
    /// compared ignoring case. Code and comments hold no block ids. Markdown links
    /// (`[text](note.md#^id)`) and property links are checked alike (see `link-broken`).
    ///
    /// ## Why it matters
    /// Obsidian opens the note at its top, and an embed of the block shows an error instead of
    /// the quoted passage: the quote the author meant is gone.
    ///
    /// ## Example
    /// ```markdown
    /// As said in [[scaling_laws#^chinchila]].
    /// ```
    /// where `scaling_laws.md` has `Compute-optimal training. ^chinchilla`. Use instead:
    /// ```markdown
    /// As said in [[scaling_laws#^chinchilla]].
    /// ```
    ///
    /// ## Fix
    /// Unsafe, when one block id is clearly the closest: the id is replaced by it.
    pub struct LinkBlockMissing { family: Link, severity: Warning, fix: Sometimes }
}

impl Rule for LinkBlockMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink) {
        let mut own: Option<Vec<String>> = None;
        for (i, link) in ctx.note.links.iter().enumerate() {
            let Some(fragment_range) = &link.fragment else {
                continue;
            };
            if !ctx.sees(link) {
                continue;
            }
            let fragment = link.read(ctx.text, fragment_range);
            let fragment = fragment.as_ref();
            // In `#Heading#^id` the block is the last part.
            let last = fragment.rsplit('#').next().unwrap_or(fragment);
            let Some(wanted) = last.strip_prefix('^') else {
                continue;
            };
            let target = link.read(ctx.text, &link.target);
            // The ids of the note linked to; of each candidate of an ambiguous target.
            let ids: Vec<&String> = if target.is_empty() {
                own.get_or_insert_with(|| {
                    block_ids(ctx.text, ctx.note)
                        .into_iter()
                        .map(|r| ctx.slice(&r).to_string())
                        .collect()
                })
                .iter()
                .collect()
            } else {
                let candidates = ctx.link_candidates(i);
                if candidates.is_empty() {
                    continue;
                }
                candidates
                    .iter()
                    .filter_map(|&id| ctx.vault.entry(id))
                    .flat_map(|e| e.anchors.block_ids())
                    .collect()
            };
            if ids.iter().any(|id| id.eq_ignore_ascii_case(wanted)) {
                continue;
            }
            let message = if target.is_empty() {
                format!("this note has no block `^{wanted}`")
            } else {
                format!("`{target}` has no block `^{wanted}`")
            };
            // Where the id is written; in a percent-encoded fragment, the whole fragment.
            let raw = ctx.slice(fragment_range);
            let id_range = if raw == fragment {
                fragment_range.end - wanted.len()..fragment_range.end
            } else {
                fragment_range.clone()
            };
            let mut d = Diagnostic::new(Self::META.id, id_range.clone(), message);
            // Block ids are compared as headings are: case ignored, the closest clearly first.
            if let Some(best) = suggest::closest_heading(wanted, ids.iter().map(|id| id.as_str())) {
                d = d.with_help(suggest::did_you_mean(&format!("^{best}")));
                d = d.with_fix(Fix::unsafe_(
                    format!("Link to block `^{best}`"),
                    vec![TextEdit::replace(
                        id_range,
                        if raw == fragment {
                            link.write(best).into_owned()
                        } else {
                            let before = &fragment[..fragment.len() - wanted.len()];
                            link.write(&format!("{before}{best}")).into_owned()
                        },
                    )],
                ));
            }
            sink.push(d);
        }
    }
}
