//! A real editor as the client: headless Neovim (Debian's, 0.7) starts `wikistamp lsp` through
//! the shipped `editors/neovim/wikistamp-legacy.lua`, opens a note of a copied fixture vault, and
//! reports the diagnostics, a go-to-definition result and link completion items it received.
//! Skips with a printed reason only when `nvim` is absent outside CI (CI installs it).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

#[test]
fn neovim_gets_diagnostics_definition_and_completion() {
    if Command::new("nvim").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install neovim (apt-get install neovim)"
        );
        eprintln!("skipped: `nvim` is not installed (apt-get install neovim)");
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let vault = tmp.path().join("vault");
    copy_dir(&repo().join("tests/fixtures/lsp-vault"), &vault);
    let vault = std::fs::canonicalize(&vault).expect("canonical vault");
    let note = vault.join("index.md");
    let out = tmp.path().join("result.json");

    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-c"])
        .arg(format!(
            "luafile {}",
            repo().join("tests/editor_neovim/check.lua").display()
        ))
        .env("WIKISTAMP_BIN", env!("CARGO_BIN_EXE_wikistamp"))
        .env(
            "WIKISTAMP_CONFIG",
            repo().join("editors/neovim/wikistamp-legacy.lua"),
        )
        .env("WIKISTAMP_NOTE", &note)
        .env("WIKISTAMP_OUT", &out)
        .env("XDG_STATE_HOME", tmp.path())
        .env("XDG_DATA_HOME", tmp.path())
        .current_dir(&vault)
        .spawn()
        .expect("start nvim");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("nvim did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let text = std::fs::read_to_string(&out).expect("nvim wrote its result");
    let result: Value = serde_json::from_str(&text).expect("result JSON");
    eprintln!("nvim reported: {result}");
    assert_eq!(result["errors"], serde_json::json!([]), "{result:#}");
    assert_eq!(result["filetype"], "markdown");
    assert_eq!(
        result["clients"], 1,
        "one wikistamp client attached: {result:#}"
    );

    // The same findings `wikistamp check` gives for index.md: codes, lines and source.
    let mut got: Vec<(String, u64)> = result["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            assert_eq!(d["source"], "wikistamp");
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("link-broken".to_string(), 10),
            ("link-broken".to_string(), 11),
            ("link-heading-missing".to_string(), 12),
        ],
        "{result:#}"
    );

    // Go to definition from `[[scaling_laws]]` lands on scaling_laws.md.
    let defs = result["definition"].as_array().expect("definition");
    assert!(
        defs.iter()
            .any(|u| u.as_str().is_some_and(|u| u.ends_with("/scaling_laws.md"))),
        "{result:#}"
    );

    // Completion after `[[sca` offers the note, ranked first.
    let labels: Vec<&str> = result["completion"]
        .as_array()
        .expect("completion")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(labels.first().copied(), Some("scaling_laws"), "{result:#}");
}
