//! The editor features over a note's transcript, end to end: hover and definition on a
//! citation, a transcript written while the server runs, completion of a citation's time and
//! "Cite the moment". The vault `lsp-transcripts` has one note of video `fourierDemo` and its
//! captions `transcripts/fourierDemo.en.srt` (four minutes, a cue every 5 s).

use serde_json::Value;

use super::client::{Client, TempVault};
use super::{at, find, pos, utf8};

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
