//! The README's main job: `wikistamp check` on the sample vault shipped in
//! `tests/fixtures/sample-vault`. Its JSON and human outputs are snapshots: a change in any
//! finding, message, location or fix shows up here.

use std::path::Path;
use std::process::Command;

fn run(args: &[&str]) -> (i32, String) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
    let out = Command::new(env!("CARGO_BIN_EXE_wikistamp"))
        .args(args)
        .current_dir(&repo)
        .env("NO_COLOR", "1")
        .output()
        .expect("run wikistamp");
    assert!(
        out.stderr.is_empty() || out.status.code().is_some(),
        "crashed"
    );
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("UTF-8 output"),
    )
}

#[test]
fn sample_vault_json() {
    let (code, stdout) = run(&["check", "tests/fixtures/sample-vault", "--format", "json"]);
    assert_eq!(code, 1, "the sample vault has errors");
    let value: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    assert_eq!(value["version"], 1);
    // Every finding is inside the vault and the clean note has none.
    for d in value["diagnostics"].as_array().expect("diagnostics") {
        let path = d["path"].as_str().expect("path");
        assert!(path.starts_with("tests/fixtures/sample-vault/"), "{path}");
        assert!(
            !path.ends_with("compute_optimal_training.md"),
            "clean note flagged: {d}"
        );
    }
    insta::assert_snapshot!(serde_json::to_string_pretty(&value).expect("pretty"));
}

#[test]
fn sample_vault_human() {
    let (code, stdout) = run(&["check", "tests/fixtures/sample-vault", "--color", "never"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(stdout);
}

#[test]
fn checking_one_file_still_resolves_links_against_the_vault() {
    let (code, stdout) = run(&[
        "check",
        "tests/fixtures/sample-vault/scalingtalks/compute_optimal_training.md",
        "--format",
        "json",
    ]);
    let value: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    assert_eq!(value["summary"]["files"], 1);
    assert_eq!(value["summary"]["diagnostics"], 0, "{stdout}");
    assert_eq!(code, 0);
}
