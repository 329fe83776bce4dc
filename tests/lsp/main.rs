//! End-to-end tests of `wikistamp lsp`: the real binary, spoken to over stdio.

mod client;
mod transcripts;

use std::process::Command;

use client::{Client, Options, TempVault};
use serde_json::{json, Value};
use wikistamp_analysis::text::{ColumnUnit, LineCol, LineIndex};

fn utf8() -> Options {
    Options {
        utf8: true,
        ..Options::default()
    }
}

fn pos(line: u64, character: u64) -> Value {
    json!({"line": line, "character": character})
}

fn td(uri: &str) -> Value {
    json!({"uri": uri})
}

fn at(uri: &str, line: u64, character: u64) -> Value {
    json!({"textDocument": td(uri), "position": pos(line, character)})
}

/// (line, byte column) of `needle`'s first occurrence plus `delta` bytes.
fn find(text: &str, needle: &str, delta: usize) -> (u64, u64) {
    byte_position(text, text.find(needle).expect("needle in text") + delta)
}

/// (line, byte column) of byte `offset`.
fn byte_position(text: &str, offset: usize) -> (u64, u64) {
    let at = LineIndex::new(text).line_col(text, offset, ColumnUnit::Bytes);
    (at.line as u64, at.col as u64)
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn initialize_negotiates_encoding_and_indexes_with_progress() {
    let v = TempVault::copy_of("lsp-vault");
    let mut c = Client::start(&v.root, utf8());
    assert_eq!(c.init_result["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(
        c.init_result["capabilities"]["textDocumentSync"]["change"],
        2
    );
    let create = c.wait_for("progress token", |m| {
        m["method"] == "window/workDoneProgress/create"
    });
    let token = create["params"]["token"].clone();
    let kind = |k: &'static str| {
        let token = token.clone();
        move |m: &Value| {
            m["method"] == "$/progress"
                && m["params"]["token"] == token
                && m["params"]["value"]["kind"] == k
        }
    };
    c.wait_for("progress begin", kind("begin"));
    let report = c.wait_for("progress report", kind("report"));
    assert_eq!(report["params"]["value"]["percentage"], 100);
    let end = c.wait_for("progress end", kind("end"));
    assert_eq!(end["params"]["value"]["message"], "4 notes");
    let log = c.wait_for("index log", |m| m["method"] == "window/logMessage");
    assert!(log["params"]["message"]
        .as_str()
        .unwrap_or("")
        .contains("indexed 4 notes"));
    // The watchers are registered dynamically.
    let reg = c.wait_for("registration", |m| {
        m["method"] == "client/registerCapability"
    });
    let r = &reg["params"]["registrations"][0];
    assert_eq!(r["method"], "workspace/didChangeWatchedFiles");
    let globs: Vec<&str> = r["registerOptions"]["watchers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|w| w["globPattern"].as_str())
        .collect();
    assert_eq!(
        globs,
        ["**/*.md", "**/wikistamp.toml", "**/*.{srt,vtt,json}"]
    );

    // Without UTF-8 on offer, UTF-16.
    let c16 = Client::start(&v.root, Options::default());
    assert_eq!(
        c16.init_result["capabilities"]["positionEncoding"],
        "utf-16"
    );
    c16.shutdown();
    c.shutdown();
}

#[test]
fn diagnostics_equal_wikistamp_check_json() {
    let v = TempVault::copy_of("lsp-vault");
    let text = v.read("index.md");
    let mut c = Client::start(&v.root, utf8());
    let uri = v.uri("index.md");
    c.open(&uri, &text);
    let pushed = c.diagnostics(&uri, Some(1));
    let out = Command::new(env!("CARGO_BIN_EXE_wikistamp"))
        .args(["check", "--format", "json", "index.md"])
        .current_dir(&v.root)
        .output()
        .expect("run check");
    let json: Value = serde_json::from_slice(&out.stdout).expect("check json");
    let expected: Vec<Value> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let p = |o: &Value| {
                let (line, character) =
                    byte_position(&text, o["offset"].as_u64().unwrap_or(0) as usize);
                pos(line, character)
            };
            json!({
                "code": d["rule"], "severity": d["severity"], "message": d["message"],
                "range": {"start": p(&d["range"]["start"]), "end": p(&d["range"]["end"])},
            })
        })
        .collect();
    assert!(
        expected.len() >= 3,
        "the fixture has findings: {expected:?}"
    );
    let sev = |n: &Value| match n.as_u64() {
        Some(1) => "error",
        Some(2) => "warning",
        _ => "info",
    };
    let got: Vec<Value> = pushed
        .iter()
        .map(|d| {
            assert_eq!(d["source"], "wikistamp");
            assert_eq!(
                d["codeDescription"]["href"],
                format!(
                    "https://github.com/wikistamp/wikistamp/blob/main/docs/rules.md#{}",
                    d["code"].as_str().unwrap_or("")
                )
            );
            json!({"code": d["code"], "severity": sev(&d["severity"]), "message": d["message"], "range": d["range"]})
        })
        .collect();
    assert_eq!(got, expected);
    // Pull diagnostics say the same.
    let pulled = c
        .request("textDocument/diagnostic", json!({"textDocument": td(&uri)}))
        .expect("pull");
    assert_eq!(pulled["kind"], "full");
    assert_eq!(pulled["items"].as_array().map(Vec::len), Some(got.len()));
    let ws = c
        .request("workspace/diagnostic", json!({"previousResultIds": []}))
        .expect("workspace pull");
    assert_eq!(ws["items"][0]["uri"], uri);
    assert_eq!(
        ws["items"][0]["items"].as_array().map(Vec::len),
        Some(got.len())
    );
    c.shutdown();
}

