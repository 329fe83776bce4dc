//! The vault: every note's name, path, title, aliases and headings, indexed for link
//! resolution. It holds no note text. Notes can be added, replaced and removed one at a time
//! (the language server does this on every edit) without rebuilding the index.

mod entry;
mod resolve;

use std::borrow::Cow;
use std::sync::Arc;

use crate::config::{Flavor, LinkResolution, LinksConfig};
use crate::text::loose_key;
use crate::transcript::TranscriptFile;

pub use entry::{AnchorList, Anchors, NoteEntry};
pub use resolve::Resolution;

/// A note's handle in its vault; stable until the note is removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NoteId(u32);

impl NoteId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The vault's maps: keys are short names and paths, looked up several times per link, so they
/// hash with foldhash (fast on short strings, seeded per process) rather than SipHash.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

#[derive(Debug, Default)]
pub struct Vault {
    links: LinksConfigOwned,
    entries: Vec<Option<NoteEntry>>,
    free: Vec<u32>,
    /// Exact path (as stored) → note.
    by_path: HashMap<String, NoteId>,
    /// Path key (see [`Vault::key`]) without `.md` → notes; several when paths differ by case.
    by_path_key: HashMap<String, Ids>,
    /// Name key → the notes with that file name, those with that alias and the non-Markdown
    /// files with that name (their keys keep the extension): one map, so that a link target
    /// costs one lookup whether it names a note, an alias, an attachment or nothing.
    by_name: HashMap<String, NameSlot>,
    /// Loose key (letters and digits, lowercase) of the name → notes, for suggestions.
    by_loose: HashMap<String, Ids>,
    /// Video id → the video's transcript: every note of that video shares it (its length, its
    /// words). Shared (`Arc`) so that a re-indexed vault does not copy the cues.
    transcripts: HashMap<String, Arc<TranscriptFile>>,
}

/// What one name key leads to (see [`Vault::by_name`]); never all empty in the map.
#[derive(Debug, Clone, Default)]
struct NameSlot {
    names: Ids,
    aliases: Ids,
    attachments: usize,
}

impl NameSlot {
    fn is_empty(&self) -> bool {
        self.names.as_slice().is_empty()
            && self.aliases.as_slice().is_empty()
            && self.attachments == 0
    }

    /// The notes a bare name leads to in Quartz: those with that file name, else those with
    /// that alias.
    fn notes(&self) -> &[NoteId] {
        match self.names.as_slice() {
            [] => self.aliases.as_slice(),
            ids => ids,
        }
    }
}

/// The notes under one key, in the order they were indexed. Almost every key names one note,
/// which is then held without an allocation of its own.
#[derive(Debug, Clone, Default)]
enum Ids {
    #[default]
    None,
    One(NoteId),
    Many(Vec<NoteId>),
}

impl Ids {
    fn as_slice(&self) -> &[NoteId] {
        match self {
            Ids::None => &[],
            Ids::One(id) => std::slice::from_ref(id),
            Ids::Many(ids) => ids,
        }
    }

    /// Adds `id` unless it is there already (a note is indexed once under each key: an alias
    /// listed twice counts once).
    fn add(&mut self, id: NoteId) {
        match self {
            Ids::None => *self = Ids::One(id),
            Ids::One(first) if *first == id => {}
            Ids::One(first) => *self = Ids::Many(vec![*first, id]),
            Ids::Many(ids) if ids.contains(&id) => {}
            Ids::Many(ids) => ids.push(id),
        }
    }

    /// Removes `id`; whether none is left.
    fn remove(&mut self, id: NoteId) -> bool {
        match self {
            Ids::None => {}
            Ids::One(one) => {
                if *one == id {
                    *self = Ids::None;
                }
            }
            Ids::Many(ids) => {
                ids.retain(|&i| i != id);
                if ids.is_empty() {
                    *self = Ids::None;
                }
            }
        }
        self.as_slice().is_empty()
    }
}

/// The ids under `key` in `map` (none when absent).
fn ids_of<'m>(map: &'m HashMap<String, Ids>, key: &str) -> &'m [NoteId] {
    map.get(key).map_or(&[], Ids::as_slice)
}

/// A [`NoteEntry`] with the keys it is indexed under, computed by [`Vault::prepare`] (which
/// only reads the vault, so many entries can be prepared in parallel) for a cheap
/// [`Vault::upsert_prepared`].
#[derive(Debug, Clone)]
pub struct PreparedEntry {
    entry: NoteEntry,
    keys: EntryKeys,
}

impl PreparedEntry {
    pub fn entry(&self) -> &NoteEntry {
        &self.entry
    }
}

