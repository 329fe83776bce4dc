//! Applying fixes: non-overlapping edits, to a fixpoint. Bytes outside the edited ranges are
//! never touched.

use crate::diagnostic::{Applicability, Diagnostic, TextEdit};

/// Applies edits that must not overlap; they may come in any order.
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for e in sorted {
        if e.range.start < pos || e.range.end > text.len() {
            continue;
        }
        out.push_str(&text[pos..e.range.start]);
        out.push_str(&e.new_text);
        pos = e.range.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// Picks the fixes to apply in one pass: those allowed by `unsafe_fixes`, whose edits are valid
/// in `text` and overlap no fix picked before. Returns the edits and how many fixes they make.
pub fn select_fixes(
    text: &str,
    diagnostics: &[Diagnostic],
    unsafe_fixes: bool,
) -> (Vec<TextEdit>, usize) {
    let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
    let mut edits = Vec::new();
    let mut count = 0;
    for d in diagnostics {
        let Some(fix) = &d.fix else { continue };
        if fix.applicability == Applicability::Unsafe && !unsafe_fixes {
            continue;
        }
        let valid = fix.edits.iter().all(|e| {
            e.range.start <= e.range.end
                && e.range.end <= text.len()
                && text.is_char_boundary(e.range.start)
                && text.is_char_boundary(e.range.end)
        });
        let overlaps = |r: &std::ops::Range<usize>| {
            taken.iter().any(|t| {
                r.start < t.end && t.start < r.end
                    // Two insertions at the same point, or an insertion at an edge, conflict too.
                    || (r.start == r.end || t.start == t.end) && r.start <= t.end && t.start <= r.end
            })
        };
        if !valid || fix.edits.iter().any(|e| overlaps(&e.range)) {
            continue;
        }
        let mut ranges: Vec<_> = fix.edits.iter().map(|e| e.range.clone()).collect();
        ranges.sort_by_key(|r| r.start);
        if ranges.windows(2).any(|w| w[0].end > w[1].start) {
            continue;
        }
        taken.extend(ranges);
        edits.extend(fix.edits.iter().cloned());
        count += 1;
    }
    (edits, count)
}

/// The result of fixing one text to a fixpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    pub text: String,
    /// Number of fixes applied over all passes.
    pub applied: usize,
    /// Diagnostics of the final text.
    pub remaining: Vec<Diagnostic>,
}

/// Applies fixes until none is left (at most `MAX_PASSES` passes). `check` computes the
/// diagnostics of a text.
pub fn fix_to_fixpoint(
    text: &str,
    unsafe_fixes: bool,
    mut check: impl FnMut(&str) -> Vec<Diagnostic>,
) -> Fixed {
    const MAX_PASSES: usize = 10;
    let mut current = text.to_string();
    let mut applied = 0;
    let mut diagnostics = check(&current);
    for _ in 0..MAX_PASSES {
        let (edits, count) = select_fixes(&current, &diagnostics, unsafe_fixes);
        if count == 0 {
            break;
        }
        let next = apply_edits(&current, &edits);
        if next == current {
            break;
        }
        applied += count;
        current = next;
        diagnostics = check(&current);
    }
    Fixed {
        text: current,
        applied,
        remaining: diagnostics,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Fix;

    fn diag(range: std::ops::Range<usize>, new: &str, safe: bool) -> Diagnostic {
        let edit = vec![TextEdit::replace(range.clone(), new)];
        let fix = if safe {
            Fix::safe("t", edit)
        } else {
            Fix::unsafe_("t", edit)
        };
        Diagnostic::new(crate::RuleId::LinkBroken, range, "m").with_fix(fix)
    }

    #[test]
    fn overlapping_fixes_are_deferred_and_unsafe_needs_opt_in() {
        let text = "abcdef";
        let ds = vec![
            diag(0..3, "X", true),
            diag(2..4, "Y", true),
            diag(4..6, "Z", false),
        ];
        let (edits, n) = select_fixes(text, &ds, false);
        assert_eq!(n, 1);
        assert_eq!(apply_edits(text, &edits), "Xdef");
        let (edits, n) = select_fixes(text, &ds, true);
        assert_eq!(n, 2);
        assert_eq!(apply_edits(text, &edits), "XdZ");
    }

    #[test]
    fn fixpoint_converges() {
        // Each pass upper-cases the first lower-case `a`.
        let fixed = fix_to_fixpoint("aaa", false, |t| {
            t.find('a')
                .map(|i| diag(i..i + 1, "A", true))
                .into_iter()
                .collect()
        });
        assert_eq!(fixed.text, "AAA");
        assert_eq!(fixed.applied, 3);
        assert!(fixed.remaining.is_empty());
    }
}