#[test]
fn incremental_edits_with_multibyte_text_in_utf16() {
    let v = TempVault::copy_of("lsp-vault");
    let text = v.read("emoji.md");
    let mut c = Client::start(&v.root, Options::default());
    let uri = v.uri("emoji.md");
    c.open(&uri, &text);
    assert!(c.diagnostics(&uri, Some(1)).is_empty());
    // After `日本語のノート 🎉 `: 7 CJK (1 unit each) + space + emoji (2) + space = 11 units.
    let line = 4;
    let change = |c: &mut Client, version: i64, range: Value, new: &str| {
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": range, "text": new}]}),
        );
    };
    change(
        &mut c,
        2,
        json!({"start": pos(line, 11), "end": pos(line, 11)}),
        "[[nope]] ",
    );
    let d = c.diagnostics(&uri, Some(2));
    assert_eq!(codes(&d), ["link-broken"]);
    assert_eq!(
        d[0]["range"],
        json!({"start": pos(line, 13), "end": pos(line, 17)})
    );
    // Replace `nope` with an emoji-bearing existing name typo, then fix it to a real note.
    change(
        &mut c,
        3,
        json!({"start": pos(line, 13), "end": pos(line, 17)}),
        "scaling_laws",
    );
    assert!(c.diagnostics(&uri, Some(3)).is_empty());
    // A CRLF line inserted before: positions on later lines shift by one line.
    change(
        &mut c,
        4,
        json!({"start": pos(4, 0), "end": pos(4, 0)}),
        "🎉 [[x]]\r\n",
    );
    let d = c.diagnostics(&uri, Some(4));
    assert_eq!(codes(&d), ["link-broken"]);
    assert_eq!(d[0]["range"], json!({"start": pos(4, 5), "end": pos(4, 6)}));
    // A whole-text replacement.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 5},
               "contentChanges": [{"text": "---\ntitle: t\n---\n[[gone]]\n"}]}),
    );
    let d = c.diagnostics(&uri, Some(5));
    assert_eq!(d[0]["range"], json!({"start": pos(3, 2), "end": pos(3, 6)}));
    c.shutdown();
}

