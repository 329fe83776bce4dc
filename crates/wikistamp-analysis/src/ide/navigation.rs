//! What is under the cursor and where it leads.

use std::ops::Range;

use crate::syntax::Note;
use crate::text::loose_key;
use crate::vault::{Resolution, Vault};

/// An element of a note at an offset, by its index in the note's lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Link(usize),
    Citation(usize),
    Heading(usize),
}

/// The link, citation or heading containing `offset` (its end included, so a cursor just
/// after `]]` still names the link).
pub fn item_at(note: &Note, offset: usize) -> Option<Item> {
    let inside = |r: &Range<usize>| r.start <= offset && offset <= r.end;
    if let Some(i) = note.links.iter().position(|l| inside(&l.range)) {
        return Some(Item::Link(i));
    }
    if let Some(i) = note.citations.iter().position(|c| inside(&c.range)) {
        return Some(Item::Citation(i));
    }
    note.headings
        .iter()
        .position(|h| inside(&h.range))
        .map(Item::Heading)
}

/// The index of the heading a link fragment names (`Outer#Inner` names `Inner`), matched
/// as the `link-heading-missing` rule does: ignoring case, spaces and punctuation.
pub fn find_heading<'h>(
    headings: impl IntoIterator<Item = &'h str>,
    fragment: &str,
) -> Option<usize> {
    let wanted = fragment.rsplit('#').next().unwrap_or(fragment);
    let key = loose_key(wanted);
    if key.is_empty() {
        return None;
    }
    headings.into_iter().position(|h| loose_key(h) == key)
}

/// Where the link's target leads from the note at `from_path`; an empty target is the note
/// itself.
pub fn resolve_link(
    vault: &Vault,
    from_path: &str,
    text: &str,
    note: &Note,
    link: usize,
) -> Resolution {
    let Some(l) = note.links.get(link) else {
        return Resolution::NotFound;
    };
    vault.resolve(from_path, &l.read(text, &l.target))
}

/// The first `max_lines` non-blank lines of the note's body (after the frontmatter), for
/// previews.
pub fn preview(text: &str, note: &Note, max_lines: usize) -> String {
    text.get(note.body_start..)
        .unwrap_or("")
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .take(max_lines)
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    #[test]
    fn items_and_headings() {
        let text = "---\ntitle: T\n---\n# Intro\nSee [[a#B c|x]] and more.\n\nSecond line\n";
        let note = parse(text);
        let at = text.find("[[").unwrap_or(0);
        assert_eq!(item_at(&note, at + 3), Some(Item::Link(0)));
        assert_eq!(
            item_at(&note, text.find("Intro").unwrap_or(0)),
            Some(Item::Heading(0))
        );
        assert_eq!(item_at(&note, text.find("more").unwrap_or(0)), None);
        assert_eq!(find_heading(["Intro", "B-C!"], "X#b c"), Some(1));
        assert_eq!(find_heading(["Intro"], ""), None);
        assert_eq!(
            preview(text, &note, 2),
            "# Intro\nSee [[a#B c|x]] and more."
        );
    }
}
