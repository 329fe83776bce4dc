//! The analysis' modules depend on each other one way, from the bottom layer up. A module uses
//! only modules of the layers below its own (comments and tests aside): the configuration is
//! plain data that rules read, and the vault knows nothing of rules.

use std::path::Path;

/// The layers, bottom first; a module is a file or a folder of files under `src/`.
const LAYERS: &[&[&str]] = &[
    &["text", "rule_id"],
    &["suggest", "diagnostic"],
    &["syntax", "config"],
    &["vault"],
    &["rules"],
    &["check", "fix", "ide"],
];

#[test]
fn modules_use_only_the_layers_below_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut checked = 0;
    for (layer, modules) in LAYERS.iter().enumerate() {
        let above: Vec<&str> = LAYERS[layer..]
            .iter()
            .flat_map(|m| m.iter().copied())
            .collect();
        for module in *modules {
            for file in files_of(&src, module) {
                let text = std::fs::read_to_string(&file).expect("module source");
                // The code before its test module, without comments.
                let code = text.split("#[cfg(test)]\nmod ").next().unwrap_or("");
                for line in code.lines() {
                    let line = line.split("//").next().unwrap_or("");
                    for other in above.iter().filter(|other| *other != module) {
                        assert!(
                            !line.contains(&format!("crate::{other}")),
                            "{} uses `{other}`, which is not below it: {line}",
                            file.display()
                        );
                    }
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 30, "{checked}");
}

/// `src/MODULE.rs`, or the files of `src/MODULE/` but its tests.
fn files_of(src: &Path, module: &str) -> Vec<std::path::PathBuf> {
    let dir = src.join(module);
    if !dir.is_dir() {
        return vec![src.join(format!("{module}.rs"))];
    }
    std::fs::read_dir(&dir)
        .expect("module folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs") && !p.ends_with("tests.rs"))
        .collect()
}
