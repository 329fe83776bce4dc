use crate::config::Flavor;
use crate::diagnostic::{Diagnostic, Fix, TextEdit};
use crate::rules::{declare_rule, Context, Rule, RuleMeta, Sink};
use crate::suggest;
use crate::vault::NoteId;

declare_rule! {
    /// ## What it finds
    /// A wiki-link to a heading, `[[note#Heading]]` (or `[[#Heading]]` in the same note), where
    /// the note has no such heading. Headings are compared as the vault's app compares them:
    /// - Obsidian: ignoring case, with `#`, `|`, `^`, `:`, `%`, `[`, `]` and `\` read as
    ///   spaces and runs of spaces as one (Obsidian writes `[[note#Q A]]` for `## Q: A`);
    /// - Quartz: by the slug github-slugger makes of each (lowercase, punctuation dropped,
    ///   each space a `-`), the `id` the heading gets and the `#anchor` the link gets.
    ///
    /// So `[[note#HeadingOne]]` does not reach `## Heading One` in either. A nested link
    /// `[[note#Part#Section]]` needs every level, in order. A Markdown link's fragment
    /// (`[text](note.md#Heading%20one)`) is read percent-decoded, and property links are checked
    /// alike (see `link-broken`).
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
    /// Unsafe, when one heading is clearly the closest: the fragment (or the level of a nested
    /// one that is missing) is replaced by it, written as Obsidian writes it in a link
    /// (`Q3: launch` → `Q3 launch`). A heading holding every word written in the
    /// link is preferred to one merely spelt alike. In a Markdown link it is written
    /// percent-encoded (the whole fragment is replaced when it was encoded).
    pub struct LinkHeadingMissing { family: Link, severity: Warning, fix: Sometimes }
}

/// The notes whose anchors a check of `note` reads: those its `[[note#Heading]]` and
/// `[[note#^block]]` links lead to (each candidate of an ambiguous one). A check whose vault
/// does not know every note's anchors learns these first
/// ([`crate::vault::Vault::learn_anchors`]; `wikistamp_workspace::Checker` does it).
pub fn fragment_link_targets(ctx: &Context<'_>) -> Vec<NoteId> {
    let mut ids = Vec::new();
    for (i, link) in ctx.note.links.iter().enumerate() {
        if link.fragment.is_none() {
            continue;
        }
        for &id in ctx.link_candidates(i) {
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
            if !ctx.sees(link) {
                continue;
            }
            let fragment = link.read(ctx.text, fragment_range);
            let fragment = fragment.as_ref();
            // A percent-encoded fragment's levels are not where they are written: it is then
            // reported, and fixed, whole.
            let encoded = ctx.slice(fragment_range) != fragment;
            // `#^block-id` (or `#Heading#^block-id`) is a block reference, `link-block-missing`'s;
            // `[[note#]]` names none.
            let last = fragment.rsplit('#').next().unwrap_or(fragment);
            if fragment.is_empty() || last.starts_with('^') {
                continue;
            }
            let target = link.read(ctx.text, &link.target);
            let own: Vec<String>;
            // The headings of the note linked to; of each candidate when the target is
            // ambiguous (a heading none of them has is missing whichever one opens).
            let candidates: Vec<&[String]> = if target.is_empty() {
                own = ctx
                    .note
                    .headings
                    .iter()
                    .map(|h| ctx.slice(&h.text).to_string())
                    .collect();
                vec![&own[..]]
            } else {
                let candidates = ctx.link_candidates(i);
                if candidates.is_empty() {
                    continue;
                }
                candidates
                    .iter()
                    .filter_map(|&id| ctx.vault.entry(id))
                    .map(|e| e.anchors.headings())
                    .collect()
            };
            let flavor = ctx.config.flavor();
            let missing: Vec<_> = candidates
                .iter()
                .map(|headings| missing_level(flavor, headings, fragment))
                .collect();
            if missing.iter().any(Option::is_none) {
                continue;
            }
            let Some(Some((wanted, range))) = missing.into_iter().next() else {
                continue;
            };
            let headings: Vec<&str> = candidates
                .iter()
                .flat_map(|h| h.iter().map(String::as_str))
                .collect();
            let wanted = wanted.trim();
            let message = if target.is_empty() {
                format!("this note has no heading `{wanted}`")
            } else {
                format!("`{target}` has no heading `{wanted}`")
            };
            let mut d = Diagnostic::new(Self::META.id, fragment_range.clone(), message);
            let best = suggest::closest_heading(wanted, headings.iter().copied());
            if let Some(best) = best {
                d = d.with_help(suggest::did_you_mean(best));
            }
            // A heading holding `]]`, `|`, `#`... cannot be written inside the link as it is:
            // Obsidian writes those characters as spaces (and matches them so); in Quartz,
            // replacing the fragment with it would break the link.
            let written = best.and_then(|best| match flavor {
                Flavor::Obsidian => Some(obsidian_link_text(best)),
                Flavor::Quartz => (!best.contains(['[', ']', '|', '#', '^', '\n', '\r']))
                    .then(|| best.to_string()),
            });
            if let Some(written) = written.filter(|w| !w.is_empty()) {
                let edit = if encoded {
                    let whole = format!(
                        "{}{written}{}",
                        &fragment[..range.start],
                        &fragment[range.end..]
                    );
                    TextEdit::replace(fragment_range.clone(), link.write(&whole).into_owned())
                } else {
                    let at = fragment_range.start;
                    TextEdit::replace(
                        at + range.start..at + range.end,
                        link.write(&written).into_owned(),
                    )
                };
                d = d.with_fix(Fix::unsafe_(
                    format!("Link to heading `{written}`"),
                    vec![edit],
                ));
            }
            sink.push(d);
        }
    }
}

