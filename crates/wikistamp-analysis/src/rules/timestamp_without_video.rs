use crate::diagnostic::Diagnostic;
use crate::rules::{declare_rule, Context, Rule, RuleMeta, Sink};

declare_rule! {
    /// ## What it finds
    /// A note that cites timestamps but has no `videoId` in its frontmatter. Reported once per
    /// note, at its first citation (the message counts them all): the defect is the missing
    /// key, not each citation. Not reported when the frontmatter does name a `videoId` but is
    /// broken (bad YAML, no closing `---`): that is `frontmatter-invalid`'s finding.
    ///
    /// ## Why it matters
    /// A citation only becomes a link to `https://youtu.be/<videoId>?t=…` through the note's
    /// `videoId`: without it, none of the note's citations can open the video, and a reader
    /// cannot tell which video they cite.
    ///
    /// ## Example
    /// ```markdown
    /// ---
    /// title: Scaling laws
    /// ---
    /// Loss falls as a power law <a class="yt-timestamp" data-t="00:03:59">[00:03:59]</a>.
    /// ```
    /// Add the video's id: `videoId: ZtY8VXswa2o`.
    ///
    /// ## Fix
    /// None: only the author knows the video.
    pub struct TimestampWithoutVideo { family: Timestamp, severity: Error, fix: None }
}

impl Rule for TimestampWithoutVideo {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink) {
        let Some(first) = ctx.note.citations.first() else {
            return;
        };
        if ctx.note.video_id().is_some() || names_video_in_broken_frontmatter(ctx) {
            return;
        }
        let n = ctx.note.citations.len();
        let cites = if n == 1 {
            "1 timestamp".to_string()
        } else {
            format!("{n} timestamps")
        };
        sink.push(Diagnostic::new(
            Self::META.id,
            first.range.clone(),
            format!(
                "this note cites {cites} but has no `videoId` in its frontmatter, so no citation can open the video"
            ),
        ));
    }
}

/// The frontmatter is broken (bad YAML, or no closing fence) but has a `videoId:` line: the
/// citations have a video, the frontmatter is what to fix.
fn names_video_in_broken_frontmatter(ctx: &Context<'_>) -> bool {
    let Some(fm) = &ctx.note.frontmatter else {
        return false;
    };
    if fm.terminated {
        fm.error.is_some() && fm.key("videoId").is_some()
    } else {
        // Unterminated, the whole rest of the note is its content: only its opening lines
        // (up to the first blank one) were meant as keys.
        ctx.slice(&fm.content)
            .lines()
            .take_while(|l| !l.trim().is_empty())
            .any(|l| l.starts_with("videoId:"))
    }
}
