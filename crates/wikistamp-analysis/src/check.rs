//! The engine: runs every enabled rule over one note, sets severities from the configuration
//! and drops what suppression comments silence. The CLI and the server both call
//! [`check_note`] through `wikistamp_workspace::Checker` (which first teaches the vault the
//! headings that heading links need), so they report the same findings for the same text.

use crate::config::{Config, RuleLevel};
use crate::diagnostic::Diagnostic;
use crate::rule_id::RuleId;
use crate::rules::{self, Context, Sink};
use crate::syntax::{Note, SuppressionKind};
use crate::text::LineIndex;
use crate::vault::Vault;

/// Checks one note. `path` is the note's vault-relative, `/`-separated path; `note` must be
/// the parse of `text`. The result is sorted by position, then rule id.
pub fn check_note(
    text: &str,
    note: &Note,
    path: &str,
    vault: &Vault,
    config: &Config,
) -> Vec<Diagnostic> {
    let ctx = Context::new(text, note, path, vault, config);
    // The citation groups before the rules: computing them reads the text at every citation
    // in one pass whose cache misses overlap, and the rules that walk the citations then find
    // it in the cache (two rules use the groups themselves).
    ctx.citation_groups();
    // One sink for every rule; each rule's findings get its severity.
    let mut sink = Sink::default();
    for rule in rules::all() {
        let meta = rule.meta();
        let RuleLevel::On(severity) = meta.level(config) else {
            continue;
        };
        let first = sink.diagnostics.len();
        rule.check(&ctx, &mut sink);
        for d in &mut sink.diagnostics[first..] {
            d.severity = severity;
        }
    }
    let mut out = sink.diagnostics;
    apply_suppressions(text, note, &mut out);
    out.sort_by(|a, b| {
        (a.range.start, a.range.end, a.rule).cmp(&(b.range.start, b.range.end, b.rule))
    });
    out
}

/// Drops diagnostics silenced by comments or by frontmatter `wikistamp-disable`.
fn apply_suppressions(text: &str, note: &Note, diagnostics: &mut Vec<Diagnostic>) {
    let whole_note: Vec<RuleId> = note
        .frontmatter
        .iter()
        .flat_map(|f| f.disabled_rules.iter().filter_map(|v| v.value.parse().ok()))
        .collect();
    if whole_note.is_empty() && note.suppressions.is_empty() {
        return;
    }
    let lines = LineIndex::new(text);
    // (rule or None for all, start offset, end offset) of each silenced region.
    let mut regions: Vec<(Option<RuleId>, usize, usize)> = Vec::new();
    let mut open: Vec<(Option<RuleId>, usize)> = Vec::new();
    for s in &note.suppressions {
        // An unknown id silences nothing (suppression-unknown-rule reports it).
        let ids: Vec<Option<RuleId>> = if s.rules.is_empty() {
            vec![None]
        } else {
            s.rules
                .iter()
                .filter_map(|(r, _)| r.parse().ok())
                .map(Some)
                .collect()
        };
        match s.kind {
            SuppressionKind::DisableNextLine => {
                let line = lines.line_of(s.range.end) + 1;
                let start = lines.line_start(line);
                let end = lines.line_start(line + 1);
                for id in ids {
                    regions.push((id, start, end.max(start + 1)));
                }
            }
            SuppressionKind::Disable => {
                for id in ids {
                    open.push((id, s.range.end));
                }
            }
            SuppressionKind::Enable => {
                for id in ids {
                    // `enable` with no rule closes everything; with a rule, that rule's regions.
                    let mut i = 0;
                    while i < open.len() {
                        if id.is_none() || open[i].0 == id {
                            let (rid, start) = open.remove(i);
                            regions.push((rid, start, s.range.start));
                        } else {
                            i += 1;
                        }
                    }
                }
            }
        }
    }
    for (id, start) in open {
        regions.push((id, start, usize::MAX));
    }
    diagnostics.retain(|d| {
        if whole_note.contains(&d.rule) {
            return false;
        }
        // A suppression never hides the report of its own unknown rule id.
        if d.rule == RuleId::SuppressionUnknownRule {
            return true;
        }
        !regions.iter().any(|(id, start, end)| {
            id.is_none_or(|r| r == d.rule) && d.range.start >= *start && d.range.start < *end
        })
    });
}