#[test]
fn completion_of_links_headings_callouts_and_citations() {
    let v = TempVault::copy_of("lsp-vault");
    let mut c = Client::start(&v.root, utf8());
    let uri = v.uri("new.md");
    let text = "---\ntitle: New\n---\n[[scal\n[[scaling_laws#\n> [!war\nclaim <a\n[[chinch]]\n";
    c.open(&uri, text);
    c.diagnostics(&uri, None); // indexed
    let items = |r: &Value| r["items"].as_array().cloned().unwrap_or_default();
    let r = c
        .request("textDocument/completion", at(&uri, 3, 6))
        .expect("completion");
    let list = items(&r);
    assert!(!list.is_empty() && list.len() <= 100);
    assert_eq!(list[0]["label"], "scaling_laws");
    assert_eq!(list[0]["detail"], "Scaling laws");
    assert_eq!(list[0]["textEdit"]["newText"], "scaling_laws]]");
    assert_eq!(
        list[0]["textEdit"]["range"],
        json!({"start": pos(3, 2), "end": pos(3, 6)})
    );
    let resolved = c
        .request("completionItem/resolve", list[0].clone())
        .expect("resolve");
    assert!(resolved["documentation"]["value"]
        .as_str()
        .unwrap_or("")
        .contains("# Intro"));
    // An alias matches too, and is kept as the link's text.
    let r = c
        .request("textDocument/completion", at(&uri, 7, 8))
        .expect("completion");
    let first = &items(&r)[0];
    assert_eq!(first["label"], "scaling_laws");
    assert_eq!(
        first["textEdit"]["newText"],
        "scaling_laws | Chinchilla laws"
    );
    let r = c
        .request("textDocument/completion", at(&uri, 4, 15))
        .expect("headings");
    let labels: Vec<Value> = items(&r).iter().map(|i| i["label"].clone()).collect();
    assert_eq!(
        labels,
        [json!("Intro"), json!("Chinchilla"), json!("Limits")]
    );
    let r = c
        .request("textDocument/completion", at(&uri, 5, 7))
        .expect("callouts");
    let warning = items(&r)
        .into_iter()
        .find(|i| i["label"] == "warning")
        .expect("warning offered");
    assert_eq!(warning["textEdit"]["newText"], "WARNING]");
    let r = c
        .request("textDocument/completion", at(&uri, 6, 8))
        .expect("citation");
    let snippet = &items(&r)[0];
    assert_eq!(snippet["insertTextFormat"], 2);
    assert!(snippet["textEdit"]["newText"]
        .as_str()
        .unwrap_or("")
        .starts_with("<a class=\"yt-timestamp\" data-t=\""));
    c.shutdown();
}

#[test]
fn completion_of_block_ids_after_a_caret() {
    let v = TempVault::copy_of("lsp-vault");
    std::fs::write(
        v.path("quotes.md"),
        "---\ntitle: Quotes\n---\n## Said\nA passage. ^first-quote\n\n- an item ^item-2\n",
    )
    .expect("write quotes.md");
    let mut c = Client::start(&v.root, utf8());
    let uri = v.uri("new.md");
    let text = "---\ntitle: New\n---\nSee [[quotes#^\nSee [[quotes#\nMine. ^own\nSee [[#^\n";
    c.open(&uri, text);
    c.diagnostics(&uri, None); // indexed
    let mut labels = |line, col| -> Vec<Value> {
        let r = c
            .request("textDocument/completion", at(&uri, line, col))
            .expect("completion");
        r["items"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|i| i["label"].clone())
            .collect()
    };
    assert_eq!(labels(3, 15), [json!("^first-quote"), json!("^item-2")]);
    // Without the caret, headings.
    assert_eq!(labels(4, 14), [json!("Said")]);
    // The note's own blocks after `[[#^`.
    assert_eq!(labels(6, 8), [json!("^own")]);
    c.shutdown();
}

#[test]
fn definition_of_block_references_and_markdown_links() {
    let v = TempVault::copy_of("lsp-vault");
    std::fs::write(
        v.path("quotes.md"),
        "---\ntitle: Quotes\n---\n## Said it\nA passage. ^first-quote\n",
    )
    .expect("write quotes.md");
    let mut c = Client::start(&v.root, utf8());
    let uri = v.uri("new.md");
    let text = "---\ntitle: New\n---\nSee [[quotes#^first-quote]] and [it](quotes.md#Said%20it).\n";
    c.open(&uri, text);
    c.diagnostics(&uri, None); // indexed
    let target = v.uri("quotes.md");
    let mut definition = |needle: &str| {
        let (l, col) = find(text, needle, 2);
        c.request("textDocument/definition", at(&uri, l, col))
            .expect("definition")
    };
    let def = definition("[[quotes#^");
    assert_eq!(def["uri"], target);
    // The block's id, `first-quote` after its `^`.
    assert_eq!(def["range"]["start"], pos(4, 12));
    let def = definition("(quotes.md#");
    assert_eq!(def["uri"], target);
    assert_eq!(def["range"]["start"], pos(3, 0)); // `## Said it`, decoded
    c.shutdown();
}

#[test]
fn completion_can_insert_the_title() {
    let v = TempVault::copy_of("lsp-vault");
    let mut c = Client::start(
        &v.root,
        Options {
            utf8: true,
            init_options: json!({"linkStyle": "title"}),
        },
    );
    let uri = v.uri("new.md");
    c.open(&uri, "[[scaling_l]]\n");
    c.diagnostics(&uri, None);
    let r = c
        .request("textDocument/completion", at(&uri, 0, 11))
        .expect("completion");
    assert_eq!(
        r["items"][0]["textEdit"]["newText"],
        "scaling_laws | Scaling laws"
    );
    c.shutdown();
}

