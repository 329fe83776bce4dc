//! Editor features over the transcript of a note's video: the words around a cited moment
//! (hover), the caption a moment falls in (go to definition), the moments that best say a claim
//! (completion of a citation's time, "cite the moment").

use std::ops::Range;

use crate::diagnostic::TextEdit;
use crate::rules::best_moment;
use crate::syntax::{format_hms, BlockKind, Note};
use crate::transcript::search::{Moment, LEAD_MS, WINDOW_MS};
use crate::transcript::{Cue, Transcript, TranscriptFile};
use crate::vault::Vault;

/// How far before and after a cited moment its hover shows the captions.
pub const AROUND_MS: u64 = 15_000;
/// Suggested moments at least this far apart: windows start every few seconds and overlap, so
/// the neighbours of a good window score almost as well and say the same words.
const DISTINCT_MS: u64 = 30_000;

/// The transcript of the note's video, when the vault has one.
pub fn note_transcript<'v>(vault: &'v Vault, note: &Note) -> Option<&'v TranscriptFile> {
    vault.transcript(&note.video_id()?.value)
}

/// `https://youtu.be/<id>?t=<seconds>`: the video at a moment.
pub fn youtube_url(video_id: &str, seconds: u64) -> String {
    format!("https://youtu.be/{video_id}?t={seconds}")
}

/// The captions said from [`AROUND_MS`] before `at_ms` to [`AROUND_MS`] after it, in file order.
pub fn cues_around(transcript: &Transcript, at_ms: u64) -> Vec<&Cue> {
    let from = at_ms.saturating_sub(AROUND_MS);
    let to = at_ms.saturating_add(AROUND_MS);
    transcript
        .cues
        .iter()
        .filter(|c| c.start_ms <= to && (c.end_ms > from || c.start_ms >= from))
        .collect()
}

/// Whether the caption is being said at `at_ms`.
fn says_at(c: &Cue, at_ms: u64) -> bool {
    c.start_ms <= at_ms && (at_ms < c.end_ms || at_ms == c.start_ms)
}

/// The caption said at `at_ms`, else the first one after it, else (past the end) the last.
pub fn cue_at(transcript: &Transcript, at_ms: u64) -> Option<&Cue> {
    let cues = &transcript.cues;
    cues.iter()
        .find(|c| says_at(c, at_ms))
        .or_else(|| {
            cues.iter()
                .filter(|c| c.start_ms > at_ms)
                .min_by_key(|c| c.start_ms)
        })
        .or_else(|| cues.iter().max_by_key(|c| c.start_ms))
}

/// The Markdown a hover on citation number `citation` shows: its time in seconds, the video
/// at that moment, and the transcript's words around it when the vault has the transcript.
pub fn citation_hover(vault: &Vault, text: &str, note: &Note, citation: usize) -> Option<String> {
    let c = note.citations.get(citation)?;
    let time = c.time.as_ref().ok()?;
    let mut value = format!("`{}` = {} s", time.canonical(), time.seconds);
    if time.form == crate::syntax::TimeForm::MinutesSeconds {
        let written = c.data_t.clone().and_then(|r| text.get(r)).unwrap_or("");
        value.push_str(&format!(
            " (written `{written}`: the player reads it as hours:minutes)"
        ));
    }
    let Some(video) = note.video_id() else {
        return Some(value);
    };
    value.push_str(&format!("\n\n{}", youtube_url(&video.value, time.seconds)));
    if let Some(file) = vault.transcript(&video.value) {
        value.push_str(&transcript_excerpt(file, time.seconds * 1000));
    }
    Some(value)
}

