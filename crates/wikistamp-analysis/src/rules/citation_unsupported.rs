use std::ops::Range;

use crate::diagnostic::{Applicability, Diagnostic, Fix, TextEdit};
use crate::rules::{declare_rule, Context, Rule, RuleMeta, Sink};
use crate::syntax::{format_hms, BlockKind};
use crate::transcript::search::{Moment, Query, SearchIndex};
use crate::transcript::{Transcript, TranscriptFile};

declare_rule! {
    /// ## What it finds
    /// A claim whose words are barely said at the moment it cites, while another moment of
    /// the same video says them clearly better. Only for notes whose video has a transcript
    /// (under `transcripts/`). The claim is the text of the sentence or list item that the
    /// citation closes: from the previous citation of the same paragraph or list item (or its
    /// start) to the citation.
    ///
    /// The claim and the transcript are matched as a search engine would: words lowercased and
    /// stemmed (Snowball English), stop words and caption fillers ("um", "like", "yeah") out,
    /// rarer words weighing more (BM25), over windows of 45 seconds of captions starting every
    /// 5 seconds. A cited moment is judged by the windows starting from 30 seconds before it to
    /// 30 seconds after it (a note cites where a point begins; its words may come later).
    ///
    /// Silent when the claim has fewer than 6 content words (too short to judge), when no
    /// moment of the video matches it clearly, when a cited moment scores at least 45% of the
    /// best one, and in a note with citations past the video's end (`timestamp-shifted` and
    /// `timestamp-after-end` come first: the times are off by a whole field there).
    ///
    /// ## Why it matters
    /// A citation is a promise that the video says this, there. When the words are said
    /// minutes away, a reader who clicks hears something else and stops trusting the note.
    ///
    /// ## Example
    /// ```markdown
    /// The Fourier transform winds the signal around a circle and tracks its centre of mass <a class="yt-timestamp" data-t="00:00:10">[00:00:10]</a>.
    /// ```
    /// where the transcript says it at 00:04:05. Use instead:
    /// ```markdown
    /// The Fourier transform winds the signal around a circle and tracks its centre of mass <a class="yt-timestamp" data-t="00:04:05">[00:04:05]</a>.
    /// ```
    ///
    /// ## Fix
    /// Unsafe: moves the citation (its `data-t` and its label) to the better moment, when the
    /// claim has one citation. The better moment is where the first caption of the best window
    /// that says the claim's words starts (the first whose claim words weigh at least half as
    /// much as the heaviest caption's of the window, so not a common word said in passing):
    /// the player opens on those words, and the message quotes them. The words matching does
    /// not prove the author meant that moment.
    pub struct CitationUnsupported { family: Source, severity: Warning, fix: Sometimes }
}

/// Fewer content words than this: too short to judge.
pub const MIN_CONTENT_WORDS: usize = 6;
/// A best moment scoring less than this (BM25, summed over the claim's words) matches nothing
/// clearly.
pub const MIN_BEST_SCORE: f32 = 10.0;
/// A cited moment scoring at least this share of the best one supports the claim.
pub const SUPPORTED_SHARE: f32 = 0.45;

impl Rule for CitationUnsupported {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink) {
        let Some(file) = ctx.transcript() else {
            return;
        };
        let Some(end_ms) = file.transcript.end_ms() else {
            return;
        };
        let cites = &ctx.note.citations;
        if cites
            .iter()
            .any(|c| c.time.as_ref().is_ok_and(|t| t.seconds * 1000 > end_ms))
        {
            return;
        }
        let index = file.search();
        for claim in cited_claims(ctx) {
            let times: Vec<u64> = claim
                .citations
                .iter()
                .filter_map(|&i| cites[i].time.as_ref().ok().map(|t| t.seconds))
                .collect();
            if times.is_empty() {
                continue;
            }
            let query = index.query(&strip_markup(ctx.slice(&claim.text)));
            if query.content_words < MIN_CONTENT_WORDS {
                continue;
            }
            let cited = times
                .iter()
                .map(|&s| index.score_near(&query, s * 1000))
                .fold(0.0, f32::max);
            // Most claims are settled without scoring every moment: no moment can match them
            // clearly, or the cited one scores enough of the most any could.
            let peak = index.peak(&query);
            if peak < MIN_BEST_SCORE || cited >= SUPPORTED_SHARE * peak {
                continue;
            }
            let Some(judged) = judge_query(index, &query) else {
                continue;
            };
            if cited >= SUPPORTED_SHARE * judged.best.score {
                continue;
            }
            let better = judged.at_ms / 1000;
            let hms = format_hms(better);
            let first = &cites[claim.citations[0]];
            let last = &cites[*claim.citations.last().unwrap_or(&claim.citations[0])];
            let message = format!(
                "the transcript barely says this claim at {}; {hms} matches it better: “{}”",
                format_hms(times[0]),
                quote(&file.transcript, judged.at_ms),
            );
            let mut d = Diagnostic::new(Self::META.id, first.range.start..last.range.end, message);
            if let ([_], Some(dt), Some(label)) = (
                &claim.citations[..],
                &first.data_t,
                first.label_inner(ctx.text),
            ) {
                d = d.with_fix(Fix {
                    title: format!("Move the citation to {hms}"),
                    edits: vec![
                        TextEdit::replace(dt.clone(), hms.clone()),
                        TextEdit::replace(label, hms),
                    ],
                    applicability: Applicability::Unsafe,
                });
            }
            sink.push(d);
        }
    }
}

