//! Which video and language a transcript file is for, from its name as people have it:
//! `<id>.en.srt`, `<id>.vtt`, yt-dlp's `Title [<id>].en.vtt`, youtube-transcript-api's
//! `<id>.json` or `<id>.en.json`.

use super::Format;

/// What a transcript's file name says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptName<'a> {
    pub video_id: &'a str,
    /// The language tag before the extension (`en`, `en-GB`, yt-dlp's `en-orig`), if any.
    pub language: Option<&'a str>,
    pub format: Format,
}

/// The video, language and format of a transcript file named `file_name` (no folders), or
/// `None` when the name is not one of a transcript.
pub fn transcript_name(file_name: &str) -> Option<TranscriptName<'_>> {
    let (stem, extension) = file_name.rsplit_once('.')?;
    let format = Format::from_extension(extension)?;
    let (stem, language) = match stem.rsplit_once('.') {
        Some((rest, tag)) if is_language_tag(tag) => (rest, Some(tag)),
        _ => (stem, None),
    };
    // yt-dlp's default output names the video in brackets after its title.
    let video_id = match stem.strip_suffix(']') {
        Some(before) => before.rsplit_once('[')?.1,
        None => stem,
    };
    is_video_id(video_id).then_some(TranscriptName {
        video_id,
        language,
        format,
    })
}

/// A BCP 47-like tag: a 2–3 letter language, then `-` subtags of letters and digits.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The characters of a YouTube video id (letters, digits, `-`, `_`).
fn is_video_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(n: &str) -> Option<(&str, Option<&str>, Format)> {
        transcript_name(n).map(|t| (t.video_id, t.language, t.format))
    }

    #[test]
    fn names_people_have() {
        assert_eq!(
            name("3d6DsjIBzJ4.en.srt"),
            Some(("3d6DsjIBzJ4", Some("en"), Format::Srt))
        );
        assert_eq!(
            name("ZtY8VXswa2o.vtt"),
            Some(("ZtY8VXswa2o", None, Format::WebVtt))
        );
        assert_eq!(
            name("Taylor series | Chapter 11, Essence of calculus [3d6DsjIBzJ4].en.vtt"),
            Some(("3d6DsjIBzJ4", Some("en"), Format::WebVtt))
        );
        assert_eq!(
            name("Mr. Smith goes [a-b_c].en-GB.vtt"),
            Some(("a-b_c", Some("en-GB"), Format::WebVtt))
        );
        assert_eq!(
            name("Mr. Smith goes [a-b_c].vtt"),
            Some(("a-b_c", None, Format::WebVtt))
        );
        assert_eq!(
            name("v68zYyaEmEA.json"),
            Some(("v68zYyaEmEA", None, Format::Json))
        );
        assert_eq!(
            name("v68zYyaEmEA.en-orig.JSON"),
            Some(("v68zYyaEmEA", Some("en-orig"), Format::Json))
        );
    }

    #[test]
    fn other_files_are_not_transcripts() {
        for n in [
            "notes.md",
            "README",
            ".srt",
            "Some title.en.vtt",
            "[].vtt",
            "a b.srt",
            "id.en.txt",
            "Title [id.vtt",
        ] {
            assert_eq!(name(n), None, "{n}");
        }
    }
}
