//! Hostile files: every one finishes, nothing panics, the exit code is 0 or 1, an unreadable
//! file is reported as `file-unreadable` while the others are still checked. The same texts
//! go through the language server, which must answer and keep running.

use serde_json::{json, Value};

use crate::client::{self, Client, Options};
use crate::common::{check_json, has, paths, TempVault};

const CITE: &str = "<a class=\"yt-timestamp\" data-t=\"00:01:02\">";

/// (file name, bytes) of every hostile note.
pub fn hostile_files() -> Vec<(&'static str, Vec<u8>)> {
    let mut binary = Vec::with_capacity(64 * 1024);
    let mut x: u32 = 0x9e37_79b9;
    for _ in 0..64 * 1024 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        binary.push((x >> 24) as u8);
    }
    let five_mb_line: String = format!(
        "word [[link]] {CITE}[00:01:02]</a> [[x|y]] <a data-t=\"28:25\">[1]</a> [!NOTE] %% `"
    )
    .repeat(5_000_000 / 100);
    let deep_list: String = (0..3000)
        .map(|i| format!("{}- item [[x]] {CITE}\n", "  ".repeat(i)))
        .collect();
    vec![
        ("invalid-utf8.md", b"# Title\nsome text \xff\xfe\xc3 and [[missing]]\n".to_vec()),
        ("nul-bytes.md", b"# T\0itle\n\0\0 [[missing\0]] \0<a class=\"yt-timestamp\" data-t=\"00:0\x001:02\">\0</a>\n".to_vec()),
        ("binary.md", binary),
        ("controls.md", (0u8..0x80).cycle().take(10_000).collect()),
        ("empty.md", Vec::new()),
        ("bom-only.md", "\u{feff}".as_bytes().to_vec()),
        ("cr-only.md", b"---\rtitle: t\rvideoId: ZtY8VXswa2o\r---\r# Head\r[[missing]] claim text here long enough to count\r> [!NOTE]\r> x\r".to_vec()),
        ("long-line.md", five_mb_line.into_bytes()),
        ("nested-quotes.md", format!("{} text [[x]] {CITE}\n", ">".repeat(20_000)).into_bytes()),
        ("nested-quote-lines.md", (0..20_000).map(|i| format!("{} [!NOTE] x\n", ">".repeat(i % 300))).collect::<String>().into_bytes()),
        ("unclosed-links.md", "[[".repeat(50_000).into_bytes()),
        ("unclosed-citations.md", CITE.repeat(30_000).into_bytes()),
        ("deep-list.md", deep_list.into_bytes()),
        ("unterminated-frontmatter.md", format!("---\ntitle: x\nvideoId: ZtY8VXswa2o\n{}", "key: [\n".repeat(10_000)).into_bytes()),
        // A healthy note with a finding: still checked next to all of the above.
        ("good.md", b"---\ntitle: Good\n---\n# Good\nSee [[missing-note]].\n".to_vec()),
    ]
}

#[test]
fn cli_survives_hostile_files_and_still_checks_the_others() {
    let v = TempVault::new();
    let files = hostile_files();
    for (name, bytes) in &files {
        v.write(name, bytes);
    }
    let report = check_json(&v.root, &[]);
    assert_eq!(
        report["summary"]["files"],
        json!(files.len()),
        "{}",
        report["summary"]
    );
    assert!(has(&report, "invalid-utf8.md", "file-unreadable"));
    assert!(has(&report, "binary.md", "file-unreadable"));
    assert!(has(&report, "good.md", "link-broken"));
    assert!(has(
        &report,
        "unterminated-frontmatter.md",
        "frontmatter-invalid"
    ));
    assert!(has(&report, "cr-only.md", "link-broken"));
    // The unreadable file is reported once, for the whole file, not checked further.
    let on_invalid: Vec<_> = crate::common::findings(&report)
        .into_iter()
        .filter(|(p, _)| p == "invalid-utf8.md")
        .collect();
    assert_eq!(on_invalid.len(), 1, "{on_invalid:?}");
    for p in paths(&report) {
        assert!(files.iter().any(|(n, _)| *n == p), "unexpected path {p}");
    }
    // Each hostile file on its own, also through --fix on a copy (it must not panic either).
    for (name, _) in &files {
        check_json(&v.root, &[name]);
    }
    check_json(&v.root, &["--fix", "--unsafe-fixes"]);
}

#[test]
fn server_survives_hostile_files() {
    let v = TempVault::new();
    let files = hostile_files();
    // On disk too: the server indexes them in the background.
    for (name, bytes) in &files {
        v.write(name, bytes);
    }
    let mut c = Client::start(&v.root, Options::default());
    for (name, bytes) in &files {
        let uri = client::uri(&v.root.join(name));
        let text = String::from_utf8_lossy(bytes);
        c.open(&uri, &text);
        let diags = c.diagnostics(&uri, Some(1));
        if *name == "good.md" {
            assert!(
                diags.iter().any(|d| d["code"] == "link-broken"),
                "{diags:?}"
            );
        }
        // A few requests at the start, middle and past the end of the text.
        for (line, col) in [(0, 0), (1, 3), (2_000, 40), (u32::MAX, u32::MAX)] {
            let at =
                json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": col}});
            for method in [
                "textDocument/hover",
                "textDocument/completion",
                "textDocument/definition",
            ] {
                let r = c.request(method, at.clone());
                assert!(r.is_ok(), "{name} {method}: {r:?}");
            }
        }
        for method in [
            "textDocument/documentSymbol",
            "textDocument/documentLink",
            "textDocument/diagnostic",
        ] {
            let r = c.request(method, json!({"textDocument": {"uri": uri}}));
            assert!(r.is_ok(), "{name} {method}: {r:?}");
        }
        let r = c.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri},
                   "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9_999, "character": 0}},
                   "context": {"diagnostics": []}}),
        );
        assert!(r.is_ok(), "{name} codeAction: {r:?}");
        c.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
        c.drain();
        assert!(c.is_running(), "server died on {name}");
    }
    let r: Result<Value, Value> = c.request("workspace/symbol", json!({"query": ""}));
    assert!(r.is_ok(), "{r:?}");
    c.shutdown();
}
