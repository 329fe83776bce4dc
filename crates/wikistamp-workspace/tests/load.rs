//! Loading a vault: the two-pass index plus each note's body is the vault a full load makes.

use wikistamp_analysis::config::Config;
use wikistamp_analysis::vault::NoteEntry;
use wikistamp_workspace as workspace;

#[test]
fn two_pass_index_equals_the_full_load() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let (mut compared, mut with_body, mut kept_open, mut reopened) = (0, 0, 0, 0);
    for dir in std::fs::read_dir(&fixtures).expect("fixtures").flatten() {
        let root = dir.path();
        let config = Config::default();
        let full = workspace::load(&root, &config).expect("load");
        let mut indexed = workspace::load_index(&root, &config).expect("load_index");
        for (i, n) in indexed.notes.iter_mut().enumerate() {
            // The second pass reads through the file the first left open, or opens it again
            // (every other note here): the same text either way.
            let file = n.file.take();
            kept_open += usize::from(file.is_some());
            let file = if i % 2 == 0 { file } else { None };
            reopened += usize::from(file.is_none());
            let (headings, links) = workspace::with_indexed_text(&n.abs_path, file, |text| {
                let on_disk = std::fs::read_to_string(&n.abs_path).expect("readable");
                assert_eq!(text, on_disk, "{}", n.abs_path.display());
                NoteEntry::body(&wikistamp_analysis::parse(text), text)
            })
            .expect("readable");
            assert_eq!(indexed.vault.id_of(&n.rel_path), Some(n.id));
            indexed.vault.set_body(n.id, headings, links);
        }
        let a: Vec<_> = full.vault.notes().collect();
        let b: Vec<_> = indexed.vault.notes().collect();
        assert_eq!(a, b, "{}", root.display());
        compared += a.len();
        with_body += a
            .iter()
            .filter(|(_, e)| !e.anchors.headings().is_empty())
            .count();
    }
    assert!(compared > 20, "only {compared} notes compared");
    assert!(kept_open > 10 && reopened > 10, "{kept_open} {reopened}");
    assert!(
        with_body > 0,
        "no note had headings: the bodies were not compared"
    );
}
