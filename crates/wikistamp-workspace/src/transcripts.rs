//! Transcripts on disk: the files in the vault's transcript folders (`[transcripts] dirs`,
//! default `transcripts/`), named for their
//! video (`<id>.en.srt`, `<id>.vtt`, `Title [<id>].en.vtt`, `<id>.json`). The folders are
//! listed (names only), and a file is read only when a note needs its video: a vault of
//! notes about a few videos does not pay for a folder of captions of many.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use wikistamp_analysis::config::TranscriptsConfig;
use wikistamp_analysis::transcript::{self, transcript_name, Format, TranscriptFile};
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

/// A transcript file that a note needs but that cannot be read or parsed: a
/// `transcript-invalid` finding on that file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidTranscript {
    pub abs_path: PathBuf,
    /// Relative to the vault root, `/`-separated.
    pub rel_path: String,
    /// The video its name is for.
    pub video_id: String,
    /// The file's text as far as it could be read (invalid UTF-8 replaced; empty when the
    /// file could not be read at all), for the finding's line.
    pub text: String,
    /// 1-based line where reading stopped.
    pub line: usize,
    pub message: String,
}

/// One transcript file found by listing the folders.
#[derive(Debug, Clone)]
struct Candidate {
    /// Relative to the vault root, `/`-separated.
    rel_path: String,
    format: Format,
    /// In the configured language (or in none).
    preferred: bool,
}

/// Video id → its transcript files, the preferred language first (then by path): the
/// transcript folders listed, no file read.
fn list(root: &Path, config: &TranscriptsConfig) -> HashMap<String, Vec<Candidate>> {
    let mut by_video: HashMap<String, Vec<Candidate>> = HashMap::new();
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
            by_video
                .entry(name.video_id.to_string())
                .or_default()
                .push(Candidate {
                    rel_path: format!("{dir}/{file_name}"),
                    format: name.format,
                    preferred,
                });
        }
    }
    for candidates in by_video.values_mut() {
        candidates.sort_by(|a, b| {
            b.preferred
                .cmp(&a.preferred)
                .then_with(|| a.rel_path.cmp(&b.rel_path))
        });
    }
    by_video
}

/// Reads and parses one transcript file.
fn read(
    root: &Path,
    video_id: &str,
    candidate: &Candidate,
) -> Result<TranscriptFile, Box<InvalidTranscript>> {
    let abs_path = root.join(&candidate.rel_path);
    let invalid = |text: String, line: usize, message: String| {
        Box::new(InvalidTranscript {
            abs_path: abs_path.clone(),
            rel_path: candidate.rel_path.clone(),
            video_id: video_id.to_string(),
            text,
            line,
            message,
        })
    };
    let why = |what: &str| format!("cannot read the transcript of video `{video_id}`: {what}");
    let bytes =
        std::fs::read(&abs_path).map_err(|e| invalid(String::new(), 1, why(&e.to_string())))?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
            return Err(invalid(
                String::from_utf8_lossy(&bytes).into_owned(),
                line,
                why(&format!(
                    "it is not valid UTF-8 (invalid byte at offset {at})"
                )),
            ));
        }
    };
    match transcript::parse(&text, candidate.format) {
        Ok(t) => Ok(TranscriptFile::new(candidate.rel_path.clone(), t)),
        Err(e) => Err(invalid(text, e.line, why(&e.message))),
    }
}

/// Teaches `vault` the transcript of each video of `video_ids` it does not know yet and that
/// has a transcript in the vault's transcript folders; only those files are read. Of several
/// files for a video, the configured language wins; one that cannot be read gives way to the
/// next and is returned. Videos without a file, or whose files all fail, stay unknown.
pub fn learn_transcripts<'a>(
    root: &Path,
    config: &TranscriptsConfig,
    vault: &mut Vault,
    video_ids: impl IntoIterator<Item = &'a str>,
) -> Vec<InvalidTranscript> {
    let listed = list(root, config);
    if listed.is_empty() {
        return Vec::new();
    }
    let wanted: HashSet<&str> = video_ids
        .into_iter()
        .map(str::trim)
        .filter(|id| listed.contains_key(*id) && vault.transcript(id).is_none())
        .collect();
    let jobs: Vec<(&str, &Vec<Candidate>)> = wanted
        .into_iter()
        .filter_map(|id| Some((id, listed.get(id)?)))
        .collect();
    let read: Vec<(&str, Option<TranscriptFile>, Vec<InvalidTranscript>)> = jobs
        .into_par_iter()
        .map(|(id, candidates)| {
            let mut invalid = Vec::new();
            for c in candidates {
                match read(root, id, c) {
                    Ok(file) => return (id, Some(file), invalid),
                    Err(e) => invalid.push(*e),
                }
            }
            (id, None, invalid)
        })
        .collect();
    let mut all_invalid = Vec::new();
    for (id, file, invalid) in read {
        if let Some(file) = file {
            vault.set_transcript(id, Arc::new(file));
        }
        all_invalid.extend(invalid);
    }
    all_invalid.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    all_invalid
}

