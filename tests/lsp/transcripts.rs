//! The editor features over a note's transcript, end to end: hover and definition on a
//! citation, a transcript written while the server runs, completion of a citation's time and
//! "Cite the moment". The vault `lsp-transcripts` has one note of video `fourierDemo` and its
//! captions `transcripts/fourierDemo.en.srt` (four minutes, a cue every 5 s).

use serde_json::{json, Value};

use super::client::{Client, TempVault};
use super::{at, codes, find, pos, td, utf8};

const NOTE: &str = "fourier.md";
const TRANSCRIPT: &str = "transcripts/fourierDemo.en.srt";

fn hover_text(c: &mut Client, uri: &str, (l, col): (u64, u64)) -> String {
    let hover = c
        .request("textDocument/hover", at(uri, l, col))
        .expect("hover");
    hover["contents"]["value"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

/// The diagnostics next published for `uri` that satisfy `pred` (earlier ones skipped).
fn diagnostics_until(c: &mut Client, uri: &str, pred: impl Fn(&[String]) -> bool) -> Vec<String> {
    let msg = c.wait_for(&format!("diagnostics for {uri}"), |m| {
        if m["method"] != "textDocument/publishDiagnostics" || m["params"]["uri"] != uri {
            return false;
        }
        let d = m["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        pred(&codes(&d))
    });
    codes(
        msg["params"]["diagnostics"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or(&[]),
    )
}

#[test]
fn hover_and_definition_of_a_citation_read_the_transcript() {
    let v = TempVault::copy_of("lsp-transcripts");
    let mut c = Client::start(&v.root, utf8());
    let text = v.read(NOTE);
    let uri = v.uri(NOTE);
    c.open(&uri, &text);
    c.diagnostics(&uri, Some(1));
    let cited = find(&text, "data-t=\"00:01:05", 3);
    let value = hover_text(&mut c, &uri, cited);
    assert!(value.contains("`00:01:05` = 65 s"), "{value}");
    assert!(
        value.contains("https://youtu.be/fourierDemo?t=65"),
        "{value}"
    );
    assert!(value.contains(TRANSCRIPT), "{value}");
    // From 15 s before to 15 s after, the caption said at the moment in bold.
    assert!(
        value.contains("`00:00:50` Its pressure goes up and down"),
        "{value}"
    );
    assert!(
        value.contains("`00:01:05` **Imagine a little vector drawing the graph as it spins.**"),
        "{value}"
    );
    assert!(
        value.contains("`00:01:20` Track the centre of mass"),
        "{value}"
    );
    assert!(!value.contains("Here is a pure tone"), "{value}");
    assert!(!value.contains("When the winding matches"), "{value}");

    // Definition: the transcript, at the timing line of the cue said at 00:01:05 (line 54).
    let def = c
        .request("textDocument/definition", at(&uri, cited.0, cited.1))
        .expect("definition");
    assert_eq!(def["uri"], v.uri(TRANSCRIPT));
    assert_eq!(def["range"]["start"], pos(53, 0));
    // 00:00:00 falls in the first cue; its timing is line 2.
    let (l, col) = find(&text, "data-t=\"00:00:00", 3);
    let def = c
        .request("textDocument/definition", at(&uri, l, col))
        .expect("definition");
    assert_eq!(def["range"]["start"], pos(1, 0));

    // A note of a video without a transcript: the time and the video only, no definition.
    let other = v.uri("other.md");
    let other_text = "---\nvideoId: abcdefghijk\n---\nA claim <a class=\"yt-timestamp\" data-t=\"00:00:05\">[00:00:05]</a>.\n";
    c.open(&other, other_text);
    let (l, col) = find(other_text, "data-t", 2);
    let value = hover_text(&mut c, &other, (l, col));
    assert!(
        value.contains("`00:00:05` = 5 s") && !value.contains("Transcript"),
        "{value}"
    );
    let def = c
        .request("textDocument/definition", at(&other, l, col))
        .expect("definition");
    assert_eq!(def, Value::Null);
    c.shutdown();
}

#[test]
fn a_transcript_written_while_the_server_runs_is_picked_up() {
    let v = TempVault::copy_of("lsp-transcripts");
    let captions = v.read(TRANSCRIPT);
    std::fs::remove_file(v.path(TRANSCRIPT)).expect("remove transcript");
    let mut c = Client::start(&v.root, utf8());
    let reg = c.wait_for("registration", |m| {
        m["method"] == "client/registerCapability"
    });
    let globs = reg["params"]["registrations"][0]["registerOptions"]["watchers"].clone();
    assert!(
        globs
            .as_array()
            .into_iter()
            .flatten()
            .any(|w| w["globPattern"] == "**/*.{srt,vtt,json}"),
        "{globs}"
    );
    let uri = v.uri("late.md");
    let text = "---\nvideoId: fourierDemo\n---\nThe end <a class=\"yt-timestamp\" data-t=\"00:04:30\">[00:04:30]</a>.\n";
    c.open(&uri, text);
    let before = codes(&c.diagnostics(&uri, Some(1)));
    assert!(
        !before.iter().any(|d| d == "timestamp-after-end"),
        "{before:?}"
    );
    let cited = find(text, "data-t", 2);
    assert!(!hover_text(&mut c, &uri, cited).contains("Transcript"));

    // The transcript appears: the 4-minute video cannot be cited at 00:04:30.
    std::fs::write(v.path(TRANSCRIPT), &captions).expect("write transcript");
    let changed = |kind: u32| json!({"changes": [{"uri": v.uri(TRANSCRIPT), "type": kind}]});
    c.notify("workspace/didChangeWatchedFiles", changed(1));
    diagnostics_until(&mut c, &uri, |d| {
        d.iter().any(|c| c == "timestamp-after-end")
    });
    let value = hover_text(&mut c, &uri, cited);
    assert!(value.contains(TRANSCRIPT), "{value}");
    assert!(value.contains("nothing is said around 00:04:30"), "{value}");

    // Changed to a longer video: the citation fits.
    let longer = captions.replace(
        "00:03:55,000 --> 00:04:00,000",
        "00:03:55,000 --> 00:06:00,000",
    );
    std::fs::write(v.path(TRANSCRIPT), longer).expect("rewrite transcript");
    c.notify("workspace/didChangeWatchedFiles", changed(2));
    diagnostics_until(&mut c, &uri, |d| {
        !d.iter().any(|c| c == "timestamp-after-end")
    });

    // Removed: back to no transcript.
    std::fs::remove_file(v.path(TRANSCRIPT)).expect("remove transcript");
    c.notify("workspace/didChangeWatchedFiles", changed(3));
    let mut gone = false;
    for _ in 0..50 {
        if !hover_text(&mut c, &uri, cited).contains("Transcript") {
            gone = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(gone, "the removed transcript is forgotten");
    c.shutdown();
}

#[test]
fn completion_of_a_citation_time_offers_the_moments_that_say_the_claim() {
    let v = TempVault::copy_of("lsp-transcripts");
    let mut c = Client::start(&v.root, utf8());
    let text = v.read(NOTE);
    let uri = v.uri(NOTE);
    c.open(&uri, &text);
    c.diagnostics(&uri, Some(1));
    // Inside `data-t="00:00:00"` after "Phones compress music and JPEG images…".
    let (l, col) = find(&text, "data-t=\"00:00:00", 10);
    let r = c
        .request("textDocument/completion", at(&uri, l, col))
        .expect("completion");
    let items = r["items"].as_array().cloned().unwrap_or_default();
    assert!((1..=5).contains(&items.len()), "{items:?}");
    let labels: Vec<&str> = items.iter().filter_map(|i| i["label"].as_str()).collect();
    assert!(
        labels
            .iter()
            .all(|l| l.len() == 8 && l.as_bytes()[2] == b':' && l.as_bytes()[5] == b':'),
        "{labels:?}"
    );
    // The applications part of the video says it; citation-unsupported names the same moment.
    assert_eq!(labels[0], "00:02:55");
    let first = &items[0];
    assert!(
        first["documentation"]["value"]
            .as_str()
            .unwrap_or("")
            .contains("Your phone compresses music"),
        "{first}"
    );
    let (dl, dcol) = find(&text, "data-t=\"00:00:00", 8);
    assert_eq!(first["textEdit"]["newText"], "00:02:55");
    assert_eq!(
        first["textEdit"]["range"],
        json!({"start": pos(dl, dcol), "end": pos(dl, dcol + 8)})
    );
    // The label follows the time.
    let (ll, lcol) = find(&text, "[00:00:00]", 1);
    assert_eq!(
        first["additionalTextEdits"],
        json!([{"range": {"start": pos(ll, lcol), "end": pos(ll, lcol + 8)}, "newText": "00:02:55"}])
    );
    c.shutdown();
}

#[test]
fn cite_the_moment_on_an_uncited_claim() {
    let v = TempVault::copy_of("lsp-transcripts");
    let mut c = Client::start(&v.root, utf8());
    let text = v.read(NOTE);
    let uri = v.uri(NOTE);
    c.open(&uri, &text);
    c.diagnostics(&uri, Some(1));
    let actions_at = |c: &mut Client, (l, col): (u64, u64)| -> Vec<Value> {
        c.request(
            "textDocument/codeAction",
            json!({
                "textDocument": td(&uri), "range": {"start": pos(l, col), "end": pos(l, col)},
                "context": {"diagnostics": []}
            }),
        )
        .expect("code actions")
        .as_array()
        .cloned()
        .unwrap_or_default()
    };
    let cite = |actions: &[Value]| {
        actions
            .iter()
            .find(|a| {
                a["title"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("Cite the moment"))
            })
            .cloned()
    };
    let actions = actions_at(&mut c, find(&text, "astronomers", 0));
    let action = cite(&actions).expect("Cite the moment offered");
    let edit = &action["edit"]["documentChanges"][0]["edits"][0];
    let new_text = edit["newText"].as_str().unwrap_or("");
    let hms = action["title"]
        .as_str()
        .unwrap_or("")
        .trim_start_matches("Cite the moment ")
        .to_string();
    assert_eq!(
        new_text,
        format!(" <a class=\"yt-timestamp\" data-t=\"{hms}\">[{hms}]</a>")
    );
    // "Radio astronomers use it to read faint signals from space" is said at 00:03:15.
    assert!(("00:02:35".."00:03:16").contains(&hms.as_str()), "{hms}");
    // Before the sentence's full stop.
    let stop = find(&text, "strong frequencies.", 18);
    assert_eq!(
        edit["range"],
        json!({"start": pos(stop.0, stop.1), "end": pos(stop.0, stop.1)})
    );
    // Not on a sentence that is cited already.
    assert_eq!(cite(&actions_at(&mut c, find(&text, "wraps", 0))), None);
    c.shutdown();
}
