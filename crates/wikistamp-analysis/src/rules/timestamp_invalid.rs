use crate::diagnostic::{Diagnostic, Fix, TextEdit};
use crate::rules::{declare_rule, Context, Rule, RuleMeta, Sink};
use crate::syntax::citations::is_time_token;
use crate::syntax::{parse_time, TimeError, TimeForm};

declare_rule! {
    /// ## What it finds
    /// A citation whose `data-t` is not a time: empty, one field or four and more
    /// (`01:07:58:00`), minutes or seconds of 60 or more, a placeholder (`HH:MM:SS`), trailing
    /// characters (`00:01:02]`), a URL (`https://youtu.be/…`).
    ///
    /// A tag without a well-formed `data-t` attribute is `timestamp-malformed`'s; a time written
    /// in another form than `HH:MM:SS` (`28:25`, `1:25:00`) is `timestamp-format`'s.
    ///
    /// ## Why it matters
    /// The player reads `data-t` as `h:m:s` to seek the video. A value that is no time makes
    /// the citation seek nowhere (or somewhere random), and the reader cannot check the claim.
    ///
    /// ## Example
    /// ```markdown
    /// Inference got cheaper <a class="yt-timestamp" data-t="00:07:12]">[00:07:12]</a>.
    /// ```
    /// Use instead:
    /// ```markdown
    /// Inference got cheaper <a class="yt-timestamp" data-t="00:07:12">[00:07:12]</a>.
    /// ```
    ///
    /// ## Fix
    /// Safe when the value is the label's time followed by stray characters (`00:07:12]` with
    /// the label `[00:07:12]`, or `07:12]` with it): the value becomes the label's time. Unsafe when the value is a
    /// placeholder, a URL, empty or not numeric and the label holds an `HH:MM:SS` time: the
    /// label's time is taken. Otherwise the right
    /// time is unknown and there is no fix.
    pub struct TimestampInvalid { family: Timestamp, severity: Error, fix: Sometimes }
}

impl Rule for TimestampInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink) {
        for c in &ctx.note.citations {
            let (Some(dt), Err(err)) = (&c.data_t, &c.time) else {
                continue;
            };
            let value = ctx.slice(dt);
            let why = match err {
                TimeError::Empty => "`data-t` is empty".to_string(),
                TimeError::Placeholder => format!("`{value}` is a placeholder, not a time"),
                TimeError::Url => format!("`{value}` is a URL, not a time"),
                TimeError::FieldCount(n) => {
                    format!(
                        "`{value}` has {n} field{} instead of 3 (HH:MM:SS)",
                        if *n == 1 { "" } else { "s" }
                    )
                }
                TimeError::NotNumeric => format!("`{value}` is not a time (HH:MM:SS)"),
                TimeError::OutOfRange => {
                    format!("`{value}` is not a time: minutes and seconds must be under 60")
                }
            };
            let range = if dt.is_empty() {
                c.open_tag.clone()
            } else {
                dt.clone()
            };
            let mut d = Diagnostic::new(
                Self::META.id,
                range,
                format!("{why}, so the player cannot seek to it"),
            );
            let label = c
                .label_time(ctx.text)
                .filter(|l| parse_time(l).is_ok_and(|t| t.form == TimeForm::Canonical));
            // The value's leading time, when stray characters follow it.
            let lead_len = value
                .bytes()
                .take_while(|b| b.is_ascii_digit() || *b == b':')
                .count();
            let lead = &value[..lead_len];
            if let Some(label) = label {
                let label_seconds = parse_time(label).ok().map(|t| t.seconds);
                if lead_len < value.len() && is_time_token(lead) && lead == label {
                    d = d.with_fix(Fix::safe(
                        format!("Drop `{}` after the time", &value[lead_len..]),
                        vec![TextEdit::delete(dt.start + lead_len..dt.end)],
                    ));
                } else if lead_len < value.len()
                    && is_time_token(lead)
                    && parse_time(lead).ok().map(|t| t.seconds) == label_seconds
                {
                    // `09:48]` labelled `[00:09:48]`: the label confirms the time.
                    d = d.with_fix(Fix::safe(
                        format!("Use the label's time `{label}`"),
                        vec![TextEdit::replace(dt.clone(), label)],
                    ));
                } else if matches!(
                    err,
                    TimeError::Placeholder
                        | TimeError::Url
                        | TimeError::Empty
                        | TimeError::NotNumeric
                ) {
                    d = d.with_fix(Fix::unsafe_(
                        format!("Use the label's time `{label}`"),
                        vec![TextEdit::replace(dt.clone(), label)],
                    ));
                }
            }
            if d.fix.is_none() {
                if let TimeError::FieldCount(4) = err {
                    if let Some((hms, frames)) = value.rsplit_once(':') {
                        d = d.with_help(format!(
                            "if `{frames}` is a frame count, the time is `{hms}`; check it against the video"
                        ));
                    }
                }
            }
            sink.push(d);
        }
    }
}
