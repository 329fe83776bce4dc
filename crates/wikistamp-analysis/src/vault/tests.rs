use super::resolve::normalize;
use super::*;
use crate::config::{Flavor, LinkResolution, LinksConfig};

fn entry(path: &str, aliases: &[&str], links: &[&str]) -> NoteEntry {
    NoteEntry {
        path: path.to_string(),
        name: stem(path).to_string(),
        title: None,
        aliases: aliases.iter().map(|s| s.to_string()).collect(),
        anchors: Default::default(),
        video_id: None,
        link_targets: links.iter().map(|s| s.to_string()).collect(),
    }
}

fn vault(resolution: LinkResolution, case_sensitive: bool) -> Vault {
    vault_of(resolution, case_sensitive, Flavor::Quartz)
}

fn vault_of(resolution: LinkResolution, case_sensitive: bool, flavor: Flavor) -> Vault {
    let mut v = Vault::new(&LinksConfig {
        resolution,
        case_sensitive,
        flavor,
    });
    v.upsert(entry("index.md", &[], &["talks/overview", "Scaling Laws"]));
    v.upsert(entry("talks/overview.md", &[], &[]));
    v.upsert(entry("papers/overview.md", &[], &[]));
    v.upsert(entry("papers/scaling_laws.md", &["Chinchilla"], &[]));
    v.upsert(entry(
        "papers/deep/notes.md",
        &[],
        &["../scaling_laws", "overview"],
    ));
    v
}

fn name(v: &Vault, r: Resolution) -> String {
    match r {
        Resolution::Note(id) => v.entry(id).map(|e| e.path.clone()).unwrap_or_default(),
        other => format!("{other:?}"),
    }
}

#[test]
fn shortest_resolves_by_name_path_suffix_and_alias() {
    let v = vault(LinkResolution::Shortest, false);
    assert_eq!(
        name(&v, v.resolve("index.md", "scaling_laws")),
        "papers/scaling_laws.md"
    );
    assert_eq!(
        name(&v, v.resolve("index.md", "SCALING_LAWS.md")),
        "papers/scaling_laws.md"
    );
    assert_eq!(
        name(&v, v.resolve("index.md", " scaling_laws ")),
        "papers/scaling_laws.md"
    );
    assert_eq!(
        name(&v, v.resolve("index.md", "chinchilla")),
        "papers/scaling_laws.md"
    );
    assert_eq!(
        name(&v, v.resolve("index.md", "talks/overview")),
        "talks/overview.md"
    );
    assert!(
        matches!(v.resolve("index.md", "overview"), Resolution::Ambiguous(ids) if ids.len() == 2)
    );
    assert_eq!(v.resolve("index.md", "Scaling Laws"), Resolution::NotFound);
}

#[test]
fn obsidian_picks_one_of_several_and_ignores_aliases() {
    let mut v = vault_of(LinkResolution::Shortest, false, Flavor::Obsidian);
    // The linking note's own folder wins; else nothing tells the two apart.
    assert_eq!(
        name(&v, v.resolve("papers/x.md", "overview")),
        "papers/overview.md"
    );
    assert!(matches!(
        v.resolve("index.md", "overview"),
        Resolution::Ambiguous(_)
    ));
    // The note at that path from the root comes first, even over the own folder's.
    v.upsert(entry("overview.md", &[], &[]));
    assert_eq!(name(&v, v.resolve("talks/x.md", "overview")), "overview.md");
    assert_eq!(
        name(&v, v.resolve("papers/deep/y.md", "overview")),
        "overview.md"
    );
    // Else the shortest path.
    v.upsert(entry("a/b/c/notes.md", &[], &[]));
    assert_eq!(
        name(&v, v.resolve("index.md", "notes")),
        "papers/deep/notes.md"
    );
    // Aliases do not resolve; the vault still tells whose alias it is.
    assert_eq!(v.resolve("index.md", "chinchilla"), Resolution::NotFound);
    assert_eq!(v.alias_owners("Chinchilla").len(), 1);
}

