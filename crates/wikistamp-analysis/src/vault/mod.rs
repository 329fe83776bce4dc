//! The vault: every note's name, path, title, aliases and headings, indexed for link
//! resolution. It holds no note text. Notes can be added, replaced and removed one at a time
//! (the language server does this on every edit) without rebuilding the index.

pub mod loader;

use std::collections::HashMap;

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
    pub headings: Vec<String>,
    pub video_id: Option<String>,
    /// Targets of the note's wiki-links as written (for backlinks).
    pub link_targets: Vec<String>,
}

impl NoteEntry {
    /// Builds the entry for the note at `path` from its parse.
    pub fn from_note(path: &str, note: &Note, text: &str) -> Self {
        let mut entry = Self::from_frontmatter(path, note.frontmatter.as_ref());
        let (headings, link_targets) = Self::body(note, text);
        entry.headings = headings;
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
            headings: Vec::new(),
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

#[derive(Debug, Default)]
pub struct Vault {
    links: LinksConfigOwned,
    entries: Vec<Option<NoteEntry>>,
    free: Vec<u32>,
    /// Exact path (as stored) → note.
    by_path: HashMap<String, NoteId>,
    /// Path key (see [`Vault::key`]) without `.md` → notes; several when paths differ by case.
    by_path_key: HashMap<String, Vec<NoteId>>,
    /// Name key → notes with that file name.
    by_name: HashMap<String, Vec<NoteId>>,
    /// Alias key → notes with that alias.
    by_alias: HashMap<String, Vec<NoteId>>,
    /// Loose key (letters and digits, lowercase) of the name → notes, for suggestions.
    by_loose: HashMap<String, Vec<NoteId>>,
    /// Name keys (with extension) of non-Markdown files.
    attachments: HashMap<String, usize>,
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
        let s = s.trim();
        if self.links.case_sensitive {
            s.to_string()
        } else {
            s.to_lowercase()
        }
    }

    pub fn entry(&self, id: NoteId) -> Option<&NoteEntry> {
        self.entries.get(id.index()).and_then(|e| e.as_ref())
    }

    /// The note stored at exactly `path` (vault-relative, `/`-separated, with `.md`).
    pub fn id_of(&self, path: &str) -> Option<NoteId> {
        self.by_path.get(path).copied()
    }

    fn by_path_key(&self, path: &str) -> impl Iterator<Item = NoteId> + '_ {
        self.by_path_key
            .get(&self.key(path))
            .into_iter()
            .flatten()
            .copied()
    }

