use crate::diagnostic::{Diagnostic, Fix, TextEdit};
use crate::rules::{declare_rule, Context, Rule, RuleMeta, Sink};
use crate::suggest;
use crate::syntax::BlockKind;
use crate::vault::Resolution;

declare_rule! {
    /// ## What it finds
    /// A wiki-link whose target names no note in the vault: no file name, path or frontmatter
    /// `aliases` entry matches it (case-insensitively, ignoring a `.md` suffix).
    ///
    /// ## Why it matters
    /// A broken link renders as a dead link or a "page not found". In generated vaults most
    /// broken links name a real note with different case, spaces or punctuation.
    ///
    /// ## Example
    /// ```markdown
    /// The talk covers [[Scaling Laws | scaling]].
    /// ```
    /// where the vault holds `scaling_laws.md`. Use instead:
    /// ```markdown
    /// The talk covers [[scaling_laws | scaling]].
    /// ```
    ///
    /// ## Fix
    /// Safe, when exactly one note matches after ignoring case, spaces, `_`/`-` and punctuation:
    /// the target is replaced by that note's name. A link without an alias gets the old target as
    /// its alias, so the rendered text stays the same.
    pub struct LinkBroken { family: Link, severity: Error, fix: Sometimes }
}

impl Rule for LinkBroken {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink) {
        for (i, link) in ctx.note.links.iter().enumerate() {
            // An empty target names this note.
            if ctx.link_resolution(i) != Some(&Resolution::NotFound) {
                continue;
            }
            let target = ctx.slice(&link.target);
            let mut d = Diagnostic::new(
                Self::META.id,
                link.target.clone(),
                format!("`{target}` links to no note"),
            );
            let mut names = ctx
                .vault
                .loose_matches(target)
                .iter()
                .filter_map(|&id| ctx.vault.entry(id))
                .map(|e| e.name.as_str());
            match (names.next(), names.next()) {
                (Some(name), None) => {
                    d = d.with_help(suggest::did_you_mean(name));
                    let new_text = if link.alias.is_none() && link.fragment.is_none() {
                        let in_table = ctx.note.blocks.iter().any(|b| {
                            b.kind == BlockKind::Table
                                && b.range.start <= link.range.start
                                && link.range.end <= b.range.end
                        });
                        let pipe = if in_table { "\\|" } else { "|" };
                        format!("{name}{pipe}{target}")
                    } else {
                        name.to_string()
                    };
                    let edits = vec![TextEdit::replace(link.target.clone(), new_text)];
                    d = d.with_fix(Fix::safe(format!("Link to `{name}`"), edits));
                }
                (Some(first), Some(second)) => {
                    let close: Vec<String> = [first, second]
                        .into_iter()
                        .chain(names.take(3))
                        .map(|n| format!("`{n}`"))
                        .collect();
                    d = d.with_help(format!("several notes are close: {}", close.join(", ")));
                }
                _ => {
                    if looks_like_time(target) {
                        d = d.with_help(
                            "this is a time, not a note: cite it as <a class=\"yt-timestamp\" data-t=\"HH:MM:SS\">[HH:MM:SS]</a>",
                        );
                    }
                }
            }
            sink.push(d);
        }
    }
}

fn looks_like_time(s: &str) -> bool {
    s.contains(':') && s.bytes().all(|b| b.is_ascii_digit() || b == b':')
}
