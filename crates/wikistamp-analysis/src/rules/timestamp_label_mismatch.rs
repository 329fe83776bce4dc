use crate::diagnostic::{Diagnostic, Fix, TextEdit};
use crate::rules::{declare_rule, Context, Rule, RuleMeta, Sink};
use crate::syntax::{parse_time, TimeForm};

declare_rule! {
    /// ## What it finds
    /// A citation whose label `[…]` is not its `data-t` time: it shows another time
    /// (`data-t="00:05:01">[00:05:10]`), the same time written differently
    /// (`data-t="01:25:00">[1:25:00]`), or no time at all (`[Podcast Episode]`).
    ///
    /// Labels that are empty or not in brackets are `timestamp-malformed`'s. When `data-t` is
    /// not `HH:MM:SS` and the label shows the same time, `timestamp-format` repairs both.
    ///
    /// ## Why it matters
    /// Readers see the label but the player seeks to `data-t`: a click lands somewhere else
    /// than the note says, and a reader checking the claim by hand looks at the wrong moment.
    ///
    /// ## Example
    /// ```markdown
    /// Revenue doubled <a class="yt-timestamp" data-t="00:05:01">[00:05:10]</a>.
    /// ```
    /// Use instead:
    /// ```markdown
    /// Revenue doubled <a class="yt-timestamp" data-t="00:05:01">[00:05:01]</a>.
    /// ```
    ///
    /// ## Fix
    /// Safe: the label becomes the `data-t` time, which is what the link plays. Offered once
    /// `data-t` is `HH:MM:SS` (until then `timestamp-format` or `timestamp-invalid` comes first).
    /// Unsafe when `data-t` itself looks wrong: it ends in `:00` where the label has seconds
    /// (`data-t="44:45:00">[44:45:48]`), or it is the label's time moved up a field
    /// (`data-t="45:55:00">[00:45:55]`): the marks of `MM:SS` padded at the wrong end.
    pub struct TimestampLabelMismatch { family: Timestamp, severity: Warning, fix: Sometimes }
}

impl Rule for TimestampLabelMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink) {
        for c in &ctx.note.citations {
            let (Some(dt), Ok(t)) = (&c.data_t, &c.time) else {
                continue;
            };
            if !c.closed {
                continue;
            }
            let Some(inner) = c.label_inner(ctx.text) else {
                continue;
            };
            let value = ctx.slice(dt);
            let label = ctx.slice(&inner);
            if label == value {
                continue;
            }
            let label_t = parse_time(label).ok();
            if t.form != TimeForm::Canonical && label_t.is_some_and(|l| l.seconds == t.seconds) {
                // `timestamp-format` rewrites both to the same HH:MM:SS.
                continue;
            }
            let message = match label_t {
                Some(l) if l.seconds == t.seconds => [
                    "label `[",
                    label,
                    "]` is written differently from its time `",
                    value,
                    "`",
                ]
                .concat(),
                Some(_) => [
                    "label `[",
                    label,
                    "]` shows another time than `data-t` `",
                    value,
                    "`, which is where the player seeks",
                ]
                .concat(),
                None => [
                    "label `[",
                    label,
                    "]` is not the citation's time `",
                    value,
                    "`, which is where the player seeks",
                ]
                .concat(),
            };
            let mut d = Diagnostic::new(Self::META.id, c.label.clone(), message);
            if t.form == TimeForm::Canonical {
                let edits = vec![TextEdit::replace(inner, value)];
                let title = ["Set the label to `[", value, "]`"].concat();
                // `data-t="44:45:00">[44:45:48]`: both keep the same first two fields and
                // `data-t` ends in `:00`, the mark of `MM:SS` padded at the wrong end (or of a
                // truncated time): `data-t` may be the wrong one.
                let truncated = label.len() == value.len()
                    && label.get(..label.len() - 3) == value.get(..value.len() - 3);
                // `data-t="45:55:00">[00:45:55]`: the label's `MM:SS` moved up to `HH:MM` by
                // the `:00` appended; the label is the time meant.
                let shifted = label_t.is_some_and(|l| l.seconds > 0 && t.seconds == l.seconds * 60);
                let suspect = value.ends_with(":00") && (truncated || shifted);
                d = if suspect {
                    d.with_help(
                        [
                            "`",
                            value,
                            "` may be `MM:SS` with `:00` appended, or a time cut to the minute; check it against the video",
                        ]
                        .concat(),
                    )
                    .with_fix(Fix::unsafe_(title, edits))
                } else {
                    d.with_fix(Fix::safe(title, edits))
                };
            }
            sink.push(d);
        }
    }
}