    pub fn notes(&self) -> impl Iterator<Item = (NoteId, &NoteEntry)> {
        self.entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.as_ref().map(|e| (NoteId(i as u32), e)))
    }

    /// Adds the note, or replaces the one at the same path. Returns its id.
    pub fn upsert(&mut self, entry: NoteEntry) -> NoteId {
        if let Some(id) = self.id_of(&entry.path) {
            self.unindex(id);
            self.index(id, &entry);
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
        self.index(id, &entry);
        self.entries[id.index()] = Some(entry);
        id
    }

    /// Sets the headings and link targets of note `id` (neither is indexed, so nothing is
    /// re-indexed): the second pass after [`loader::load_index`].
    pub fn set_body(&mut self, id: NoteId, headings: Vec<String>, link_targets: Vec<String>) {
        if let Some(Some(e)) = self.entries.get_mut(id.index()) {
            e.headings = headings;
            e.link_targets = link_targets;
        }
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
        *self.attachments.entry(self.key(name)).or_default() += 1;
    }

    fn index(&mut self, id: NoteId, e: &NoteEntry) {
        let path_key = self.key(strip_md(&e.path));
        self.by_path.insert(e.path.clone(), id);
        self.by_path_key.entry(path_key).or_default().push(id);
        let name_key = self.key(&e.name);
        let loose = loose_key(&e.name);
        let alias_keys: Vec<String> = e.aliases.iter().map(|a| self.key(a)).collect();
        self.by_name.entry(name_key).or_default().push(id);
        self.by_loose.entry(loose).or_default().push(id);
        for a in alias_keys {
            let ids = self.by_alias.entry(a).or_default();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }

    fn unindex(&mut self, id: NoteId) {
        let Some(e) = self.entries.get(id.index()).and_then(|e| e.clone()) else {
            return;
        };
        self.by_path.remove(&e.path);
        let path_key = self.key(strip_md(&e.path));
        remove_from(&mut self.by_path_key, &path_key, id);
        let name_key = self.key(&e.name);
        remove_from(&mut self.by_name, &name_key, id);
        remove_from(&mut self.by_loose, &loose_key(&e.name), id);
        for a in &e.aliases {
            let k = self.key(a);
            remove_from(&mut self.by_alias, &k, id);
        }
    }

    /// Resolves `target` (as written in a link, without `#fragment`) from the note at
    /// `from_path`. Purely an index lookup: no file is ever opened, and a path that leaves the
    /// vault (`../../etc/passwd`) resolves to nothing.
    pub fn resolve(&self, from_path: &str, target: &str) -> Resolution {
        let target = target.trim().replace('\\', "/");
        let target = strip_md(&target);
        if target.is_empty() {
            return self
                .id_of(from_path)
                .map_or(Resolution::NotFound, Resolution::Note);
        }
        let mut candidates: Vec<NoteId> = Vec::new();
        let explicit_relative = target.starts_with("./") || target.starts_with("../");
        if let Some(abs) = target.strip_prefix('/') {
            if let Some(p) = normalize(abs) {
                candidates.extend(self.by_path_key(&p));
            }
        } else if explicit_relative || self.links.resolution == LinkResolution::Relative {
            let dir = from_path.rsplit_once('/').map_or("", |(d, _)| d);
            let joined = if dir.is_empty() {
                target.to_string()
            } else {
                format!("{dir}/{target}")
            };
            if let Some(p) = normalize(&joined) {
                candidates.extend(self.by_path_key(&p));
            }
        } else if self.links.resolution == LinkResolution::Absolute {
            if let Some(p) = normalize(target) {
                candidates.extend(self.by_path_key(&p));
            }
        } else if target.contains('/') {
            // Shortest: a partial path names the notes whose path ends with it.
            if let Some(p) = normalize(target) {
                let key = self.key(&p);
                let last = key.rsplit('/').next().unwrap_or(&key).to_string();
                if let Some(ids) = self.by_name.get(&last) {
                    for &id in ids {
                        let Some(e) = self.entry(id) else { continue };
                        let pk = self.key(strip_md(&e.path));
                        if pk == key || pk.ends_with(&format!("/{key}")) {
                            candidates.push(id);
                        }
                    }
                }
            }
        } else {
            candidates.extend(self.by_name.get(&self.key(target)).into_iter().flatten());
        }
        if candidates.is_empty() && !target.contains('/') {
            // Aliases name notes in every mode, as in Obsidian.
            candidates.extend(self.by_alias.get(&self.key(target)).into_iter().flatten());
        }
        candidates.sort();
        candidates.dedup();
        match candidates.len() {
            0 => {
                let last = target.rsplit('/').next().unwrap_or(target);
                if last.contains('.') && self.attachments.contains_key(&self.key(last)) {
                    Resolution::Attachment
                } else {
                    Resolution::NotFound
                }
            }
            1 => Resolution::Note(candidates[0]),
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
        let key = loose_key(last);
        if key.is_empty() {
            return &[];
        }
        self.by_loose.get(&key).map_or(&[], |v| v.as_slice())
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

fn remove_from(map: &mut HashMap<String, Vec<NoteId>>, key: &str, id: NoteId) {
    if let Some(ids) = map.get_mut(key) {
        ids.retain(|&i| i != id);
        if ids.is_empty() {
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
