use crate::config::RuleLevel;
use crate::diagnostic::Diagnostic;
use crate::rules::timestamp_shifted::{shifted_past_end, TimestampShifted};
use crate::rules::{declare_rule, Context, LengthSource, Rule, RuleMeta, Sink};
use crate::syntax::{format_hms, TimeForm};

declare_rule! {
    /// ## What it finds
    /// A citation whose time is past the end of the video, as given by the note's frontmatter
    /// `duration` (`HH:MM:SS`), else by where the video's transcript (in `transcripts/` at the
    /// vault root) ends. Notes with neither are not checked. A `MM:SS` value is compared as the minutes and seconds the author meant
    /// (`timestamp-format` reports how the player misreads it). A time that is `MM:SS` moved up
    /// a field (`00:47:00` meaning 47 seconds) is `timestamp-shifted`'s, and not reported here
    /// while that rule is on.
    ///
    /// ## Why it matters
    /// The player cannot seek past the end: the citation points nowhere, and the claim it
    /// supports has no checkable source. It is usually a typo or a time from another video.
    ///
    /// ## Example
    /// ```markdown
    /// ---
    /// videoId: ZtY8VXswa2o
    /// duration: 00:42:10
    /// ---
    /// The closing remarks <a class="yt-timestamp" data-t="00:47:00">[00:47:00]</a>.
    /// ```
    /// Cite a moment within the video's 42 minutes.
    ///
    /// ## Fix
    /// None: the right time is unknown.
    pub struct TimestampAfterEnd { family: Timestamp, severity: Error, fix: None }
}

impl Rule for TimestampAfterEnd {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink) {
        let Some(length) = ctx.video_length() else {
            return;
        };
        let shifted_reports = TimestampShifted::META.level(ctx.config) != RuleLevel::Off;
        for c in &ctx.note.citations {
            let (Some(dt), Ok(t)) = (&c.data_t, &c.time) else {
                continue;
            };
            if shifted_reports && shifted_past_end(c, ctx.text, length.seconds) {
                continue;
            }
            if t.seconds > length.seconds {
                let subject = if t.form == TimeForm::MinutesSeconds {
                    format!("`{}` (meant as {})", ctx.slice(dt), format_hms(t.seconds))
                } else {
                    format!("`{}`", ctx.slice(dt))
                };
                let d = Diagnostic::new(
                    Self::META.id,
                    dt.clone(),
                    format!(
                        "{subject} is past the end of the video ({}), so the player cannot seek to it",
                        format_hms(length.seconds)
                    ),
                );
                sink.push(match &length.source {
                    LengthSource::Frontmatter(range) => {
                        d.with_related(range.clone(), "the video's duration")
                    }
                    LengthSource::Transcript => {
                        d.with_help("the video's length is where its transcript ends")
                    }
                });
            }
        }
    }
}
