//! The vault: every note's name, path, title, aliases and headings, indexed for link
//! resolution. It holds no note text. Notes can be added, replaced and removed one at a time
//! (the language server does this on every edit) without rebuilding the index.

use std::borrow::Cow;

use crate::config::{LinkResolution, LinksConfig};
use crate::syntax::{Frontmatter, Note};
use crate::text::loose_key;

/// A note's handle in its vault; stable until the note is removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NoteId(u32);

impl NoteId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

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
pub struct Headings(std::sync::OnceLock<Vec<String>>);

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

/// Where a link target leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    Note(NoteId),
    /// A non-Markdown file of the vault (an image, a PDF).
    Attachment,
    /// Several notes match and none is preferred.
    Ambiguous(Vec<NoteId>),
    NotFound,
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
    by_name: HashMap<NameKey, NameSlot>,
    /// Loose key (letters and digits, lowercase) of the name → notes, for suggestions.
    by_loose: HashMap<String, Ids>,
}

/// Name keys up to this many bytes are held in [`Vault::by_name`]'s own slots (95% of the note
/// names of a generated vault).
const INLINE_NAME: usize = 62;

/// A key of [`Vault::by_name`], as bytes: held in the map's slot itself when short, so that a
/// lookup that finds its key compares it where it found it rather than behind a pointer (one
/// cache miss fewer per link that resolves). Hashes and compares as its bytes, and is looked up
/// by `&[u8]`.
#[derive(Debug, Clone)]
enum NameKey {
    Inline { len: u8, bytes: [u8; INLINE_NAME] },
    Heap(Box<[u8]>),
}

impl NameKey {
    fn new(key: String) -> Self {
        let b = key.as_bytes();
        let mut bytes = [0u8; INLINE_NAME];
        match (bytes.get_mut(..b.len()), u8::try_from(b.len())) {
            (Some(inline), Ok(len)) => {
                inline.copy_from_slice(b);
                NameKey::Inline { len, bytes }
            }
            _ => NameKey::Heap(key.into_bytes().into_boxed_slice()),
        }
    }

    fn as_bytes(&self) -> &[u8] {
        match self {
            NameKey::Inline { len, bytes } => bytes.get(..usize::from(*len)).unwrap_or(&[]),
            NameKey::Heap(b) => b,
        }
    }
}

impl PartialEq for NameKey {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for NameKey {}

/// As its bytes hash, so that a lookup by `&[u8]` finds it.
impl std::hash::Hash for NameKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_bytes().hash(state);
    }
}

impl std::borrow::Borrow<[u8]> for NameKey {
    fn borrow(&self) -> &[u8] {
        self.as_bytes()
    }
}

/// What one name key leads to (see [`Vault::by_name`]); never all empty in the map.
#[derive(Debug, Clone)]
struct NameSlot {
    names: Ids,
    aliases: Ids,
    attachments: usize,
    /// Whether the key is ASCII without `/` or `\`. A link target found as it is under such a
    /// key is its own key (no key has ASCII upper case, and ASCII keys lowercase to
    /// themselves) and is a bare name.
    plain: bool,
}

impl NameSlot {
    fn new(key: &[u8]) -> Self {
        NameSlot {
            names: Ids::None,
            aliases: Ids::None,
            attachments: 0,
            plain: key.is_ascii() && !key.iter().any(|&b| b == b'/' || b == b'\\'),
        }
    }

    fn is_empty(&self) -> bool {
        self.names.as_slice().is_empty()
            && self.aliases.as_slice().is_empty()
            && self.attachments == 0
    }

    /// The notes a bare name leads to: those with that file name, else those with that alias.
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
}

impl Vault {
    pub fn new(links: &LinksConfig) -> Self {
        Vault {
            links: LinksConfigOwned {
                resolution: links.resolution,
                case_sensitive: links.case_sensitive,
            },
            ..Vault::default()
        }
    }

    pub fn len(&self) -> usize {
        self.by_path.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }

    /// How names are compared: case-folded unless configured case-sensitive.
    fn key(&self, s: &str) -> String {
        self.with_key(s, str::to_string)
    }