/// [`learn_transcripts`] for the videos of the vault's notes (their frontmatter `videoId`).
pub fn learn_vault_transcripts(
    root: &Path,
    config: &TranscriptsConfig,
    vault: &mut Vault,
) -> Vec<InvalidTranscript> {
    if transcript_dirs(root, config).is_empty() {
        return Vec::new();
    }
    let ids: Vec<String> = vault
        .notes()
        .filter_map(|(_, e)| e.video_id.as_deref())
        .map(|id| id.trim().to_string())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    learn_transcripts(root, config, vault, ids.iter().map(String::as_str))
}

/// Video id → transcript, for every video with a readable transcript in the vault's
/// transcript folders (none when there are none), every file read: for a caller that does not
/// know yet which videos its notes are about. A file that cannot be read or parsed tells
/// nothing; of several languages, the configured one wins.
pub fn read_transcripts(
    root: &Path,
    config: &TranscriptsConfig,
) -> Vec<(String, Arc<TranscriptFile>)> {
    list(root, config)
        .into_par_iter()
        .filter_map(|(id, candidates)| {
            let file = candidates.iter().find_map(|c| read(root, &id, c).ok())?;
            Some((id, Arc::new(file)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, text: &[u8]) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    const SRT: &[u8] = b"1\n00:00:01,000 --> 00:00:02,000\nHello.\n";

    #[test]
    fn only_needed_videos_are_read_and_the_language_wins() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path();
        write(root, "transcripts/aaa.en.srt", SRT);
        write(root, "transcripts/aaa.de.srt", b"not captions");
        write(root, "transcripts/bbb.en.srt", b"broken\n");
        write(root, "transcripts/ccc.de.srt", SRT);
        write(root, "transcripts/ddd.en.srt", b"1\n00:00:01,000 --> x\n");
        write(
            root,
            "transcripts/ddd.en.vtt",
            b"WEBVTT\n\n00:05.000 --> 00:06.000\nhi\n",
        );
        let config = TranscriptsConfig {
            dirs: None,
            language: "en".into(),
        };
        let mut vault = Vault::default();
        // `bbb` is not asked for: its broken file is never read.
        let invalid = learn_transcripts(root, &config, &mut vault, ["aaa", " ccc ", "ddd", "zzz"]);
        assert_eq!(vault.video_length("aaa"), Some(2));
        assert_eq!(vault.video_length("ccc"), Some(2));
        // `ddd`'s SRT fails (reported), its WebVTT is read instead.
        assert_eq!(vault.video_length("ddd"), Some(6));
        assert!(vault.transcript("bbb").is_none());
        assert_eq!(invalid.len(), 1, "{invalid:#?}");
        assert_eq!(invalid[0].rel_path, "transcripts/ddd.en.srt");
        assert_eq!(invalid[0].line, 2);
        // Known videos are not read again.
        let again = learn_transcripts(root, &config, &mut vault, ["ddd"]);
        assert!(again.is_empty());
        let invalid = learn_transcripts(root, &config, &mut vault, ["bbb"]);
        assert_eq!(invalid.len(), 1);
        assert_eq!(invalid[0].message, "cannot read the transcript of video `bbb`: expected a cue number or a timing `00:00:01,000 --> 00:00:04,000`");
    }

    #[test]
    fn not_utf8_says_which_line() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path();
        write(
            root,
            "transcripts/eee.srt",
            b"1\n00:00:01,000 --> 00:00:02,000\ncaf\xe9\n",
        );
        let config = TranscriptsConfig {
            dirs: None,
            language: "en".into(),
        };
        let invalid = learn_transcripts(root, &config, &mut Vault::default(), ["eee"]);
        assert_eq!(invalid.len(), 1);
        assert_eq!(invalid[0].line, 3);
        assert_eq!(
            invalid[0].message,
            "cannot read the transcript of video `eee`: it is not valid UTF-8 (invalid byte at offset 35)"
        );
        assert_eq!(
            invalid[0].text,
            "1\n00:00:01,000 --> 00:00:02,000\ncaf\u{fffd}\n"
        );
    }
}
