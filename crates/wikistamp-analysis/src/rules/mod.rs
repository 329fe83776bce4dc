//! The rules: one file per rule, each a unit struct declared with [`declare_rule!`] so that its
//! doc comment is the single source of `wikistamp explain` and the generated rule docs.
//! [`all`] is the registry, made from the list of rules in [`crate::rule_id`].
//!
//! To add a rule: a line in that list (`MyRule "my-rule" my_rule,`), a file `my_rule.rs` that
//! declares `MyRule` and implements [`Rule`], its `mod` line below, and a fixture folder
//! named after its id.

use std::cell::OnceCell;
use std::ops::Range;

use crate::config::{Config, RuleLevel};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rule_id::{for_each_rule, RuleId};
use crate::syntax::{citations, Citation, Note};
use crate::vault::{NoteId, Resolution, Vault};

mod callout_malformed;
mod callout_unknown_type;
mod file_unreadable;
mod frontmatter_invalid;
mod link_ambiguous;
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
mod timestamp_without_video;

pub use file_unreadable::FileUnreadable;
pub use link_heading_missing::heading_link_targets;

/// Which part of a note a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    Timestamp,
    Link,
    Callout,
    Source,
    Frontmatter,
    /// About wikistamp itself: suppressions, unreadable files.
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

/// How many of the links before it a link's target is compared with before it is looked up
/// (see [`Context::link_resolution`]).
const RECENT_LINKS: usize = 8;

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

    /// Where the target of the note's link number `i` leads: [`Vault::resolve`] from this
    /// note, done once per link for all the rules that ask. `None` when the target is empty
    /// (`[[#heading]]` names this note) or there is no such link.
    pub fn link_resolution(&self, i: usize) -> Option<&Resolution> {
        let all = self.resolutions.get_or_init(|| {
            // The first byte of every target, read in a loop without data-dependent branches
            // so that the cache misses overlap (as [`citations::groups`] does for citations):
            // each resolution below then finds its target in the cache rather than waiting for
            // it between two lookups.
            let bytes = self.text.as_bytes();
            let mut touched = 0u8;
            for l in &self.note.links {
                touched ^= bytes.get(l.target.start).copied().unwrap_or(0);
            }
            std::hint::black_box(touched);
            let links = &self.note.links;
            let mut all: Vec<Option<Resolution>> = Vec::with_capacity(links.len());
            for (i, l) in links.iter().enumerate() {
                let target = self.slice(&l.target);
                if target.is_empty() {
                    all.push(None);
                    continue;
                }
                // A note links to the same few notes again and again (a third of the links
                // repeat one of the last [`RECENT_LINKS`] targets): a target written exactly as
                // a recent one resolves as it did, without a lookup in the vault.
                let recent = i.saturating_sub(RECENT_LINKS)..i;
                let again = recent.rev().find_map(|j| {
                    let prev = links.get(j)?;
                    (prev.target.len() == target.len() && self.slice(&prev.target) == target)
                        .then(|| all.get(j).cloned().flatten())
                        .flatten()
                });
                all.push(Some(
                    again.unwrap_or_else(|| self.vault.resolve(self.path, target)),
                ));
            }
            all
        });
        all.get(i)?.as_ref()
    }

    /// [`Context::link_resolution`] of every link as first written, one lookup per link, for
    /// the differential tests.
    #[cfg(test)]
    fn link_resolutions_one_by_one(&self) -> Vec<Option<Resolution>> {
        self.note
            .links
            .iter()
            .map(|l| {
                let target = self.slice(&l.target);
                (!target.is_empty()).then(|| self.vault.resolve(self.path, target))
            })
            .collect()
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

/// [`Citation::label_time`]: the label without its surrounding `[` `]`, if it has exactly
/// those. The same answer, with the brackets looked for byte by byte rather than as chars.
pub(crate) fn label_time<'t>(c: &Citation, text: &'t str) -> Option<&'t str> {
    let label = text.get(c.label.clone())?;
    let inner = label.strip_prefix('[')?.strip_suffix(']')?;
    (!inner.bytes().any(|b| b == b'[' || b == b']')).then_some(inner)
}

