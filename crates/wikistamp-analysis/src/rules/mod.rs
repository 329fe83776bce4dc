//! The rules: one file per rule, each a unit struct declared with [`declare_rule!`] so that its
//! doc comment is the single source of `wikistamp explain` and the generated rule docs.
//! [`all`] is the registry, made from the list of rules in [`crate::rule_id`].
//!
//! To add a rule: a line in that list (`MyRule "my-rule" my_rule,`), a file `my_rule.rs` that
//! declares `MyRule` and implements [`Rule`], its `mod` line below, and a fixture folder
//! named after its id.

use std::cell::OnceCell;
use std::ops::Range;

use crate::config::{Config, Flavor, RuleLevel};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rule_id::{for_each_rule, RuleId};
use crate::syntax::{citations, LinkKind, Note, WikiLink};
use crate::vault::{NoteId, Resolution, Vault};

mod callout_malformed;
mod callout_unknown_type;
mod citation_unsupported;
mod file_unreadable;
mod frontmatter_invalid;
mod link_ambiguous;
mod link_block_missing;
mod link_broken;
mod link_heading_missing;
mod link_malformed;
mod source_missing;
mod suppression_unknown_rule;
mod timestamp_after_end;
mod timestamp_duplicate;
mod timestamp_format;
mod timestamp_invalid;
mod timestamp_label_mismatch;
mod timestamp_malformed;
mod timestamp_order;
mod timestamp_shifted;
mod timestamp_without_video;
mod transcript_invalid;
mod video_length;

pub use citation_unsupported::{
    best_moment, cited_claims, judge, strip_markup, CitedClaim, Judged, ELSEWHERE_MS,
    MIN_BEST_SCORE, MIN_CONTENT_WORDS, STANDOUT_RATIO, SUPPORTED_SHARE,
};
pub use file_unreadable::FileUnreadable;
pub use link_heading_missing::fragment_link_targets;
pub use transcript_invalid::TranscriptInvalid;
pub use video_length::{LengthSource, VideoLength};

/// Which part of a note a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    Timestamp,
    Link,
    Callout,
    Source,
    Frontmatter,
    /// About wikistamp itself: suppressions, unreadable files and transcripts.
    Meta,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Timestamp => "timestamp",
            Family::Link => "link",
            Family::Callout => "callout",
            Family::Source => "source",
            Family::Frontmatter => "frontmatter",
            Family::Meta => "meta",
        }
    }
}

/// Whether a rule's findings come with a fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    /// Some findings have a fix (when the repair is unambiguous).
    Sometimes,
    Always,
}

impl FixAvailability {
    pub fn as_str(self) -> &'static str {
        match self {
            FixAvailability::None => "no",
            FixAvailability::Sometimes => "sometimes",
            FixAvailability::Always => "yes",
        }
    }
}

/// A rule's identity and documentation.
#[derive(Debug)]
pub struct RuleMeta {
    pub id: RuleId,
    pub family: Family,
    pub default_severity: Severity,
    pub fix: FixAvailability,
    /// The rule's doc comment, one line per `///` line (leading space kept).
    pub doc: &'static str,
}

impl RuleMeta {
    /// The rule's level under `config`: the configured one, else the default severity.
    pub fn level(&self, config: &Config) -> RuleLevel {
        config
            .rules
            .get(&self.id)
            .copied()
            .unwrap_or(RuleLevel::On(self.default_severity))
    }

    /// The doc comment as Markdown: each line without the space after `///`.
    pub fn doc_markdown(&self) -> String {
        let mut out = String::new();
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_string() + "\n"
    }