#[test]
fn quartz_reads_a_path_from_the_root() {
    let v = vault(LinkResolution::Shortest, false);
    assert_eq!(v.resolve("index.md", "deep/notes"), Resolution::NotFound);
    assert_eq!(
        name(&v, v.resolve("index.md", "papers/deep/notes")),
        "papers/deep/notes.md"
    );
}

#[test]
fn case_sensitive_matching() {
    let v = vault(LinkResolution::Shortest, true);
    assert_eq!(v.resolve("index.md", "SCALING_LAWS"), Resolution::NotFound);
    assert_eq!(
        name(&v, v.resolve("index.md", "scaling_laws")),
        "papers/scaling_laws.md"
    );
}

#[test]
fn relative_and_absolute_modes() {
    let v = vault(LinkResolution::Relative, false);
    assert_eq!(
        name(&v, v.resolve("papers/deep/notes.md", "../scaling_laws")),
        "papers/scaling_laws.md"
    );
    assert_eq!(v.resolve("index.md", "scaling_laws"), Resolution::NotFound);
    assert_eq!(
        name(&v, v.resolve("papers/x.md", "overview")),
        "papers/overview.md"
    );
    // Aliases still name notes.
    assert_eq!(
        name(&v, v.resolve("index.md", "Chinchilla")),
        "papers/scaling_laws.md"
    );

    let v = vault(LinkResolution::Absolute, false);
    assert_eq!(
        name(&v, v.resolve("papers/deep/notes.md", "talks/overview")),
        "talks/overview.md"
    );
    assert_eq!(
        v.resolve("papers/deep/notes.md", "overview"),
        Resolution::NotFound
    );
}

#[test]
fn paths_never_leave_the_vault() {
    let v = vault(LinkResolution::Shortest, false);
    assert_eq!(
        v.resolve("index.md", "../../etc/passwd"),
        Resolution::NotFound
    );
    assert_eq!(
        v.resolve("papers/deep/notes.md", "../../../index"),
        Resolution::NotFound
    );
    assert_eq!(v.resolve("index.md", "/etc/hostname"), Resolution::NotFound);
    // A path from the root with a leading slash is fine inside the vault.
    assert_eq!(
        name(&v, v.resolve("papers/x.md", "/talks/overview")),
        "talks/overview.md"
    );
    // `./` and `../` are relative in every mode.
    assert_eq!(
        name(&v, v.resolve("papers/deep/notes.md", "../scaling_laws")),
        "papers/scaling_laws.md"
    );
}

#[test]
fn exact_case_breaks_a_case_insensitive_tie() {
    let mut v = Vault::new(&LinksConfig {
        resolution: LinkResolution::Shortest,
        case_sensitive: false,
        flavor: Flavor::Obsidian,
    });
    v.upsert(entry("acquiredfm/acquiredFM.md", &[], &[]));
    v.upsert(entry("acquiredfm/acquiredfm.md", &[], &[]));
    assert_eq!(
        name(&v, v.resolve("x.md", "acquiredFM")),
        "acquiredfm/acquiredFM.md"
    );
    assert_eq!(
        name(&v, v.resolve("x.md", "acquiredfm")),
        "acquiredfm/acquiredfm.md"
    );
    assert!(matches!(
        v.resolve("x.md", "ACQUIREDFM"),
        Resolution::Ambiguous(_)
    ));
    assert_eq!(v.len(), 2);
}

#[test]
fn upsert_replace_and_remove_keep_the_index_true() {
    let mut v = vault(LinkResolution::Shortest, false);
    let id = v.id_of("papers/scaling_laws.md").expect("indexed");
    // Replacing changes aliases without a rebuild.
    let same = v.upsert(entry("papers/scaling_laws.md", &["Kaplan"], &[]));
    assert_eq!(same, id);
    assert_eq!(v.resolve("index.md", "Chinchilla"), Resolution::NotFound);
    assert_eq!(v.resolve("index.md", "kaplan"), Resolution::Note(id));
    // Removing makes links to it broken, and the other overview unambiguous.
    v.remove("papers/overview.md").expect("removed");
    assert_eq!(
        name(&v, v.resolve("index.md", "overview")),
        "talks/overview.md"
    );
    assert!(v.id_of("papers/overview.md").is_none());
    let n = v.len();
    v.upsert(entry("new.md", &[], &[]));
    assert_eq!(v.len(), n + 1);
}

