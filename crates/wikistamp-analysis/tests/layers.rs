//! The analysis' modules depend on each other one way, from the bottom up:
//! `text`, `rule_id` → `suggest`, `diagnostic` → `syntax`, `config` → `vault` → `rules` →
//! `check`, `fix`, `ide`. A module never names one above it (comments and tests aside), so
//! the configuration is plain data that rules read, and the vault knows nothing of rules.

use std::path::Path;

/// Each module (a file, or a folder's files) and the modules it must not use.
const BELOW: &[(&str, &[&str])] = &[
    (
        "text.rs",
        &[
            "rule_id",
            "suggest",
            "diagnostic",
            "syntax",
            "config",
            "vault",
            "rules",
        ],
    ),
    (
        "rule_id.rs",
        &[
            "suggest",
            "diagnostic",
            "syntax",
            "config",
            "vault",
            "rules",
        ],
    ),
    (
        "suggest.rs",
        &["diagnostic", "syntax", "config", "vault", "rules"],
    ),
    ("diagnostic.rs", &["syntax", "config", "vault", "rules"]),
    (
        "syntax",
        &["config", "vault", "rules", "check", "fix", "ide"],
    ),
    (
        "config.rs",
        &["syntax", "vault", "rules", "check", "fix", "ide"],
    ),
    ("vault", &["rules", "check", "fix", "ide"]),
    ("rules", &["check", "fix", "ide"]),
];

#[test]
fn modules_depend_on_the_ones_below_them_only() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut checked = 0;
    for (module, forbidden) in BELOW {
        let path = src.join(module);
        let files: Vec<_> = if path.is_dir() {
            std::fs::read_dir(&path)
                .expect("module folder")
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "rs"))
                .filter(|p| !p.ends_with("tests.rs"))
                .collect()
        } else {
            vec![path]
        };
        for file in files {
            let text = std::fs::read_to_string(&file).expect("module source");
            // The code before its test module, without comments.
            let code = text.split("#[cfg(test)]\nmod ").next().unwrap_or("");
            for line in code.lines() {
                let line = line.split("//").next().unwrap_or("");
                for name in *forbidden {
                    assert!(
                        !line.contains(&format!("crate::{name}")),
                        "{} uses `{name}`, a module above it: {line}",
                        file.display()
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 10, "{checked}");
}
