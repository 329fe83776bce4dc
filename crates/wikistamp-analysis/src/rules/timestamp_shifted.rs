use crate::diagnostic::{Diagnostic, Fix, TextEdit};
use crate::rules::video_length::{LengthSource, VideoLength};
use crate::rules::{declare_rule, Context, Rule, RuleMeta, Sink};
use crate::syntax::{format_hms, Citation, TimeForm};

declare_rule! {
    /// ## What it finds
    /// A citation whose first two fields are really minutes and seconds: a `MM:SS` time moved
    /// up a field, so that `00:58` became `00:58:00` (58 minutes, not 58 seconds) and `17:23`
    /// became `17:23:00` (17 hours in a 20-minute video). Sometimes the third field repeats the
    /// second (`01:11:11`) or is noise (`01:52:04` in a 15-minute video).
    ///
    /// - When the video's length is known (the frontmatter `duration`, else where the video's
    ///   transcript ends): a time past the end whose `00:HH:MM` reading is inside the video, and either at least twice the length
    ///   or ending in `:00` or in its own minutes (`00:47:00`, `00:37:37`), the marks of the
    ///   shift. A time a little past the end with other seconds (`00:42:11` in a `00:42:10`
    ///   video) is `timestamp-after-end`'s.
    /// - When it is not: only where the note's own `HH:MM:SS` citations, five or more, make it
    ///   near-certain: all of them end in `:00` and some reach 10 hours or more; or most of
    ///   them repeat their minutes as seconds (`01:11:11`); or a `:00` time is at least an
    ///   hour and four times past every citation that has seconds, while its `00:HH:MM`
    ///   reading falls among them.
    ///
    /// A podcast cited at whole minutes (`00:48:00`, `01:02:00`, `02:30:00`) is not flagged:
    /// whole minutes alone say nothing until the hours go past any plausible video.
    ///
    /// Where this rule flags a citation, `timestamp-after-end` does not (unless this rule is
    /// off): the time is not past the end once read as meant.
    ///
    /// ## Why it matters
    /// The player jumps to the wrong moment, or past the end of the video, and nothing looks
    /// wrong on the page. It is the most common defect of notes written from a `MM:SS`
    /// transcript.
    ///
    /// ## Example
    /// ```markdown
    /// ---
    /// videoId: fNk_zzaMoSs
    /// duration: 00:09:52
    /// ---
    /// Vectors are added tip to tail <a class="yt-timestamp" data-t="05:12:00">[05:12:00]</a>.
    /// ```
    /// Use instead:
    /// ```markdown
    /// Vectors are added tip to tail <a class="yt-timestamp" data-t="00:05:12">[00:05:12]</a>.
    /// ```
    ///
    /// ## Fix
    /// Writes the `00:HH:MM` reading in `data-t`, and in the label when it showed the same
    /// time. Safe when the video's length is known; unsafe when only the note's other
    /// citations suggest it.
    pub struct TimestampShifted { family: Timestamp, severity: Error, fix: Always }
}

/// Without a length, this many `HH:MM:SS` citations at least before the note's pattern
/// counts.
const MIN_CITATIONS: usize = 5;
/// Whole-minute notes: hours no plausible video reaches. Below, a long podcast cited at whole
/// minutes looks the same as a shifted note.
const FAR_HOURS: u64 = 10;
/// Echo notes: the share of citations that repeat their minutes as seconds, in tenths.
const ECHO_TENTHS: usize = 8;
/// Outliers: at least this far past every citation with seconds...
const OUTLIER_GAP_SECONDS: u64 = 3600;
/// ...and at least this many times its time.
const OUTLIER_RATIO: u64 = 4;

/// A canonical `HH:MM:SS` citation's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fields {
    h: u64,
    m: u64,
    s: u64,
}

