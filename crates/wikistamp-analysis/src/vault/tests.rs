use super::*;
use crate::config::{LinkResolution, LinksConfig};

fn entry(path: &str, aliases: &[&str], links: &[&str]) -> NoteEntry {
    NoteEntry {
        path: path.to_string(),
        name: stem(path).to_string(),
        title: None,
        aliases: aliases.iter().map(|s| s.to_string()).collect(),
        headings: Vec::new(),
        video_id: None,
        link_targets: links.iter().map(|s| s.to_string()).collect(),
    }
}

fn vault(resolution: LinkResolution, case_sensitive: bool) -> Vault {
    let mut v = Vault::new(&LinksConfig {
        resolution,
        case_sensitive,
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

#[test]
fn two_pass_index_equals_the_full_load() {
    use crate::config::Config;
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let (mut compared, mut with_body) = (0, 0);
    for dir in std::fs::read_dir(&fixtures).expect("fixtures").flatten() {
        let root = dir.path();
        let config = Config::default();
        let full = loader::load(&root, &config).expect("load");
        let mut indexed = loader::load_index(&root, &config).expect("load_index");
        for n in &indexed.notes {
            let (headings, links) = loader::with_text(&n.abs_path, |text| {
                NoteEntry::body(&crate::parse(text), text)
            })
            .expect("readable");
            assert_eq!(indexed.vault.id_of(&n.rel_path), Some(n.id));
            indexed.vault.set_body(n.id, headings, links);
        }
        let a: Vec<_> = full.vault.notes().collect();
        let b: Vec<_> = indexed.vault.notes().collect();
        assert_eq!(a, b, "{}", root.display());
        compared += a.len();
        with_body += a.iter().filter(|(_, e)| !e.headings.is_empty()).count();
    }
    assert!(compared > 20, "only {compared} notes compared");
    assert!(
        with_body > 0,
        "no note had headings: the bodies were not compared"
    );
}