/// The first level of `fragment` (`Part#Section`) that `headings` lack, with its range in
/// `fragment`: each level names a heading after the one before it.
fn missing_level<'f>(
    flavor: Flavor,
    headings: &[String],
    fragment: &'f str,
) -> Option<(&'f str, std::ops::Range<usize>)> {
    let keys: Vec<String> = headings.iter().map(|h| heading_key(flavor, h)).collect();
    let mut after = 0;
    let mut level_start = 0;
    for level in fragment.split('#') {
        let range = level_start..level_start + level.len();
        level_start = range.end + 1;
        if level.trim().is_empty() {
            continue;
        }
        let key = heading_key(flavor, level);
        match keys[after..].iter().position(|k| *k == key) {
            Some(j) => after += j + 1,
            None => return Some((level, range)),
        }
    }
    None
}

/// A heading as Obsidian writes it in a link: the characters a link cannot hold
/// (`#|^:%[]\`, and line breaks) as spaces, runs of spaces as one.
fn obsidian_link_text(heading: &str) -> String {
    heading
        .split(|c: char| OBSIDIAN_STRIPPED.contains(&c) || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The characters Obsidian reads as spaces when it compares a heading with a link.
const OBSIDIAN_STRIPPED: &[char] = &['#', '|', '^', ':', '%', '[', ']', '\\'];

/// The key under which `flavor`'s app compares a heading with a link's fragment (see the
/// rule's docs).
pub fn heading_key(flavor: Flavor, text: &str) -> String {
    match flavor {
        Flavor::Obsidian => obsidian_link_text(text).to_lowercase(),
        Flavor::Quartz => github_slug(text),
    }
}

/// github-slugger's slug of `text` (Quartz's heading ids and anchors): lowercase, without
/// punctuation and symbols, each space a `-`. Letters, digits, combining marks, `-` and `_`
/// stay.
fn github_slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().to_lowercase().chars() {
        if c == ' ' {
            out.push('-');
        } else if c.is_alphanumeric() || c == '-' || c == '_' || is_combining_mark(c) {
            out.push(c);
        }
    }
    out
}

/// Combining marks of the common blocks (github-slugger keeps marks).
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn obsidian_keys() {
        let k = |s| heading_key(Flavor::Obsidian, s);
        assert_eq!(k("Heading One"), k("heading  one"));
        assert_ne!(k("Heading One"), k("HeadingOne"));
        assert_eq!(k("Q: What?"), k("Q What?"));
        assert_eq!(k("100% sure"), k("100 sure"));
        assert_ne!(k("Don't"), k("Dont"));
    }

    #[test]
    fn quartz_slugs() {
        assert_eq!(github_slug("Heading One"), "heading-one");
        assert_eq!(github_slug("Q: What's new?"), "q-whats-new");
        assert_eq!(github_slug("Café & crème"), "café--crème");
        assert_eq!(github_slug("snake_case-and-kebab"), "snake_case-and-kebab");
        assert_ne!(github_slug("HeadingOne"), github_slug("Heading One"));
    }
}