impl Fields {
    fn of(value: &str) -> Option<Fields> {
        let mut parts = value.split(':').map(|p| p.parse::<u64>().ok());
        let (Some(Some(h)), Some(Some(m)), Some(Some(s)), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        Some(Fields { h, m, s })
    }

    fn seconds(self) -> u64 {
        self.h
            .saturating_mul(3600)
            .saturating_add(self.m * 60 + self.s)
    }

    /// The `00:HH:MM` reading: hours as minutes, minutes as seconds.
    fn shifted(self) -> u64 {
        self.h.saturating_mul(60).saturating_add(self.m)
    }
}

/// The fields of a citation this rule reads: one whose `data-t` is a canonical `HH:MM:SS`.
fn fields(c: &Citation, text: &str) -> Option<Fields> {
    let (Some(dt), Ok(t)) = (&c.data_t, &c.time) else {
        return None;
    };
    (t.form == TimeForm::Canonical)
        .then(|| Fields::of(text.get(dt.clone())?))
        .flatten()
}

/// With the video `length` known: whether a citation with these fields is past the end and
/// shifted.
fn past_end(f: Fields, length: u64) -> bool {
    let t = f.seconds();
    let marked = f.s == 0 || f.s == f.m || t >= length.saturating_mul(2);
    t > length && f.shifted() <= length && marked
}

/// Whether this rule reports citation `c` as shifted past the end of a video `length`
/// seconds long. `timestamp-after-end` leaves these to this rule.
pub(crate) fn shifted_past_end(c: &Citation, text: &str, length: u64) -> bool {
    fields(c, text).is_some_and(|f| past_end(f, length))
}

/// Why the note's citations make a shift near-certain without a length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pattern {
    /// Every citation ends in `:00`, and the hours reach this far.
    WholeMinutes { hours: u64 },
    /// Most citations repeat their minutes as seconds.
    Echo,
    /// A `:00` time far past every citation with seconds, the latest of which is this.
    Outlier { latest: u64 },
}

/// Without a length: which of `cited` (fields of the note's `HH:MM:SS` citations) are
/// shifted, and why.
fn shifted_without_length(cited: &[Fields]) -> Vec<(usize, Pattern)> {
    if cited.len() < MIN_CITATIONS {
        return Vec::new();
    }
    let moved = |f: &Fields| (f.h, f.m) != (0, 0);
    let hours = cited.iter().map(|f| f.h).max().unwrap_or(0);
    if hours >= FAR_HOURS && cited.iter().all(|f| f.s == 0) {
        let pattern = Pattern::WholeMinutes { hours };
        return (0..cited.len())
            .filter(|&i| moved(&cited[i]))
            .map(|i| (i, pattern))
            .collect();
    }
    let echo: Vec<usize> = (0..cited.len())
        .filter(|&i| moved(&cited[i]) && cited[i].s == cited[i].m)
        .collect();
    let telling = echo.iter().filter(|&&i| cited[i].m != 0).count();
    if telling >= MIN_CITATIONS && echo.len() * 10 >= cited.len() * ECHO_TENTHS {
        return echo.into_iter().map(|i| (i, Pattern::Echo)).collect();
    }
    let with_seconds: Vec<u64> = cited
        .iter()
        .filter(|f| f.s != 0)
        .map(|f| f.seconds())
        .collect();
    if with_seconds.len() < MIN_CITATIONS {
        return Vec::new();
    }
    let latest = with_seconds.iter().copied().max().unwrap_or(0);
    (0..cited.len())
        .filter(|&i| {
            let f = cited[i];
            let t = f.seconds();
            f.s == 0
                && f.h >= 1
                && t >= latest.saturating_add(OUTLIER_GAP_SECONDS)
                && t >= latest.saturating_mul(OUTLIER_RATIO)
                && f.shifted() <= latest
        })
        .map(|i| (i, Pattern::Outlier { latest }))
        .collect()
}

impl Rule for TimestampShifted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink) {
        // The note's `HH:MM:SS` citations: (citation index, fields).
        let cited: Vec<(usize, Fields)> = ctx
            .note
            .citations
            .iter()
            .enumerate()
            .filter_map(|(i, c)| fields(c, ctx.text).map(|f| (i, f)))
            .collect();
        if cited.is_empty() {
            return;
        }
        match ctx.video_length() {
            Some(length) => {
                for &(i, f) in &cited {
                    if past_end(f, length.seconds) {
                        sink.push(finding(ctx, i, f, Reason::PastEnd(&length)));
                    }
                }
            }
            None => {
                let fields: Vec<Fields> = cited.iter().map(|&(_, f)| f).collect();
                for (k, pattern) in shifted_without_length(&fields) {
                    let (i, f) = cited[k];
                    sink.push(finding(ctx, i, f, Reason::Pattern(pattern, fields.len())));
                }
            }
        }
    }
}

enum Reason<'l> {
    PastEnd(&'l VideoLength),
    /// The pattern, and how many `HH:MM:SS` citations the note has.
    Pattern(Pattern, usize),
}