/// The transcript's words around `at_ms` as Markdown: the file, then one line per caption with
/// its time, the caption said at the moment in bold.
fn transcript_excerpt(file: &TranscriptFile, at_ms: u64) -> String {
    let cues = cues_around(&file.transcript, at_ms);
    let mut out = format!("\n\n---\nTranscript `{}`", file.path);
    if cues.is_empty() {
        out.push_str(&format!(
            ": nothing is said around {}.",
            format_hms(at_ms / 1000)
        ));
        return out;
    }
    out.push_str(":\n");
    let current = cue_at(&file.transcript, at_ms).filter(|c| says_at(c, at_ms));
    for c in cues {
        let words = escape_markdown(&c.text);
        let time = format_hms(c.start_ms / 1000);
        if current.is_some_and(|cur| std::ptr::eq(cur, c)) {
            out.push_str(&format!("\n`{time}` **{words}**  "));
        } else {
            out.push_str(&format!("\n`{time}` {words}  "));
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// Caption words shown as Markdown text, not markup.
fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(
            ch,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// The claim a citation closes: the text of its paragraph or list item from the previous
/// citation there (or the block's start) to the citation, as `citation-unsupported` reads it.
/// `None` when the citation is in no such block or nothing with words precedes it.
pub fn claim_before(text: &str, note: &Note, citation: usize) -> Option<Range<usize>> {
    let c = note.citations.get(citation)?;
    let block = note.blocks.iter().rfind(|b| {
        matches!(b.kind, BlockKind::Paragraph | BlockKind::ListItem)
            && b.range.start <= c.range.start
            && c.range.start < b.range.end
    })?;
    let from = note.citations[..citation]
        .iter()
        .rev()
        .map(|p| p.range.end)
        .find(|&end| end <= c.range.start && end > block.range.start)
        .unwrap_or(block.range.start);
    let claim = from..c.range.start;
    text.get(claim.clone())?
        .chars()
        .any(char::is_alphanumeric)
        .then_some(claim)
}

/// The moments of the transcript that best say `claim`, best first, at most `limit`, at least
/// 30 s apart; none that says none of its words.
pub fn best_moments(file: &TranscriptFile, claim: &str, limit: usize) -> Vec<Moment> {
    let index = file.search();
    let query = index.query(claim);
    let mut moments: Vec<Moment> = index
        .moments(&query)
        .into_iter()
        .filter(|m| m.score > 0.0)
        .collect();
    moments.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.start_ms.cmp(&b.start_ms))
    });
    let mut out: Vec<Moment> = Vec::new();
    for m in moments {
        if out.len() >= limit {
            break;
        }
        if out
            .iter()
            .all(|o| o.start_ms.abs_diff(m.start_ms) >= DISTINCT_MS)
        {
            out.push(m);
        }
    }
    out
}

/// The second to cite for a moment: where its first caption starts when that is within
/// [`LEAD_MS`] of the window's start (so `citation-unsupported` judges the citation by this
/// very window), else the window's start.
pub fn cite_seconds(transcript: &Transcript, moment: &Moment) -> u64 {
    transcript
        .cues
        .iter()
        .map(|c| c.start_ms)
        .filter(|&s| s >= moment.start_ms && s <= moment.start_ms + LEAD_MS)
        .min()
        .unwrap_or(moment.start_ms)
        / 1000
}

/// The words of the window of captions that starts at `start_ms` (what a moment's score
/// counts), at most `max_words` of them.
pub fn words_from(transcript: &Transcript, start_ms: u64, max_words: usize) -> String {
    let words: Vec<&str> = transcript
        .cues
        .iter()
        .filter(|c| c.start_ms >= start_ms && c.start_ms < start_ms + WINDOW_MS)
        .flat_map(|c| c.text.split_whitespace())
        .collect();
    let mut out = words[..words.len().min(max_words)].join(" ");
    if words.len() > max_words {
        out.push('…');
    }
    out
}

/// A citation to add to a claim that has none.
#[derive(Debug, Clone, PartialEq)]
pub struct CiteSuggestion {
    /// The uncited sentence.
    pub sentence: Range<usize>,
    /// The moment to cite, in whole seconds.
    pub seconds: u64,
    /// Inserts the citation at the end of the sentence, before its final punctuation.
    pub edit: TextEdit,
}

/// The sentence of a paragraph or list item at `offset`, when it has no citation: from the
/// previous sentence end (`.`, `!`, `?` then a space, or a citation) to the next one.
pub fn uncited_sentence_at(text: &str, note: &Note, offset: usize) -> Option<Range<usize>> {
    let block = note.blocks.iter().rfind(|b| {
        matches!(b.kind, BlockKind::Paragraph | BlockKind::ListItem)
            && b.range.start <= offset
            && offset <= b.range.end
    })?;
    let body = text.get(block.range.clone())?;
    let at = offset - block.range.start;
    // Sentence ends: after `.`/`!`/`?` followed by white space, and after each citation.
    let mut ends: Vec<usize> = body
        .char_indices()
        .filter(|&(i, ch)| {
            matches!(ch, '.' | '!' | '?')
                && body[i + 1..].chars().next().is_none_or(char::is_whitespace)
        })
        .map(|(i, _)| i + 1)
        .collect();
    ends.extend(
        note.citations
            .iter()
            .filter(|c| block.range.start <= c.range.start && c.range.end <= block.range.end)
            .map(|c| c.range.end - block.range.start),
    );
    ends.sort_unstable();
    let start = ends.iter().rev().find(|&&e| e <= at).copied().unwrap_or(0);
    let start = if start == at && at > 0 {
        // A cursor just after a sentence's full stop means that sentence.
        ends.iter().rev().find(|&&e| e < at).copied().unwrap_or(0)
    } else {
        start
    };
    let end = ends
        .iter()
        .find(|&&e| e > start)
        .copied()
        .unwrap_or(body.len());
    let lead = body[start..end].len() - body[start..end].trim_start().len();
    let sentence = block.range.start + start + lead..block.range.start + end;
    let sentence_text = text.get(sentence.clone())?.trim_end();
    let sentence = sentence.start..sentence.start + sentence_text.len();
    let cited = note
        .citations
        .iter()
        .any(|c| c.range.start < sentence.end && sentence.start < c.range.end);
    (!cited && sentence_text.chars().any(char::is_alphanumeric)).then_some(sentence)
}

/// A citation of the moment that says the uncited sentence at `offset`, when one moment clearly
/// stands out: the moment `source-missing`'s fix would cite ([`best_moment`]).
pub fn cite_the_moment(
    file: &TranscriptFile,
    text: &str,
    note: &Note,
    offset: usize,
) -> Option<CiteSuggestion> {
    let sentence = uncited_sentence_at(text, note, offset)?;
    let claim = text.get(sentence.clone())?;
    let seconds = best_moment(file, claim)?.start_ms / 1000;
    let hms = format_hms(seconds);
    let at = if claim.ends_with(['.', '!', '?']) {
        sentence.end - 1
    } else {
        sentence.end
    };
    Some(CiteSuggestion {
        sentence,
        seconds,
        edit: TextEdit::replace(
            at..at,
            format!(r#" <a class="yt-timestamp" data-t="{hms}">[{hms}]</a>"#),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;
    use crate::transcript::{self, Format};

    fn transcript() -> TranscriptFile {
        let srt = "1\n00:00:00,000 --> 00:00:05,000\nWelcome, today: prime numbers.\n\n\
                   2\n00:00:20,000 --> 00:00:25,000\nPrimes make spirals in polar coordinates.\n\n\
                   3\n00:01:30,000 --> 00:01:35,000\nThe Fourier transform winds a signal around a circle.\n\n\
                   4\n00:01:35,000 --> 00:01:40,000\nIts centre of mass spikes at each frequency of the signal.\n\n\
                   5\n00:03:00,000 --> 00:03:05,000\nEigenvectors stay on their own span.\n";
        let t = transcript::parse(srt, Format::Srt).expect("srt");
        TranscriptFile::new("transcripts/v1.en.srt".into(), t)
    }

    #[test]
    fn around_a_moment_and_the_caption_said_then() {
        let f = transcript();
        let t = &f.transcript;
        let texts = |cues: Vec<&Cue>| cues.iter().map(|c| c.line).collect::<Vec<_>>();
        assert_eq!(texts(cues_around(t, 95_000)), [10, 14]);
        assert_eq!(texts(cues_around(t, 10_000)), [2, 6]);
        assert_eq!(cue_at(t, 96_000).map(|c| c.line), Some(14));
        assert_eq!(cue_at(t, 60_000).map(|c| c.line), Some(10));
        assert_eq!(cue_at(t, 999_000).map(|c| c.line), Some(18));
    }

    #[test]
    fn the_claim_before_a_citation_and_its_best_moments() {
        let f = transcript();
        let text = "---\nvideoId: v1\n---\nPrimes. The Fourier transform winds a signal around a \
                    circle <a class=\"yt-timestamp\" data-t=\"00:00:00\">[00:00:00]</a> and x.\n";
        let note = parse(text);
        let claim = claim_before(text, &note, 0).expect("claim");
        assert!(text[claim.clone()].starts_with("Primes. The Fourier"));
        let moments = best_moments(&f, &text[claim], 5);
        assert!(!moments.is_empty());
        assert!(
            (50_000..=90_000).contains(&moments[0].start_ms),
            "{moments:?}"
        );
        assert!(moments
            .windows(2)
            .all(|w| w[0].start_ms.abs_diff(w[1].start_ms) >= DISTINCT_MS));
        assert!(words_from(&f.transcript, 90_000, 5).starts_with("The Fourier transform winds a…"));
    }

    /// [`transcript`] and four minutes more on other subjects: enough captions for a claim's
    /// words to be rare, as in a real video.
    fn longer_transcript() -> TranscriptFile {
        let mut t = transcript().transcript;
        let others = [
            "Matrices act on vectors by stretching space.",
            "A determinant measures how areas scale.",
            "Probability needs a space of outcomes.",
            "Bayes' theorem updates beliefs with evidence.",
            "Gradient descent walks downhill on a cost surface.",
            "Neural networks stack layers of weighted sums.",
            "Topology studies shapes up to continuous deformation.",
            "Group theory describes symmetry.",
        ];
        for (i, words) in others.iter().enumerate() {
            let start = 240_000 + 30_000 * i as u64;
            t.cues.push(Cue {
                start_ms: start,
                end_ms: start + 5_000,
                text: (*words).to_string(),
                line: 0,
            });
        }
        TranscriptFile::new("transcripts/v1.en.srt".into(), t)
    }

    #[test]
    fn an_uncited_sentence_gets_the_moment_that_stands_out() {
        let f = longer_transcript();
        let text = "---\nvideoId: v1\n---\nIntro <a class=\"yt-timestamp\" data-t=\"00:00:00\">[00:00:00]</a>. \
                    The Fourier transform winds the signal around a circle, and its centre of mass spikes at each frequency. Done\n";
        let note = parse(text);
        let at = text.find("winds").expect("claim");
        let s = cite_the_moment(&f, text, &note, at).expect("a moment stands out");
        assert!(text[s.sentence.clone()].starts_with("The Fourier"));
        assert!(text[s.sentence.clone()].ends_with("frequency."));
        assert_eq!(s.edit.range.start, s.sentence.end - 1);
        assert!((55..=95).contains(&s.seconds), "{s:?}");
        // Cited already, or nothing said: no suggestion.
        assert_eq!(
            cite_the_moment(&f, text, &note, text.find("Intro").expect("intro")),
            None
        );
        assert_eq!(
            cite_the_moment(&f, text, &note, text.find("Done").expect("done")),
            None
        );
    }
}
