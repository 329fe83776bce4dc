//! `wikistamp report` on the sample vault, opened in headless Chromium (Debian's `chromium`):
//! what a person sees once the page's script has run — the totals, the rules, the wanted notes,
//! a citation strip and a filter that works.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Writes the sample vault's report into a temporary folder; its exit code and path.
fn write_report(dir: &Path) -> (i32, PathBuf) {
    let vault = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample-vault");
    let output = dir.join("report.html");
    let out = Command::new(env!("CARGO_BIN_EXE_wikistamp"))
        .args(["report", "--no-progress", "-o"])
        .arg(&output)
        .current_dir(&vault)
        .output()
        .expect("run wikistamp");
    (out.status.code().expect("exit code"), output)
}

/// The document as Chromium has it after the page's script ran, `#fragment` appended to the
/// page's URL; its text with the tags taken out.
fn rendered(page: &Path, fragment: &str) -> String {
    let profile = tempfile::tempdir().expect("temp dir");
    let url = format!("file://{}{fragment}", page.display());
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--dump-dom", &url])
        .output()
        .expect("run chromium (Debian package `chromium`)");
    assert!(out.status.success(), "chromium failed: {out:?}");
    let dom = String::from_utf8(out.stdout).expect("UTF-8 DOM");
    assert!(
        dom.contains("data-ready=\"1\""),
        "the page's script did not finish"
    );
    dom
}

/// The text of the element with `id`, tags removed and spaces collapsed.
fn section(dom: &str, id: &str) -> String {
    let start = dom
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let end = dom[start..]
        .find("</section>")
        .map_or(dom.len(), |e| start + e);
    let mut text = String::new();
    let mut in_tag = false;
    for c in dom[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_sample_vault_report_shows_totals_rules_wanted_notes_strips_and_filters() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, page) = write_report(dir.path());
    assert_eq!(code, 1, "errors fail the report as they fail check");
    let html = std::fs::read_to_string(&page).expect("report written");
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http"),
        "the page loads nothing from the network"
    );

    let dom = rendered(&page, "");
    let summary = section(&dom, "summary");
    assert!(summary.contains("7 notes checked"), "{summary}");
    assert!(summary.contains("20 findings in 3 notes"), "{summary}");
    assert!(summary.contains("12 errors"), "{summary}");
    assert!(summary.contains("8 warnings"), "{summary}");
    assert!(summary.contains("8 safely fixable"), "{summary}");
    assert!(
        summary
            .contains("link-broken error 3 1 0 wikistamp check --select link-broken --statistics"),
        "{summary}"
    );

    let wanted = section(&dom, "wanted");
    assert!(
        wanted.contains("2 wanted notes scaling_laws_overview — linked from 2 notes Compute Optimal Training — linked from 1 note"),
        "{wanted}"
    );

    let strips = section(&dom, "citations");
    assert!(
        strips.contains("scalingtalks/compute_optimal_training.md"),
        "{strips}"
    );
    assert!(
        strips.contains("1:02:00 shifted"),
        "a shifted tick stands out: {strips}"
    );
    assert!(strips.contains("(inferred)"), "{strips}");
    assert!(dom.contains("class=\"strip\""), "strips are inline SVG");

    let orphans = section(&dom, "orphans");
    assert!(orphans.contains("channels/overview.md"), "{orphans}");

    let all = section(&dom, "findings");
    assert!(all.contains("20 of 20 findings"), "{all}");
    let filtered = section(&rendered(&page, "#rule=link-broken"), "findings");
    assert!(filtered.contains("3 of 20 findings"), "{filtered}");
    assert_eq!(
        filtered.matches("links to no note").count(),
        3,
        "{filtered}"
    );
    let by_text = section(&rendered(&page, "#q=past%20the%20end"), "findings");
    assert!(!by_text.contains("links to no note"), "{by_text}");
    assert!(dom.contains("obsidian://open?vault=sample-vault&amp;file="));
    assert!(dom.contains("vscode://file/"));
}
