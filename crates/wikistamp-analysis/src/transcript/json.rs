//! youtube-transcript-api's JSON: `[{"text": "…", "start": 1.2, "duration": 3.4}, …]`, times
//! in seconds.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

use super::{Cue, Transcript, TranscriptError};

#[derive(Deserialize)]
struct Snippet {
    text: String,
    #[serde(deserialize_with = "seconds")]
    start: u64,
    #[serde(default, deserialize_with = "seconds")]
    duration: u64,
}

/// Seconds as a number, in milliseconds; an error (with serde_json's line) when negative or
/// not finite.
fn seconds<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let s = f64::deserialize(d)?;
    // Up to about 30,000 years: beyond, no video; below, the cast is exact enough.
    if !(0.0..1e12).contains(&s) {
        return Err(D::Error::custom(format!(
            "{s} is not a time in seconds (a number from 0)"
        )));
    }
    Ok((s * 1000.0).round() as u64)
}

pub(super) fn parse(text: &str) -> Result<Transcript, TranscriptError> {
    let snippets: Vec<Snippet> = serde_json::from_str(text).map_err(|e| {
        // serde_json says "… at line 3 column 5": the line is the error's own field.
        let message = e.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m)
            .to_string();
        TranscriptError::new(
            e.line().max(1),
            format!("not youtube-transcript-api's JSON list: {message}"),
        )
    })?;
    if snippets.is_empty() {
        return Err(TranscriptError::new(1, "the file has no captions"));
    }
    let lines = object_lines(text);
    let cues = snippets
        .into_iter()
        .enumerate()
        .map(|(i, s)| Cue {
            start_ms: s.start,
            end_ms: s.start.saturating_add(s.duration),
            text: s.text.split_whitespace().collect::<Vec<_>>().join(" "),
            line: lines.get(i).copied().unwrap_or(1),
        })
        .collect();
    Ok(Transcript { cues })
}

/// The 1-based line where each object of the top-level list opens, in order (strings skipped,
/// so a `{` in a caption's text does not count).
fn object_lines(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let (mut line, mut depth) = (1, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for b in text.bytes() {
        if b == b'\n' {
            line += 1;
        }
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                if b == b'{' && depth == 1 {
                    out.push(line);
                }
                depth += 1;
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    out
}