#[test]
fn loose_matches_and_backlinks() {
    let v = vault(LinkResolution::Shortest, false);
    let target = v.id_of("papers/scaling_laws.md").expect("indexed");
    assert_eq!(v.loose_matches("Scaling Laws"), &[target]);
    assert_eq!(v.loose_matches("scaling-laws!"), &[target]);
    assert!(v.loose_matches("!!!").is_empty());
    let back = v.backlinks(target);
    let from: Vec<&str> = back
        .iter()
        .filter_map(|(id, _)| v.entry(*id))
        .map(|e| e.path.as_str())
        .collect();
    assert_eq!(from, ["papers/deep/notes.md"]);
}

#[test]
fn attachments_resolve_by_file_name() {
    let mut v = vault(LinkResolution::Shortest, false);
    v.add_attachment("assets/Diagram.PNG");
    assert_eq!(v.resolve("index.md", "diagram.png"), Resolution::Attachment);
    assert_eq!(v.resolve("index.md", "diagram.jpg"), Resolution::NotFound);
}

/// The index-free definition of the lookups, as they were written before the index was tuned:
/// every key computed with `to_lowercase`, every lookup a scan of the notes in the order they
/// were (re)indexed. The differential tests below hold [`Vault`] to it.
mod reference {
    use super::*;

    pub struct Model {
        pub links: LinksConfig,
        /// In the order of indexing: an upsert of a known path moves it to the end.
        pub notes: Vec<(NoteId, NoteEntry)>,
        pub attachments: Vec<String>,
    }

    impl Model {
        fn key(&self, s: &str) -> String {
            let s = s.trim();
            if self.links.case_sensitive {
                s.to_string()
            } else {
                s.to_lowercase()
            }
        }

        fn ids(&self, mut keep: impl FnMut(&NoteEntry) -> bool) -> Vec<NoteId> {
            self.notes
                .iter()
                .filter(|(_, e)| keep(e))
                .map(|(id, _)| *id)
                .collect()
        }

        fn by_path_key(&self, path: &str) -> Vec<NoteId> {
            let k = self.key(path);
            self.ids(|e| self.key(strip_md(&e.path)) == k)
        }

        fn entry(&self, id: NoteId) -> Option<&NoteEntry> {
            self.notes.iter().find(|(i, _)| *i == id).map(|(_, e)| e)
        }

        pub fn resolve(&self, from_path: &str, target: &str) -> Resolution {
            let target = target.trim().replace('\\', "/");
            let target = strip_md(&target);
            if target.is_empty() {
                return self
                    .ids(|e| e.path == from_path)
                    .first()
                    .map_or(Resolution::NotFound, |&id| Resolution::Note(id));
            }
            let mut candidates: Vec<NoteId> = Vec::new();
            let explicit_relative = target.starts_with("./") || target.starts_with("../");
            let obsidian = self.links.flavor == Flavor::Obsidian;
            let shortest = self.links.resolution == LinkResolution::Shortest;
            let mut by_name = false;
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
            } else if self.links.resolution == LinkResolution::Absolute
                || (target.contains('/') && !obsidian)
            {
                // Quartz reads a target with `/` as a path from the root.
                if let Some(p) = normalize(target) {
                    candidates.extend(self.by_path_key(&p));
                }
            } else if target.contains('/') {
                by_name = true;
                if let Some(p) = normalize(target) {
                    let key = self.key(&p);
                    let last = key.rsplit('/').next().unwrap_or(&key).to_string();
                    candidates.extend(self.ids(|e| {
                        let pk = self.key(strip_md(&e.path));
                        self.key(&e.name) == last && (pk == key || pk.ends_with(&format!("/{key}")))
                    }));
                }
            } else {
                by_name = true;
                let k = self.key(target);
                candidates.extend(self.ids(|e| self.key(&e.name) == k));
            }
            if candidates.is_empty() && !target.contains('/') && !obsidian {
                let k = self.key(target);
                candidates.extend(self.ids(|e| e.aliases.iter().any(|a| self.key(a) == k)));
            }
            candidates.sort();
            candidates.dedup();
            if candidates.len() > 1 && by_name && shortest {
                candidates = self.as_the_app(from_path, target, candidates);
            }
            match candidates.len() {
                0 => {
                    let last = target.rsplit('/').next().unwrap_or(target);
                    let k = self.key(last);
                    if last.contains('.') && self.attachments.iter().any(|a| self.key(a) == k) {
                        Resolution::Attachment
                    } else {
                        Resolution::NotFound
                    }
                }
                1 => Resolution::Note(candidates[0]),
                _ => {
                    let last = target.rsplit('/').next().unwrap_or(target).trim();
                    let exact: Vec<NoteId> = candidates
                        .iter()
                        .copied()
                        .filter(|&id| {
                            self.entry(id).is_some_and(|e| {
                                e.name == last || e.aliases.iter().any(|a| a == last)
                            })
                        })
                        .collect();
                    if exact.len() == 1 {
                        Resolution::Note(exact[0])
                    } else {
                        Resolution::Ambiguous(candidates)
                    }
                }
            }
        }