#[test]
fn client_rule_levels_override_the_vault_config() {
    // What the VS Code setting `wikistamp.rules` and Neovim's `init_options.rules` send.
    let v = TempVault::copy_of("lsp-vault");
    let mut c = Client::start(
        &v.root,
        Options {
            utf8: true,
            init_options: json!({"rules": {"link-broken": "off", "link-heading-missing": "error"}}),
        },
    );
    let uri = v.uri("index.md");
    c.open(&uri, &v.read("index.md"));
    let diags = c.diagnostics(&uri, Some(1));
    let found = codes(&diags);
    assert!(!found.iter().any(|c| c == "link-broken"), "{found:?}");
    let heading: Vec<&Value> = diags
        .iter()
        .filter(|d| d["code"] == "link-heading-missing")
        .collect();
    assert_eq!(heading.len(), 1, "{diags:?}");
    assert_eq!(heading[0]["severity"], 1, "error severity");
    c.shutdown();
}

#[test]
fn definition_references_hover_and_document_links() {
    let v = TempVault::copy_of("lsp-vault");
    let mut c = Client::start(&v.root, utf8());
    let index = v.read("index.md");
    let uri = v.uri("index.md");
    c.open(&uri, &index);
    c.diagnostics(&uri, None);
    let target = v.uri("scaling_laws.md");
    let (l, col) = find(&index, "[[scaling_laws]]", 4);
    let def = c
        .request("textDocument/definition", at(&uri, l, col))
        .expect("definition");
    assert_eq!(def["uri"], target);
    assert_eq!(def["range"]["start"], pos(0, 0));
    let (l, col) = find(&index, "[[scaling_laws#Chinchilla", 3);
    let def = c
        .request("textDocument/definition", at(&uri, l, col))
        .expect("definition");
    assert_eq!(def["uri"], target);
    assert_eq!(def["range"]["start"], pos(11, 0)); // `## Chinchilla`
                                                   // Backlinks of scaling_laws: three links in index.md, one in notes/agents.md.
    let refs = c.request("textDocument/references", json!({
        "textDocument": td(&target), "position": pos(0, 0), "context": {"includeDeclaration": false}
    })).expect("references");
    let mut uris: Vec<String> = refs
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| r["uri"].as_str().unwrap_or("").to_string())
        .collect();
    uris.sort();
    assert_eq!(
        uris,
        [
            uri.clone(),
            uri.clone(),
            uri.clone(),
            v.uri("notes/agents.md")
        ]
    );
    // From a link: backlinks of the link's target.
    let (l, col) = find(&index, "[[scaling_laws]]", 4);
    let refs2 = c.request("textDocument/references", json!({
        "textDocument": td(&uri), "position": pos(l, col), "context": {"includeDeclaration": false}
    })).expect("references");
    assert_eq!(refs2.as_array().map(Vec::len), Some(4));
    // Hover on a link: title and first lines.
    let hover = c
        .request("textDocument/hover", at(&uri, l, col))
        .expect("hover");
    let value = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(
        value.contains("**Scaling laws**") && value.contains("# Intro"),
        "{value}"
    );
    // Hover on a citation: the time in seconds and the video URL.
    let scaling = v.read("scaling_laws.md");
    let (l, col) = find(&scaling, "<a class", 5);
    let hover = c
        .request("textDocument/hover", at(&target, l, col))
        .expect("hover");
    let value = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(value.contains("`00:01:36` = 96 s"), "{value}");
    assert!(
        value.contains("https://youtu.be/ZtY8VXswa2o?t=96"),
        "{value}"
    );
    let links = c
        .request(
            "textDocument/documentLink",
            json!({"textDocument": td(&target)}),
        )
        .expect("links");
    let targets: Vec<&str> = links
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["target"].as_str())
        .collect();
    let index_uri = v.uri("index.md");
    assert_eq!(
        targets,
        [
            "https://youtu.be/ZtY8VXswa2o?t=96",
            "https://youtu.be/ZtY8VXswa2o?t=239",
            index_uri.as_str(),
        ]
    );
    c.shutdown();
}

