//! `timestamp-shifted` against ground truth: the real captions of 46 corpus videos in
//! `shared/transcripts/3blue1brown/` (beside the corpus that `WIKISTAMP_CORPUS` names). Each
//! note of those videos is checked with its video's length (its transcript's last cue end,
//! given as the note's `duration` until the vault feeds transcripts to the rules): every
//! citation past the end must be reported with the fix `00:HH:MM`, and no other.

use std::path::{Path, PathBuf};

use wikistamp_analysis::config::{Config, RuleLevel};
use wikistamp_analysis::syntax::{format_hms, parse_time, TimeForm};
use wikistamp_analysis::transcript::{self, transcript_name};
use wikistamp_analysis::vault::Vault;
use wikistamp_analysis::{check_note, parse, rules, RuleId};

fn transcripts_dir() -> Option<(PathBuf, PathBuf)> {
    let corpus = PathBuf::from(std::env::var_os("WIKISTAMP_CORPUS")?);
    let transcripts = corpus.parent()?.parent()?.join("transcripts/3blue1brown");
    let notes = corpus.join("3blue1brown");
    (transcripts.is_dir() && notes.is_dir()).then_some((transcripts, notes))
}

/// The length in whole seconds of each video with a transcript, by video id.
fn lengths(dir: &Path) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)
        .expect("transcripts folder")
        .flatten()
    {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(name) = transcript_name(&file) else {
            continue;
        };
        let text = std::fs::read_to_string(entry.path()).expect("transcript reads");
        let t = transcript::parse(&text, name.format).unwrap_or_else(|e| panic!("{file}: {e}"));
        let end = t.end_ms().expect("cues");
        out.push((name.video_id.to_string(), end / 1000));
    }
    out
}

#[test]
fn every_past_end_citation_of_the_46_notes_and_no_other() {
    let Some((transcripts, notes)) = transcripts_dir() else {
        eprintln!(
            "SKIPPED: set WIKISTAMP_CORPUS to shared/corpus/tubegraph (with shared/transcripts \
             beside it) to check timestamp-shifted against real captions"
        );
        return;
    };
    let lengths = lengths(&transcripts);
    assert_eq!(lengths.len(), 46, "the 46 transcripts of the README");
    let mut config = Config::default();
    for r in rules::all() {
        if r.meta().id != RuleId::TimestampShifted {
            config.rules.insert(r.meta().id, RuleLevel::Off);
        }
    }
    let vault = Vault::new(&config.links);
    let (mut past_end, mut reported, mut notes_checked) = (0, 0, 0);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&notes)
        .expect("notes folder")
        .flatten()
        .map(|e| e.path())
        .collect();
    paths.sort();
    for path in paths {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Some((id, length)) = lengths
            .iter()
            .find(|(id, _)| text.contains(&format!("videoId: {id}\n")))
        else {
            continue;
        };
        notes_checked += 1;
        // The length as the note's duration, right after the opening `---`.
        let text = text.replacen(
            "---\n",
            &format!("---\nduration: {}\n", format_hms(*length)),
            1,
        );
        let note = parse(&text);
        let rel = format!(
            "3blue1brown/{}",
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        let found = check_note(&text, &note, &rel, &vault, &config);
        for c in &note.citations {
            let Some(dt) = &c.data_t else { continue };
            let value = &text[dt.clone()];
            let Ok(t) = parse_time(value) else { continue };
            let d = found.iter().find(|d| d.range == *dt);
            if t.form == TimeForm::Canonical && t.seconds > *length {
                past_end += 1;
                let d = d.unwrap_or_else(|| {
                    panic!("{rel} ({id}): `{value}` past the end is not reported")
                });
                let (h, m) = (t.seconds / 3600, t.seconds / 60 % 60);
                let fix = d.fix.as_ref().expect("a fix");
                assert_eq!(
                    fix.edits[0].new_text,
                    format_hms(h * 60 + m),
                    "{rel}: {value}"
                );
                assert!(
                    h * 60 + m <= *length,
                    "{rel}: the fix of {value} is inside the video"
                );
                reported += 1;
            } else {
                assert!(d.is_none(), "{rel}: `{value}` within the video is reported");
            }
        }
    }
    assert_eq!(notes_checked, 46);
    assert_eq!(past_end, 266, "the README's 266 citations past the end");
    assert_eq!(reported, 266);
}