    /// Calls `f` with the key of `s` (see [`Vault::key`]), allocating only for a key that is
    /// not ASCII or is longer than [`INLINE_KEY`] bytes.
    fn with_key<R>(&self, s: &str, f: impl FnOnce(&str) -> R) -> R {
        let s = s.trim();
        if self.links.case_sensitive {
            return f(s);
        }
        fold_key(s, Shape::of(s), f)
    }

    pub fn entry(&self, id: NoteId) -> Option<&NoteEntry> {
        self.entries.get(id.index()).and_then(|e| e.as_ref())
    }

    /// The note stored at exactly `path` (vault-relative, `/`-separated, with `.md`).
    pub fn id_of(&self, path: &str) -> Option<NoteId> {
        self.by_path.get(path).copied()
    }

    fn by_path_key(&self, path: &str) -> &[NoteId] {
        self.with_key(path, |k| ids_of(&self.by_path_key, k))
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
            path_key: self.key(strip_md(&entry.path)),
            name_key: self.key(&entry.name),
            loose: with_loose_key(&entry.name, str::to_string),
            alias_keys: entry.aliases.iter().map(|a| self.key(a)).collect(),
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

    /// Sets the headings and link targets of note `id` (neither is indexed, so nothing is
    /// re-indexed): the second pass of a vault indexed from frontmatter first.
    pub fn set_body(&mut self, id: NoteId, headings: Vec<String>, link_targets: Vec<String>) {
        if let Some(Some(e)) = self.entries.get_mut(id.index()) {
            e.headings = headings.into();
            e.link_targets = link_targets;
        }
    }

    /// Sets the headings of note `id` unless they are known already: a check learns them as
    /// it parses the notes, in parallel, and before checking a note learns those of the notes
    /// its `[[note#heading]]` links lead to (see [`crate::rules::heading_link_targets`]).
    pub fn learn_headings(&self, id: NoteId, headings: impl FnOnce() -> Vec<String>) {
        if let Some(Some(e)) = self.entries.get(id.index()) {
            if !e.headings.is_known() {
                // Two threads may compute them at once; both from the same file.
                let _ = e.headings.0.set(headings());
            }
        }
    }

    /// Whether the headings of note `id` are known (see [`Vault::learn_headings`]).
    pub fn knows_headings(&self, id: NoteId) -> bool {
        self.entry(id).is_some_and(|e| e.headings.is_known())
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
        let key = self.key(name);
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
        self.by_name
            .entry(NameKey::new(key))
            .or_insert_with_key(|k| NameSlot::new(k.as_bytes()))
    }

    fn unindex(&mut self, id: NoteId) {
        let Some(e) = self.entries.get(id.index()).and_then(|e| e.as_ref()) else {
            return;
        };
        let path = e.path.clone();
        let path_key = self.key(strip_md(&e.path));
        let name_key = self.key(&e.name);
        let loose = loose_key(&e.name);
        let alias_keys: Vec<String> = e.aliases.iter().map(|a| self.key(a)).collect();
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
        if let Some(slot) = self.by_name.get_mut(key.as_bytes()) {
            remove(slot);
            if slot.is_empty() {
                self.by_name.remove(key.as_bytes());
            }
        }
    }

    /// Resolves `target` (as written in a link, without `#fragment`) from the note at
    /// `from_path`. Purely an index lookup: no file is ever opened, and a path that leaves the
    /// vault (`../../etc/passwd`) resolves to nothing.
    pub fn resolve(&self, from_path: &str, target: &str) -> Resolution {
        let target = target.trim();
        if self.links.resolution == LinkResolution::Shortest {
            if let Some(r) = self.resolve_name(from_path, target) {
                return r;
            }
        }
        self.resolve_path(from_path, target)
    }

    /// [`Vault::resolve`] of a trimmed `target` in the shortest mode when it has no `/` or `\`
    /// (almost every link): a name, else an alias, else an attachment, all under one key.
    /// `None` for a target with a slash.
    fn resolve_name(&self, from_path: &str, target: &str) -> Option<Resolution> {
        let target = strip_md(target);
        if target.is_empty() {
            return Some(
                self.id_of(from_path)
                    .map_or(Resolution::NotFound, Resolution::Note),
            );
        }
        let key = target.trim();
        // Most targets are written as their key: looked up as they are first, and the key
        // computed (after a look at the bytes) only when that finds nothing.
        let slot = match self.by_name.get(key.as_bytes()) {
            Some(slot) if slot.plain => slot,
            found => {
                let shape = Shape::of(key);
                if shape.slash {
                    return None;
                }
                let slot = if self.links.case_sensitive || !shape.folds {
                    // `key` is its own key.
                    found
                } else {
                    fold_key(key, shape, |k| self.by_name.get(k.as_bytes()))
                };
                match slot {
                    Some(slot) => slot,
                    None => return Some(Resolution::NotFound),
                }
            }
        };
        Some(match slot.notes() {
            [] if target.contains('.') && slot.attachments > 0 => Resolution::Attachment,
            [] => Resolution::NotFound,
            &[id] => Resolution::Note(id),
            ids => self.pick(target, ids.to_vec()),
        })
    }

    /// [`Vault::resolve`] of any trimmed target in any mode.
    fn resolve_path(&self, from_path: &str, target: &str) -> Resolution {
        let target: Cow<'_, str> = if target.contains('\\') {
            Cow::Owned(target.replace('\\', "/"))
        } else {
            Cow::Borrowed(target)
        };
        let target = strip_md(&target);
        if target.is_empty() {
            return self
                .id_of(from_path)
                .map_or(Resolution::NotFound, Resolution::Note);
        }
        let has_slash = target.contains('/');
        let explicit_relative = target.starts_with("./") || target.starts_with("../");
        // The slot of the target's key, once looked up (a target without `/` only).
        let mut slot: Option<Option<&NameSlot>> = None;
        let mut candidates: Cow<'_, [NoteId]> = if let Some(abs) = target.strip_prefix('/') {
            Cow::Borrowed(normalize(abs).map_or(&[][..], |p| self.by_path_key(&p)))
        } else if explicit_relative || self.links.resolution == LinkResolution::Relative {
            let dir = from_path.rsplit_once('/').map_or("", |(d, _)| d);
            let joined = if dir.is_empty() {
                Cow::Borrowed(target)
            } else {
                Cow::Owned(format!("{dir}/{target}"))
            };
            Cow::Borrowed(normalize(&joined).map_or(&[][..], |p| self.by_path_key(&p)))
        } else if self.links.resolution == LinkResolution::Absolute {
            Cow::Borrowed(normalize(target).map_or(&[][..], |p| self.by_path_key(&p)))
        } else if has_slash {
            // Shortest: a partial path names the notes whose path ends with it.
            let mut found = Vec::new();
            if let Some(p) = normalize(target) {
                let key = self.key(&p);
                let last = key.rsplit('/').next().unwrap_or(&key);
                let named = self.by_name.get(last.as_bytes());
                for &id in named.map_or(&[][..], |s| s.names.as_slice()) {
                    let Some(e) = self.entry(id) else { continue };
                    let pk = self.key(strip_md(&e.path));
                    if pk == key || pk.ends_with(&format!("/{key}")) {
                        found.push(id);
                    }
                }
            }
            Cow::Owned(found)
        } else {
            // A name, else an alias (as below): one key for both.
            let s = self.with_key(target, |k| self.by_name.get(k.as_bytes()));
            slot = Some(s);
            Cow::Borrowed(s.map_or(&[][..], NameSlot::notes))
        };
        if candidates.is_empty() && !has_slash && slot.is_none() {
            // Aliases name notes in every mode, as in Obsidian.
            let s = self.with_key(target, |k| self.by_name.get(k.as_bytes()));
            slot = Some(s);
            candidates = Cow::Borrowed(s.map_or(&[][..], |s| s.aliases.as_slice()));
        }
        match *candidates {
            [] => {
                let last = target.rsplit('/').next().unwrap_or(target);
                if last.contains('.')
                    && slot
                        .unwrap_or_else(|| self.with_key(last, |k| self.by_name.get(k.as_bytes())))
                        .is_some_and(|s| s.attachments > 0)
                {
                    Resolution::Attachment
                } else {
                    Resolution::NotFound
                }
            }
            [id] => Resolution::Note(id),
            _ => self.pick(target, candidates.into_owned()),
        }
    }

    /// The resolution of `target` to several candidates (some possibly the same note).
    fn pick(&self, target: &str, mut candidates: Vec<NoteId>) -> Resolution {
        candidates.sort();
        candidates.dedup();
        match candidates[..] {
            [id] => Resolution::Note(id),
            _ => self.prefer_exact_case(target, candidates),
        }
    }

    /// Among several case-insensitive matches, one whose name is written exactly as the link
    /// wins (Obsidian and Quartz prefer it too).
    fn prefer_exact_case(&self, target: &str, candidates: Vec<NoteId>) -> Resolution {
        let last = target.rsplit('/').next().unwrap_or(target).trim();
        let exact: Vec<NoteId> = candidates
            .iter()
            .copied()
            .filter(|&id| {
                self.entry(id)
                    .is_some_and(|e| e.name == last || e.aliases.iter().any(|a| a == last))
            })
            .collect();
        if exact.len() == 1 {
            Resolution::Note(exact[0])
        } else {
            Resolution::Ambiguous(candidates)
        }
    }

    /// Notes whose name equals `target`'s after ignoring case, spaces, `_`/`-` and punctuation.
    pub fn loose_matches(&self, target: &str) -> &[NoteId] {
        let target = strip_md(target.trim());
        let last = target.rsplit('/').next().unwrap_or(target);
        with_loose_key(last, |key| {
            if key.is_empty() {
                &[]
            } else {
                ids_of(&self.by_loose, key)
            }
        })
    }

    /// Notes with a link that resolves to `id`, with the index of that link in their entry.
    /// Costs one resolution per link in the vault.
    pub fn backlinks(&self, id: NoteId) -> Vec<(NoteId, usize)> {
        let mut out = Vec::new();
        for (from, e) in self.notes() {
            for (i, t) in e.link_targets.iter().enumerate() {
                if self.resolve(&e.path, t) == Resolution::Note(id) {
                    out.push((from, i));
                }
            }
        }
        out
    }
}

