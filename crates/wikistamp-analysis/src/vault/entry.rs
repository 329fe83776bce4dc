//! What the vault knows about one note, built from its path, frontmatter and parse.

use crate::syntax::{block_ids, Frontmatter, Note};

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
    /// Heading texts and block ids: what a `[[note#fragment]]` can name.
    pub anchors: Anchors,
    pub video_id: Option<String>,
    /// Targets of the note's links as the apps read them (percent-decoded), for backlinks.
    pub link_targets: Vec<String>,
}

impl NoteEntry {
    /// Builds the entry for the note at `path` from its parse.
    pub fn from_note(path: &str, note: &Note, text: &str) -> Self {
        let mut entry = Self::from_frontmatter(path, note.frontmatter.as_ref());
        let (anchors, link_targets) = Self::body(note, text);
        entry.anchors = anchors.into();
        entry.link_targets = link_targets;
        entry
    }

    /// The entry as far as the note's path and frontmatter tell: no anchors, no link targets.
    pub fn from_frontmatter(path: &str, fm: Option<&Frontmatter>) -> Self {
        NoteEntry {
            path: path.to_string(),
            name: stem(path).to_string(),
            title: fm.and_then(|f| f.title.as_ref()).map(|v| v.value.clone()),
            aliases: fm
                .map(|f| f.aliases.iter().map(|a| a.value.clone()).collect())
                .unwrap_or_default(),
            anchors: Anchors::default(),
            video_id: fm
                .and_then(|f| f.video_id.as_ref())
                .map(|v| v.value.clone()),
            link_targets: Vec::new(),
        }
    }

    /// The anchors and link targets of a parsed note (the parts of an entry that come from its
    /// body).
    pub fn body(note: &Note, text: &str) -> (AnchorList, Vec<String>) {
        (
            Self::anchors_of(note, text),
            note.links
                .iter()
                .map(|l| l.read(text, &l.target).into_owned())
                .collect(),
        )
    }

    /// The heading texts and block ids of a parsed note, in order.
    pub fn anchors_of(note: &Note, text: &str) -> AnchorList {
        let get = |r: &std::ops::Range<usize>| text.get(r.clone()).unwrap_or("").to_string();
        AnchorList {
            headings: note.headings.iter().map(|h| get(&h.text)).collect(),
            block_ids: block_ids(text, note).iter().map(get).collect(),
        }
    }
}

/// What a `#fragment` can name in a note: its headings' texts and its block ids (without `^`),
/// each in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnchorList {
    pub headings: Vec<String>,
    pub block_ids: Vec<String>,
}

/// A note's [`AnchorList`]. A check's vault learns it only when a note is parsed
/// ([`Vault::learn_anchors`], through a shared reference, in parallel): until then it is
/// unknown and reads as empty.
#[derive(Debug, Clone, Default)]
pub struct Anchors(pub(super) std::sync::OnceLock<AnchorList>);

impl Anchors {
    /// Whether the anchors were learnt (an entry built from frontmatter alone has none yet).
    pub fn is_known(&self) -> bool {
        self.0.get().is_some()
    }

    /// The heading texts, in order.
    pub fn headings(&self) -> &[String] {
        self.0.get().map_or(&[], |a| &a.headings)
    }

    /// The block ids, without `^`, in order.
    pub fn block_ids(&self) -> &[String] {
        self.0.get().map_or(&[], |a| &a.block_ids)
    }
}

impl From<AnchorList> for Anchors {
    fn from(anchors: AnchorList) -> Self {
        Anchors(std::sync::OnceLock::from(anchors))
    }
}

/// Compared as the anchors they read as (unknown ones as none).
impl PartialEq for Anchors {
    fn eq(&self, other: &Self) -> bool {
        (self.headings(), self.block_ids()) == (other.headings(), other.block_ids())
    }
}

impl Eq for Anchors {}
