//! Transcripts on disk: the files under the vault's `transcripts/` folder, named for their
//! video (`<id>.en.srt`, `<id>.vtt`, `Title [<id>].en.vtt`, `<id>.json`). Each is read
//! into the vault under its video id, where the rules find the video's length and words.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use wikistamp_analysis::transcript::{self, transcript_name, TranscriptFile};
use wikistamp_analysis::Vault;

/// The folder, under the vault root, that holds transcripts.
pub const TRANSCRIPTS_DIR: &str = "transcripts";

/// The language whose transcript wins when a video has several.
const PREFERRED_LANGUAGE: &str = "en";

/// Teaches `vault` the transcript of every video with a readable transcript under
/// `root/transcripts/` (see [`read_transcripts`]).
pub fn learn_transcripts(root: &Path, vault: &mut Vault) {
    for (video_id, transcript) in read_transcripts(root) {
        vault.set_transcript(&video_id, transcript);
    }
}

/// Video id → transcript, for every video with a readable transcript under
/// `root/transcripts/` (none when the folder does not exist). A file that cannot be read or
/// parsed tells nothing; of several languages, English wins.
pub fn read_transcripts(root: &Path) -> Vec<(String, Arc<TranscriptFile>)> {
    let Ok(entries) = std::fs::read_dir(root.join(TRANSCRIPTS_DIR)) else {
        return Vec::new();
    };
    // Video id → (whether the file is in the preferred language, its transcript).
    let mut best: HashMap<String, (bool, TranscriptFile)> = HashMap::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let Some(name) = transcript_name(file_name) else {
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
        let Ok(transcript) = transcript::parse(&text, name.format) else {
            continue;
        };
        if transcript.end_ms().is_none() {
            continue;
        }
        let path = format!("{TRANSCRIPTS_DIR}/{file_name}");
        best.insert(
            name.video_id.to_string(),
            (preferred, TranscriptFile::new(path, transcript)),
        );
    }
    best.into_iter()
        .map(|(video_id, (_, transcript))| (video_id, Arc::new(transcript)))
        .collect()
}