    /// The first sentence of the doc: what the rule finds.
    pub fn summary(&self) -> String {
        let doc = self.doc_markdown();
        // The first paragraph, without heading lines (`## What it finds` heads it).
        let first = doc
            .split("\n\n")
            .map(|p| {
                p.lines()
                    .filter(|l| !l.trim_start().starts_with('#'))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .find(|p| !p.trim().is_empty())
            .unwrap_or_default();
        first.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// What a rule sees when it checks one note.
pub struct Context<'a> {
    pub text: &'a str,
    pub note: &'a Note,
    /// The note's path relative to the vault root, `/`-separated.
    pub path: &'a str,
    pub vault: &'a Vault,
    pub config: &'a Config,
    /// How each link's target resolves, computed on first use (see [`Context::link_resolution`]).
    resolutions: OnceCell<Vec<Option<Resolution>>>,
    /// The note's citation groups, computed on first use (see [`Context::citation_groups`]).
    groups: OnceCell<Vec<Range<usize>>>,
}

impl<'a> Context<'a> {
    pub fn new(
        text: &'a str,
        note: &'a Note,
        path: &'a str,
        vault: &'a Vault,
        config: &'a Config,
    ) -> Self {
        Context {
            text,
            note,
            path,
            vault,
            config,
            resolutions: OnceCell::new(),
            groups: OnceCell::new(),
        }
    }

    /// [`citations::groups`] of the note's citations, computed once for all the rules that
    /// ask.
    pub fn citation_groups(&self) -> &[Range<usize>] {
        self.groups
            .get_or_init(|| citations::groups(self.text, &self.note.citations))
    }

    /// The notes link number `i` may lead to: the note it resolves to, or each candidate of
    /// an ambiguous target; none when it leads nowhere (or names this note).
    pub fn link_candidates(&self, i: usize) -> &[NoteId] {
        match self.link_resolution(i) {
            Some(Resolution::Note(id)) => std::slice::from_ref(id),
            Some(Resolution::Ambiguous(candidates)) => candidates,
            _ => &[],
        }
    }

    /// Where the target of the note's link number `i` leads: [`Vault::resolve`] from this
    /// note, done once per link for all the rules that ask. `None` when the target is empty
    /// (`[[#heading]]` names this note) or there is no such link.
    pub fn link_resolution(&self, i: usize) -> Option<&Resolution> {
        let all = self.resolutions.get_or_init(|| {
            self.note
                .links
                .iter()
                .map(|l| {
                    let target = l.read(self.text, &l.target);
                    (self.sees(l) && !target.is_empty())
                        .then(|| self.vault.resolve(self.path, &target))
                })
                .collect()
        });
        all.get(i)?.as_ref()
    }

    /// Whether the flavor's app sees `link` as a link: a frontmatter property's wiki-link is
    /// one in Obsidian, while Quartz reads no links in the frontmatter.
    pub fn sees(&self, link: &WikiLink) -> bool {
        link.kind != LinkKind::Property || self.config.flavor() == Flavor::Obsidian
    }

    /// The text of `range` (empty when the range is not valid in this text).
    pub fn slice(&self, range: &Range<usize>) -> &'a str {
        self.text.get(range.clone()).unwrap_or("")
    }

    /// This note's id in the vault, when it is indexed.
    pub fn note_id(&self) -> Option<NoteId> {
        self.vault.id_of(self.path)
    }
}

/// Collects a rule's findings.
#[derive(Debug, Default)]
pub struct Sink {
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl Sink {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// What the rules pushed so far.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
}

/// A rule: identity plus a check of one note. Rules never panic and never do I/O.
pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, ctx: &Context<'_>, sink: &mut Sink);
}

/// Declares a rule's unit struct and its [`RuleMeta`], taking the doc comment as the rule's
/// documentation and the [`RuleId`] of the type's name as its id:
///
/// ```text
/// declare_rule! {
///     /// Finds …
///     pub struct LinkBroken { family: Link, severity: Error, fix: Sometimes }
/// }
/// ```
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $name:ident {
            family: $family:ident,
            severity: $severity:ident,
            fix: $fix:ident $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, Default)]
        $vis struct $name;

        impl $name {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                id: $crate::rule_id::RuleId::$name,
                family: $crate::rules::Family::$family,
                default_severity: $crate::diagnostic::Severity::$severity,
                fix: $crate::rules::FixAvailability::$fix,
                doc: concat!($($doc, "\n"),*),
            };
        }
    };
}
pub(crate) use declare_rule;

macro_rules! registry {
    ($($variant:ident $id:literal $module:ident,)*) => {
        /// Every rule, in the order of [`RuleId::ALL`].
        static RULES: &[&dyn Rule] = &[$(&$module::$variant,)*];
    };
}
for_each_rule!(registry);

/// Runs one rule over `text`, a note alone in an empty vault (for the rules' unit tests).
#[cfg(test)]
pub(crate) fn run_alone(rule: &dyn Rule, text: &str, config: &Config) -> Vec<Diagnostic> {
    let note = crate::syntax::parse(text);
    let vault = Vault::new(&config.links);
    let ctx = Context::new(text, &note, "n.md", &vault, config);
    let mut sink = Sink::default();
    rule.check(&ctx, &mut sink);
    sink.diagnostics
}

