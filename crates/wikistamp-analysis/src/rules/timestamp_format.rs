use crate::diagnostic::{Diagnostic, Fix, TextEdit};
use crate::rules::{declare_rule, Context, Rule, RuleMeta, Sink};
use crate::syntax::{format_hms, parse_time, TimeForm};

declare_rule! {
    /// ## What it finds
    /// A citation whose `data-t` is a time but not written `HH:MM:SS`: two fields (`28:25`),
    /// fields not zero-padded (`1:25:00`, `00:01:5`), or hours padded past two digits
    /// (`024:45:00`; hours take more digits only from 100 on).
    ///
    /// ## Why it matters
    /// The player reads `data-t` positionally as `h:m:s`: `28:25` seeks to 28 hours 25 minutes,
    /// past the end of the video, instead of 28 minutes 25 seconds. Unpadded values play
    /// correctly but break tools that sort or compare the canonical `HH:MM:SS` form.
    ///
    /// ## Example
    /// ```markdown
    /// The demo starts <a class="yt-timestamp" data-t="28:25">[28:25]</a>.
    /// ```
    /// Use instead:
    /// ```markdown
    /// The demo starts <a class="yt-timestamp" data-t="00:28:25">[00:28:25]</a>.
    /// ```
    ///
    /// ## Fix
    /// Rewrites `data-t` (and a label showing the same time) as `HH:MM:SS`. Safe for padding
    /// (`1:25:00` → `01:25:00`, `024:45:00` → `24:45:00`). For `MM:SS` the fix assumes the author meant minutes, so it is
    /// unsafe, unless the label already shows that time as `HH:MM:SS` or the note's `duration`
    /// rules out the hours reading.
    pub struct TimestampFormat { family: Timestamp, severity: Error, fix: Always }
}

impl Rule for TimestampFormat {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink) {
        let duration = ctx
            .note
            .frontmatter
            .as_ref()
            .and_then(|f| f.duration.as_ref())
            .and_then(|d| parse_time(&d.value).ok())
            .map(|t| t.seconds);
        for c in &ctx.note.citations {
            let (Some(dt), Ok(t)) = (&c.data_t, &c.time) else {
                continue;
            };
            if t.form == TimeForm::Canonical {
                continue;
            }
            let value = ctx.slice(dt);
            let canonical = format_hms(t.seconds);
            let mut edits = vec![TextEdit::replace(dt.clone(), canonical.clone())];
            let label = c.label_inner(ctx.text);
            let label_time = label.as_ref().and_then(|l| parse_time(ctx.slice(l)).ok());
            if let (Some(l), Some(lt)) = (&label, label_time) {
                if lt.seconds == t.seconds && ctx.slice(l) != canonical {
                    edits.push(TextEdit::replace(l.clone(), canonical.clone()));
                }
            }
            let title = ["Write `", &canonical, "`"].concat();
            let d = match t.form {
                TimeForm::MinutesSeconds => {
                    let (m, s) = (t.seconds / 60, t.seconds % 60);
                    let message = format!(
                        "`{value}` is not HH:MM:SS: the player reads it as {m} h {s} min, not {m} min {s} s"
                    );
                    let confirmed_by_label = label_time.is_some_and(|lt| {
                        lt.seconds == t.seconds && lt.form != TimeForm::MinutesSeconds
                    });
                    let hours_reading = m.saturating_mul(3600).saturating_add(s.saturating_mul(60));
                    let past_end = duration.is_some_and(|d| hours_reading > d);
                    let fix = if confirmed_by_label || past_end {
                        Fix::safe(title, edits)
                    } else {
                        Fix::unsafe_(
                            [
                                title.as_str(),
                                " (assumes `",
                                value,
                                "` meant minutes and seconds)",
                            ]
                            .concat(),
                            edits,
                        )
                    };
                    Diagnostic::new(Self::META.id, dt.clone(), message).with_fix(fix)
                }
                _ => Diagnostic::new(
                    Self::META.id,
                    dt.clone(),
                    [
                        "`",
                        value,
                        if hours_over_padded(value) {
                            "` is not HH:MM:SS: the hours have a leading zero too many; write `"
                        } else {
                            "` is not zero-padded HH:MM:SS: write `"
                        },
                        &canonical,
                        "`",
                    ]
                    .concat(),
                )
                .with_fix(Fix::safe(title, edits)),
            };
            sink.push(d);
        }
    }
}

/// `024:45:00`: three fields whose hours have more than two digits and a leading zero.
fn hours_over_padded(value: &str) -> bool {
    value.matches(':').count() == 2
        && value
            .split(':')
            .next()
            .is_some_and(|h| h.len() > 2 && h.starts_with('0'))
}
