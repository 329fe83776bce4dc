//! The file system: symlinks (loops, links out of the vault), unreadable and special files,
//! and link targets that try to leave the vault.

use std::os::unix::fs::{symlink, PermissionsExt};
use std::process::Command;

use serde_json::json;

use crate::client::{self, Client, Options};
use crate::common::{check_json, findings, has, paths, TempVault};

const GOOD: &str = "---\ntitle: Good\n---\n# Good\nSee [[missing-note]] and [[real]].\n";

#[test]
fn symlink_loops_and_links_out_of_the_vault_are_not_followed() {
    let v = TempVault::new();
    v.write("good.md", GOOD);
    v.write("real.md", "# Real\n[[broken-real]]\n");
    v.write("sub/inner.md", "# Inner\n[[broken-inner]]\n");
    // Outside the vault: a note that would be reported if it were walked.
    let outside = v.outside().join("outside");
    std::fs::create_dir_all(&outside).expect("outside dir");
    std::fs::write(outside.join("secret.md"), "# Secret\n[[secret-broken]]\n").expect("secret");
    let root = &v.root;
    symlink(".", root.join("loop")).expect("dir loop");
    symlink("..", root.join("sub/up")).expect("parent loop");
    symlink("self.md", root.join("self.md")).expect("self loop");
    symlink("b.md", root.join("a.md")).expect("a -> b");
    symlink("a.md", root.join("b.md")).expect("b -> a");
    symlink(&outside, root.join("outdir")).expect("dir out");
    symlink(outside.join("secret.md"), root.join("out.md")).expect("file out");
    symlink("../outside/secret.md", root.join("sub/relative-out.md")).expect("relative out");
    symlink("/nonexistent/nothing.md", root.join("dangling.md")).expect("dangling");

    let report = check_json(root, &[]);
    assert_eq!(
        paths(&report),
        ["good.md", "real.md", "sub/inner.md"],
        "{report}"
    );
    assert!(has(&report, "good.md", "link-broken"));
    // Only the three real notes count as the vault's files.
    assert_eq!(report["summary"]["files"], 3, "{}", report["summary"]);
    assert!(!findings(&report)
        .iter()
        .any(|(_, r)| r == "file-unreadable"));

    // The server's index holds the same three notes.
    let mut c = Client::start(root, Options::default());
    let uri = client::uri(&root.join("good.md"));
    c.open(&uri, GOOD);
    c.diagnostics(&uri, Some(1));
    let syms = c
        .request("workspace/symbol", json!({"query": ""}))
        .expect("workspace symbols");
    let names: Vec<String> = syms
        .as_array()
        .expect("symbols")
        .iter()
        .map(|s| s["location"]["uri"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(
        !names
            .iter()
            .any(|u| u.contains("secret") || u.contains("out")),
        "{names:?}"
    );
    assert!(c.is_running());
    c.shutdown();
}

#[test]
fn unreadable_and_special_files_are_reported_or_skipped() {
    let v = TempVault::new();
    v.write("good.md", GOOD);
    v.write("real.md", "# Real\n");
    // A folder named like a note: its notes are walked, the folder is not read as a file.
    v.write("folder.md/inside.md", "# Inside\n[[inside-broken]]\n");
    // A FIFO named `.md`: opening it would block forever, so it must never be opened.
    let fifo = v.root.join("pipe.md");
    let made_fifo = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let locked = v.write("locked.md", "# Locked\n[[locked-broken]]\n");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    // As root, mode 000 does not stop a read: then the file is simply checked.
    let blocked = std::fs::read(&locked).is_err();

    let report = check_json(&v.root, &[]);
    assert!(has(&report, "good.md", "link-broken"));
    assert!(has(&report, "folder.md/inside.md", "link-broken"));
    if made_fifo {
        assert!(!paths(&report).contains(&"pipe.md".to_string()), "{report}");
    }
    if blocked {
        assert!(has(&report, "locked.md", "file-unreadable"), "{report}");
        assert!(!has(&report, "locked.md", "link-broken"));
    } else {
        eprintln!("running as root: mode 000 does not block reads, so locked.md is checked");
        assert!(has(&report, "locked.md", "link-broken"));
    }
    // The server indexes the same vault without hanging on the FIFO.
    let mut c = Client::start(&v.root, Options::default());
    let uri = client::uri(&v.root.join("good.md"));
    c.open(&uri, GOOD);
    assert!(c
        .diagnostics(&uri, Some(1))
        .iter()
        .any(|d| d["code"] == "link-broken"));
    c.shutdown();
    let _ = std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644));
}

#[test]
fn links_never_resolve_outside_the_vault() {
    let v = TempVault::new();
    let outside = v.outside().join("outside");
    std::fs::create_dir_all(&outside).expect("outside dir");
    std::fs::write(outside.join("secret.md"), "# Secret\n").expect("secret");
    std::fs::write(v.outside().join("top.md"), "# Top\n").expect("top");
    let text = "# Escape\n\
        - [[../../../etc/passwd]]\n\
        - [[/etc/hostname]]\n\
        - [[/etc/hostname.md]]\n\
        - [[../outside/secret]]\n\
        - [[../top]]\n\
        - [[./../top.md]]\n\
        - [[sub/../../top]]\n\
        - [[/../outside/secret]]\n\
        - [[..\\top]]\n\
        - [[real]]\n";
    v.write("escape.md", text);
    v.write("real.md", "# Real\n");
    v.write("sub/x.md", "# X\n");
    let report = check_json(&v.root, &[]);
    let broken = findings(&report)
        .iter()
        .filter(|(p, r)| p == "escape.md" && r == "link-broken")
        .count();
    assert_eq!(broken, 9, "{report}");

    // In the server: no definition leads out of the vault.
    let mut c = Client::start(&v.root, Options::default());
    let uri = client::uri(&v.root.join("escape.md"));
    c.open(&uri, text);
    let diags = c.diagnostics(&uri, Some(1));
    assert_eq!(
        diags.iter().filter(|d| d["code"] == "link-broken").count(),
        9,
        "{diags:?}"
    );
    for line in 1..10 {
        let r = c
            .request(
                "textDocument/definition",
                json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": 5}}),
            )
            .expect("definition");
        assert!(r.is_null() || r == json!([]), "line {line}: {r}");
    }
    c.shutdown();
}