/// [`Citation::is_canonical_tag`], comparing bytes: the same answer, as the bytes compared
/// start with `<` and end before and after ASCII bytes, so they are on char boundaries
/// whenever they match.
pub(crate) fn is_canonical_tag(c: &Citation, text: &str) -> bool {
    const PREFIX: &[u8; 32] = br#"<a class="yt-timestamp" data-t=""#;
    let Some(dt) = &c.data_t else {
        return false;
    };
    let bytes = text.as_bytes();
    c.closed
        && dt.start.checked_sub(c.open_tag.start) == Some(PREFIX.len())
        && c.open_tag.end.checked_sub(dt.end) == Some(2)
        && bytes
            .get(c.open_tag.start..dt.start)
            .is_some_and(|p| p == PREFIX)
        && bytes.get(dt.end..c.open_tag.end) == Some(b"\">")
}

/// [`Citation::label_inner`], by [`label_time`].
pub(crate) fn label_inner(c: &Citation, text: &str) -> Option<Range<usize>> {
    label_time(c, text).map(|_| c.label.start + 1..c.label.end - 1)
}

/// Appends `n` in decimal, as `n.to_string()` writes it, without a formatter.
pub(crate) fn push_u64(out: &mut String, n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.push(char::from(b));
    }
}

/// Appends `n` padded to two digits, as `format!("{n:02}")` writes it.
fn push_02(out: &mut String, n: u64) {
    if n < 10 {
        out.push('0');
    }
    push_u64(out, n);
}

