//! Transcripts: a video's captions as a list of cues, read from the files people have (SRT,
//! WebVTT as YouTube and yt-dlp write it, youtube-transcript-api's JSON list). Pure: given a
//! file's name and text, it answers; finding and reading the files is the loader's.
//!
//! The parsers are written here rather than taken from a crate: of the maintained ones,
//! `subtp` and `vtt` reject YouTube's auto-captions (their whitespace-only cue lines),
//! `aspasia` accepts any text without an error (so an unreadable file could not be reported
//! with its line), and `webvtt-parser` rejects real SRT captions whose cue ends before it
//! starts (three of the 46 in ../shared/transcripts); none removes YouTube's rolling
//! duplicated lines or its inline word timings, which a reader of the words needs.

mod cues;
mod file_name;
mod json;
pub mod search;

use std::fmt;
use std::sync::OnceLock;

pub use file_name::{transcript_name, TranscriptName};

/// A transcript file's format, known from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// SubRip: numbered cues, `00:00:01,000 --> 00:00:04,000`.
    Srt,
    /// WebVTT, YouTube's auto-captions included.
    WebVtt,
    /// youtube-transcript-api's list: `[{"text", "start", "duration"}]`.
    Json,
}

impl Format {
    /// The format of a file with this extension (without the dot, any case).
    pub fn from_extension(extension: &str) -> Option<Format> {
        match extension.to_ascii_lowercase().as_str() {
            "srt" => Some(Format::Srt),
            "vtt" => Some(Format::WebVtt),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// One caption: what is said from `start_ms` to `end_ms`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cue {
    pub start_ms: u64,
    pub end_ms: u64,
    /// The words, without markup; lines joined by a space.
    pub text: String,
    /// The 1-based line of the file where the cue is written (its timing line; in JSON, the
    /// line of its object), for an editor to open the file there.
    pub line: usize,
}

/// A video's captions, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transcript {
    pub cues: Vec<Cue>,
}

impl Transcript {
    /// When the last caption ends, in milliseconds: the video's length as far as the
    /// transcript knows it. `None` without cues.
    pub fn end_ms(&self) -> Option<u64> {
        self.cues.iter().map(|c| c.end_ms.max(c.start_ms)).max()
    }
}

/// A video's transcript as the vault holds it: the file it was read from and its cues.
#[derive(Debug)]
pub struct TranscriptFile {
    /// The file's path relative to the vault root, `/`-separated.
    pub path: String,
    pub transcript: Transcript,
    /// The words indexed for search, built on first use: most runs never judge a claim.
    search: OnceLock<search::SearchIndex>,
}

impl TranscriptFile {
    pub fn new(path: String, transcript: Transcript) -> TranscriptFile {
        TranscriptFile {
            path,
            transcript,
            search: OnceLock::new(),
        }
    }

    /// The transcript indexed for search, built once.
    pub fn search(&self) -> &search::SearchIndex {
        self.search
            .get_or_init(|| search::SearchIndex::new(&self.transcript))
    }
}

impl PartialEq for TranscriptFile {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path && self.transcript == other.transcript
    }
}

impl Eq for TranscriptFile {}

/// Why a transcript cannot be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptError {
    /// 1-based line of the file.
    pub line: usize,
    pub message: String,
}

