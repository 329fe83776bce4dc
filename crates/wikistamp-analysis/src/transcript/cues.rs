//! SRT and WebVTT: blocks of lines separated by blank lines, each cue a timing line
//! `start --> end` and its text. The two differ in the header, the decimal mark and what a
//! blank line is (see [`Syntax`]).

use std::borrow::Cow;

use super::{Cue, Transcript, TranscriptError};

/// What sets the two formats apart.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Srt,
    Vtt,
}

impl Syntax {
    /// A line that ends a block. WebVTT ends a cue only at an empty line: YouTube's
    /// auto-captions have cue lines of one space. SRT written by hand may have spaces there.
    fn is_blank(self, line: &str) -> bool {
        match self {
            Syntax::Srt => match line.as_bytes().first() {
                None => true,
                // Nearly every line: no need to look further.
                Some(b) if b.is_ascii_graphic() => false,
                Some(_) => line.trim().is_empty(),
            },
            Syntax::Vtt => line.is_empty(),
        }
    }

    fn example(self) -> &'static str {
        match self {
            Syntax::Srt => "`00:00:01,000 --> 00:00:04,000`",
            Syntax::Vtt => "`00:00:01.000 --> 00:00:04.000`",
        }
    }
}

/// A block: its lines with their 1-based numbers.
type Block<'a> = [(usize, &'a str)];

/// Calls `f` with each of the text's blocks (lines without their `\r`), in order, until it
/// fails.
fn for_each_block<'a, E>(
    text: &'a str,
    syntax: Syntax,
    mut f: impl FnMut(&Block<'a>) -> Result<(), E>,
) -> Result<(), E> {
    let mut block: Vec<(usize, &'a str)> = Vec::new();
    let mut from = 0;
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]);
    for (i, end) in ends.enumerate() {
        let line = &text[from..end];
        from = end + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if syntax.is_blank(line) {
            if !block.is_empty() {
                f(&block)?;
                block.clear();
            }
        } else {
            block.push((i + 1, line));
        }
    }
    if !block.is_empty() {
        f(&block)?;
    }
    Ok(())
}

pub(super) fn parse_srt(text: &str) -> Result<Transcript, TranscriptError> {
    let mut cues = Rolling::default();
    for_each_block(text, Syntax::Srt, |block| {
        // A cue number, then the timing; some files leave the number out.
        let timing_at = match block.first() {
            Some((_, l)) if has_arrow(l) => 0,
            Some((_, l)) if is_digits(l.trim()) && block.len() > 1 => 1,
            Some(&(n, _)) => {
                return Err(TranscriptError::new(
                    n,
                    format!(
                        "expected a cue number or a timing {}",
                        Syntax::Srt.example()
                    ),
                ))
            }
            None => return Ok(()),
        };
        cue(block, timing_at, Syntax::Srt, &mut cues)
    })?;
    finish(cues)
}

pub(super) fn parse_vtt(text: &str) -> Result<Transcript, TranscriptError> {
    let first = text.split('\n').next().unwrap_or("");
    let first = first.strip_suffix('\r').unwrap_or(first);
    let signature = first
        .strip_prefix("WEBVTT")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']));
    if !signature {
        return Err(TranscriptError::new(
            1,
            "a WebVTT file starts with `WEBVTT`",
        ));
    }
    let mut cues = Rolling::default();
    let mut header = true;
    for_each_block(text, Syntax::Vtt, |block| {
        // The header block: `WEBVTT` and metadata such as YouTube's `Kind:` and `Language:`.
        if std::mem::take(&mut header) {
            if let Some(&(n, _)) = block.iter().find(|(_, l)| has_arrow(l)) {
                return Err(TranscriptError::new(
                    n,
                    "a blank line must separate the `WEBVTT` header from the first cue",
                ));
            }
            return Ok(());
        }
        let Some(&(n, head)) = block.first() else {
            return Ok(());
        };
        if ["NOTE", "STYLE", "REGION"].iter().any(|k| {
            head.strip_prefix(k)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
        }) {
            return Ok(());
        }
        // An optional cue identifier, then the timing.
        let timing_at = if has_arrow(head) {
            0
        } else if block.get(1).is_some_and(|(_, l)| has_arrow(l)) {
            1
        } else {
            return Err(TranscriptError::new(
                n,
                format!("expected a cue timing {}", Syntax::Vtt.example()),
            ));
        };
        cue(block, timing_at, Syntax::Vtt, &mut cues)
    })?;
    finish(cues)
}