#[derive(Debug, Clone)]
struct EntryKeys {
    /// The vault setting the keys were computed under.
    case_sensitive: bool,
    path: String,
    path_key: String,
    name_key: String,
    loose: String,
    alias_keys: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default)]
struct LinksConfigOwned {
    resolution: LinkResolution,
    case_sensitive: bool,
    flavor: Flavor,
}

impl Vault {
    pub fn new(links: &LinksConfig) -> Self {
        Vault {
            links: LinksConfigOwned {
                resolution: links.resolution,
                case_sensitive: links.case_sensitive,
                flavor: links.flavor,
            },
            ..Vault::default()
        }
    }

    pub fn len(&self) -> usize {
        self.by_path.len()
    }

    /// Learns the transcript of video `video_id`, replacing the one it had.
    pub fn set_transcript(&mut self, video_id: &str, transcript: Arc<TranscriptFile>) {
        self.transcripts.insert(video_id.to_string(), transcript);
    }

    /// Forgets the transcript of video `video_id`.
    pub fn remove_transcript(&mut self, video_id: &str) {
        self.transcripts.remove(video_id);
    }

    /// The transcript of video `video_id`, if the vault has one.
    pub fn transcript(&self, video_id: &str) -> Option<&TranscriptFile> {
        self.transcripts.get(video_id).map(|t| &**t)
    }

