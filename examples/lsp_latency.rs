//! On-demand latency harness for `wikistamp lsp` (not a test): starts the server on a vault,
//! and prints the time to index (work-done progress ends), keystroke → publishDiagnostics
//! p50/p95 over 200 edits of a note (the one given, else the one closest to 15 KB), `[[`
//! completion p50/p95 over 100 requests, the server's resident memory after indexing, and on
//! the note's first citation hover, completion inside `data-t` and code actions p50/p95 over
//! 100 requests each (what a transcript makes slower, when the video has one).
//!
//! ```text
//! cargo build --release
//! cargo run --release --example lsp_latency -- /work/shared/corpus/tubegraph [NOTE]
//! ```
//! The server binary is `target/release/wikistamp` unless `WIKISTAMP_BIN` names another.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const TIMEOUT: Duration = Duration::from_secs(60);

fn write_frame(out: &mut impl Write, msg: &Value) -> std::io::Result<()> {
    let body = serde_json::to_string(msg).map_err(std::io::Error::other)?;
    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    out.flush()
}

fn read_frame(input: &mut impl BufRead) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if input.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            len = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; len?];
    input.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

struct Client {
    stdin: Arc<Mutex<ChildStdin>>,
    rx: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn send(&mut self, msg: &Value) {
        let mut w = self.stdin.lock().expect("stdin lock");
        write_frame(&mut *w, msg).expect("write to the server");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let reply = self.wait_for(method, |m| m["id"] == id && m.get("method").is_none());
        reply["result"].clone()
    }

    fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(m) if pred(&m) => return m,
                Ok(_) => {}
                Err(_) => panic!("no answer in time: {what}"),
            }
        }
    }

    fn diagnostics(&mut self, uri: &str, version: i64) {
        self.wait_for("publishDiagnostics", |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
    }
}

fn pos(line: u64, character: u64) -> Value {
    json!({"line": line, "character": character})
}

fn walk_md(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            walk_md(&p, out);
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
}

fn percentile(v: &mut [Duration], p: usize) -> Duration {
    v.sort();
    v[(v.len() * p / 100).min(v.len() - 1)]
}