fn remove_from(map: &mut HashMap<String, Ids>, key: &str, id: NoteId) {
    if let Some(ids) = map.get_mut(key) {
        if ids.remove(id) {
            map.remove(key);
        }
    }
}

/// Keys up to this many bytes are computed on the stack.
const INLINE_KEY: usize = 256;

/// What a key's computation needs to know of a string.
#[derive(Debug, Clone, Copy)]
struct Shape {
    /// Has a `/` or a `\`.
    slash: bool,
    /// Has an ASCII upper-case letter or a non-ASCII byte: its key may differ from it.
    folds: bool,
}

impl Shape {
    /// The shape of `s`, found eight bytes at a time (link targets are mostly 20 to 60 bytes:
    /// too short for the compiler's vector loops, which start at 64).
    fn of(s: &str) -> Shape {
        const LO: u64 = 0x0101_0101_0101_0101;
        const HI: u64 = 0x8080_8080_8080_8080;
        let (mut zeros, mut folds) = (0u64, 0u64);
        let mut add = |w: u64| {
            // `(x - LO) & !x` has the high bit of some byte set iff some byte of `x` is zero
            // (exact as a whole; the `& HI` is applied once, at the end).
            let slash = w ^ (LO * u64::from(b'/'));
            let backslash = w ^ (LO * u64::from(b'\\'));
            zeros |= (slash.wrapping_sub(LO) & !slash) | (backslash.wrapping_sub(LO) & !backslash);
            // Per byte, with its high bit set first so that no subtraction borrows from the
            // next byte: the high bit stays set iff the byte is at least `A` (resp. past `Z`).
            // A non-ASCII byte counts whatever the subtractions say, through `| w`.
            let ge_a = (w | HI).wrapping_sub(LO * u64::from(b'A'));
            let gt_z = (w | HI).wrapping_sub(LO * u64::from(b'Z' + 1));
            folds |= (ge_a & !gt_z) | w;
        };
        let bytes = s.as_bytes();
        if bytes.len() >= 8 {
            let word = |c: &[u8]| u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
            let mut chunks = bytes.chunks_exact(8);
            for c in &mut chunks {
                add(word(c));
            }
            if !chunks.remainder().is_empty() {
                // The last eight bytes, overlapping the last chunk: a byte counted twice
                // changes no "has a".
                add(word(&bytes[bytes.len() - 8..]));
            }
        } else {
            // Padded with zero bytes, which are neither slashes nor fold.
            let mut w = 0u64;
            for (i, &b) in bytes.iter().enumerate() {
                w |= u64::from(b) << (8 * i);
            }
            add(w);
        }
        Shape {
            slash: zeros & HI != 0,
            folds: folds & HI != 0,
        }
    }
}