#[test]
fn code_actions_fix_fix_all_and_create_note() {
    let v = TempVault::copy_of("lsp-vault");
    let mut c = Client::start(&v.root, utf8());
    let index = v.read("index.md");
    let uri = v.uri("index.md");
    c.open(&uri, &index);
    c.diagnostics(&uri, None);
    let (l, col) = find(&index, "Scaling-Laws!", 0);
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": td(&uri), "range": {"start": pos(l, col), "end": pos(l, col)},
                "context": {"diagnostics": []}
            }),
        )
        .expect("code actions");
    let actions = actions.as_array().cloned().unwrap_or_default();
    let quick = actions
        .iter()
        .find(|a| a["kind"] == "quickfix")
        .expect("a quick fix");
    assert_eq!(quick["title"], "Link to `scaling_laws`");
    assert_eq!(quick["isPreferred"], true);
    assert_eq!(quick["diagnostics"][0]["code"], "link-broken");
    let edit = &quick["edit"]["documentChanges"][0]["edits"][0];
    assert_eq!(edit["newText"], "scaling_laws|Scaling-Laws!");
    assert_eq!(
        edit["range"],
        json!({"start": pos(l, col), "end": pos(l, col + 13)})
    );
    let all = actions
        .iter()
        .find(|a| a["kind"] == "source.fixAll.wikistamp")
        .expect("fix all");
    // One minimal edit: insert the name before the old target, which becomes the alias.
    let all_edit = &all["edit"]["documentChanges"][0]["edits"][0];
    assert_eq!(all_edit["newText"], "scaling_laws|");
    assert_eq!(
        all_edit["range"],
        json!({"start": pos(l, col), "end": pos(l, col)})
    );
    // Create missing note.
    let (l, col) = find(&index, "missing_note", 0);
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": td(&uri), "range": {"start": pos(l, col), "end": pos(l, col)},
                "context": {"diagnostics": []}
            }),
        )
        .expect("code actions");
    let create = actions
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| a["title"] == "Create note `missing_note.md`")
        .expect("create note");
    let op = &create["edit"]["documentChanges"][0];
    assert_eq!(op["kind"], "create");
    assert_eq!(op["uri"], v.uri("missing_note.md"));
    c.shutdown();
}

#[test]
fn document_and_workspace_symbols() {
    let v = TempVault::copy_of("lsp-vault");
    let mut c = Client::start(&v.root, utf8());
    let target = v.uri("scaling_laws.md");
    let syms = c
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": td(&target)}),
        )
        .expect("symbols");
    assert_eq!(syms[0]["name"], "Intro");
    let children: Vec<&str> = syms[0]["children"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(children, ["Chinchilla", "Limits"]);
    c.wait_for("indexed", |m| m["method"] == "window/logMessage");
    let ws = c
        .request("workspace/symbol", json!({"query": "agents"}))
        .expect("workspace symbols");
    assert_eq!(ws[0]["name"], "AI agents");
    assert_eq!(ws[0]["location"]["uri"], v.uri("notes/agents.md"));
    c.shutdown();
}