        /// Obsidian: the note at that path from the root, else those in the linking note's
        /// folder, else those of fewest folders. Quartz: the note at that path from the root.
        fn as_the_app(&self, from: &str, target: &str, candidates: Vec<NoteId>) -> Vec<NoteId> {
            let path = |id: NoteId| strip_md(&self.entry(id).expect("candidate").path).to_string();
            let key = normalize(target).map(|p| self.key(&p));
            let at_root: Vec<NoteId> = candidates
                .iter()
                .copied()
                .filter(|&id| key == Some(self.key(&path(id))))
                .collect();
            if !at_root.is_empty() {
                return at_root;
            }
            if self.links.flavor == Flavor::Quartz {
                return candidates;
            }
            let folder = |p: &str| match p.rfind('/') {
                Some(i) => p[..i].to_string(),
                None => String::new(),
            };
            let beside: Vec<NoteId> = candidates
                .iter()
                .copied()
                .filter(|&id| folder(&path(id)) == folder(from))
                .collect();
            if !beside.is_empty() {
                return beside;
            }
            let least = candidates
                .iter()
                .map(|&id| path(id).split('/').count())
                .min()
                .expect("candidates");
            candidates
                .into_iter()
                .filter(|&id| path(id).split('/').count() == least)
                .collect()
        }

        pub fn loose_matches(&self, target: &str) -> Vec<NoteId> {
            let target = strip_md(target.trim());
            let last = target.rsplit('/').next().unwrap_or(target);
            let key = loose_key(last);
            if key.is_empty() {
                return Vec::new();
            }
            self.ids(|e| loose_key(&e.name) == key)
        }
    }
}

mod differential {
    use super::reference::Model;
    use super::*;
    use proptest::prelude::*;

    /// Name parts that fold, or not, in the ways that matter: ASCII case, non-ASCII case
    /// (`İ` grows when lowercased, `Σ` folds by position, `ǅ` is title case), spaces, dots.
    #[rustfmt::skip]
    const PARTS: &[&str] = &[
        "a", "A", "b", "B", "ab", "Ab", "É", "é", "ß", "Σ", "σ", "x y", "X_Y", "dot.s", "ǅ", "İ",
        "i", " a ", "n1", "N1!", "a.png", "A.PNG", "K", "\u{212a}",
        // Long names, with and without upper case.
        "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrst",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTU",
    ];

