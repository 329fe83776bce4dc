//! Two small vaults as their apps' users write them, checked with default settings (no
//! `wikistamp.toml`: the flavor is detected). Each must give exactly the findings listed: none
//! the app would not show, and every link or heading the app cannot follow.
//!
//! - `fixtures-vaults/obsidian/`: `.obsidian/` with a CSS snippet, attachments, a canvas, a
//!   base, embeds with sizes and pages, tables with `\|`, folded and nested callouts, block
//!   ids (and block references, two of them broken), aliases, two notes of one name, non-ASCII names, CRLF and a byte-order mark.
//! - `fixtures-vaults/quartz/`: a Quartz project (`quartz.config.ts`, `custom.scss`) whose
//!   `content/` folder is the vault.

use std::path::{Path, PathBuf};

use wikistamp_analysis::config::{Config, Flavor};
use wikistamp_analysis::text::{ColumnUnit, LineIndex};
use wikistamp_workspace::{self as workspace, Checker};

fn vault(parts: &[&str]) -> PathBuf {
    let mut p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures-vaults");
    for part in parts {
        p.push(part);
    }
    p
}

/// Every finding of the vault at `root` as `path:line:col rule flagged-text`, sorted.
fn findings(root: &Path, flavor: Flavor) -> Vec<String> {
    let config = workspace::load_config(root).expect("config");
    assert_eq!(
        config.flavor(),
        flavor,
        "{}: detected flavor",
        root.display()
    );
    let loaded = workspace::load(root, &config).expect("load");
    assert!(loaded.unreadable.is_empty());
    let mut out = Vec::new();
    for n in &loaded.notes {
        let lines = LineIndex::new(&n.text);
        for d in Checker::new(root, &loaded.vault, &config).check(&n.text, &n.note, &n.rel_path) {
            let at = lines.line_col(&n.text, d.range.start, ColumnUnit::Chars);
            out.push(format!(
                "{}:{}:{} {} {}",
                n.rel_path,
                at.line + 1,
                at.col + 1,
                d.rule,
                &n.text[d.range.clone()]
            ));
        }
    }
    out.sort();
    out
}

#[test]
fn obsidian_vault_gives_what_obsidian_shows() {
    let root = vault(&["obsidian"]);
    assert_eq!(
        findings(&root, Flavor::Obsidian),
        [
            "Broken.md:10:42 link-block-missing goal-9",
            "Broken.md:10:78 link-block-missing goal-1-old",
            "Broken.md:3:31 link-broken Roadmap 2025",
            "Broken.md:4:52 link-broken the plan",
            "Broken.md:5:21 link-broken diagram-old.png",
            "Broken.md:6:40 link-heading-missing Q4 launch",
            "Broken.md:7:49 link-heading-missing Q3launch",
            "Broken.md:8:57 link-heading-missing Q3 launch#Budget",
            "Broken.md:9:59 link-heading-missing Ingredients",
            "Inbox.md:1:3 link-broken Inbox item",
        ]
    );
    // Both callout types the snippet styles are known, whatever their script.
    let config = workspace::load_config(&root).expect("config");
    assert_eq!(config.callouts.css_types, ["recipe", "提示"]);
}

#[test]
fn quartz_vault_gives_what_quartz_shows() {
    let root = vault(&["quartz", "content"]);
    assert_eq!(
        findings(&root, Flavor::Quartz),
        [
            "broken.md:4:53 link-broken deep/notes",
            "broken.md:5:42 link-heading-missing KeyIdeas",
            "broken.md:8:5 callout-malformed 提示",
        ]
    );
    let config = workspace::load_config(&root).expect("config");
    assert_eq!(config.callouts.css_types, ["definition"]);
}

/// The Quartz vault read as Obsidian, as `flavor = "obsidian"` asks: aliases no longer resolve,
/// and headings compare by their text (`Key ideas` is not `Key ideas!`), not by slug.
#[test]
fn the_flavor_key_overrides_detection() {
    let root = vault(&["quartz", "content"]);
    let mut config = Config::from_toml("flavor = \"obsidian\"\n").expect("config");
    workspace::complete_config(&root, &mut config);
    assert_eq!(config.flavor(), Flavor::Obsidian);
    let loaded = workspace::load(&root, &config).expect("load");
    let index = loaded
        .notes
        .iter()
        .find(|n| n.rel_path == "index.md")
        .expect("index.md");
    let found = Checker::new(&root, &loaded.vault, &config).check(
        &index.text,
        &index.note,
        &index.rel_path,
    );
    let texts: Vec<&str> = found.iter().map(|d| &index.text[d.range.clone()]).collect();
    assert_eq!(texts, ["Chinchilla", "Key ideas", "key-ideas"]);
}
