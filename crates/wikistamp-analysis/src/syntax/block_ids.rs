//! Block ids: Obsidian's `^id` at the end of a paragraph, list item or table row (after a
//! space), or alone on the line after a block. A `[[note#^id]]` link names one. Read on demand
//! (only a note that a block reference leads to needs its ids), not by [`super::parse`].

use std::ops::Range;

use super::{line_end, line_start, Excluded, Note};

/// The ids of `note`'s blocks (without `^`), in order, outside code and comments.
pub fn block_ids(text: &str, note: &Note) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let excluded = Excluded {
        ranges: note.excluded.clone(),
    };
    let mut ids = Vec::new();
    let mut pos = note.body_start;
    while let Some(found) = memchr::memchr(b'^', &bytes[pos..]) {
        let caret = pos + found;
        pos = caret + 1;
        if excluded.containing(caret).is_some() {
            continue;
        }
        // `^` starts the line or follows a space.
        let starts = caret == line_start(bytes, caret)
            || matches!(bytes.get(caret.wrapping_sub(1)), Some(b' ' | b'\t'));
        if !starts {
            continue;
        }
        let id_end = caret
            + 1
            + bytes[caret + 1..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
                .count();
        let end = line_end(bytes, caret);
        let rest_is_blank = bytes[id_end..end].iter().all(|b| matches!(b, b' ' | b'\t'));
        if id_end > caret + 1 && rest_is_blank {
            ids.push(caret + 1..id_end);
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn ids(text: &str) -> Vec<&str> {
        let note = parse(text);
        block_ids(text, &note)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn ends_of_blocks_and_lines_of_their_own() {
        let text =
            "A paragraph. ^para-1\n\n- an item ^item2\n\n> quoted\n\n^own\n\nx^not and 2^3 ^ no\n";
        assert_eq!(ids(text), ["para-1", "item2", "own"]);
    }

    #[test]
    fn not_in_code_or_comments() {
        let text = "```\ncode ^in-code\n```\n\n`span ^x` and %% ^c %%\n\nreal ^yes \r\n";
        assert_eq!(ids(text), ["yes"]);
    }

    #[test]
    fn not_in_frontmatter() {
        assert_eq!(ids("---\na: b ^fm\n---\nbody ^b\n"), ["b"]);
    }
}