/// Applies a workspace edit's text edits (UTF-8 positions) and file operations to disk.
fn apply_workspace_edit(edit: &Value) {
    for change in edit["documentChanges"].as_array().into_iter().flatten() {
        if change["kind"] == "rename" {
            let from = change["oldUri"]
                .as_str()
                .unwrap_or("")
                .trim_start_matches("file://");
            let to = change["newUri"]
                .as_str()
                .unwrap_or("")
                .trim_start_matches("file://");
            std::fs::rename(from, to).expect("rename file");
            continue;
        }
        let path = change["textDocument"]["uri"]
            .as_str()
            .unwrap_or("")
            .trim_start_matches("file://");
        let mut text = std::fs::read_to_string(path).expect("read edited file");
        let mut edits: Vec<(usize, usize, String)> = change["edits"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| {
                let lines = LineIndex::new(&text);
                let off = |p: &Value| {
                    let at = LineCol {
                        line: p["line"].as_u64().unwrap_or(0) as usize,
                        col: p["character"].as_u64().unwrap_or(0) as usize,
                    };
                    lines.offset(&text, at, ColumnUnit::Bytes)
                };
                (
                    off(&e["range"]["start"]),
                    off(&e["range"]["end"]),
                    e["newText"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        edits.sort_by_key(|e| std::cmp::Reverse(e.0));
        for (s, e, new) in edits {
            text.replace_range(s..e, &new);
        }
        std::fs::write(path, text).expect("write edited file");
    }
}

#[test]
fn rename_a_note_updates_every_link_and_renames_the_file() {
    let v = TempVault::copy_of("lsp-vault");
    let mut c = Client::start(&v.root, utf8());
    let index = v.read("index.md");
    let uri = v.uri("index.md");
    c.open(&uri, &index);
    c.diagnostics(&uri, None);
    let (l, col) = find(&index, "[[scaling_laws]]", 5);
    let prep = c
        .request("textDocument/prepareRename", at(&uri, l, col))
        .expect("prepare");
    assert_eq!(prep["placeholder"], "scaling_laws");
    assert_eq!(
        prep["range"],
        json!({"start": pos(l, col - 3), "end": pos(l, col + 9)})
    );
    let edit = c
        .request(
            "textDocument/rename",
            json!({
                "textDocument": td(&uri), "position": pos(l, col), "newName": "laws_of_scale"
            }),
        )
        .expect("rename");
    let ops = edit["documentChanges"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let last = ops.last().expect("operations");
    assert_eq!(last["kind"], "rename");
    assert_eq!(last["newUri"], v.uri("laws_of_scale.md"));
    apply_workspace_edit(&edit);
    let index_after = v.read("index.md");
    assert!(
        index_after.contains("- [[laws_of_scale]] explains"),
        "{index_after}"
    );
    assert!(index_after.contains("[[laws_of_scale#Chinchilla|Chinchilla]]"));
    assert!(
        index_after.contains("[[Chinchilla laws]] is an alias"),
        "aliases are kept"
    );
    assert!(v
        .read("notes/agents.md")
        .contains("see [[laws_of_scale]] and"));
    assert!(!v.path("scaling_laws.md").exists());
    // The batch checker agrees that no link broke.
    let out = Command::new(env!("CARGO_BIN_EXE_wikistamp"))
        .args(["check", "--format", "json"])
        .current_dir(&v.root)
        .output()
        .expect("check");
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    let broken: Vec<&Value> = json["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["rule"] == "link-broken")
        .collect();
    let messages: Vec<&str> = broken
        .iter()
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "`Scaling-Laws!` links to no note",
            "`missing_note` links to no note"
        ]
    );
    // An existing name is refused.
    let err = c.request("textDocument/rename", json!({
        "textDocument": td(&v.uri("notes/agents.md")), "position": pos(5, 25), "newName": "index"
    }));
    assert!(err.is_err() || err == Ok(Value::Null), "{err:?}");
    c.shutdown();
}

#[test]
fn rename_a_heading_updates_fragment_links() {
    let v = TempVault::copy_of("lsp-vault");
    let mut c = Client::start(&v.root, utf8());
    let target = v.uri("scaling_laws.md");
    let scaling = v.read("scaling_laws.md");
    c.open(&target, &scaling);
    c.diagnostics(&target, None);
    let (l, col) = find(&scaling, "## Chinchilla", 4);
    let edit = c
        .request(
            "textDocument/rename",
            json!({
                "textDocument": td(&target), "position": pos(l, col), "newName": "Compute optimal"
            }),
        )
        .expect("rename heading");
    apply_workspace_edit(&edit);
    assert!(v.read("scaling_laws.md").contains("## Compute optimal\n"));
    assert!(v
        .read("index.md")
        .contains("[[scaling_laws#Compute optimal|Chinchilla]]"));
    c.shutdown();
}

#[test]
fn watched_files_and_config_reload() {
    let v = TempVault::copy_of("lsp-vault");
    let mut c = Client::start(&v.root, utf8());
    let index = v.read("index.md");
    let uri = v.uri("index.md");
    c.open(&uri, &index);
    assert!(codes(&c.diagnostics(&uri, None)).contains(&"link-broken".to_string()));
    let broken = |d: &[Value]| d.iter().filter(|d| d["code"] == "link-broken").count();
    // A note created outside the editor: its link is no longer broken.
    std::fs::write(v.path("missing_note.md"), "---\ntitle: Now here\n---\n").expect("write");
    c.drain();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": v.uri("missing_note.md"), "type": 1}]}),
    );
    let d = c.diagnostics(&uri, None);
    assert_eq!(broken(&d), 1);
    // Deleted again: broken again.
    std::fs::remove_file(v.path("missing_note.md")).expect("remove");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": v.uri("missing_note.md"), "type": 3}]}),
    );
    let d = c.diagnostics(&uri, None);
    assert_eq!(broken(&d), 2);
    // A heading added to agents.md on disk satisfies `[[agents#Nope]]`.
    let agents = v.read("notes/agents.md") + "\n## Nope\n";
    std::fs::write(v.path("notes/agents.md"), agents).expect("write");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": v.uri("notes/agents.md"), "type": 2}]}),
    );
    let d = c.diagnostics(&uri, None);
    assert!(
        !codes(&d).contains(&"link-heading-missing".to_string()),
        "{d:?}"
    );
    // The configuration turns link-broken off.
    std::fs::write(v.path("wikistamp.toml"), "[rules]\nlink-broken = \"off\"\n").expect("write");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": v.uri("wikistamp.toml"), "type": 2}]}),
    );
    let d = c.diagnostics(&uri, None);
    assert_eq!(broken(&d), 0, "{d:?}");
    c.shutdown();
}

