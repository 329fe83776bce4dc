//! The language server under an edit storm: hundreds of random incremental edits (multi-byte
//! text, CRLF and lone CR, deletions across lines) from a fixed seed. The client applies the
//! same edits to its own copy; at the end the server's diagnostics must equal `wikistamp check`
//! on the client's text. Also: requests after `shutdown`, and the protocol's answers to
//! edits it cannot apply.

use serde_json::{json, Value};
use wikistamp_analysis::text::{ColumnUnit, LineIndex};

use crate::client::{self, Client, Options};
use crate::common::check_json;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "[[",
    "]]",
    "[[scaling_laws]]",
    "[[nope|alias]]",
    "|",
    "#",
    "é",
    "🎉",
    "日本語",
    "\u{feff}",
    "\r\n",
    "\n",
    "\r",
    " ",
    "> [!NOTE] title\n",
    "- item\n",
    "### ",
    "---\n",
    "<a class=\"yt-timestamp\" data-t=\"00:01:02\">[00:01:02]</a>",
    "<a class=\"yt-timestamp\" data-t=\"",
    "28:25",
    "\">",
    "</a>",
    "%%",
    "`",
    "<!--",
    "-->",
    "word ",
    "claims are stated with many words ",
];

/// The UTF-16 position of byte `offset` (a char boundary not inside a CRLF).
fn position(text: &str, offset: usize) -> Value {
    let at = LineIndex::new(text).line_col(text, offset, ColumnUnit::Utf16);
    json!({"line": at.line, "character": at.col})
}

/// A random offset on a char boundary, never between the `\r` and `\n` of a line ending.
fn random_offset(rng: &mut Rng, text: &str) -> usize {
    let mut o = rng.below(text.len() + 1);
    while !text.is_char_boundary(o)
        || (o > 0 && o < text.len() && &text.as_bytes()[o - 1..o + 1] == b"\r\n")
    {
        o -= 1;
    }
    o
}

#[test]
fn edit_storm_keeps_the_server_equal_to_the_client() {
    let v = client::TempVault::copy_of("lsp-vault");
    let rel = "emoji.md";
    let mut text = v.read(rel);
    let uri = v.uri(rel);
    let mut c = Client::start(&v.root, Options::default());
    c.open(&uri, &text);
    c.diagnostics(&uri, Some(1));
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut version = 1;
    for _ in 0..150 {
        // Up to four changes per notification, each against the text the previous one left.
        let mut changes = Vec::new();
        for _ in 0..1 + rng.below(4) {
            let a = random_offset(&mut rng, &text);
            let kind = rng.below(10);
            let b = match kind {
                // A deletion that may span several lines.
                0..=2 => random_offset(&mut rng, &text),
                // A short replacement or an insertion.
                _ => {
                    let mut e = (a + rng.below(6)).min(text.len());
                    while !text.is_char_boundary(e)
                        || (e > 0 && e < text.len() && &text.as_bytes()[e - 1..e + 1] == b"\r\n")
                    {
                        e -= 1;
                    }
                    e
                }
            };
            let (start, end) = (a.min(b), a.max(b));
            let new: String = if kind <= 1 {
                String::new()
            } else {
                (0..1 + rng.below(3))
                    .map(|_| PIECES[rng.below(PIECES.len())])
                    .collect()
            };
            changes.push(json!({
                "range": {"start": position(&text, start), "end": position(&text, end)},
                "text": new,
            }));
            text.replace_range(start..end, &new);
        }
        version += 1;
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }
    // The storm may delete every finding (nothing is required in frontmatter by default), so a
    // last edit puts a broken link first in the note, where no comment or fence can hide it:
    // the comparison below always has findings to compare.
    let head = "[[storm-missing-note]]\n";
    let start = position(&text, 0);
    text.insert_str(0, head);
    version += 1;
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version},
               "contentChanges": [{"range": {"start": start, "end": start}, "text": head}]}),
    );
    let pushed = c.diagnostics(&uri, Some(version));
    let pulled = c
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": uri}}),
        )
        .expect("pull");
    assert!(c.is_running());
    c.shutdown();

    // The client's text, checked by the CLI in the same vault.
    std::fs::write(v.path(rel), &text).expect("write final text");
    let report = check_json(&v.root, &[rel]);
    let expected: Vec<Value> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let at = |o: &Value| position(&text, o["offset"].as_u64().unwrap_or(0) as usize);
            json!({"code": d["rule"], "message": d["message"],
                   "range": {"start": at(&d["range"]["start"]), "end": at(&d["range"]["end"])}})
        })
        .collect();
    let simplify = |ds: &[Value]| -> Vec<Value> {
        ds.iter()
            .map(|d| json!({"code": d["code"], "message": d["message"], "range": d["range"]}))
            .collect()
    };
    assert!(
        !expected.is_empty(),
        "the storm leaves findings to compare:\n{text:?}"
    );
    assert_eq!(simplify(&pushed), expected, "final text:\n{text:?}");
    let pulled_items = pulled["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(simplify(&pulled_items), expected);
}

#[test]
fn requests_after_shutdown_and_edits_the_server_cannot_apply() {
    let v = client::TempVault::copy_of("lsp-vault");
    let mut c = Client::start(&v.root, Options::default());
    let uri = v.uri("emoji.md");
    c.open(&uri, &v.read("emoji.md"));
    c.diagnostics(&uri, Some(1));
    // Out-of-range and inverted ranges, an edit to an unknown document, a change without
    // content: all answered by the protocol, the open document still in sync afterwards.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 3, "character": 4_000_000}, "end": {"line": 1, "character": 0}}, "text": "X"},
            {"range": {"start": {"line": 4_294_967_295u64, "character": 4_294_967_295u64},
                       "end": {"line": 4_294_967_295u64, "character": 4_294_967_295u64}}, "text": "\n[[tail-broken]]"}
        ]}),
    );
    let d = c.diagnostics(&uri, Some(2));
    assert!(d.iter().any(|d| d["code"] == "link-broken"), "{d:?}");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///not/open.md", "version": 2},
               "contentChanges": [{"text": "x"}]}),
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri}}),
    );
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": "file:///never/opened.md"}}),
    );
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
    );
    assert!(r.is_ok(), "{r:?}");

    // After `shutdown`, requests are refused with InvalidRequest and the server waits for `exit`.
    c.request("shutdown", Value::Null).expect("shutdown");
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(r.err().map(|e| e["code"].clone()), Some(json!(-32600)));
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3},
        "contentChanges": [{"text": "late"}]}),
    );
    assert!(c.is_running());
    c.notify("exit", Value::Null);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while c.is_running() {
        assert!(std::time::Instant::now() < deadline, "server did not exit");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
