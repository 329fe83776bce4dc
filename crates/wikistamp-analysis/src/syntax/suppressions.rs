//! Suppression comments:
//! `<!-- wikistamp-disable-next-line RULE[, RULE] -->`, `<!-- wikistamp-disable RULE -->` …
//! `<!-- wikistamp-enable RULE -->`. With no rule listed they apply to every rule.

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuppressionKind {
    DisableNextLine,
    Disable,
    Enable,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub kind: SuppressionKind,
    /// The whole comment.
    pub range: Range<usize>,
    /// Rule ids as written, each with its range; empty means every rule.
    pub rules: Vec<(String, Range<usize>)>,
}

/// Parses one HTML comment `<!-- … -->` at `range`.
pub(crate) fn parse_comment(text: &str, range: Range<usize>) -> Option<Suppression> {
    let s = text[range.clone()].trim_end();
    let inner_start = range.start + 4;
    let inner = s.strip_prefix("<!--")?;
    let inner = inner.strip_suffix("-->").unwrap_or(inner);
    let lead = inner.len() - inner.trim_start().len();
    let body = inner.trim_start();
    let (kind, directive) = if body.starts_with("wikistamp-disable-next-line") {
        (
            SuppressionKind::DisableNextLine,
            "wikistamp-disable-next-line",
        )
    } else if body.starts_with("wikistamp-disable") {
        (SuppressionKind::Disable, "wikistamp-disable")
    } else if body.starts_with("wikistamp-enable") {
        (SuppressionKind::Enable, "wikistamp-enable")
    } else {
        return None;
    };
    let after = &body[directive.len()..];
    if after.chars().next().is_some_and(|c| !c.is_whitespace()) {
        return None;
    }
    let list_start = inner_start + lead + directive.len();
    let mut rules = Vec::new();
    let mut offset = list_start;
    for part in after.split([',', ' ', '\t', '\n', '\r']) {
        if !part.is_empty() {
            rules.push((part.to_string(), offset..offset + part.len()));
        }
        offset += part.len() + 1;
    }
    Some(Suppression { kind, range, rules })
}
