//! What the vault knows about one note, built from its path, frontmatter and parse.

use crate::syntax::{Frontmatter, Note};

use super::stem;

/// What the vault knows about one note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteEntry {
    /// Path relative to the vault root, `/`-separated, with its `.md` extension.
    pub path: String,
    /// The file name without `.md`: what a `[[link]]` names.
    pub name: String,
    pub title: Option<String>,
    pub aliases: Vec<String>,
    /// Heading texts in order.
    pub headings: Headings,
    pub video_id: Option<String>,
    /// Targets of the note's wiki-links as written (for backlinks).
    pub link_targets: Vec<String>,
}

impl NoteEntry {
    /// Builds the entry for the note at `path` from its parse.
    pub fn from_note(path: &str, note: &Note, text: &str) -> Self {
        let mut entry = Self::from_frontmatter(path, note.frontmatter.as_ref());
        let (headings, link_targets) = Self::body(note, text);
        entry.headings = headings.into();
        entry.link_targets = link_targets;
        entry
    }

    /// The entry as far as the note's path and frontmatter tell: no headings, no link targets.
    pub fn from_frontmatter(path: &str, fm: Option<&Frontmatter>) -> Self {
        NoteEntry {
            path: path.to_string(),
            name: stem(path).to_string(),
            title: fm.and_then(|f| f.title.as_ref()).map(|v| v.value.clone()),
            aliases: fm
                .map(|f| f.aliases.iter().map(|a| a.value.clone()).collect())
                .unwrap_or_default(),
            headings: Headings::default(),
            video_id: fm
                .and_then(|f| f.video_id.as_ref())
                .map(|v| v.value.clone()),
            link_targets: Vec::new(),
        }
    }

    /// The heading texts and link targets of a parsed note (the parts of an entry that come
    /// from its body).
    pub fn body(note: &Note, text: &str) -> (Vec<String>, Vec<String>) {
        let get = |r: &std::ops::Range<usize>| text.get(r.clone()).unwrap_or("").to_string();
        (
            Self::headings_of(note, text),
            note.links.iter().map(|l| get(&l.target)).collect(),
        )
    }

    /// The heading texts of a parsed note, in order.
    pub fn headings_of(note: &Note, text: &str) -> Vec<String> {
        note.headings
            .iter()
            .map(|h| text.get(h.text.clone()).unwrap_or("").to_string())
            .collect()
    }
}

/// A note's heading texts in order. A check's vault learns them only when a note is parsed
/// ([`Vault::learn_headings`], through a shared reference, in parallel): until then they are
/// unknown and read as none.
#[derive(Debug, Clone, Default)]
pub struct Headings(pub(super) std::sync::OnceLock<Vec<String>>);

impl Headings {
    /// Whether the headings were learnt (an entry built from frontmatter alone has none yet).
    pub fn is_known(&self) -> bool {
        self.0.get().is_some()
    }
}

impl std::ops::Deref for Headings {
    type Target = [String];

    fn deref(&self) -> &[String] {
        self.0.get().map_or(&[], Vec::as_slice)
    }
}

impl From<Vec<String>> for Headings {
    fn from(headings: Vec<String>) -> Self {
        Headings(std::sync::OnceLock::from(headings))
    }
}

/// Compared as the headings they read as (unknown ones as none).
impl PartialEq for Headings {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for Headings {}