fn main() {
    let root = std::env::args()
        .nth(1)
        .expect("usage: lsp_latency VAULT [NOTE]");
    let root = std::fs::canonicalize(root).expect("vault path");
    let bin = std::env::var_os("WIKISTAMP_BIN")
        .map_or_else(|| PathBuf::from("target/release/wikistamp"), PathBuf::from);
    let bin = std::fs::canonicalize(&bin).unwrap_or(bin);
    let mut notes = Vec::new();
    walk_md(&root, &mut notes);
    notes.sort();
    // The note given, else the one closest to 15 KB.
    let note = match std::env::args().nth(2) {
        Some(n) => std::fs::canonicalize(n).expect("note path"),
        None => notes
            .iter()
            .min_by_key(|p| std::fs::metadata(p).map_or(u64::MAX, |m| m.len().abs_diff(15_000)))
            .expect("a note")
            .clone(),
    };
    let text = std::fs::read_to_string(&note).expect("read the note");
    let uri = format!("file://{}", note.display());
    let root_uri = format!("file://{}", root.display());

    let started = Instant::now();
    let mut child = Command::new(&bin)
        .arg("lsp")
        .current_dir(&root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn {}: {e}", bin.display()));
    let pid = child.id();
    let stdin = Arc::new(Mutex::new(child.stdin.take().expect("stdin")));
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    let reply = stdin.clone();
    std::thread::spawn(move || {
        let mut input = BufReader::new(stdout);
        while let Some(msg) = read_frame(&mut input) {
            // The server's own requests (progress tokens, registrations) get an empty answer.
            if msg.get("method").is_some() && msg.get("id").is_some() {
                let answer = json!({"jsonrpc": "2.0", "id": msg["id"], "result": null});
                if let Ok(mut w) = reply.lock() {
                    let _ = write_frame(&mut *w, &answer);
                }
            }
            if tx.send(msg).is_err() {
                break;
            }
        }
    });
    let mut c = Client {
        stdin,
        rx,
        next_id: 0,
    };
    c.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": root_uri,
            "workspaceFolders": [{"uri": root_uri, "name": "vault"}],
            "capabilities": {
                "general": {"positionEncodings": ["utf-8", "utf-16"]},
                "window": {"workDoneProgress": true},
                "textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}
            }
        }),
    );
    c.notify("initialized", json!({}));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
    );
    c.wait_for("the end of indexing", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    let indexed = started.elapsed();
    let rss = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS"))
                .map(|l| l.trim_start_matches("VmRSS:").trim().to_string())
        })
        .unwrap_or_else(|| "?".into());

    // Keystrokes: a new last line, then 200 single-character edits, each waited for.
    let line = text.lines().count() as u64;
    let mut version = 2;
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": version},
        "contentChanges": [{"range": {"start": pos(line, 0), "end": pos(line, 0)}, "text": "\nThe claim "}]}));
    c.diagnostics(&uri, version);
    let mut keystroke = Vec::new();
    for i in 0..200u64 {
        version += 1;
        let t = Instant::now();
        c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": pos(line + 1, 10 + i), "end": pos(line + 1, 10 + i)}, "text": "e"}]}));
        c.diagnostics(&uri, version);
        keystroke.push(t.elapsed());
    }
    // `[[` completion on a fresh link.
    version += 1;
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": version},
        "contentChanges": [{"range": {"start": pos(line + 1, 0), "end": pos(line + 1, 0)}, "text": "[[ai "}]}));
    c.diagnostics(&uri, version);
    let mut completion = Vec::new();
    let mut items = 0;
    for _ in 0..100 {
        let t = Instant::now();
        let r = c.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": pos(line + 1, 5)}),
        );
        completion.push(t.elapsed());
        items = r["items"].as_array().or(r.as_array()).map_or(0, Vec::len);
    }
    // On the note's first citation (as opened, before the edits above, which only add lines
    // at its end): hover, completion inside `data-t="…"` (the moments of the transcript that
    // best say the claim, when the video has one) and the code actions on its line.
    let mut on_citation: Vec<(&str, Vec<Duration>)> = Vec::new();
    if let Some(at) = text.find("data-t=\"") {
        let value = at + "data-t=\"".len();
        let line_start = text[..value].rfind('\n').map_or(0, |i| i + 1);
        let (l, col) = (
            text[..value].matches('\n').count() as u64,
            (value - line_start) as u64,
        );
        let requests = [
            (
                "hover",
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": pos(l, col)}),
            ),
            (
                "data-t completion",
                "textDocument/completion",
                json!({"textDocument": {"uri": uri}, "position": pos(l, col)}),
            ),
            (
                "code actions",
                "textDocument/codeAction",
                json!({"textDocument": {"uri": uri},
                "range": {"start": pos(l, 0), "end": pos(l, 0)}, "context": {"diagnostics": []}}),
            ),
        ];
        for (name, method, params) in requests {
            let mut times = Vec::new();
            for _ in 0..100 {
                let t = Instant::now();
                c.request(method, params.clone());
                times.push(t.elapsed());
            }
            on_citation.push((name, times));
        }
    }
    let _ = c.request("shutdown", Value::Null);
    c.notify("exit", Value::Null);
    let _ = child.wait();

    println!("vault:       {} ({} notes)", root.display(), notes.len());
    println!("note:        {} ({} bytes)", note.display(), text.len());
    println!(
        "indexed:     {:.0} ms (spawn to the end of work-done progress)",
        indexed.as_secs_f64() * 1e3
    );
    println!("memory:      {rss} resident after indexing");
    println!(
        "keystroke:   p50 {:.2} ms, p95 {:.2} ms (didChange -> publishDiagnostics, 200 edits)",
        percentile(&mut keystroke, 50).as_secs_f64() * 1e3,
        percentile(&mut keystroke, 95).as_secs_f64() * 1e3
    );
    println!(
        "completion:  p50 {:.2} ms, p95 {:.2} ms ({items} items, 100 requests)",
        percentile(&mut completion, 50).as_secs_f64() * 1e3,
        percentile(&mut completion, 95).as_secs_f64() * 1e3
    );
    for (name, mut times) in on_citation {
        println!(
            "{name}: p50 {:.2} ms, p95 {:.2} ms (first citation, 100 requests)",
            percentile(&mut times, 50).as_secs_f64() * 1e3,
            percentile(&mut times, 95).as_secs_f64() * 1e3
        );
    }
}
