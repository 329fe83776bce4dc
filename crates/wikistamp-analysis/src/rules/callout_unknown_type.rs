use crate::config::Flavor;
use crate::diagnostic::{Diagnostic, Fix, TextEdit};
use crate::rules::{declare_rule, Context, Rule, RuleMeta, Sink};
use crate::suggest;
use crate::syntax::callouts::{is_ascii_type, is_obsidian_type, OBSIDIAN_TYPES};

declare_rule! {
    /// ## What it finds
    /// A callout whose type (`[!type]`) is neither one of Obsidian's types (note, abstract,
    /// summary, tldr, info, todo, tip, hint, important, success, check, done, question, help,
    /// faq, warning, caution, attention, failure, fail, missing, danger, error, bug, example,
    /// quote, cite; any case) nor listed in `callouts.custom-types` in `wikistamp.toml`, nor
    /// styled by the vault's CSS: a `.callout[data-callout="x"]` selector in
    /// `.obsidian/snippets/*.css`, Obsidian Publish's `publish.css` or Quartz's
    /// `quartz/styles/custom.scss` makes `x` a known type. Letters of every script count in
    /// the Obsidian flavor (`[!提示]`); in the Quartz flavor such a type is no callout at all,
    /// which `callout-malformed` reports.
    ///
    /// ## Why it matters
    /// An unknown type still renders as a callout, but as a custom one with the default style:
    /// `[!warn]` gets no warning colour or icon, and a misspelt type silently loses its meaning.
    /// Types a vault uses on purpose (`[!definition]`, `[!analogy]`) belong in the
    /// configuration, so that real typos stand out.
    ///
    /// ## Example
    /// ```markdown
    /// > [!warn] Mind the fees
    /// > Fees compound too <a class="yt-timestamp" data-t="00:04:10">[00:04:10]</a>.
    /// ```
    /// Use instead:
    /// ```markdown
    /// > [!warning] Mind the fees
    /// > Fees compound too <a class="yt-timestamp" data-t="00:04:10">[00:04:10]</a>.
    /// ```
    /// or, for a type used on purpose:
    /// ```toml
    /// [callouts]
    /// custom-types = ["definition", "analogy"]
    /// ```
    ///
    /// ## Fix
    /// Safe, only when one known type is clearly meant: the type is a plural of it (`infos`), a
    /// prefix of exactly one type (`warn`), or one typo away from exactly one type (`exmaple`,
    /// types of four letters or more). The replacement keeps the type's case style (`WARN` →
    /// `WARNING`). Otherwise the message suggests a type when a word of it is one (`pro-tip` →
    /// `tip`) and leaves the choice to the author.
    pub struct CalloutUnknownType { family: Callout, severity: Warning, fix: Sometimes }
}

impl Rule for CalloutUnknownType {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink) {
        let callouts = &ctx.config.callouts;
        let quartz = ctx.config.flavor() == Flavor::Quartz;
        let lower = |s: &str| s.to_lowercase();
        for callout in &ctx.note.callouts {
            let kind = ctx.slice(&callout.kind);
            if kind.is_empty()
                || is_obsidian_type(kind)
                || (quartz && !is_ascii_type(kind))
                || callouts
                    .custom_types
                    .iter()
                    .chain(&callouts.css_types)
                    .any(|c| lower(c) == lower(kind))
            {
                continue;
            }
            let mut d = Diagnostic::new(
                Self::META.id,
                callout.kind.clone(),
                format!("unknown callout type `{kind}`: it renders with the default style"),
            );
            if let Some(meant) = clearly_meant(kind) {
                let replacement = same_case(kind, meant);
                d = d
                    .with_help(suggest::did_you_mean(&replacement))
                    .with_fix(Fix::safe(
                        format!("Change the type to `{replacement}`"),
                        vec![TextEdit::replace(callout.kind.clone(), replacement)],
                    ));
            } else if let Some(word) = known_word(kind) {
                d = d.with_help(format!(
                    "`{word}` is a known type; if `{kind}` is meant, add it to `callouts.custom-types` in wikistamp.toml"
                ));
            } else {
                d = d.with_help(format!(
                    "if `{kind}` is meant, add it to `callouts.custom-types` in wikistamp.toml"
                ));
            }
            sink.push(d);
        }
    }
}

/// The one known type `kind` evidently stands for, if exactly one.
fn clearly_meant(kind: &str) -> Option<&'static str> {
    let k = kind.to_ascii_lowercase();
    let unique = |pred: &dyn Fn(&str) -> bool| {
        let mut found = OBSIDIAN_TYPES.iter().copied().filter(|t| pred(t));
        let first = found.next()?;
        found.next().is_none().then_some(first)
    };
    // Plural: `infos`, `tips`, `warnings`.
    if let Some(singular) = k.strip_suffix('s') {
        if let Some(t) = unique(&|t| t == singular) {
            return Some(t);
        }
    }
    // A prefix of exactly one type: `warn`, `imp`, `exam`.
    if k.len() >= 3 {
        if let Some(t) = unique(&|t| t.starts_with(&k)) {
            return Some(t);
        }
    }
    // One typo (insertion, deletion, substitution or transposition) from exactly one type.
    if k.chars().count() >= 4 {
        if let Some(t) = unique(&|t| suggest::one_typo_apart(&k, t)) {
            return Some(t);
        }
    }
    None
}

/// A known type among the `-`/`_`-separated words of `kind` (`pro-tip` → `tip`).
fn known_word(kind: &str) -> Option<&'static str> {
    let words: Vec<&str> = kind.split(['-', '_']).filter(|w| !w.is_empty()).collect();
    if words.len() < 2 {
        return None;
    }
    words.iter().rev().find_map(|w| {
        OBSIDIAN_TYPES
            .iter()
            .copied()
            .find(|t| t.eq_ignore_ascii_case(w))
    })
}

/// `meant` in the case style of `original`: `WARN` → `WARNING`, `Warn` → `Warning`.
fn same_case(original: &str, meant: &str) -> String {
    let letters: Vec<char> = original.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        meant.to_ascii_uppercase()
    } else if letters.first().is_some_and(|c| c.is_uppercase()) {
        let mut s = meant.to_string();
        s[..1].make_ascii_uppercase();
        s
    } else {
        meant.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clearly_meant_types() {
        assert_eq!(clearly_meant("warn"), Some("warning"));
        assert_eq!(clearly_meant("infos"), Some("info"));
        assert_eq!(clearly_meant("EXMAPLE"), Some("example"));
        assert_eq!(clearly_meant("Tips"), Some("tip"));
        // Not clearly one type.
        assert_eq!(clearly_meant("definition"), None);
        assert_eq!(clearly_meant("critique"), None);
        assert_eq!(clearly_meant("analogy"), None);
        assert_eq!(clearly_meant("fa"), None);
        assert_eq!(clearly_meant("pros"), None);
        assert_eq!(clearly_meant("rule"), None);
    }

    #[test]
    fn case_is_kept() {
        assert_eq!(same_case("WARN", "warning"), "WARNING");
        assert_eq!(same_case("Warn", "warning"), "Warning");
        assert_eq!(same_case("warn", "warning"), "warning");
    }

    #[test]
    fn word_of_a_hyphenated_type() {
        assert_eq!(known_word("PRO-TIP"), Some("tip"));
        assert_eq!(known_word("see-also"), None);
        assert_eq!(known_word("tip"), None);
    }
}