    /// An alias: a name part, or one with a slash (which a bare name never reaches).
    fn alias() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => part(),
            1 => (part(), part()).prop_map(|(a, b)| format!("{a}/{b}")),
            1 => (part(), part()).prop_map(|(a, b)| format!("{a}\\{b}")),
        ]
    }

    fn part() -> impl Strategy<Value = String> {
        proptest::sample::select(PARTS).prop_map(str::to_string)
    }

    fn note_path() -> impl Strategy<Value = String> {
        (
            proptest::collection::vec(part(), 1..3),
            proptest::sample::select(&[".md", ".MD", ".Md"][..]),
        )
            .prop_map(|(parts, ext)| format!("{}{ext}", parts.join("/")))
    }

    fn target() -> impl Strategy<Value = String> {
        (
            proptest::sample::select(&["", "", "./", "../", "/", " ", "../../"][..]),
            proptest::collection::vec(part(), 0..4),
            proptest::sample::select(&["/", "/", "\\", "/./", "/../"][..]),
            proptest::sample::select(&["", "", ".md", ".MD", " ", ".png", ".PNG", "/"][..]),
        )
            .prop_map(|(pre, parts, sep, post)| format!("{pre}{}{post}", parts.join(sep)))
    }

    #[derive(Debug, Clone)]
    enum Op {
        Upsert(String, Vec<String>),
        Remove(usize),
        /// An attachment named `name` + `ext`.
        Attach(String, &'static str),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (note_path(), proptest::collection::vec(alias(), 0..3))
                .prop_map(|(p, a)| Op::Upsert(p, a)),
            1 => (0usize..16).prop_map(Op::Remove),
            1 => (part(), proptest::sample::select(&[".png", ".PNG", ".pdf", ""][..]))
                .prop_map(|(n, e)| Op::Attach(n, e)),
        ]
    }

    fn links() -> impl Strategy<Value = LinksConfig> {
        (
            proptest::sample::select(
                &[
                    LinkResolution::Shortest,
                    LinkResolution::Relative,
                    LinkResolution::Absolute,
                ][..],
            ),
            any::<bool>(),
            proptest::sample::select(&[Flavor::Obsidian, Flavor::Quartz][..]),
        )
            .prop_map(|(resolution, case_sensitive, flavor)| LinksConfig {
                resolution,
                case_sensitive,
                flavor,
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn lookups_agree_with_the_reference(
            links in links(),
            ops in proptest::collection::vec(op(), 1..16),
            attachments in proptest::collection::vec(
                (part(), proptest::sample::select(&[".png", ".PNG", ".pdf"][..])), 0..3),
            targets in proptest::collection::vec(target(), 1..12),
        ) {
            let mut v = Vault::new(&links);
            let mut model = Model { links: links.clone(), notes: Vec::new(), attachments: Vec::new() };
            for op in ops {
                match op {
                    Op::Upsert(path, aliases) => {
                        let e = entry(&path, &aliases.iter().map(String::as_str).collect::<Vec<_>>(), &[]);
                        let id = v.upsert(e.clone());
                        model.notes.retain(|(i, _)| *i != id);
                        model.notes.push((id, e));
                    }
                    Op::Remove(i) => {
                        if let Some((id, e)) = model.notes.get(i % model.notes.len().max(1)).cloned() {
                            prop_assert_eq!(v.remove(&e.path), Some(e));
                            model.notes.retain(|(j, _)| *j != id);
                        }
                    }
                    Op::Attach(name, ext) => {
                        v.add_attachment(&format!("assets/{name}{ext}"));
                        model.attachments.push(format!("{name}{ext}"));
                    }
                }
            }
            for (name, ext) in attachments {
                let path = format!("assets/{name}{ext}");
                v.add_attachment(&path);
                model.attachments.push(format!("{name}{ext}"));
            }
            prop_assert_eq!(v.len(), model.notes.len());
            let mut from: Vec<String> = model.notes.iter().map(|(_, e)| e.path.clone()).collect();
            from.push("x/y.md".to_string());
            from.push("top.md".to_string());
            for t in &targets {
                for f in &from {
                    prop_assert_eq!(v.resolve(f, t), model.resolve(f, t), "{:?} from {:?}", t, f);
                }
                prop_assert_eq!(v.loose_matches(t), &model.loose_matches(t)[..], "{:?}", t);
            }
        }
    }
}
