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
    let cues = snippets
        .into_iter()
        .map(|s| Cue {
            start_ms: s.start,
            end_ms: s.start.saturating_add(s.duration),
            text: s.text.split_whitespace().collect::<Vec<_>>().join(" "),
        })
        .collect();
    Ok(Transcript { cues })
}
