use crate::config::{Config, RuleLevel};
use crate::diagnostic::Diagnostic;
use crate::rules::{declare_rule, Context, Rule, RuleMeta, Sink};

declare_rule! {
    /// ## What it finds
    /// A transcript in the vault's transcript folders (`[transcripts] dirs`, default
    /// `transcripts/`) that a checked note needs (its file name names the note's `videoId`)
    /// but that cannot be read as captions: a line that is neither a cue number, a cue timing
    /// nor caption text, a timing such as `00:00:01.000 --> later`, a WebVTT file without its
    /// `WEBVTT` header, JSON that is not youtube-transcript-api's list, a file with no
    /// captions, or one that is not UTF-8. The finding is on the transcript, at the line where
    /// reading stopped.
    ///
    /// ## Why it matters
    /// The note's video then has no transcript: its length is unknown (so `timestamp-after-end`
    /// and `timestamp-shifted` cannot judge its timestamps) and `citation-unsupported` has no
    /// words to compare. Nothing else says so.
    ///
    /// ## Example
    /// `transcripts/3d6DsjIBzJ4.en.srt`, cut short by a failed download:
    /// ```text
    /// 12
    /// 00:00:41,200 --> 00:00:4
    /// ```
    ///
    /// ## Fix
    /// None: download the captions again (`yt-dlp --write-subs --write-auto-subs
    /// --skip-download URL`), or repair the line.
    pub struct TranscriptInvalid { family: Meta, severity: Error, fix: None }
}

impl TranscriptInvalid {
    /// The finding for a transcript that could not be read, at its configured severity (none
    /// when the rule is off): on line `line` (1-based) of `text`, the transcript as far as it
    /// could be read (empty when the file could not be read at all).
    pub fn report(
        config: &Config,
        text: &str,
        line: usize,
        message: impl Into<String>,
    ) -> Option<Diagnostic> {
        let RuleLevel::On(severity) = Self::META.level(config) else {
            return None;
        };
        let mut d = Diagnostic::new(Self::META.id, line_range(text, line), message);
        d.severity = severity;
        Some(d)
    }
}

/// The bytes of 1-based line `line` of `text`, without its line ending; an empty range at the
/// end of the text when it has fewer lines.
fn line_range(text: &str, line: usize) -> std::ops::Range<usize> {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len()..text.len(),
        }
    }
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let end = if text[start..end].ends_with('\r') {
        end - 1
    } else {
        end
    };
    start..end
}

impl Rule for TranscriptInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported by whoever reads transcripts, never from a parsed note.
    fn check(&self, _ctx: &Context<'_>, _sink: &mut Sink) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_of_the_error() {
        let text = "1\r\n00:00:01,000 --> x\r\nend";
        assert_eq!(&text[line_range(text, 1)], "1");
        assert_eq!(&text[line_range(text, 2)], "00:00:01,000 --> x");
        assert_eq!(&text[line_range(text, 3)], "end");
        assert_eq!(line_range(text, 9), text.len()..text.len());
        assert_eq!(line_range("", 1), 0..0);
    }

    #[test]
    fn off_reports_nothing() {
        let config = Config::from_toml("[rules]\ntranscript-invalid = \"off\"\n").expect("config");
        assert!(TranscriptInvalid::report(&config, "x", 1, "m").is_none());
        let d = TranscriptInvalid::report(&Config::default(), "a\nb\n", 2, "m").expect("on");
        assert_eq!(d.range, 2..3);
    }
}
