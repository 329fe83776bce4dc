//! Transcripts on disk: the files in the vault's transcript folders (`[transcripts] dirs`,
//! default `transcripts/`), named for their
//! video (`<id>.en.srt`, `<id>.vtt`, `Title [<id>].en.vtt`, `<id>.json`). Each is read
//! into the vault under its video id, where the rules find the video's length and words.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use wikistamp_analysis::config::TranscriptsConfig;
use wikistamp_analysis::transcript::{self, transcript_name, TranscriptFile};
use wikistamp_analysis::Vault;

/// The transcript folders of a vault, relative to its root: the configured ones, else
/// `transcripts/` when it exists.
pub fn transcript_dirs(root: &Path, config: &TranscriptsConfig) -> Vec<String> {
    match &config.dirs {
        Some(dirs) => dirs
            .iter()
            .map(|d| d.trim_end_matches('/').to_string())
            .collect(),
        None if root.join(TranscriptsConfig::DEFAULT_DIR).is_dir() => {
            vec![TranscriptsConfig::DEFAULT_DIR.to_string()]
        }
        None => Vec::new(),
    }
}

/// Teaches `vault` the transcript of every video with a readable transcript in the vault's
/// transcript folders (see [`read_transcripts`]).
pub fn learn_transcripts(root: &Path, config: &TranscriptsConfig, vault: &mut Vault) {
    for (video_id, transcript) in read_transcripts(root, config) {
        vault.set_transcript(&video_id, transcript);
    }
}

/// Video id → transcript, for every video with a readable transcript in the vault's
/// transcript folders (none when there are none). A file that cannot be read or parsed
/// tells nothing; of several languages, the configured one wins.
pub fn read_transcripts(
    root: &Path,
    config: &TranscriptsConfig,
) -> Vec<(String, Arc<TranscriptFile>)> {
    // Video id → (whether the file is in the preferred language, its transcript).
    let mut best: HashMap<String, (bool, TranscriptFile)> = HashMap::new();
    for dir in transcript_dirs(root, config) {
        let Ok(entries) = std::fs::read_dir(root.join(&dir)) else {
            continue;
        };
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
                .is_none_or(|l| l.split('-').next() == Some(config.language.as_str()));
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
            let path = format!("{dir}/{file_name}");
            best.insert(
                name.video_id.to_string(),
                (preferred, TranscriptFile::new(path, transcript)),
            );
        }
    }
    best.into_iter()
        .map(|(video_id, (_, transcript))| (video_id, Arc::new(transcript)))
        .collect()
}
