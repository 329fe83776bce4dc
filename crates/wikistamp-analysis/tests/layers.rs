//! The analysis' modules depend on each other one way, from the bottom layer up. A module uses
//! only modules of the layers below its own (comments and tests aside): the configuration is
//! plain data that rules read, and the vault knows nothing of rules.

use std::path::Path;

/// The layers, bottom first; a module is a file or a folder of files under `src/`.
const LAYERS: &[&[&str]] = &[
    &["text", "rule_id", "transcript"],
    &["suggest", "diagnostic"],
    &["syntax", "config"],
    &["vault"],
    &["rules"],
    &["check", "fix", "overview"],
    &["ide"],
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

/// Every module of `src/` has its place in [`LAYERS`], so a new one cannot escape the check.
#[test]
fn every_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in std::fs::read_dir(&src).expect("src").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let module = name.strip_suffix(".rs").unwrap_or(&name);
        if ["lib", "test_corpus"].contains(&module) {
            continue;
        }
        assert!(
            LAYERS.iter().any(|l| l.contains(&module)),
            "src/{name} is in no layer of tests/layers.rs"
        );
    }
}

/// The analysis is given text and answers: no file system, process, environment, network,
/// async runtime, terminal or protocol in its code (its tests may read fixtures).
#[test]
fn the_analysis_does_no_io() {
    const FORBIDDEN: &[&str] = &[
        "std::fs",
        "std::env",
        "std::process",
        "std::net",
        "std::io::stdin",
        "std::io::stdout",
        "ignore::",
        "rustix",
        "tokio",
        "tower_lsp",
        "ls_types",
        "codespan",
    ];
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut checked = 0;
    for module in LAYERS.iter().flat_map(|l| l.iter()) {
        for file in files_of(&src, module) {
            let text = std::fs::read_to_string(&file).expect("module source");
            let code = text.split("#[cfg(test)]\nmod ").next().unwrap_or("");
            for line in code.lines() {
                let line = line.split("//").next().unwrap_or("");
                for word in FORBIDDEN {
                    assert!(
                        !line.contains(word),
                        "{} does IO (`{word}`): {line}",
                        file.display()
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 30, "{checked}");
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
            .expect("Cargo.toml");
    let dependencies = manifest
        .split("[dependencies]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .unwrap_or("");
    for name in [
        "ignore",
        "rustix",
        "tokio",
        "rayon",
        "tower-lsp-server",
        "codespan-reporting",
    ] {
        assert!(
            !dependencies
                .lines()
                .any(|l| l.trim_start().starts_with(name)),
            "wikistamp-analysis depends on `{name}`"
        );
    }
}
