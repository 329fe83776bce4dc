use crate::diagnostic::{Diagnostic, Fix, TextEdit};
use crate::rules::{declare_rule, Context, Rule, RuleMeta, Sink};
use crate::suggest;
use crate::syntax::BlockKind;
use crate::vault::{strip_md, NoteEntry, Resolution};

declare_rule! {
    /// ## What it finds
    /// A wiki-link whose target names no note in the vault: no file name or path matches it
    /// (case-insensitively, ignoring a `.md` suffix), nor, in the Quartz flavor, a frontmatter
    /// `aliases` entry. Obsidian does not resolve `[[alias]]` (it writes `[[Name|alias]]`), so
    /// in the Obsidian flavor a link to an alias alone is broken. A target with a file
    /// extension (`![[chart.png]]`) names a file: the message says so.
    ///
    /// Links the apps see beside wiki-links are checked alike, here and by the other link
    /// rules:
    /// - Markdown links to notes and files, `[text](Note%20name.md)`, `[text](<Note name.md>)`,
    ///   `[text](Note%20name.md#Heading)`, `![alt](chart.png)`: the destination is read
    ///   percent-decoded, with or without `.md`, and resolved as a wiki-link's target. A
    ///   destination with a scheme (`https:`, `mailto:`) or `//` is a URL, and one that is only
    ///   `#fragment` names a heading of the same note: neither is checked. Reference links
    ///   (`[text][ref]`) are not read.
    /// - Wiki-links that are a whole quoted value or list item of a frontmatter property
    ///   (`related: "[[Note]]"`, `- "[[Note]]"`), except under `title` and `aliases`: in the
    ///   Obsidian flavor, since Quartz reads no links in the frontmatter.
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
    /// its alias, so the rendered text stays the same. A target written with a folder
    /// (`[[other/Projets]]`) keeps it: the fix is safe only when the note is in that folder,
    /// and unsafe when it would move the link to another one. In the Obsidian flavor a link to
    /// the alias of exactly one note gets a safe fix to `[[Name|alias]]`. A Markdown link keeps
    /// its text and its `.md`, and gets the name percent-encoded (`Note%20name.md`), or as it is
    /// between `<…>`.
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
            let target = link.read(ctx.text, &link.target);
            let target = target.as_ref();
            let what = if names_a_file(target) { "file" } else { "note" };
            let mut d = Diagnostic::new(
                Self::META.id,
                link.target.clone(),
                format!("`{target}` links to no {what}"),
            );
            // The old target as the alias, when the link has none: the text reads the same. A
            // Markdown link keeps its text, and its `.md` when it had one, and writes the name
            // percent-encoded (or as it is between `<>`).
            let with_alias = |name: &str| {
                if !link.is_wiki() {
                    let ext = target
                        .get(target.len().saturating_sub(3)..)
                        .filter(|e| e.eq_ignore_ascii_case(".md"))
                        .unwrap_or("");
                    link.write(&format!("{name}{ext}")).into_owned()
                } else if link.alias.is_none() && link.fragment.is_none() {
                    let in_table = ctx.note.blocks.iter().any(|b| {
                        b.kind == BlockKind::Table
                            && b.range.start <= link.range.start
                            && link.range.end <= b.range.end
                    });
                    let pipe = if in_table { "\\|" } else { "|" };
                    format!("{name}{pipe}{target}")
                } else {
                    name.to_string()
                }
            };
            let owners: Vec<&NoteEntry> = ctx
                .vault
                .alias_owners(target)
                .iter()
                .filter_map(|&id| ctx.vault.entry(id))
                .collect();
            if let [owner] = owners[..] {
                let name = owner.name.as_str();
                d = d.with_help(format!(
                    "`{target}` is an alias of `{name}`; Obsidian does not resolve aliases in links"
                ));
                let edits = vec![TextEdit::replace(link.target.clone(), with_alias(name))];
                d = d.with_fix(Fix::safe(format!("Link to `{name}`"), edits));
                sink.push(d);
                continue;
            }
            let mut names = ctx
                .vault
                .loose_matches(target)
                .iter()
                .filter_map(|&id| ctx.vault.entry(id));
            match (names.next(), names.next()) {
                (Some(note), None) => {
                    let name = note.name.as_str();
                    // A folder written in the link stays: the fix changes the name only, and
                    // is safe only when the note is in that folder.
                    let (new_target, safe) = match written_folder(target) {
                        None => (name.to_string(), true),
                        Some(folder) => {
                            let at = strip_md(&note.path);
                            let in_folder = at
                                .rsplit_once('/')
                                .is_some_and(|(dir, _)| ends_with_folder(dir, folder));
                            if in_folder {
                                (format!("{folder}/{name}"), true)
                            } else {
                                (at.to_string(), false)
                            }
                        }
                    };
                    d = d.with_help(suggest::did_you_mean(&new_target));
                    let edits = vec![TextEdit::replace(
                        link.target.clone(),
                        with_alias(&new_target),
                    )];
                    let title = format!("Link to `{new_target}`");
                    d = d.with_fix(if safe {
                        Fix::safe(title, edits)
                    } else {
                        Fix::unsafe_(title, edits)
                    });
                }
                (Some(first), Some(second)) => {
                    let close: Vec<String> = [first, second]
                        .into_iter()
                        .chain(names.take(3))
                        .map(|n| format!("`{}`", n.name))
                        .collect();
                    d = d.with_help(format!("several notes are close: {}", close.join(", ")));
                }
                _ => {
                    // `[00:01:19](00:01:19)`, `[00:01:19](<a class="yt-timestamp" …>)`: a
                    // citation written as a Markdown link.
                    if looks_like_time(target) || target.contains("yt-timestamp") {
                        let what = if looks_like_time(target) {
                            "a time"
                        } else {
                            "a citation's tag"
                        };
                        d = d.with_help(format!(
                            "this is {what}, not a note: cite it as <a class=\"yt-timestamp\" data-t=\"HH:MM:SS\">[HH:MM:SS]</a>",
                        ));
                    }
                }
            }
            sink.push(d);
        }
    }
}

/// Whether `target` names a file other than a note: its last part has an extension that is
/// not `.md` (`chart.png`, `paper.pdf`; not `v1.2 notes`, whose "extension" holds a space).
fn names_a_file(target: &str) -> bool {
    let last = target.rsplit(['/', '\\']).next().unwrap_or(target).trim();
    match last.rsplit_once('.') {
        Some((stem, ext)) => {
            !stem.is_empty()
                && (1..=5).contains(&ext.len())
                && ext.bytes().all(|b| b.is_ascii_alphanumeric())
                && ext.bytes().any(|b| b.is_ascii_alphabetic())
                && !ext.eq_ignore_ascii_case("md")
        }
        None => false,
    }
}

/// The folder part of a target written with one (`other/Projects` → `other`), without `./`.
fn written_folder(target: &str) -> Option<&str> {
    let target = target
        .trim()
        .trim_start_matches("./")
        .trim_start_matches('/');
    target
        .rsplit_once(['/', '\\'])
        .map(|(dir, _)| dir)
        .filter(|d| !d.is_empty() && !d.split('/').any(|p| p == ".."))
}

/// Whether folder `dir` (a note's) is `folder` or ends with it, ignoring case.
fn ends_with_folder(dir: &str, folder: &str) -> bool {
    let (dir, folder) = (dir.to_lowercase(), folder.to_lowercase());
    dir == folder || dir.ends_with(&format!("/{folder}"))
}

fn looks_like_time(s: &str) -> bool {
    s.contains(':') && s.bytes().all(|b| b.is_ascii_digit() || b == b':')
}