/// A claim and the citations that close it.
#[derive(Debug, Clone)]
pub struct CitedClaim {
    /// The claim's text, up to its first citation.
    pub text: Range<usize>,
    /// Indexes into the note's citations.
    pub citations: Vec<usize>,
}

/// Every claim of the note's paragraphs and list items that ends in citations: the text from
/// the previous citation of the block (or the block's start) to the next run of citations.
pub fn cited_claims(ctx: &Context<'_>) -> Vec<CitedClaim> {
    let cites = &ctx.note.citations;
    let blocks = &ctx.note.blocks;
    let mut out: Vec<CitedClaim> = Vec::new();
    let mut prev_end = 0;
    let mut prev_block = usize::MAX;
    for (i, c) in cites.iter().enumerate() {
        // The innermost paragraph or list item holding the citation: the last that starts
        // before it.
        let Some(b) = blocks.iter().rposition(|b| {
            matches!(b.kind, BlockKind::Paragraph | BlockKind::ListItem)
                && b.range.start <= c.range.start
                && c.range.start < b.range.end
        }) else {
            continue;
        };
        let from = if b == prev_block {
            prev_end.max(blocks[b].range.start)
        } else {
            blocks[b].range.start
        };
        let between = ctx.slice(&(from..c.range.start));
        let has_words = between.chars().any(char::is_alphanumeric);
        match out.last_mut() {
            Some(last) if b == prev_block && !has_words => last.citations.push(i),
            _ if has_words => out.push(CitedClaim {
                text: from..c.range.start,
                citations: vec![i],
            }),
            _ => {}
        }
        prev_block = b;
        prev_end = c.range.end;
    }
    out
}

/// A claim scored against every moment of a transcript.
pub struct Judged {
    pub moments: Vec<Moment>,
    /// The best window.
    pub best: Moment,
    /// Where to cite the claim: the start of the best window's first caption that says the
    /// claim's words (see [`SearchIndex::first_said`]; the window's start if none does).
    pub at_ms: u64,
}

/// `claim` scored against `file`'s moments; `None` when it is too short to judge or no
/// moment matches it clearly.
pub fn judge(file: &TranscriptFile, claim: &str) -> Option<Judged> {
    let index = file.search();
    judge_query(index, &index.query(&strip_markup(claim)))
}

/// [`judge`] for a claim already read as a query of `index`.
fn judge_query(index: &SearchIndex, query: &Query) -> Option<Judged> {
    if query.content_words < MIN_CONTENT_WORDS {
        return None;
    }
    let moments = index.moments(query);
    let best = *moments.iter().max_by(|a, b| {
        a.score
            .total_cmp(&b.score)
            .then(b.start_ms.cmp(&a.start_ms))
    })?;
    if best.score < MIN_BEST_SCORE {
        return None;
    }
    let at_ms = index
        .first_said(query, best.start_ms)
        .unwrap_or(best.start_ms);
    Some(Judged {
        moments,
        best,
        at_ms,
    })
}

/// How far apart two moments must be to count as different places of the video.
pub const ELSEWHERE_MS: u64 = 60_000;
/// A best moment stands out when it scores at least this many times the best moment
/// [`ELSEWHERE_MS`] or more away from it.
pub const STANDOUT_RATIO: f32 = 1.3;

/// Where `claim` is said in `file`, when one moment stands out: the claim is long enough to
/// judge, its best window scores at least [`MIN_BEST_SCORE`] and [`STANDOUT_RATIO`] times the
/// best window more than [`ELSEWHERE_MS`] away. The moment starts where the best window's
/// first caption saying the claim's words starts ([`SearchIndex::first_said`]); its score is
/// the window's.
pub fn best_moment(file: &TranscriptFile, claim: &str) -> Option<Moment> {
    let judged = judge(file, claim)?;
    let elsewhere = judged.elsewhere();
    (judged.best.score >= STANDOUT_RATIO * elsewhere).then_some(Moment {
        start_ms: judged.at_ms,
        score: judged.best.score,
    })
}

impl Judged {
    /// The best score among the windows more than [`ELSEWHERE_MS`] away from the best one.
    pub fn elsewhere(&self) -> f32 {
        self.moments
            .iter()
            .filter(|m| m.start_ms.abs_diff(self.best.start_ms) > ELSEWHERE_MS)
            .map(|m| m.score)
            .fold(0.0, f32::max)
    }
}

/// The claim's prose: HTML tags out, `[[target|alias]]` as its alias.
pub fn strip_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['<', '[']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix('<') {
            match after.find('>') {
                Some(j) => rest = &after[j + 1..],
                None => {
                    out.push('<');
                    rest = after;
                }
            }
        } else if let Some(inner) = tail.strip_prefix("[[") {
            match inner.find("]]") {
                Some(j) => {
                    let link = &inner[..j];
                    out.push_str(link.rsplit('|').next().unwrap_or(link));
                    rest = &inner[j + 2..];
                }
                None => {
                    out.push_str("[[");
                    rest = inner;
                }
            }
        } else {
            out.push('[');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// About the first dozen words said from `start_ms` on.
pub(crate) fn quote(transcript: &Transcript, start_ms: u64) -> String {
    let words: Vec<&str> = transcript
        .cues
        .iter()
        .filter(|c| c.start_ms >= start_ms)
        .flat_map(|c| c.text.split_whitespace())
        .take(12)
        .collect();
    format!("{}…", words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_out() {
        assert_eq!(
            strip_markup("a **b** [[x|the y]] <br/> [[z]] [c]"),
            "a **b** the y  z [c]"
        );
        assert_eq!(strip_markup("a < b [[open"), "a < b [[open");
    }
}