/// Reads the cue whose timing is line `timing_at` of `block` into `cues`.
fn cue<'a>(
    block: &Block<'a>,
    timing_at: usize,
    syntax: Syntax,
    cues: &mut Rolling<'a>,
) -> Result<(), TranscriptError> {
    let Some(&(n, timing)) = block.get(timing_at) else {
        return Ok(());
    };
    let bad = || {
        TranscriptError::new(
            n,
            format!(
                "`{}` is not a cue timing such as {}",
                timing.trim(),
                syntax.example()
            ),
        )
    };
    let arrow = arrow(timing).ok_or_else(bad)?;
    let (start, rest) = (&timing[..arrow], &timing[arrow + 3..]);
    // After the end time: WebVTT's cue settings (`align:start position:0%`), or SRT's
    // coordinates; neither matters for the words.
    let end = rest.split_whitespace().next().ok_or_else(bad)?;
    let start_ms = timestamp_ms(start.trim(), syntax).ok_or_else(bad)?;
    let end_ms = timestamp_ms(end, syntax).ok_or_else(bad)?;
    let lines = block
        .get(timing_at + 1..)
        .unwrap_or(&[])
        .iter()
        .map(|(_, l)| plain_text(l, syntax))
        .filter(|l| !l.is_empty());
    // Real captions have cues that end before they start: read as ending where they start.
    cues.push(start_ms, end_ms.max(start_ms), lines, n);
    Ok(())
}

