//! Editor actions beyond each finding's own fix: all safe fixes as one edit, and the note a
//! broken link could create.

use crate::diagnostic::{Diagnostic, TextEdit};
use crate::fix::fix_to_fixpoint;
use crate::text::floor_char_boundary;

/// Every safe fix of `text`, applied to a fixpoint, as one minimal edit with the number of fixes
/// applied; `None` when none applies. `check` computes the diagnostics of a text.
pub fn fix_all_safe(
    text: &str,
    check: impl FnMut(&str) -> Vec<Diagnostic>,
) -> Option<(usize, TextEdit)> {
    let fixed = fix_to_fixpoint(text, false, check);
    (fixed.applied > 0).then(|| (fixed.applied, minimal_edit(text, &fixed.text)))
}

/// The single edit that turns `old` into `new`: their differing middle.
fn minimal_edit(old: &str, new: &str) -> TextEdit {
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((i, _), _)| i);
    let prefix = floor_char_boundary(new, prefix);
    let max_suffix = (old.len() - prefix).min(new.len() - prefix);
    let mut suffix = 0;
    let (ob, nb) = (old.as_bytes(), new.as_bytes());
    while suffix < max_suffix && ob[old.len() - 1 - suffix] == nb[new.len() - 1 - suffix] {
        suffix += 1;
    }
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    TextEdit::replace(prefix..old.len() - suffix, &new[prefix..new.len() - suffix])
}

/// The vault-relative file a broken link's `target` names, to create it: `.md` added when
/// missing; `None` for a target that is no path inside the vault (absolute, empty parts, `..`).
pub fn new_note_path(target: &str) -> Option<String> {
    let rel = target.trim().replace('\\', "/");
    if rel.is_empty()
        || rel.starts_with('/')
        || rel
            .split('/')
            .any(|p| p.trim().is_empty() || p == "." || p == "..")
    {
        return None;
    }
    Some(if rel.to_ascii_lowercase().ends_with(".md") {
        rel
    } else {
        format!("{rel}.md")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply_edits;

    #[test]
    fn minimal_edit_is_the_differing_middle() {
        let e = minimal_edit("a [[x]] b 日本", "a [[yy]] b 日本");
        assert_eq!(e.range, 4..5);
        assert_eq!(e.new_text, "yy");
        assert_eq!(apply_edits("abc", &[minimal_edit("abc", "abXc")]), "abXc");
        assert_eq!(apply_edits("日本", &[minimal_edit("日本", "日")]), "日");
    }

    #[test]
    fn a_new_note_path_stays_inside_the_vault() {
        assert_eq!(
            new_note_path(" dir\\Note "),
            Some("dir/Note.md".to_string())
        );
        assert_eq!(new_note_path("a.MD"), Some("a.MD".to_string()));
        for outside in ["", "/abs", "../up", "a//b", "a/./b"] {
            assert_eq!(new_note_path(outside), None, "{outside}");
        }
    }
}
