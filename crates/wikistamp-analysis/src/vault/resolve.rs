//! Link resolution: where a target as written in a link leads, by the vault's index alone.

use std::borrow::Cow;

use crate::config::{Flavor, LinkResolution};
use crate::text::loose_key;

use super::{ids_of, strip_md, NameSlot, NoteId, Vault};

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

impl Vault {
    /// Resolves `target` (as written in a link, without `#fragment`) from the note at
    /// `from_path`. Purely an index lookup: no file is ever opened, and a path that leaves the
    /// vault (`../../etc/passwd`) resolves to nothing.
    pub fn resolve(&self, from_path: &str, target: &str) -> Resolution {
        let target = target.trim();
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
        let obsidian = self.links.flavor == Flavor::Obsidian;
        // Whether the candidates were found by name (or by a partial path): the flavor's
        // app then picks one of several.
        let mut by_name = false;
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
        } else if has_slash && !obsidian {
            // Quartz compares a target with `/` to file names alone, which hold no `/`, and
            // then reads it as a path from the root (`transformLink`, quartz/util/path.ts).
            Cow::Borrowed(normalize(target).map_or(&[][..], |p| self.by_path_key(&p)))
        } else if has_slash {
            // Shortest: a partial path names the notes whose path ends with it.
            by_name = true;
            let mut found = Vec::new();
            if let Some(p) = normalize(target) {
                let key = self.key(&p);
                let last = key.rsplit('/').next().unwrap_or(&key);
                let named = self.by_name.get(last);
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
            // A name, else (Quartz) an alias: one key for both.
            by_name = true;
            let s = self.name_slot_of(target);
            slot = Some(s);
            Cow::Borrowed(match s {
                None => &[][..],
                Some(s) if obsidian => s.names.as_slice(),
                Some(s) => s.notes(),
            })
        };
        if candidates.is_empty() && !has_slash && slot.is_none() && !obsidian {
            // Quartz's aliases name notes in every mode (it publishes a page for each).
            let s = self.name_slot_of(target);
            slot = Some(s);
            candidates = Cow::Borrowed(s.map_or(&[][..], |s| s.aliases.as_slice()));
        }
        match *candidates {
            [] => {
                let last = target.rsplit('/').next().unwrap_or(target);
                if last.contains('.')
                    && slot
                        .unwrap_or_else(|| self.name_slot_of(last))
                        .is_some_and(|s| s.attachments > 0)
                {
                    Resolution::Attachment
                } else {
                    Resolution::NotFound
                }
            }
            [id] => Resolution::Note(id),
            _ => {
                let by_name = by_name && self.links.resolution == LinkResolution::Shortest;
                self.pick(from_path, target, by_name, candidates.into_owned())
            }
        }
    }

    /// The notes `target` (a bare name) names as an alias. Obsidian does not resolve those:
    /// `link-broken` offers the note's name instead.
    pub fn alias_owners(&self, target: &str) -> &[NoteId] {
        let target = strip_md(target.trim());
        if target.contains(['/', '\\']) {
            return &[];
        }
        self.name_slot_of(target)
            .map_or(&[][..], |s| s.aliases.as_slice())
    }

    /// The resolution of `target` to several candidates (some possibly the same note).
    /// `by_name`: found by name or partial path, where the flavor's app picks one.
    fn pick(
        &self,
        from_path: &str,
        target: &str,
        by_name: bool,
        mut candidates: Vec<NoteId>,
    ) -> Resolution {
        candidates.sort();
        candidates.dedup();
        if candidates.len() > 1 && by_name {
            candidates = self.narrow_as_the_app(from_path, target, candidates);
        }
        match candidates[..] {
            [id] => Resolution::Note(id),
            _ => self.prefer_exact_case(target, candidates),
        }
    }

    /// The candidates the flavor's app would still choose between. Obsidian
    /// (`MetadataCache.getFirstLinkpathDest`) takes the note at exactly that path from the
    /// root, else the one in the linking note's folder, else the one with the shortest path.
    /// Quartz (`transformLink`) reads a name several notes share as a path from the root.
    fn narrow_as_the_app(
        &self,
        from_path: &str,
        target: &str,
        candidates: Vec<NoteId>,
    ) -> Vec<NoteId> {
        let path_of = |id: NoteId| self.entry(id).map_or("", |e| strip_md(&e.path));
        let key = normalize(target).map(|p| self.key(&p).into_owned());
        let at_root: Vec<NoteId> = candidates
            .iter()
            .copied()
            .filter(|&id| key.as_deref() == Some(&*self.key(path_of(id))))
            .collect();
        if !at_root.is_empty() || self.links.flavor == Flavor::Quartz {
            return if at_root.is_empty() {
                candidates
            } else {
                at_root
            };
        }
        let folder = |p: &str| p.rsplit_once('/').map_or("", |(d, _)| d).to_string();
        let here = folder(from_path);
        let beside: Vec<NoteId> = candidates
            .iter()
            .copied()
            .filter(|&id| folder(path_of(id)) == here)
            .collect();
        if !beside.is_empty() {
            return beside;
        }
        let depth = |id: NoteId| path_of(id).matches('/').count();
        let least = candidates.iter().map(|&id| depth(id)).min().unwrap_or(0);
        candidates
            .into_iter()
            .filter(|&id| depth(id) == least)
            .collect()
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
            &[]
        } else {
            ids_of(&self.by_loose, &key)
        }
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

/// Resolves `.` and `..` in a `/`-separated relative path; `None` when it climbs out of the
/// vault.
pub(super) fn normalize(path: &str) -> Option<String> {
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
