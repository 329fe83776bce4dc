//! What a rule knows of a note's video length, through one accessor, so that the rules that
//! need it ask one place whatever the length comes from.

use std::ops::Range;

use crate::rules::Context;
use crate::syntax::parse_time;

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
}

impl Context<'_> {
    /// The note's video length: its frontmatter `duration` (`HH:MM:SS`, or `MM:SS` read as
    /// meant). `None` when the note has none, or one that is not a time.
    pub fn video_length(&self) -> Option<VideoLength> {
        let duration = self.note.frontmatter.as_ref()?.duration.as_ref()?;
        let end = parse_time(duration.value.trim()).ok()?;
        Some(VideoLength {
            seconds: end.seconds,
            source: LengthSource::Frontmatter(duration.range.clone()),
        })
    }
}