#[test]
fn open_notes_refresh_when_a_note_they_link_to_appears() {
    let v = TempVault::copy_of("lsp-vault");
    let mut c = Client::start(&v.root, utf8());
    let index = v.read("index.md");
    let uri = v.uri("index.md");
    c.open(&uri, &index);
    assert_eq!(
        c.diagnostics(&uri, None)
            .iter()
            .filter(|d| d["code"] == "link-broken")
            .count(),
        2
    );
    // A new unsaved note named like the missing target, opened in the editor.
    let new_uri = v.uri("missing_note.md");
    c.open(&new_uri, "---\ntitle: Fresh\n---\n");
    let d = c.wait_for("refreshed index diagnostics", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|a| a.iter().filter(|d| d["code"] == "link-broken").count() == 1)
    });
    assert_eq!(d["params"]["version"], 1);
    c.shutdown();
}

#[test]
fn survives_bad_input() {
    let v = TempVault::copy_of("lsp-vault");
    let mut c = Client::start(&v.root, Options::default());
    let uri = v.uri("emoji.md");
    c.open(&uri, &v.read("emoji.md"));
    c.diagnostics(&uri, None);
    // Out-of-range positions.
    for method in [
        "textDocument/hover",
        "textDocument/completion",
        "textDocument/definition",
        "textDocument/prepareRename",
    ] {
        let r = c.request(method, at(&uri, 9999, 9999));
        assert!(r.is_ok(), "{method}: {r:?}");
        let r = c.request(method, at(&uri, 4, 9999));
        assert!(r.is_ok(), "{method}: {r:?}");
    }
    // Unknown documents.
    let r = c.request("textDocument/hover", at("file:///nowhere/at/all.md", 0, 0));
    assert_eq!(r, Ok(Value::Null));
    let r = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": td("untitled:Untitled-1")}),
    );
    assert!(r.is_ok(), "{r:?}");
    // A change to a document that is not open is ignored (and logged).
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": v.uri("index.md"), "version": 7},
        "contentChanges": [{"range": {"start": pos(0, 0), "end": pos(0, 0)}, "text": "x"}]}),
    );
    c.wait_for("log of ignored change", |m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|s| s.contains("not open"))
    });
    // An edit with a range past the end is clamped.
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"range": {"start": pos(99, 0), "end": pos(120, 5)}, "text": "\n[[nowhere]]"}]}));
    assert_eq!(codes(&c.diagnostics(&uri, Some(2))), ["link-broken"]);
    // Unknown method, malformed params, malformed JSON.
    let r = c.request("wikistamp/unknown", json!({}));
    assert_eq!(r.err().map(|e| e["code"].clone()), Some(json!(-32601)));
    let r = c.request("textDocument/hover", json!({"nonsense": true}));
    assert!(r.is_err());
    c.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    let r = c.request("textDocument/hover", at(&uri, 0, 0));
    assert!(r.is_ok(), "{r:?}");
    assert!(c.is_running());
    c.shutdown();
}

