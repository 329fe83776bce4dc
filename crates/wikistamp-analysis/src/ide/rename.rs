//! Renames: the edits that keep links true when a note or a heading is renamed.

use crate::diagnostic::TextEdit;
use crate::ide::navigation::find_heading;
use crate::syntax::Note;
use crate::vault::{strip_md, NoteId, Resolution, Vault};

/// Edits to the note (`text`, `note` at `from_path`) that make its links to `target` name
/// `new_name` instead. Only the file-name part of a link's target changes (folders, fragment,
/// alias and a Markdown link's `.md` are kept; a Markdown link gets the name percent-encoded);
/// links that reach the note through one of its aliases are left alone.
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
        let read = link.read(text, &link.target);
        if read.is_empty() || vault.resolve(from_path, &read) != Resolution::Note(target) {
            continue;
        }
        // The last path segment, without a `.md` suffix, is what names the file.
        let last_start = written.rfind(['/', '\\']).map_or(0, |i| i + 1);
        let stem = strip_md(&written[last_start..]);
        if !link
            .read(stem, &(0..stem.len()))
            .trim()
            .eq_ignore_ascii_case(&old.name)
        {
            continue; // reached through an alias
        }
        let start = link.target.start + last_start;
        edits.push(TextEdit::replace(
            start..start + stem.len(),
            link.write(new_name).into_owned(),
        ));
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

/// Edits to the note that make its `#fragment` links to the renamed heading name the new one,
/// and rename the heading itself in the note that holds it. `self_id` is the note's own id (a
/// `[[#Heading]]` link names its own note's headings).
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
        let written = link.read(text, &link.target);
        let resolved = if written.is_empty() {
            self_id
        } else {
            match vault.resolve(from_path, &written) {
                Resolution::Note(id) => Some(id),
                _ => None,
            }
        };
        if resolved != Some(target) {
            continue;
        }
        let fragment = link.read(text, frag);
        let last_start = fragment.rfind('#').map_or(0, |i| i + 1);
        if find_heading([old_heading], &fragment[last_start..]).is_none() {
            continue;
        }
        // A percent-encoded fragment is rewritten whole.
        let edit = if text.get(frag.clone()) == Some(fragment.as_ref()) {
            TextEdit::replace(
                frag.start + last_start..frag.end,
                link.write(new_heading).into_owned(),
            )
        } else {
            let whole = format!("{}{new_heading}", &fragment[..last_start]);
            TextEdit::replace(frag.clone(), link.write(&whole).into_owned())
        };
        edits.push(edit);
    }
    if self_id == Some(target) {
        if let Some(h) = note
            .headings
            .iter()
            .find(|h| text.get(h.text.clone()) == Some(old_heading))
        {
            edits.push(TextEdit::replace(h.text.clone(), new_heading));
        }
    }
    edits
}

/// The name a rename gives a note or a heading, trimmed; an error when a link could not name it.
pub fn new_link_name(new_name: &str) -> Result<&str, String> {
    let new_name = new_name.trim();
    if new_name.is_empty() || new_name.contains(['[', ']', '|', '#', '^']) {
        return Err(format!("`{new_name}` cannot be a link target"));
    }
    Ok(new_name)
}

/// The path note `id` gets when renamed to `new_name` (in the same folder); an error when the
/// name holds a folder, or the path is taken.
pub fn renamed_note_path(vault: &Vault, id: NoteId, new_name: &str) -> Result<String, String> {
    if new_name.contains(['/', '\\']) {
        return Err("a new note name cannot contain a folder".to_string());
    }
    let entry = vault.entry(id).ok_or("the note is gone")?;
    let new_path = match entry.path.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/{new_name}.md"),
        None => format!("{new_name}.md"),
    };
    if vault.id_of(&new_path).is_some() {
        return Err(format!("a note `{new_path}` already exists"));
    }
    Ok(new_path)
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
        // In the note that holds it, the heading itself is renamed too.
        let edits = rename_heading_edits(
            target_text,
            &t,
            "dir/old.md",
            &v,
            Some(id),
            HeadingRename {
                target: id,
                old: "Part One",
                new: "Intro",
            },
        );
        assert_eq!(
            apply_edits(target_text, &edits),
            "---\naliases: [Old Alias]\n---\n# Intro\n"
        );
    }

    #[test]
    fn markdown_and_property_links_are_renamed_as_written() {
        let mut v = Vault::new(&Config::default().links);
        let target_text = "# Part One\n";
        let t = parse(target_text);
        let id = v.upsert(NoteEntry::from_note("dir/Old Note.md", &t, target_text));
        let text = "---\nrelated: \"[[Old Note#Part One]]\"\nup: ['[[dir/Old Note|up]]']\n---\n\
                    [a](Old%20Note.md) [b](<dir/Old Note.md#Part One>) [c](Old%20Note#Part%20One) \
                    [d](https://x.org/Old%20Note.md)\n";
        let note = parse(text);
        v.upsert(NoteEntry::from_note("a.md", &note, text));
        let edits = rename_note_edits(text, &note, "a.md", &v, id, "New Name");
        assert_eq!(
            apply_edits(text, &edits),
            "---\nrelated: \"[[New Name#Part One]]\"\nup: ['[[dir/New Name|up]]']\n---\n\
             [a](New%20Name.md) [b](<dir/New Name.md#Part One>) [c](New%20Name#Part%20One) \
             [d](https://x.org/Old%20Note.md)\n"
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
                new: "First (part)",
            },
        );
        assert_eq!(
            apply_edits(text, &edits),
            "---\nrelated: \"[[Old Note#First (part)]]\"\nup: ['[[dir/Old Note|up]]']\n---\n\
             [a](Old%20Note.md) [b](<dir/Old Note.md#First (part)>) [c](Old%20Note#First%20%28part%29) \
             [d](https://x.org/Old%20Note.md)\n"
        );
    }

    #[test]
    fn a_new_name_must_be_a_link_name_without_a_folder_and_free() {
        assert_eq!(new_link_name("  new  "), Ok("new"));
        assert!(new_link_name("a|b").is_err() && new_link_name(" ").is_err());
        let mut v = Vault::new(&Config::default().links);
        let id = v.upsert(NoteEntry::from_note("dir/old.md", &parse(""), ""));
        v.upsert(NoteEntry::from_note("dir/taken.md", &parse(""), ""));
        assert_eq!(
            renamed_note_path(&v, id, "new"),
            Ok("dir/new.md".to_string())
        );
        assert!(renamed_note_path(&v, id, "taken").is_err());
        assert!(renamed_note_path(&v, id, "sub/new").is_err());
    }
}
