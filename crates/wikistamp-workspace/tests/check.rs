//! [`Checker`], the one way to check a note: what rules need to know about other notes'
//! headings is read by the checker itself, and only for the notes heading links lead to.

use std::path::{Path, PathBuf};

use wikistamp_analysis::config::Config;
use wikistamp_analysis::{parse, Severity};
use wikistamp_workspace::{self as workspace, Checker};

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.sort();
    dirs
}

/// A vault indexed from frontmatter alone (no headings) finds exactly what a full load finds,
/// and learns the headings of no note but those `[[note#heading]]` links lead to.
#[test]
fn an_index_without_headings_finds_what_a_full_load_finds() {
    let mut heading_targets = Vec::new();
    for dir in fixtures() {
        let config = workspace::load_config(&dir).expect("config");
        let full = workspace::load(&dir, &config).expect("load");
        let indexed = workspace::load_index(&dir, &config).expect("load_index");
        for n in &full.notes {
            let expected =
                Checker::new(&dir, &full.vault, &config).check(&n.text, &n.note, &n.rel_path);
            let found =
                Checker::new(&dir, &indexed.vault, &config).check(&n.text, &n.note, &n.rel_path);
            assert_eq!(found, expected, "{}", n.abs_path.display());
        }
        let learnt: Vec<&str> = indexed
            .vault
            .notes()
            .filter(|(_, e)| e.anchors.is_known())
            .map(|(_, e)| e.path.as_str())
            .collect();
        for path in &learnt {
            // Linked by its path or by its name (several notes of one name: each candidate).
            let name = path.trim_end_matches(".md");
            let stem = name.rsplit('/').next().unwrap_or(name);
            let linked = full.notes.iter().any(|n| {
                n.text.contains(&format!("[[{name}#")) || n.text.contains(&format!("[[{stem}#"))
            });
            assert!(
                linked,
                "{}: learnt the headings of {path}, which no heading link names",
                dir.display()
            );
        }
        if dir.ends_with("link-heading-missing") {
            heading_targets = learnt.iter().map(|p| p.to_string()).collect();
        }
    }
    assert_eq!(heading_targets, ["a/dup.md", "b/dup.md", "scaling_laws.md"]);
}

/// A note that links to its own headings by name is checked against the text being checked,
/// not the file on disk (an editor's unsaved buffer, a fix in progress).
#[test]
fn own_headings_come_from_the_text_checked() {
    let dir = std::env::temp_dir().join(format!("wikistamp-own-headings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("wikistamp.toml"), "").expect("config");
    std::fs::write(dir.join("a.md"), "# On disk\n").expect("note");
    let config = Config::default();
    let indexed = workspace::load_index(&dir, &config).expect("load_index");
    let text = "---\ntitle: A\n---\n# Top\n\nSee [[a#Top]] and [[a#Nowhere]].\n";
    let found = Checker::new(&dir, &indexed.vault, &config).check(text, &parse(text), "a.md");
    let rules: Vec<&str> = found.iter().map(|d| d.rule.as_str()).collect();
    assert_eq!(rules, ["link-heading-missing"], "{found:#?}");
    assert!(found[0].message.contains("Nowhere"), "{found:#?}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn unreadable_files_are_reported_at_their_configured_level() {
    let (root, vault) = (Path::new(""), wikistamp_analysis::Vault::default());
    let default = Config::default();
    let found = Checker::new(root, &vault, &default).unreadable("cannot read file".into());
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].rule.as_str(), found[0].severity),
        ("file-unreadable", Severity::Error)
    );
    let warning = Config::from_toml("[rules]\nfile-unreadable = \"warning\"\n").expect("config");
    let found = Checker::new(root, &vault, &warning).unreadable("x".into());
    assert_eq!(found[0].severity, Severity::Warning);
    let off = Config::from_toml("[rules]\nfile-unreadable = \"off\"\n").expect("config");
    assert!(Checker::new(root, &vault, &off)
        .unreadable("x".into())
        .is_empty());
}

/// A video's transcript under `transcripts/` gives its length to every note of that video
/// (English wins over another language): a shifted time is reported with a safe fix, a time
/// past the end as after-end, and a note of another video knows no length.
#[test]
fn a_transcript_gives_its_video_length_to_the_notes_of_that_video() {
    let dir = std::env::temp_dir().join(format!("wikistamp-transcripts-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(dir.join("transcripts")).expect("mkdir");
    let srt =
        "1\n00:00:01,000 --> 00:00:04,000\nHello.\n\n2\n00:04:55,000 --> 00:05:00,000\nBye.\n";
    std::fs::write(dir.join("transcripts/ZtY8VXswa2o.en.srt"), srt).expect("write");
    // A longer transcript in another language must not win.
    let de = "1\n00:50:00,000 --> 00:59:00,000\nTschüss.\n";
    std::fs::write(dir.join("transcripts/ZtY8VXswa2o.de.srt"), de).expect("write");
    let cite = |t: &str| format!("<a class=\"yt-timestamp\" data-t=\"{t}\">[{t}]</a>");
    let note = format!(
        "---\nvideoId: ZtY8VXswa2o\n---\nA claim made early {}.\n\nA claim made late {}.\n\nA claim past the end {}.\n",
        cite("00:01:00"),
        cite("04:30:00"),
        cite("00:06:10")
    );
    std::fs::write(dir.join("a.md"), &note).expect("write");
    let other = format!(
        "---\nvideoId: aaaaaaaaaaa\n---\nA claim made {}.\n",
        cite("04:30:00")
    );
    std::fs::write(dir.join("b.md"), &other).expect("write");

    let config = Config::default();
    for vault in [
        workspace::load(&dir, &config).expect("load").vault,
        workspace::load_index(&dir, &config).expect("index").vault,
    ] {
        let checker = Checker::new(&dir, &vault, &config);
        let found = checker.check(&note, &parse(&note), "a.md");
        let timing: Vec<(&str, &str)> = found
            .iter()
            .filter(|d| d.rule.as_str().starts_with("timestamp-"))
            .map(|d| (d.rule.as_str(), &note[d.range.clone()]))
            .collect();
        assert_eq!(
            timing,
            [
                ("timestamp-shifted", "04:30:00"),
                ("timestamp-after-end", "00:06:10")
            ],
            "{found:#?}"
        );
        let shifted = &found[found
            .iter()
            .position(|d| d.rule.as_str() == "timestamp-shifted")
            .expect("shifted")];
        let fix = shifted.fix.as_ref().expect("a fix");
        assert_eq!(fix.applicability, wikistamp_analysis::Applicability::Safe);
        assert!(
            fix.edits.iter().all(|e| e.new_text == "00:04:30"),
            "{fix:#?}"
        );
        // Another video's note knows no length: a lone time is no pattern either.
        let found = checker.check(&other, &parse(&other), "b.md");
        assert!(
            !found
                .iter()
                .any(|d| d.rule.as_str().starts_with("timestamp-")),
            "{found:#?}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}