/// A frame whose `Content-Length` is wrong costs only itself: the server resynchronises at the
/// next header (mid-line, after a body cut too short; or inside the bytes a too-long length
/// claims, even when they arrive later) and answers every valid request that follows.
#[test]
fn a_wrong_content_length_costs_only_its_own_frame() {
    let v = TempVault::copy_of("lsp-vault");
    let mut c = Client::start(&v.root, Options::default());
    let uri = v.uri("emoji.md");
    c.open(&uri, &v.read("emoji.md"));
    c.diagnostics(&uri, None);
    let hover = |id: i64| json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": at(&uri, 0, 0)});
    let symbols = |id: i64| json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/documentSymbol", "params": {"textDocument": td(&uri)}});
    // The header claims `delta` bytes more (or fewer) than the body has.
    let frame = |msg: &Value, delta: i64| {
        let body = msg.to_string();
        let len = body.len() as i64 + delta;
        format!("Content-Length: {len}\r\n\r\n{body}").into_bytes()
    };
    let answered = |c: &mut Client, ids: &[i64]| {
        for &id in ids {
            let r = c.wait_for(&format!("the answer to request {id}"), |m| {
                m["id"] == id && m.get("method").is_none()
            });
            assert!(r.get("error").is_none(), "request {id}: {r}");
        }
    };

    // Too long, alone: the server cannot tell yet and waits for more bytes...
    c.send_raw(&frame(&hover(901), 200));
    std::thread::sleep(std::time::Duration::from_millis(100));
    // ...which are the next frames: it resynchronises at their header.
    let mut valid = frame(&hover(1001), 0);
    valid.extend(frame(&symbols(1002), 0));
    c.send_raw(&valid);
    answered(&mut c, &[1001, 1002]);

    // Too long and too short, each followed by valid requests, in one write.
    let mut bytes = frame(&hover(902), 50);
    bytes.extend(frame(&hover(1003), 0));
    bytes.extend(frame(&symbols(1004), 0));
    bytes.extend(frame(&hover(903), -10));
    bytes.extend(frame(&hover(1005), 0));
    bytes.extend(frame(&symbols(1006), 0));
    c.send_raw(&bytes);
    answered(&mut c, &[1003, 1004, 1005, 1006]);

    // The broken frames got no answer (the dropped messages were not requests any more).
    let r = c.request("textDocument/hover", at(&uri, 0, 0));
    assert!(r.is_ok(), "{r:?}");
    c.drain();
    assert!(c
        .backlog
        .iter()
        .all(|m| !(901..=903).contains(&m["id"].as_i64().unwrap_or(0))));
    assert!(c.is_running());
    c.shutdown();
}

/// The server on the real corpus, when `WIKISTAMP_CORPUS` names it: it answers completion while
/// it indexes, indexes every note, re-checks a note on each keystroke and completes links
/// afterwards. Timings are the latency harness's job (`examples/lsp_latency.rs`).
#[test]
fn corpus_session() {
    let Some(root) = std::env::var_os("WIKISTAMP_CORPUS") else {
        // Straight to the terminal: the test harness would swallow a printed line.
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"\n*** SKIPPED corpus_session: set WIKISTAMP_CORPUS to the corpus path to run it ***\n",
        );
        return;
    };
    let root = std::fs::canonicalize(root).expect("the corpus path");
    let notes = walk_md(&root);
    // A ~15 KB note.
    let note = notes
        .iter()
        .find(|p| std::fs::metadata(p).is_ok_and(|m| (14_500..16_000).contains(&m.len())))
        .expect("a 15 KB note")
        .clone();
    let text = std::fs::read_to_string(&note).expect("read note");
    let uri = client::uri(&note);
    let mut c = Client::start(&root, utf8());
    c.open(&uri, &text);
    // Completion while indexing: answered (from what is indexed so far).
    let line = text.lines().count() as u64;
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"range": {"start": pos(line, 0), "end": pos(line, 0)}, "text": "\n[[ag"}]}));
    let early = c.request("textDocument/completion", at(&uri, line + 1, 4));
    assert!(early.is_ok(), "{early:?}");
    let end = c.wait_for("index end", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    let indexed: usize = end["params"]["value"]["message"]
        .as_str()
        .and_then(|m| m.strip_suffix(" notes"))
        .and_then(|n| n.parse().ok())
        .expect("`N notes` at the end of indexing");
    // The vault's configuration may exclude some; most are indexed.
    assert!(
        indexed > notes.len() / 2 && indexed <= notes.len(),
        "{indexed} of {}",
        notes.len()
    );
    c.diagnostics(&uri, Some(2));
    // Keystrokes: each one's diagnostics are published for its version.
    let mut version = 2;
    for i in 0..20u64 {
        version += 1;
        c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": pos(line + 1, 4 + i), "end": pos(line + 1, 4 + i)}, "text": "e"}]}));
        c.diagnostics(&uri, Some(version));
    }
    // `[[` completion on a fresh link, against the whole vault.
    version += 1;
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": version},
        "contentChanges": [{"range": {"start": pos(line + 1, 0), "end": pos(line + 1, 0)}, "text": "[[ai "}]}));
    let r = c
        .request("textDocument/completion", at(&uri, line + 1, 5))
        .expect("completion");
    let items = r["items"].as_array().map_or(0, Vec::len);
    assert!(items > 0, "no completion for `[[ai ` in the corpus");
    // References to the open note come from notes read from disk.
    let refs = c
        .request(
            "textDocument/references",
            json!({"textDocument": td(&uri),
            "position": pos(0, 0), "context": {"includeDeclaration": false}}),
        )
        .expect("references");
    assert!(refs.is_array(), "{refs}");
    c.shutdown();
}

fn walk_md(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