/// Appends [`crate::syntax::format_hms`] of `seconds` without allocating it.
pub(crate) fn push_hms(out: &mut String, seconds: u64) {
    push_02(out, seconds / 3600);
    out.push(':');
    push_02(out, (seconds / 60) % 60);
    out.push(':');
    push_02(out, seconds % 60);
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
/// ```ignore
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

    proptest::proptest! {
        #[test]
        fn link_resolution_reusing_recent_targets_is_one_lookup_per_link(
            targets in proptest::collection::vec(proptest::sample::select(&[
                "a", "A", "a ", " a", "a.md", "b", "B", "x/b", "y/b", "gone", "n", "#h", "a#h",
                "b|B", "img.png", "é", "É", "", " ",
            ][..]), 0..40)
        ) {
            let config = Config::default();
            let mut vault = Vault::new(&config.links);
            for path in ["a.md", "x/b.md", "y/b.md", "n.md", "é.md"] {
                vault.upsert(NoteEntry::from_frontmatter(path, None));
            }
            vault.add_attachment("img.png");
            let text: String = targets.iter().map(|t| format!("[[{t}]] ")).collect();
            let note = crate::syntax::parse(&text);
            let ctx = Context::new(&text, &note, "n.md", &vault, &config);
            let expected = ctx.link_resolutions_one_by_one();
            proptest::prop_assert_eq!(expected.len(), note.links.len());
            for (i, e) in expected.iter().enumerate() {
                proptest::prop_assert_eq!(ctx.link_resolution(i), e.as_ref(), "{}", i);
            }
            proptest::prop_assert_eq!(ctx.link_resolution(note.links.len()), None);
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

    /// [`citations::groups`] as first written, for the differential test.
    fn groups_by_two_scans(text: &str, citations: &[Citation]) -> Vec<Range<usize>> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut start = 0;
        for i in 1..=citations.len() {
            let joined = i < citations.len() && {
                let (a, b) = (&citations[i - 1], &citations[i]);
                a.closed
                    && b.closed
                    && a.range.end <= b.range.start
                    && bytes[a.range.end..b.range.start]
                        .iter()
                        .all(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b',' | b';'))
                    && bytes[a.range.end..b.range.start]
                        .iter()
                        .filter(|c| **c == b'\n')
                        .count()
                        <= 1
            };
            if !joined {
                if i - start >= 2 {
                    out.push(start..i);
                }
                start = i;
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn groups_equal_the_two_scans(
            pieces in proptest::collection::vec(proptest::sample::select(&[
                "<a class=\"yt-timestamp\" data-t=\"00:00:01\">[00:00:01]</a>",
                "<a class=\"yt-timestamp\" data-t=\"00:00:02\">[00:00:02]",
                "<a class=yt-timestamp data-t=00:00:03>00:00:03</a>",
                " ", ",", ";", "\t", "\n", "\r\n", "\n\n", "x", "é", "> ", "- ", "`",
            ][..]), 0..40)
        ) {
            let text = pieces.concat();
            let note = crate::syntax::parse(&text);
            proptest::prop_assert_eq!(
                citations::groups(&text, &note.citations),
                groups_by_two_scans(&text, &note.citations)
            );
        }

        #[test]
        fn label_helpers_match_the_citation_methods(label in "\\[?[0-9:\\[\\]é漢 ]{0,12}\\]?") {
            let text = format!("<a class=\"yt-timestamp\" data-t=\"00:00:01\">{label}</a>\n");
            let note = crate::syntax::parse(&text);
            for c in &note.citations {
                proptest::prop_assert_eq!(label_time(c, &text), c.label_time(&text));
                proptest::prop_assert_eq!(label_inner(c, &text), c.label_inner(&text));
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn canonical_tag_by_bytes_matches_the_citation_method(
            pieces in proptest::collection::vec(proptest::sample::select(&[
                "<a class=\"yt-timestamp\" data-t=\"",
                "<a class=\"yt-timestamp\" data-t=\"00:00:01\">[00:00:01]</a>",
                "<a class='yt-timestamp' data-t='00:00:01'>",
                "<a class=\"yt-timestamp\" data-t=\"00:00:01\" >",
                "<A CLASS=\"yt-timestamp\" DATA-T=\"1\">",
                "<a ", "\"", "'", ">", "</a>", "00:00:01", "é", "漢", " ", "\n", "[", "]",
            ][..]), 0..24)
        ) {
            let text = pieces.concat();
            let note = crate::syntax::parse(&text);
            for c in &note.citations {
                proptest::prop_assert_eq!(is_canonical_tag(c, &text), c.is_canonical_tag(&text));
            }
        }
    }

    #[test]
    fn label_helpers_on_odd_labels() {
        for label in [
            "[00:00:01]",
            "[[00:00:01]]",
            "[]",
            "[",
            "]",
            "",
            "[a]b]",
            "[漢]",
            " [1] ",
        ] {
            let text = format!("<a class=\"yt-timestamp\" data-t=\"00:00:01\">{label}</a>\n");
            let note = crate::syntax::parse(&text);
            assert_eq!(note.citations.len(), 1, "{label}");
            let c = &note.citations[0];
            assert_eq!(label_time(c, &text), c.label_time(&text), "{label}");
            assert_eq!(label_inner(c, &text), c.label_inner(&text), "{label}");
        }
    }

    #[test]
    fn number_writers_match_the_formatter_at_the_edges() {
        for n in [
            0,
            1,
            9,
            10,
            59,
            60,
            99,
            100,
            3599,
            3600,
            359_999,
            360_000,
            u64::MAX,
        ] {
            let mut s = String::from("x");
            push_u64(&mut s, n);
            assert_eq!(s, format!("x{n}"));
            let mut s = String::new();
            push_hms(&mut s, n);
            assert_eq!(s, crate::syntax::format_hms(n));
        }
    }

    proptest::proptest! {
        #[test]
        fn number_writers_match_the_formatter(n in proptest::prelude::any::<u64>(), small in 0u64..400_000) {
            let mut s = String::new();
            push_u64(&mut s, n);
            proptest::prop_assert_eq!(s, n.to_string());
            for v in [n, small] {
                let mut s = String::new();
                push_hms(&mut s, v);
                proptest::prop_assert_eq!(s, crate::syntax::format_hms(v));
            }
        }
    }
}