/// The registry: every rule, in the order `wikistamp rules` lists them.
pub fn all() -> &'static [&'static dyn Rule] {
    RULES
}

impl RuleId {
    /// The rule with this id.
    pub fn rule(self) -> &'static dyn Rule {
        RULES[self.index()]
    }

    pub fn meta(self) -> &'static RuleMeta {
        self.rule().meta()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::NoteEntry;

    #[test]
    fn link_resolution_is_the_vault_resolution_of_each_link() {
        let config = Config::default();
        let mut vault = Vault::new(&config.links);
        for path in ["a.md", "x/b.md", "y/b.md", "n.md"] {
            vault.upsert(NoteEntry::from_frontmatter(path, None));
        }
        let text = "[[a]] [[#h]] [[b|B]] [[gone]] [[A#h]] [[]]\n";
        let note = crate::syntax::parse(text);
        assert_eq!(note.links.len(), 6);
        let ctx = Context::new(text, &note, "n.md", &vault, &config);
        for (i, link) in note.links.iter().enumerate() {
            let target = ctx.slice(&link.target);
            let expected = (!target.is_empty()).then(|| vault.resolve("n.md", target));
            assert_eq!(ctx.link_resolution(i), expected.as_ref(), "{target:?}");
        }
        assert!(matches!(
            ctx.link_resolution(2),
            Some(Resolution::Ambiguous(_))
        ));
        assert_eq!(ctx.link_resolution(3), Some(&Resolution::NotFound));
        assert_eq!(ctx.link_resolution(6), None);
    }

    #[test]
    fn markdown_links_resolve_decoded_and_property_links_in_obsidian_only() {
        let text = "---\nup: \"[[gone]]\"\n---\n[a](My%20Note.md) [b](<My Note>) [c](gone.md)\n";
        let note = crate::syntax::parse(text);
        assert_eq!(note.links.len(), 4);
        for (flavor, property) in [
            (Flavor::Obsidian, Some(&Resolution::NotFound)),
            (Flavor::Quartz, None),
        ] {
            let mut config = Config::default();
            config.links.flavor = flavor;
            let mut vault = Vault::new(&config.links);
            let id = vault.upsert(NoteEntry::from_frontmatter("My Note.md", None));
            let ctx = Context::new(text, &note, "n.md", &vault, &config);
            assert_eq!(ctx.link_resolution(0), property, "{flavor:?}");
            assert_eq!(ctx.link_resolution(1), Some(&Resolution::Note(id)));
            assert_eq!(ctx.link_resolution(2), Some(&Resolution::Note(id)));
            assert_eq!(ctx.link_resolution(3), Some(&Resolution::NotFound));
        }
    }

    #[test]
    fn citation_groups_are_the_groups_of_the_citations() {
        let config = Config::default();
        let vault = Vault::new(&config.links);
        let text = "a <a class=\"yt-timestamp\" data-t=\"00:00:02\">[00:00:02]</a>, \
            <a class=\"yt-timestamp\" data-t=\"00:00:01\">[00:00:01]</a> b \
            <a class=\"yt-timestamp\" data-t=\"00:00:03\">[00:00:03]</a>\n";
        let note = crate::syntax::parse(text);
        let ctx = Context::new(text, &note, "n.md", &vault, &config);
        assert_eq!(ctx.citation_groups(), &[Range { start: 0, end: 2 }]);
        assert_eq!(
            ctx.citation_groups(),
            &citations::groups(text, &note.citations)[..]
        );
    }

    #[test]
    fn label_time_on_odd_labels() {
        for (label, time) in [
            ("[00:00:01]", Some("00:00:01")),
            ("[[00:00:01]]", None),
            ("[]", Some("")),
            ("[", None),
            ("]", None),
            ("", None),
            ("[a]b]", None),
            ("[漢]", Some("漢")),
            (" [1] ", None),
        ] {
            let text = format!("<a class=\"yt-timestamp\" data-t=\"00:00:01\">{label}</a>\n");
            let note = crate::syntax::parse(&text);
            assert_eq!(note.citations.len(), 1, "{label}");
            let c = &note.citations[0];
            assert_eq!(c.label_time(&text), time, "{label}");
            let inner = c.label_inner(&text).map(|r| &text[r]);
            assert_eq!(inner, time, "{label}");
        }
    }
}