/// Calls `f` with the case-insensitive key of the trimmed `s` (`s.to_lowercase()`), given the
/// [`Shape`] of `s` or of a string `s` is part of. Allocates only for a key that is not ASCII
/// or is longer than [`INLINE_KEY`] bytes.
fn fold_key<R>(s: &str, shape: Shape, f: impl FnOnce(&str) -> R) -> R {
    if !shape.folds {
        return f(s);
    }
    if !s.is_ascii() {
        return f(&s.to_lowercase());
    }
    // ASCII lowercases byte by byte, as `to_lowercase` does it.
    let mut buf = [0u8; INLINE_KEY];
    if let Some(b) = buf.get_mut(..s.len()) {
        b.copy_from_slice(s.as_bytes());
        b.make_ascii_lowercase();
        if let Ok(k) = std::str::from_utf8(b) {
            return f(k);
        }
    }
    f(&s.to_ascii_lowercase())
}

/// Each ASCII byte's part in a [`loose_key`]: itself in lower case if it is a letter or a digit,
/// else 0 (none).
const LOOSE: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    t
};

/// Calls `f` with [`loose_key`] of `s`, without an allocation when `s` is short ASCII.
fn with_loose_key<R>(s: &str, f: impl FnOnce(&str) -> R) -> R {
    if s.len() <= INLINE_KEY && s.is_ascii() {
        // For ASCII, `is_alphanumeric` and `to_lowercase` are their ASCII forms. Every byte is
        // written, and only those kept advance: no branch per byte. (`n` stays below
        // `s.len()`, so the modulo never wraps; it only spares a bounds check.)
        let mut buf = [0u8; INLINE_KEY];
        let mut n = 0;
        for &b in s.as_bytes() {
            let l = LOOSE[usize::from(b & 0x7f)];
            buf[n % INLINE_KEY] = l;
            n += usize::from(l != 0);
        }
        if let Ok(k) = std::str::from_utf8(&buf[..n]) {
            return f(k);
        }
    }
    f(&loose_key(s))
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

/// Resolves `.` and `..` in a `/`-separated relative path; `None` when it climbs out of the
/// vault.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part.trim() {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            _ => parts.push(part.trim()),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod name_key_tests {
    use super::{NameKey, INLINE_NAME};
    use std::hash::BuildHasher;

    proptest::proptest! {
        /// A key reads back as the string it was made of, inline or not, and hashes as its
        /// bytes (which the map's lookups by `&[u8]` rely on).
        #[test]
        fn name_key_is_its_bytes(key in "[a-zé_/ ]{0,80}") {
            let k = NameKey::new(key.clone());
            proptest::prop_assert_eq!(k.as_bytes(), key.as_bytes());
            proptest::prop_assert_eq!(
                matches!(k, NameKey::Inline { .. }),
                key.len() <= INLINE_NAME
            );
            let s = foldhash::fast::FixedState::with_seed(7);
            proptest::prop_assert_eq!(s.hash_one(&k), s.hash_one(key.as_bytes()));
            proptest::prop_assert!(k == NameKey::new(key.clone()));
        }
    }

    #[test]
    fn name_keys_at_the_inline_limit() {
        for n in [
            0,
            1,
            INLINE_NAME - 1,
            INLINE_NAME,
            INLINE_NAME + 1,
            255,
            256,
            300,
        ] {
            let key = "x".repeat(n);
            let k = NameKey::new(key.clone());
            assert_eq!(k.as_bytes(), key.as_bytes(), "{n}");
            assert_eq!(matches!(k, NameKey::Inline { .. }), n <= INLINE_NAME, "{n}");
        }
        assert_eq!(std::mem::size_of::<NameKey>(), 64);
    }
}