fn finish(cues: Rolling<'_>) -> Result<Transcript, TranscriptError> {
    if cues.cues.is_empty() {
        return Err(TranscriptError::new(1, "the file has no captions"));
    }
    Ok(Transcript { cues: cues.cues })
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Where a cue timing's `-->` is.
fn arrow(line: &str) -> Option<usize> {
    // Lines are short: a plain scan beats building a searcher.
    line.as_bytes().windows(3).position(|w| w == b"-->")
}

fn has_arrow(line: &str) -> bool {
    arrow(line).is_some()
}

/// `[HH:]MM:SS.mmm` (WebVTT) or `HH:MM:SS,mmm` (SRT; a `.` is taken too) in milliseconds.
/// Hours may have any number of digits; the fraction one to three.
fn timestamp_ms(s: &str, syntax: Syntax) -> Option<u64> {
    let s = s.as_bytes();
    let mark = s
        .iter()
        .position(|&b| b == b'.' || (b == b',' && syntax == Syntax::Srt))?;
    let (clock, fraction) = (&s[..mark], &s[mark + 1..]);
    if fraction.len() > 3 {
        return None;
    }
    // `5` is 500 ms, `05` 50 ms.
    let ms = number(fraction)? * 10u64.pow(3 - fraction.len() as u32);
    // `…:MM:SS`: two digits each, after the hours (WebVTT may leave them out).
    let n = clock.len();
    if n < 5 || clock[n - 3] != b':' {
        return None;
    }
    let (minutes, seconds) = (
        two_digits(&clock[n - 5..n - 3])?,
        two_digits(&clock[n - 2..])?,
    );
    let hours = match n {
        5 if syntax == Syntax::Vtt => 0,
        5 => return None,
        _ if clock[n - 6] != b':' => return None,
        _ => number(&clock[..n - 6])?,
    };
    if minutes >= 60 || seconds >= 60 {
        return None;
    }
    hours
        .checked_mul(3_600_000)?
        .checked_add(minutes * 60_000 + seconds * 1000 + ms)
}

fn two_digits(digits: &[u8]) -> Option<u64> {
    match digits {
        [a @ b'0'..=b'9', b @ b'0'..=b'9'] => Some(u64::from((a - b'0') * 10 + (b - b'0'))),
        _ => None,
    }
}

/// ASCII digits (at least one) as a number; `None` for anything else or an overflow.
fn number(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    digits.iter().try_fold(0u64, |n, &b| {
        b.is_ascii_digit()
            .then(|| n.checked_mul(10)?.checked_add(u64::from(b - b'0')))?
    })
}

/// A caption line as words: markup out (`<c>`, `<i>`, `<00:00:01.000>` word timings,
/// `<v Speaker>`), the common character references decoded, spaces collapsed.
fn plain_text(line: &str, syntax: Syntax) -> Cow<'_, str> {
    // Most caption lines are plain words: nothing to take out, only the ends to trim.
    let ends_graphic = |b: Option<&u8>| b.is_some_and(u8::is_ascii_graphic);
    let bytes = line.as_bytes();
    let trimmed = if ends_graphic(bytes.first()) && ends_graphic(bytes.last()) {
        line
    } else {
        line.trim()
    };
    // Folds rather than `all`, so that the compiler can check many bytes at once.
    let bytes = trimmed.as_bytes();
    let markup = bytes.iter().fold(false, |found, &b| {
        found | !matches!(b, b' '..=b'~') | (b == b'<') | (b == b'&')
    });
    let double_space = bytes
        .windows(2)
        .fold(false, |found, w| found | ((w[0] == b' ') & (w[1] == b' ')));
    let plain = !markup && !double_space;
    if plain {
        return Cow::Borrowed(trimmed);
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        match rest[open..].find('>') {
            Some(close) => rest = &rest[open + close + 1..],
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    let decoded = if syntax == Syntax::Vtt || out.contains('&') {
        decode_references(&out)
    } else {
        out
    };
    Cow::Owned(decoded.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn decode_references(s: &str) -> String {
    const REFERENCES: &[(&str, &str)] = &[
        ("&amp;", "&"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&apos;", "'"),
        ("&#39;", "'"),
        ("&nbsp;", " "),
        ("&lrm;", ""),
        ("&rlm;", ""),
    ];
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match REFERENCES.iter().find(|(name, _)| rest.starts_with(name)) {
            Some((name, value)) => {
                out.push_str(value);
                rest = &rest[name.len()..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The cues read so far, with rolling captions folded: YouTube's auto-captions show each
/// line twice (first as the new line, then again above the next one) and add 10 ms cues
/// that only repeat it. A line that the previous cue already had is not new words: a cue
/// with nothing new only makes the last cue last longer.
#[derive(Default)]
struct Rolling<'a> {
    cues: Vec<Cue>,
    previous_lines: Vec<Cow<'a, str>>,
    lines: Vec<Cow<'a, str>>,
}

impl<'a> Rolling<'a> {
    fn push(
        &mut self,
        start_ms: u64,
        end_ms: u64,
        lines: impl Iterator<Item = Cow<'a, str>>,
        line: usize,
    ) {
        self.lines.clear();
        self.lines.extend(lines);
        let mut text = String::new();
        for l in &self.lines {
            if !self.previous_lines.contains(l) {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(l);
            }
        }
        if text.is_empty() {
            if let Some(last) = self.cues.last_mut() {
                last.end_ms = last.end_ms.max(end_ms);
            }
        } else {
            self.cues.push(Cue {
                start_ms,
                end_ms,
                text,
                line,
            });
        }
        std::mem::swap(&mut self.previous_lines, &mut self.lines);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_in_both_syntaxes() {
        assert_eq!(timestamp_ms("00:00:01,000", Syntax::Srt), Some(1000));
        assert_eq!(timestamp_ms("01:02:03.004", Syntax::Srt), Some(3_723_004));
        assert_eq!(timestamp_ms("01:02:03.004", Syntax::Vtt), Some(3_723_004));
        assert_eq!(timestamp_ms("02:03.500", Syntax::Vtt), Some(123_500));
        assert_eq!(
            timestamp_ms("123:00:00.000", Syntax::Vtt),
            Some(442_800_000)
        );
        assert_eq!(timestamp_ms("00:00:01.5", Syntax::Srt), Some(1500));
        assert_eq!(timestamp_ms("1:00:00.000", Syntax::Vtt), Some(3_600_000));
        let srt = [
            "02:03,500",
            "00:60:00,000",
            "00:00:60,000",
            "0:0:01,000",
            "00:00:01",
            "00:00:01,1234",
            "aa:00:01,000",
            "99999999999999999999:00:00,000",
            "00:00:01,",
            "",
            "00:00.000",
        ]
        .map(|bad| (bad, Syntax::Srt));
        let vtt = [
            "00:00:01,000",
            ":00:00.000",
            "123:45.000",
            "1:2:03.000",
            "00:00.000,5",
            "a0:00.000",
        ]
        .map(|bad| (bad, Syntax::Vtt));
        for (bad, syntax) in srt.into_iter().chain(vtt) {
            assert_eq!(timestamp_ms(bad, syntax), None, "{bad}");
        }
    }

    #[test]
    fn markup_and_references_leave_the_words() {
        assert_eq!(
            plain_text(
                "when<00:00:00.320><c> I</c><00:00:00.480><c> first</c>",
                Syntax::Vtt
            ),
            "when I first"
        );
        assert_eq!(
            plain_text("<v Roger>&gt;&gt; so &amp; then</v>", Syntax::Vtt),
            ">> so & then"
        );
        assert_eq!(plain_text("<i>a < b</i> and c", Syntax::Srt), "a and c");
        assert_eq!(plain_text("x < y", Syntax::Srt), "x < y");
        assert_eq!(plain_text("  spaced \t out ", Syntax::Srt), "spaced out");
        assert_eq!(plain_text("&unknown; &", Syntax::Vtt), "&unknown; &");
        assert_eq!(plain_text(" plain words ", Syntax::Srt), "plain words");
        assert_eq!(plain_text("no\u{a0}break", Syntax::Srt), "no break");
        assert_eq!(plain_text("tab\there", Syntax::Srt), "tab here");
    }
}
