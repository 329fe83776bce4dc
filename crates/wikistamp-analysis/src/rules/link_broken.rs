use crate::diagnostic::{Diagnostic, Fix, TextEdit};
use crate::rules::{declare_rule, Context, Rule, RuleMeta, Sink};
use crate::suggest;
use crate::syntax::BlockKind;
use crate::vault::{NoteId, Resolution};

/// How many recent broken targets keep their loose matches (see [`LinkBroken::check`]).
const RECENT: usize = 8;

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
        // The loose matches of the last few broken targets: a note repeats its broken links
        // (a third of them repeat one of the last eight), and a repeated target is not looked
        // up again.
        let mut recent: [(&str, &[NoteId]); RECENT] = [("", &[]); RECENT];
        let mut next = 0;
        for (i, link) in ctx.note.links.iter().enumerate() {
            // An empty target names this note.
            if ctx.link_resolution(i) != Some(&Resolution::NotFound) {
                continue;
            }
            let target = ctx.slice(&link.target);
            let mut d = Diagnostic::new(
                Self::META.id,
                link.target.clone(),
                cat(&["`", target, "` links to no note"]),
            );
            let matches = match recent.iter().find(|(t, _)| *t == target) {
                Some(&(_, m)) => m,
                None => {
                    let m = ctx.vault.loose_matches(target);
                    recent[next % RECENT] = (target, m);
                    next += 1;
                    m
                }
            };
            let mut names = matches
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
                        cat(&[name, pipe, target])
                    } else {
                        name.to_string()
                    };
                    let edits = vec![TextEdit::replace(link.target.clone(), new_text)];
                    d = d.with_fix(Fix::safe(cat(&["Link to `", name, "`"]), edits));
                }
                (Some(first), Some(second)) => {
                    let mut help = String::with_capacity(64);
                    help.push_str("several notes are close: ");
                    for (k, n) in [first, second].into_iter().chain(names.take(3)).enumerate() {
                        if k > 0 {
                            help.push_str(", ");
                        }
                        help.push('`');
                        help.push_str(n);
                        help.push('`');
                    }
                    d = d.with_help(help);
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

/// `parts.concat()`, with one allocation of the exact size and plain copies (a finding's
/// strings are built for every broken link, a third of the links in a generated vault).
fn cat(parts: &[&str]) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        s.push_str(p);
    }
    s
}

fn looks_like_time(s: &str) -> bool {
    s.contains(':') && s.bytes().all(|b| b.is_ascii_digit() || b == b':')
}

#[cfg(test)]
mod tests {
    use super::cat;
    use crate::config::Config;
    use crate::diagnostic::Diagnostic;
    use crate::rules::{Context, Rule, Sink};
    use crate::vault::{NoteEntry, Vault};

    fn check(text: &str, vault: &Vault, config: &Config) -> Vec<Diagnostic> {
        let note = crate::syntax::parse(text);
        let ctx = Context::new(text, &note, "n.md", vault, config);
        let mut sink = Sink::default();
        super::LinkBroken.check(&ctx, &mut sink);
        sink.diagnostics
    }

    proptest::proptest! {
        /// Each finding of a note with repeated broken links is the finding of its link alone
        /// (at the same offset, the other links blanked out): reusing a recent target's loose
        /// matches changes nothing.
        #[test]
        fn repeated_targets_are_reported_as_alone(
            targets in proptest::collection::vec(proptest::sample::select(&[
                "Scaling Laws", "scaling laws", "scaling-laws!", "Foo Bar", "foo bar", "gone",
                "Gone", "00:01:02", "n", "scaling_laws", "Scaling Laws|alias", "Foo Bar#h",
            ][..]), 0..30)
        ) {
            let config = Config::default();
            let mut vault = Vault::new(&config.links);
            for path in ["scaling_laws.md", "n.md", "x/foo_bar.md", "y/foo-bar.md"] {
                vault.upsert(NoteEntry::from_frontmatter(path, None));
            }
            let links: Vec<String> = targets.iter().map(|t| format!("[[{t}]]")).collect();
            let text = links.join(" ");
            let found = check(&text, &vault, &config);
            let mut alone = Vec::new();
            for k in 0..links.len() {
                let blanked: Vec<String> = links
                    .iter()
                    .enumerate()
                    .map(|(j, l)| if j == k { l.clone() } else { "x".repeat(l.len()) })
                    .collect();
                alone.extend(check(&blanked.join(" "), &vault, &config));
            }
            proptest::prop_assert_eq!(found, alone);
        }
    }

    #[test]
    fn cat_is_concat() {
        for parts in [
            &[][..],
            &["", ""][..],
            &["`", "Scaling Laws", "` links to no note"][..],
            &["a", "\\|", "ünï", ""][..],
        ] {
            assert_eq!(cat(parts), parts.concat());
        }
    }
}