    /// The length of video `video_id` in whole seconds (rounded up) as its transcript gives
    /// it: where its last caption ends.
    pub fn video_length(&self, video_id: &str) -> Option<u64> {
        Some(
            self.transcript(video_id)?
                .transcript
                .end_ms()?
                .div_ceil(1000),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }

    /// How names are compared: trimmed, and case-folded unless configured case-sensitive. Most
    /// names are their own key (no upper case, ASCII): those are not copied.
    fn key<'s>(&self, s: &'s str) -> Cow<'s, str> {
        let s = s.trim();
        if self.links.case_sensitive || !s.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii())
        {
            Cow::Borrowed(s)
        } else {
            Cow::Owned(s.to_lowercase())
        }
    }

    /// The slot of `s`'s key in [`Vault::by_name`].
    fn name_slot_of(&self, s: &str) -> Option<&NameSlot> {
        self.by_name.get(&*self.key(s))
    }

    pub fn entry(&self, id: NoteId) -> Option<&NoteEntry> {
        self.entries.get(id.index()).and_then(|e| e.as_ref())
    }

    /// The note stored at exactly `path` (vault-relative, `/`-separated, with `.md`).
    pub fn id_of(&self, path: &str) -> Option<NoteId> {
        self.by_path.get(path).copied()
    }

    fn by_path_key(&self, path: &str) -> &[NoteId] {
        ids_of(&self.by_path_key, &self.key(path))
    }

    pub fn notes(&self) -> impl Iterator<Item = (NoteId, &NoteEntry)> {
        self.entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.as_ref().map(|e| (NoteId(i as u32), e)))
    }

    /// Adds the note, or replaces the one at the same path. Returns its id.
    pub fn upsert(&mut self, entry: NoteEntry) -> NoteId {
        let prepared = self.prepare(entry);
        self.upsert_prepared(prepared)
    }

    /// Computes the keys `entry` is indexed under. Reads the vault's settings only: entries
    /// can be prepared in parallel, then added one by one with [`Vault::upsert_prepared`].
    pub fn prepare(&self, entry: NoteEntry) -> PreparedEntry {
        let keys = EntryKeys {
            case_sensitive: self.links.case_sensitive,
            path: entry.path.clone(),
            path_key: self.key(strip_md(&entry.path)).into_owned(),
            name_key: self.key(&entry.name).into_owned(),
            loose: loose_key(&entry.name),
            alias_keys: entry
                .aliases
                .iter()
                .map(|a| self.key(a).into_owned())
                .collect(),
        };
        PreparedEntry { entry, keys }
    }

    /// [`Vault::upsert`] of a prepared entry.
    pub fn upsert_prepared(&mut self, prepared: PreparedEntry) -> NoteId {
        let PreparedEntry { entry, keys } =
            if prepared.keys.case_sensitive == self.links.case_sensitive {
                prepared
            } else {
                // Prepared by a vault that compares names otherwise.
                self.prepare(prepared.entry)
            };
        if let Some(id) = self.id_of(&entry.path) {
            self.unindex(id);
            self.index(id, keys);
            self.entries[id.index()] = Some(entry);
            return id;
        }
        let id = match self.free.pop() {
            Some(i) => NoteId(i),
            None => {
                self.entries.push(None);
                NoteId((self.entries.len() - 1) as u32)
            }
        };
        self.index(id, keys);
        self.entries[id.index()] = Some(entry);
        id
    }

    /// Makes room for `additional` more notes.
    pub fn reserve(&mut self, additional: usize) {
        self.entries.reserve(additional);
        self.by_path.reserve(additional);
        self.by_path_key.reserve(additional);
        self.by_name.reserve(additional);
        self.by_loose.reserve(additional);
    }

    /// Sets the anchors and link targets of note `id` (neither is indexed, so nothing is
    /// re-indexed): the second pass of a vault indexed from frontmatter first.
    pub fn set_body(&mut self, id: NoteId, anchors: AnchorList, link_targets: Vec<String>) {
        if let Some(Some(e)) = self.entries.get_mut(id.index()) {
            e.anchors = anchors.into();
            e.link_targets = link_targets;
        }
    }

    /// Sets the anchors of note `id` unless they are known already: a check learns them as
    /// it parses the notes, in parallel, and before checking a note learns those of the notes
    /// its `[[note#fragment]]` links lead to (see [`crate::rules::fragment_link_targets`]).
    pub fn learn_anchors(&self, id: NoteId, anchors: impl FnOnce() -> AnchorList) {
        if let Some(Some(e)) = self.entries.get(id.index()) {
            if !e.anchors.is_known() {
                // Two threads may compute them at once; both from the same file.
                let _ = e.anchors.0.set(anchors());
            }
        }
    }

    /// Whether the anchors of note `id` are known (see [`Vault::learn_anchors`]).
    pub fn knows_anchors(&self, id: NoteId) -> bool {
        self.entry(id).is_some_and(|e| e.anchors.is_known())
    }

    /// Removes the note at `path`; returns its entry.
    pub fn remove(&mut self, path: &str) -> Option<NoteEntry> {
        let id = self.id_of(path)?;
        self.unindex(id);
        self.free.push(id.0);
        self.entries[id.index()].take()
    }

    /// Records a non-Markdown file (by its path) so links to it resolve.
    pub fn add_attachment(&mut self, path: &str) {
        let name = path.rsplit('/').next().unwrap_or(path);
        let key = self.key(name).into_owned();
        self.name_slot(key).attachments += 1;
    }

    fn index(&mut self, id: NoteId, keys: EntryKeys) {
        self.by_path.insert(keys.path, id);
        self.by_path_key.entry(keys.path_key).or_default().add(id);
        self.name_slot(keys.name_key).names.add(id);
        self.by_loose.entry(keys.loose).or_default().add(id);
        for a in keys.alias_keys {
            self.name_slot(a).aliases.add(id);
        }
    }

    /// The slot of `key` in [`Vault::by_name`], added if missing.
    fn name_slot(&mut self, key: String) -> &mut NameSlot {
        self.by_name.entry(key).or_default()
    }

    fn unindex(&mut self, id: NoteId) {
        let Some(e) = self.entries.get(id.index()).and_then(|e| e.as_ref()) else {
            return;
        };
        let path = e.path.clone();
        let path_key = self.key(strip_md(&e.path)).into_owned();
        let name_key = self.key(&e.name).into_owned();
        let loose = loose_key(&e.name);
        let alias_keys: Vec<String> = e.aliases.iter().map(|a| self.key(a).into_owned()).collect();
        self.by_path.remove(&path);
        remove_from(&mut self.by_path_key, &path_key, id);
        remove_from(&mut self.by_loose, &loose, id);
        self.remove_name(&name_key, |slot| slot.names.remove(id));
        for k in &alias_keys {
            self.remove_name(k, |slot| slot.aliases.remove(id));
        }
    }

    /// Applies `remove` to the slot of `key`, and drops the slot once nothing is left in it.
    fn remove_name(&mut self, key: &str, remove: impl FnOnce(&mut NameSlot) -> bool) {
        if let Some(slot) = self.by_name.get_mut(key) {
            remove(slot);
            if slot.is_empty() {
                self.by_name.remove(key);
            }
        }
    }
}

fn remove_from(map: &mut HashMap<String, Ids>, key: &str, id: NoteId) {
    if let Some(ids) = map.get_mut(key) {
        if ids.remove(id) {
            map.remove(key);
        }
    }
}

/// `path` without a trailing `.md` (any case).
pub fn strip_md(path: &str) -> &str {
    let n = path.len();
    if n >= 3 && path.is_char_boundary(n - 3) && path[n - 3..].eq_ignore_ascii_case(".md") {
        &path[..n - 3]
    } else {
        path
    }
}

/// The file name of a `/`-separated path, without `.md`.
pub fn stem(path: &str) -> &str {
    strip_md(path.rsplit('/').next().unwrap_or(path))
}

#[cfg(test)]
mod tests;
