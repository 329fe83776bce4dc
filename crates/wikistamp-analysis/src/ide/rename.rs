//! Renames: the edits that keep links true when a note or a heading is renamed.

use crate::diagnostic::TextEdit;
use crate::ide::navigation::find_heading;
use crate::syntax::Note;
use crate::vault::{strip_md, NoteId, Resolution, Vault};

/// Edits to the note (`text`, `note` at `from_path`) that make its links to `target` name
/// `new_name` instead. Only the file-name part of a link's target changes (folders, fragment
/// and alias are kept); links that reach the note through one of its aliases are left alone.
pub fn rename_note_edits(
    text: &str,
    note: &Note,
    from_path: &str,
    vault: &Vault,
    target: NoteId,
    new_name: &str,
) -> Vec<TextEdit> {
    let Some(old) = vault.entry(target) else {
        return Vec::new();
    };
    let mut edits = Vec::new();
    for link in &note.links {
        let Some(written) = text.get(link.target.clone()) else {
            continue;
        };
        if written.is_empty() || vault.resolve(from_path, written) != Resolution::Note(target) {
            continue;
        }
        // The last path segment, without a `.md` suffix, is what names the file.
        let last_start = written.rfind(['/', '\\']).map_or(0, |i| i + 1);
        let stem = strip_md(&written[last_start..]);
        if !stem.trim().eq_ignore_ascii_case(&old.name) {
            continue; // reached through an alias
        }
        let start = link.target.start + last_start;
        edits.push(TextEdit::replace(start..start + stem.len(), new_name));
    }
    edits
}

/// A heading of note `target` renamed from `old` to `new`.
#[derive(Debug, Clone, Copy)]
pub struct HeadingRename<'a> {
    pub target: NoteId,
    pub old: &'a str,
    pub new: &'a str,
}

/// Edits to the note that make its `#fragment` links to the renamed heading name the new one.
/// `self_id` is the note's own id (a `[[#Heading]]` link names its own note's headings).
pub fn rename_heading_edits(
    text: &str,
    note: &Note,
    from_path: &str,
    vault: &Vault,
    self_id: Option<NoteId>,
    rename: HeadingRename<'_>,
) -> Vec<TextEdit> {
    let HeadingRename {
        target,
        old: old_heading,
        new: new_heading,
    } = rename;
    let mut edits = Vec::new();
    for link in &note.links {
        let Some(frag) = &link.fragment else { continue };
        let written = text.get(link.target.clone()).unwrap_or("");
        let resolved = if written.is_empty() {
            self_id
        } else {
            match vault.resolve(from_path, written) {
                Resolution::Note(id) => Some(id),
                _ => None,
            }
        };
        if resolved != Some(target) {
            continue;
        }
        let Some(fragment) = text.get(frag.clone()) else {
            continue;
        };
        let last_start = fragment.rfind('#').map_or(0, |i| i + 1);
        if find_heading([old_heading], &fragment[last_start..]).is_none() {
            continue;
        }
        edits.push(TextEdit::replace(
            frag.start + last_start..frag.end,
            new_heading,
        ));
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::fix::apply_edits;
    use crate::parse;
    use crate::vault::NoteEntry;

    #[test]
    fn note_and_heading_renames_keep_aliases_and_folders() {
        let mut v = Vault::new(&Config::default().links);
        let target_text = "---\naliases: [Old Alias]\n---\n# Part One\n";
        let t = parse(target_text);
        let id = v.upsert(NoteEntry::from_note("dir/old.md", &t, target_text));
        let text = "[[old]] [[dir/Old|shown]] [[old#Part One]] [[Old Alias]] [[other]]\n";
        let note = parse(text);
        v.upsert(NoteEntry::from_note("a.md", &note, text));
        let edits = rename_note_edits(text, &note, "a.md", &v, id, "new");
        assert_eq!(
            apply_edits(text, &edits),
            "[[new]] [[dir/new|shown]] [[new#Part One]] [[Old Alias]] [[other]]\n"
        );
        let edits = rename_heading_edits(
            text,
            &note,
            "a.md",
            &v,
            None,
            HeadingRename {
                target: id,
                old: "Part One",
                new: "Intro",
            },
        );
        assert_eq!(
            apply_edits(text, &edits),
            "[[old]] [[dir/Old|shown]] [[old#Intro]] [[Old Alias]] [[other]]\n"
        );
    }
}
