//! What a rule knows of a note's video (its length, its transcript), through one accessor
//! each, so that the rules that need it ask one place whatever the facts come from.

use std::ops::Range;

use crate::rules::Context;
use crate::syntax::parse_time;
use crate::transcript::TranscriptFile;

/// How long a note's video is, and how that is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VideoLength {
    pub seconds: u64,
    pub source: LengthSource,
}

/// Where a [`VideoLength`] comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LengthSource {
    /// The note's frontmatter `duration`; the range is its value in the note.
    Frontmatter(Range<usize>),
    /// The end of the last caption of the video's transcript.
    Transcript,
}

impl Context<'_> {
    /// The note's video length: its frontmatter `duration` (`HH:MM:SS`, or `MM:SS` read as
    /// meant), else the end of its video's transcript as the vault knows it. `None` when
    /// neither is known.
    pub fn video_length(&self) -> Option<VideoLength> {
        let frontmatter = self.note.frontmatter.as_ref()?;
        if let Some(duration) = &frontmatter.duration {
            if let Ok(end) = parse_time(duration.value.trim()) {
                return Some(VideoLength {
                    seconds: end.seconds,
                    source: LengthSource::Frontmatter(duration.range.clone()),
                });
            }
        }
        let video_id = frontmatter.video_id.as_ref()?.value.trim();
        Some(VideoLength {
            seconds: self.vault.video_length(video_id)?,
            source: LengthSource::Transcript,
        })
    }

    /// The transcript of the note's video (by its frontmatter `videoId`), if the vault has one.
    pub fn transcript(&self) -> Option<&'_ TranscriptFile> {
        let video_id = self
            .note
            .frontmatter
            .as_ref()?
            .video_id
            .as_ref()?
            .value
            .trim();
        self.vault.transcript(video_id)
    }
}
