//! Transcripts on disk: the files under the vault's `transcripts/` folder, named for their
//! video (`<id>.en.srt`, `<id>.vtt`, `Title [<id>].en.vtt`, `<id>.json`). What they tell the
//! analysis today is each video's length: where its last caption ends.

use std::collections::HashMap;
use std::path::Path;

use wikistamp_analysis::transcript::{self, transcript_name};
use wikistamp_analysis::Vault;

/// The folder, under the vault root, that holds transcripts.
pub const TRANSCRIPTS_DIR: &str = "transcripts";

/// The language whose transcript wins when a video has several.
const PREFERRED_LANGUAGE: &str = "en";

/// Teaches `vault` the length of every video with a readable transcript under
/// `root/transcripts/` (see [`video_lengths`]).
pub fn learn_video_lengths(root: &Path, vault: &mut Vault) {
    for (video_id, seconds) in video_lengths(root) {
        vault.set_video_length(&video_id, seconds);
    }
}

/// Video id → length in seconds, for every video with a readable transcript under
/// `root/transcripts/` (none when the folder does not exist). A file that cannot be read or
/// parsed tells nothing; of several languages, English wins.
pub fn video_lengths(root: &Path) -> Vec<(String, u64)> {
    let Ok(entries) = std::fs::read_dir(root.join(TRANSCRIPTS_DIR)) else {
        return Vec::new();
    };
    // Video id → (whether the file is in the preferred language, its length in seconds).
    let mut best: HashMap<String, (bool, u64)> = HashMap::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(name) = file_name.to_str().and_then(transcript_name) else {
            continue;
        };
        let preferred = name
            .language
            .is_none_or(|l| l.split('-').next() == Some(PREFERRED_LANGUAGE));
        if best
            .get(name.video_id)
            .is_some_and(|(p, _)| *p && !preferred)
        {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let Some(end_ms) = transcript::parse(&text, name.format)
            .ok()
            .and_then(|t| t.end_ms())
        else {
            continue;
        };
        best.insert(
            name.video_id.to_string(),
            (preferred, end_ms.div_ceil(1000)),
        );
    }
    best.into_iter()
        .map(|(video_id, (_, seconds))| (video_id, seconds))
        .collect()
}
