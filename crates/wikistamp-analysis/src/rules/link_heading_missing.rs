use crate::diagnostic::{Diagnostic, Fix, TextEdit};
use crate::rules::{declare_rule, Context, Rule, RuleMeta, Sink};
use crate::suggest;
use crate::text::loose_key;
use crate::vault::{NoteId, Resolution};

declare_rule! {
    /// ## What it finds
    /// A wiki-link to a heading, `[[note#Heading]]` (or `[[#Heading]]` in the same note), where
    /// the note has no such heading. Headings are compared ignoring case, spaces and
    /// punctuation, as slugs are.
    ///
    /// ## Why it matters
    /// The link opens the note at its top instead of the section the author cited.
    ///
    /// ## Example
    /// ```markdown
    /// See [[scaling_laws#Chinchila]].
    /// ```
    /// where `scaling_laws.md` has `## Chinchilla`. Use instead:
    /// ```markdown
    /// See [[scaling_laws#Chinchilla]].
    /// ```
    ///
    /// ## Fix
    /// Unsafe, when one heading is clearly the closest: the fragment is replaced by it.
    pub struct LinkHeadingMissing { family: Link, severity: Warning, fix: Sometimes }
}

/// The notes whose anchors a check of `note` reads: those its `[[note#Heading]]` and
/// `[[note#^block]]` links lead to. A check whose vault does not know every note's anchors
/// learns these first ([`crate::vault::Vault::learn_anchors`]; `wikistamp_workspace::Checker`
/// does it).
pub fn fragment_link_targets(ctx: &Context<'_>) -> Vec<NoteId> {
    let mut ids = Vec::new();
    for (i, link) in ctx.note.links.iter().enumerate() {
        if link.fragment.is_none() {
            continue;
        }
        if let Some(&Resolution::Note(id)) = ctx.link_resolution(i) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids
}

impl Rule for LinkHeadingMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink) {
        for (i, link) in ctx.note.links.iter().enumerate() {
            let Some(fragment_range) = &link.fragment else {
                continue;
            };
            let fragment = ctx.slice(fragment_range);
            // `#^block-id` (or `#Heading#^block-id`) is a block reference, `link-block-missing`'s;
            // `[[note#]]` names none.
            let last = fragment.rsplit('#').next().unwrap_or(fragment);
            if fragment.is_empty() || last.starts_with('^') {
                continue;
            }
            let target = ctx.slice(&link.target);
            let own: Vec<String>;
            let headings: &[String] = if target.is_empty() {
                own = ctx
                    .note
                    .headings
                    .iter()
                    .map(|h| ctx.slice(&h.text).to_string())
                    .collect();
                &own
            } else {
                match ctx.link_resolution(i) {
                    Some(&Resolution::Note(id)) => match ctx.vault.entry(id) {
                        Some(e) => e.anchors.headings(),
                        None => continue,
                    },
                    _ => continue,
                }
            };
            // Obsidian allows `#Outer#Inner`: the last heading is the one linked.
            let wanted = fragment.rsplit('#').next().unwrap_or(fragment);
            let key = loose_key(wanted);
            if headings.iter().any(|h| loose_key(h) == key) {
                continue;
            }
            let message = if target.is_empty() {
                format!("this note has no heading `{wanted}`")
            } else {
                format!("`{target}` has no heading `{wanted}`")
            };
            let mut d = Diagnostic::new(Self::META.id, fragment_range.clone(), message);
            let best = suggest::closest_heading(wanted, headings.iter().map(String::as_str));
            if let Some(best) = best {
                d = d.with_help(suggest::did_you_mean(best));
            }
            // A heading holding `]]`, `|`, `#`... cannot be written inside the link: replacing
            // the fragment with it would break the link (and the fix would never converge).
            let writable = |h: &&str| !h.contains(['[', ']', '|', '#', '^', '\n', '\r']);
            if let Some(best) = best.filter(writable) {
                d = d.with_fix(Fix::unsafe_(
                    format!("Link to heading `{best}`"),
                    vec![TextEdit::replace(fragment_range.clone(), best)],
                ));
            }
            sink.push(d);
        }
    }
}