impl TranscriptError {
    fn new(line: usize, message: impl Into<String>) -> Self {
        TranscriptError {
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for TranscriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for TranscriptError {}

/// Reads a transcript's cues. Never panics; a text that is not a transcript of `format` is
/// an error with its line.
pub fn parse(text: &str, format: Format) -> Result<Transcript, TranscriptError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match format {
        Format::Srt => cues::parse_srt(text),
        Format::WebVtt => cues::parse_vtt(text),
        Format::Json => json::parse(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRT: &str = include_str!("../../tests/transcripts/3d6DsjIBzJ4.en.srt");
    const VTT: &str = include_str!("../../tests/transcripts/ZtY8VXswa2o.vtt");
    const YOUTUBE: &str = include_str!(
        "../../tests/transcripts/Taylor series | Chapter 11, Essence of calculus [3d6DsjIBzJ4].en.vtt"
    );
    const JSON: &str = include_str!("../../tests/transcripts/v68zYyaEmEA.en.json");
    const BROKEN: &str = include_str!("../../tests/transcripts/brokenSrt01.en.srt");

    /// A cue, compared without its line (see `lines` for those).
    fn cue(start_ms: u64, end_ms: u64, text: &str) -> (u64, u64, String) {
        (start_ms, end_ms, text.to_string())
    }

    fn timed(cues: &[Cue]) -> Vec<(u64, u64, String)> {
        cues.iter()
            .map(|c| (c.start_ms, c.end_ms, c.text.clone()))
            .collect()
    }

    fn lines(t: &Transcript) -> Vec<usize> {
        t.cues.iter().map(|c| c.line).collect()
    }

    #[test]
    fn srt() {
        let t = parse(SRT, Format::Srt).expect("SRT reads");
        assert_eq!(t.cues.len(), 5);
        assert_eq!(
            timed(&t.cues)[0],
            cue(
                14_640,
                17_395,
                "When I first learned about Taylor series, I definitely"
            )
        );
        assert_eq!(
            t.cues[2].text,
            "But time and time again they come up in math, physics,"
        );
        // Ends before it starts: read as ending where it starts.
        assert_eq!(t.cues[4].start_ms, 138_620);
        assert_eq!(t.cues[4].end_ms, 138_620);
        assert_eq!(t.end_ms(), Some(138_620));
        assert_eq!(lines(&t)[..3], [2, 6, 10]);
    }

    #[test]
    fn srt_with_crlf_bom_and_no_numbers() {
        let text = "\u{feff}00:00:01,000 --> 00:00:02,500\r\nOne.\r\n\r\n00:00:03,000 --> 00:00:04,000\r\nTwo.\r\n";
        let t = parse(text, Format::Srt).expect("SRT reads");
        assert_eq!(
            timed(&t.cues),
            vec![cue(1000, 2500, "One."), cue(3000, 4000, "Two.")]
        );
        assert_eq!(lines(&t), [1, 4]);
    }

    #[test]
    fn webvtt_written_by_hand() {
        let t = parse(VTT, Format::WebVtt).expect("WebVTT reads");
        assert_eq!(
            timed(&t.cues),
            vec![
                cue(1000, 4000, "Welcome & thank you all for coming."),
                cue(
                    4500,
                    7250,
                    "Today: why the player cannot seek past the end."
                ),
                cue(3_600_000, 3_602_500, "An hour in."),
            ]
        );
        assert_eq!(lines(&t), [10, 13, 18]);
    }

    #[test]
    fn youtube_auto_captions_as_yt_dlp_writes_them() {
        let t = parse(YOUTUBE, Format::WebVtt).expect("YouTube WebVTT reads");
        let words: Vec<&str> = t.cues.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            words,
            [
                "when I first learned about Taylor",
                "series I definitely didn't appreciate",
                "just how important they are",
                "[Music]",
                "but time and time again they come up",
                "in math physics and engineering",
            ]
        );
        // Each line starts when it first appears and lasts through the 10 ms cue that
        // repeats it; the last cue's end is the transcript's.
        assert_eq!(
            timed(&t.cues)[0],
            cue(40, 2960, "when I first learned about Taylor")
        );
        assert_eq!(t.cues[1].start_ms, 2960);
        assert_eq!(t.end_ms(), Some(19_700));
        // A line's cue is where its words first appear.
        assert_eq!(lines(&t)[..5], [5, 13, 21, 29, 37]);
    }

    #[test]
    fn youtube_transcript_api_json() {
        let t = parse(JSON, Format::Json).expect("JSON reads");
        assert_eq!(
            timed(&t.cues),
            vec![
                cue(
                    80,
                    3280,
                    "The game Wordle has gained significant popularity"
                ),
                cue(3280, 4780, "[Music]"),
                cue(4780, 7001, "programmers including me"),
            ]
        );
        assert_eq!(lines(&t), [2, 3, 4]);
    }

    #[test]
    fn srt_cues_of_several_lines_with_markup_and_coordinates() {
        let text = "7\n00:01:02,500 --> 00:01:04,000 X1:40 X2:600 Y1:20 Y2:50\n<i>Two</i>\n<b>lines</b> &amp; more\n\n8\n00:01:04,000 --> 00:01:05,000\n  spaced   out  \n";
        let t = parse(text, Format::Srt).expect("SRT reads");
        assert_eq!(
            timed(&t.cues),
            vec![
                cue(62_500, 64_000, "Two lines & more"),
                cue(64_000, 65_000, "spaced out")
            ]
        );
    }

    #[test]
    fn a_line_said_again_later_is_kept_only_its_rolling_repeat_is_not() {
        // yt-dlp's auto-captions: `[Music]` rolls up once (folded into the cue before), and
        // comes back after other words (a cue of its own).
        let text = "WEBVTT\nKind: captions\nLanguage: en\n\n\
            00:00:01.000 --> 00:00:02.000 align:start position:0%\n \n[Music]\n\n\
            00:00:02.000 --> 00:00:03.000 align:start position:0%\n[Music]\nso<00:00:02.500><c> here</c>\n\n\
            00:00:03.000 --> 00:00:03.010 align:start position:0%\nso here\n \n\n\
            00:00:03.010 --> 00:00:04.000 align:start position:0%\nso here\n[Music]\n";
        let t = parse(text, Format::WebVtt).expect("WebVTT reads");
        assert_eq!(
            timed(&t.cues),
            vec![
                cue(1000, 2000, "[Music]"),
                cue(2000, 3010, "so here"),
                cue(3010, 4000, "[Music]"),
            ]
        );
    }

    #[test]
    fn json_without_durations_and_with_crlf() {
        let text = "[\r\n{\"text\": \"one\", \"start\": 1.5},\r\n{\"text\": \"two\", \"start\": 2, \"duration\": 0.25}\r\n]";
        let t = parse(text, Format::Json).expect("JSON reads");
        assert_eq!(
            timed(&t.cues),
            vec![cue(1500, 1500, "one"), cue(2000, 2250, "two")]
        );
        assert_eq!(t.end_ms(), Some(2250));
    }

    #[test]
    fn unreadable_files_say_which_line() {
        let err = |text: &str, format| parse(text, format).expect_err("unreadable");
        assert_eq!(err(BROKEN, Format::Srt).line, 6);
        assert_eq!(err("", Format::Srt).message, "the file has no captions");
        assert_eq!(err("just some prose\n", Format::Srt).line, 1);
        assert_eq!(
            err(
                "1\n00:00:01,000 --> 00:00:02,000\nok\n\nprose\n",
                Format::Srt
            )
            .line,
            5
        );
        assert_eq!(err("1\n00:00:01,000 --> later\n", Format::Srt).line, 2);
        assert_eq!(err("WEBVTTX\n", Format::WebVtt).line, 1);
        assert_eq!(err("hello\n", Format::WebVtt).line, 1);
        assert_eq!(
            err("WEBVTT\n00:01.000 --> 00:02.000\nx\n", Format::WebVtt).line,
            2
        );
        assert_eq!(
            err(
                "WEBVTT\n\n00:01.000 --> 00:02.000\nx\n\n\nstray words\n",
                Format::WebVtt
            )
            .line,
            7
        );
        assert_eq!(
            err("WEBVTT\n\n00:01,000 --> 00:02,000\nx\n", Format::WebVtt).message,
            "`00:01,000 --> 00:02,000` is not a cue timing such as `00:00:01.000 --> 00:00:04.000`"
        );
        assert_eq!(err("WEBVTT\n\nNOTE only a note\n", Format::WebVtt).line, 1);
        assert_eq!(
            err("[{\"text\": \"a\",\n \"start\": -1}]", Format::Json).line,
            2
        );
        assert_eq!(err("{\"text\": \"a\"}", Format::Json).line, 1);
        assert_eq!(err("[]", Format::Json).line, 1);
        assert_eq!(err("[\n{\"text\": \"a\"}\n]", Format::Json).line, 2);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(pieces in proptest::collection::vec(proptest::sample::select(&[
            "WEBVTT", "\n", "\r\n", " ", "1", "00:00:01,000", "00:01.000", "-->", " --> ",
            "99999999999999999999:00:00.000", "<c>", "</c>", "<00:00:01.000>", "&amp;", "&",
            "<", ">", "NOTE", "é", "漢", ",", ".", ":", "[", "]", "{", "}", "\"text\"",
            "\"start\"", "-1", "1e400", "align:start position:0%",
        ][..]), 0..40)) {
            let text = pieces.concat();
            for format in [Format::Srt, Format::WebVtt, Format::Json] {
                if let Err(e) = parse(&text, format) {
                    proptest::prop_assert!(e.line >= 1 && e.line <= text.split('\n').count().max(1));
                }
            }
        }
    }
}