fn finding(ctx: &Context<'_>, i: usize, f: Fields, reason: Reason<'_>) -> Diagnostic {
    let c = &ctx.note.citations[i];
    let dt = c.data_t.clone().unwrap_or(c.range.clone());
    let value = ctx.slice(&dt);
    let meant = format_hms(f.shifted());
    let why = match &reason {
        Reason::PastEnd(length) => format!(
            "is past the end of the video ({})",
            format_hms(length.seconds)
        ),
        Reason::Pattern(Pattern::WholeMinutes { hours }, n) => format!(
            "is one of {n} citations that all end in `:00` and reach {hours} hours, past any plausible video"
        ),
        Reason::Pattern(Pattern::Echo, _) => {
            "repeats its minutes as seconds, as most of this note's citations do".to_string()
        }
        Reason::Pattern(Pattern::Outlier { latest }, _) => format!(
            "is far past every citation with seconds in this note (the latest is {})",
            format_hms(*latest)
        ),
    };
    let message =
        format!("`{value}` {why}: it reads as `{meant}`, minutes and seconds moved up a field");
    let mut edits = vec![TextEdit::replace(dt.clone(), meant.clone())];
    if let Some(inner) = c.label_inner(ctx.text).filter(|r| ctx.slice(r) == value) {
        edits.push(TextEdit::replace(inner, meant.clone()));
    }
    let title = format!("Read as minutes and seconds: `{meant}`");
    let d = Diagnostic::new(TimestampShifted::META.id, dt, message);
    match reason {
        Reason::PastEnd(length) => {
            let d = match &length.source {
                LengthSource::Frontmatter(range) => {
                    d.with_related(range.clone(), "the video's duration")
                }
                LengthSource::Transcript => {
                    d.with_help("the video's length is where its transcript ends")
                }
            };
            d.with_fix(Fix::safe(title, edits))
        }
        Reason::Pattern(..) => d
            .with_help("give the note a `duration` to make this certain")
            .with_fix(Fix::unsafe_(title, edits)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(v: &str) -> Fields {
        Fields::of(v).expect("HH:MM:SS")
    }

    #[test]
    fn with_a_length() {
        let l = 15 * 60 + 22;
        let past = |v: &str| past_end(f(v), l);
        assert!(past("01:52:04"));
        assert!(past("00:16:00"));
        assert!(past("00:37:37"));
        // Inside the video: not past the end.
        assert!(!past("00:15:22"));
        // A little past the end with other seconds: a slip, not a shift.
        assert!(!past("00:15:23"));
        // Read as `00:HH:MM`, still past the end.
        assert!(!past("15:23:00"));
    }

    #[test]
    fn whole_minute_notes_need_far_hours() {
        let podcast: Vec<Fields> = ["00:48:00", "01:02:00", "02:30:00", "02:41:00", "03:05:00"]
            .map(f)
            .to_vec();
        assert!(shifted_without_length(&podcast).is_empty());
        let shifted: Vec<Fields> = ["00:58:00", "00:00:00", "05:07:00", "12:36:00", "17:23:00"]
            .map(f)
            .to_vec();
        let found: Vec<usize> = shifted_without_length(&shifted)
            .iter()
            .map(|(i, _)| *i)
            .collect();
        assert_eq!(found, [0, 2, 3, 4]);
    }

    #[test]
    fn echo_notes() {
        let echo: Vec<Fields> = [
            "00:00:08", "01:11:11", "01:21:21", "02:06:06", "03:33:33", "04:00:00", "05:40:40",
        ]
        .map(f)
        .to_vec();
        let found: Vec<usize> = shifted_without_length(&echo)
            .iter()
            .map(|(i, _)| *i)
            .collect();
        assert_eq!(found, [1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn outliers_only_past_the_citations_with_seconds() {
        let curl: Vec<Fields> = [
            "00:04:36", "02:03:00", "00:04:41", "00:05:03", "01:17:00", "00:07:13", "00:13:13",
        ]
        .map(f)
        .to_vec();
        let found: Vec<usize> = shifted_without_length(&curl)
            .iter()
            .map(|(i, _)| *i)
            .collect();
        assert_eq!(found, [1, 4]);
        // A podcast cited at seconds early and at whole minutes late: the `:00` times are
        // not an hour past the rest.
        let podcast: Vec<Fields> = [
            "00:02:13", "00:05:40", "00:12:30", "00:20:31", "00:25:02", "00:55:00", "01:02:00",
        ]
        .map(f)
        .to_vec();
        assert!(shifted_without_length(&podcast).is_empty());
    }
}
