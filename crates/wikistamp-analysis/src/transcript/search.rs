//! Finding the moments of a transcript that match a text, as a search engine would: words
//! lowercased and stemmed (Snowball's English stemmer, from `rust-stemmers`, the stemmer crate
//! most used in Rust search engines), stop words and caption fillers out, each remaining word
//! weighed by BM25 over sliding windows of the captions. The index is built once per
//! transcript, and only when a rule or a request asks (see `TranscriptFile::search`).

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};

use crate::transcript::Transcript;

/// How long a window of captions is: about what a citation's moment covers.
pub const WINDOW_MS: u64 = 45_000;
/// How far apart windows start.
pub const STEP_MS: u64 = 5_000;
/// How much earlier than a cited moment a window judging it may start: captions lag a
/// little, and a note may cite the end of the sentence that opens its point.
pub const LEAD_MS: u64 = 30_000;
/// How much later than a cited moment a window judging it may start: a note cites where a
/// point begins, and the words that carry it may come half a minute in.
pub const FOLLOW_MS: u64 = 30_000;

// BM25's usual parameters.
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// One window of captions: its start and its terms with their counts.
#[derive(Debug, Clone)]
struct Window {
    start_ms: u64,
    /// Index into [`SearchIndex::postings`]: this window's `(term, count)` pairs.
    terms: std::ops::Range<u32>,
    len: u32,
}

/// A transcript indexed for search.
#[derive(Debug, Clone)]
pub struct SearchIndex {
    /// A stem's term id.
    terms: HashMap<String, u32>,
    /// For each term id, in how many windows it occurs.
    doc_freq: Vec<u32>,
    windows: Vec<Window>,
    postings: Vec<(u32, u32)>,
    avg_len: f32,
}

/// A window's score for a query.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moment {
    /// Where the window starts, in milliseconds.
    pub start_ms: u64,
    pub score: f32,
}

impl SearchIndex {
    /// Indexes `transcript`: each distinct word is stemmed once.
    pub fn new(transcript: &Transcript) -> SearchIndex {
        let stemmer = Stemmer::create(Algorithm::English);
        let mut terms: HashMap<String, u32> = HashMap::new();
        // A caption word → its term id (`None`: a stop word), so each word is stemmed once.
        let mut seen: HashMap<String, Option<u32>> = HashMap::new();
        // Each cue's terms, in cue order.
        let mut cue_terms: Vec<(u64, Vec<u32>)> = Vec::with_capacity(transcript.cues.len());
        for cue in &transcript.cues {
            let mut ids = Vec::new();
            for_each_word(&cue.text, |word| {
                let id = match seen.get(word) {
                    Some(id) => *id,
                    None => {
                        let id = (!is_stop_word(word)).then(|| {
                            let stem = stemmer.stem(word).into_owned();
                            let next = terms.len() as u32;
                            *terms.entry(stem).or_insert(next)
                        });
                        seen.insert(word.to_string(), id);
                        id
                    }
                };
                ids.extend(id);
            });
            cue_terms.push((cue.start_ms, ids));
        }
        cue_terms.sort_by_key(|(start, _)| *start);
        let end = cue_terms.last().map_or(0, |(s, _)| *s);
        let mut doc_freq = vec![0u32; terms.len()];
        let mut windows = Vec::new();
        let mut postings = Vec::new();
        let mut counts: Vec<u32> = vec![0; terms.len()];
        let mut touched: Vec<u32> = Vec::new();
        let mut first = 0;
        let mut start = 0;
        while start <= end {
            while first < cue_terms.len() && cue_terms[first].0 < start {
                first += 1;
            }
            let mut len = 0;
            for (_, ids) in cue_terms[first..]
                .iter()
                .take_while(|(s, _)| *s < start + WINDOW_MS)
            {
                for &id in ids {
                    if counts[id as usize] == 0 {
                        touched.push(id);
                    }
                    counts[id as usize] += 1;
                    len += 1;
                }
            }
            let from = postings.len() as u32;
            touched.sort_unstable();
            for id in touched.drain(..) {
                postings.push((id, counts[id as usize]));
                doc_freq[id as usize] += 1;
                counts[id as usize] = 0;
            }
            windows.push(Window {
                start_ms: start,
                terms: from..postings.len() as u32,
                len,
            });
            start += STEP_MS;
        }
        let total: u64 = windows.iter().map(|w| u64::from(w.len)).sum();
        let avg_len = if windows.is_empty() {
            1.0
        } else {
            (total as f32 / windows.len() as f32).max(1.0)
        };
        SearchIndex {
            terms,
            doc_freq,
            windows,
            postings,
            avg_len,
        }
    }

    /// The term ids of `text`'s content words that the transcript says somewhere (each once),
    /// and how many content words `text` has in all.
    pub fn query(&self, text: &str) -> Query {
        let stemmer = Stemmer::create(Algorithm::English);
        let mut ids = Vec::new();
        let mut content_words = 0;
        for_each_word(text, |word| {
            if is_stop_word(word) {
                return;
            }
            content_words += 1;
            if let Some(&id) = self.terms.get(stemmer.stem(word).as_ref()) {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        });
        ids.sort_unstable();
        Query { ids, content_words }
    }

    /// Every window's score for `query`, in time order.
    pub fn moments(&self, query: &Query) -> Vec<Moment> {
        let n = self.windows.len() as f32;
        let idf: Vec<(u32, f32)> = query
            .ids
            .iter()
            .map(|&id| {
                let df = self.doc_freq[id as usize] as f32;
                (id, ((n - df + 0.5) / (df + 0.5) + 1.0).ln())
            })
            .collect();
        self.windows
            .iter()
            .map(|w| {
                let postings = &self.postings[w.terms.start as usize..w.terms.end as usize];
                let norm = K1 * (1.0 - B + B * w.len as f32 / self.avg_len);
                let mut score = 0.0;
                for &(id, weight) in &idf {
                    if let Ok(i) = postings.binary_search_by_key(&id, |p| p.0) {
                        let tf = postings[i].1 as f32;
                        score += weight * tf * (K1 + 1.0) / (tf + norm);
                    }
                }
                Moment {
                    start_ms: w.start_ms,
                    score,
                }
            })
            .collect()
    }

    /// When the first caption of the window starting at `start_ms` that says the claim's
    /// words starts: the first whose words of `query` weigh (their BM25 rarity, summed) at
    /// least half as much as the heaviest caption's of the window. Where a citation of that
    /// window should point, so that the reader hears the claim's words first, not a common
    /// word of it said in passing. `None` when no caption of the window says one.
    pub fn first_said(&self, transcript: &Transcript, query: &Query, start_ms: u64) -> Option<u64> {
        let stemmer = Stemmer::create(Algorithm::English);
        let n = self.windows.len() as f32;
        let weight = |text: &str| {
            let mut ids: Vec<u32> = Vec::new();
            for_each_word(text, |word| {
                if is_stop_word(word) {
                    return;
                }
                if let Some(&id) = self.terms.get(stemmer.stem(word).as_ref()) {
                    if query.ids.binary_search(&id).is_ok() && !ids.contains(&id) {
                        ids.push(id);
                    }
                }
            });
            ids.iter()
                .map(|&id| {
                    let df = self.doc_freq[id as usize] as f32;
                    ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
                })
                .sum::<f32>()
        };
        let mut cues: Vec<(u64, f32)> = transcript
            .cues
            .iter()
            .filter(|c| c.start_ms >= start_ms && c.start_ms < start_ms + WINDOW_MS)
            .map(|c| (c.start_ms, weight(&c.text)))
            .filter(|&(_, w)| w > 0.0)
            .collect();
        cues.sort_by_key(|&(s, _)| s);
        let heaviest = cues.iter().map(|&(_, w)| w).fold(0.0, f32::max);
        cues.iter()
            .find(|&&(_, w)| w >= 0.5 * heaviest)
            .map(|&(s, _)| s)
    }

    /// The best score among the windows that judge a moment cited at `at_ms`: those starting
    /// from [`LEAD_MS`] before it to [`FOLLOW_MS`] after it.
    pub fn score_at(moments: &[Moment], at_ms: u64) -> f32 {
        let from = at_ms.saturating_sub(LEAD_MS);
        let to = at_ms + FOLLOW_MS;
        moments
            .iter()
            .filter(|m| m.start_ms >= from && m.start_ms <= to)
            .map(|m| m.score)
            .fold(0.0, f32::max)
    }
}

/// A text's content words, as term ids of one transcript.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub ids: Vec<u32>,
    /// Content words of the text (stop words out), said in the transcript or not.
    pub content_words: usize,
}

/// Calls `f` with each word of `text`, lowercased (letters and digits; an apostrophe inside a
/// word is dropped, so "don't" is "dont").
fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    for ch in text.chars() {
        if ch.is_alphanumeric() {
            word.extend(ch.to_lowercase());
        } else if matches!(ch, '\'' | '’') && !word.is_empty() {
            continue;
        } else if !word.is_empty() {
            f(&word);
            word.clear();
        }
    }
    if !word.is_empty() {
        f(&word);
    }
}

fn is_stop_word(word: &str) -> bool {
    word.len() < 2
        || word.bytes().all(|b| b.is_ascii_digit())
        || STOP_WORDS.binary_search(&word).is_ok()
}

/// English stop words and the fillers of spoken captions, sorted.
const STOP_WORDS: &[&str] = &[
    "about",
    "above",
    "actually",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "arent",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "cannot",
    "cant",
    "could",
    "couldnt",
    "did",
    "didnt",
    "do",
    "does",
    "doesnt",
    "doing",
    "done",
    "dont",
    "down",
    "during",
    "each",
    "even",
    "few",
    "for",
    "from",
    "further",
    "get",
    "gets",
    "getting",
    "go",
    "going",
    "gonna",
    "got",
    "had",
    "hadnt",
    "has",
    "hasnt",
    "have",
    "havent",
    "having",
    "he",
    "hed",
    "her",
    "here",
    "heres",
    "hers",
    "herself",
    "hes",
    "him",
    "himself",
    "his",
    "how",
    "hows",
    "id",
    "if",
    "ill",
    "im",
    "in",
    "into",
    "is",
    "isnt",
    "it",
    "its",
    "itself",
    "ive",
    "just",
    "kind",
    "kinda",
    "know",
    "let",
    "lets",
    "like",
    "little",
    "lot",
    "maybe",
    "me",
    "mean",
    "more",
    "most",
    "much",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "oh",
    "ok",
    "okay",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "ought",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "pretty",
    "really",
    "right",
    "same",
    "say",
    "see",
    "shall",
    "she",
    "shed",
    "shes",
    "should",
    "shouldnt",
    "so",
    "some",
    "something",
    "sort",
    "such",
    "than",
    "that",
    "thats",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "theres",
    "these",
    "they",
    "theyd",
    "theyll",
    "theyre",
    "theyve",
    "thing",
    "things",
    "think",
    "this",
    "those",
    "through",
    "to",
    "too",
    "uh",
    "um",
    "under",
    "until",
    "up",
    "us",
    "very",
    "want",
    "was",
    "wasnt",
    "way",
    "we",
    "wed",
    "well",
    "were",
    "werent",
    "weve",
    "what",
    "whats",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "whos",
    "why",
    "will",
    "with",
    "wont",
    "would",
    "wouldnt",
    "yeah",
    "yes",
    "you",
    "youd",
    "youll",
    "your",
    "youre",
    "yours",
    "yourself",
    "youve",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::Cue;

    #[test]
    fn stop_words_are_sorted() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn the_window_that_says_it_scores_best() {
        let cue = |s: u64, text: &str| Cue {
            start_ms: s * 1000,
            end_ms: s * 1000 + 4000,
            text: text.to_string(),
            line: 0,
        };
        let t = Transcript {
            cues: vec![
                cue(0, "um so today we talk about prime numbers"),
                cue(60, "the fourier transform winds a signal around a circle"),
                cue(120, "eigenvectors stay on their own span"),
            ],
        };
        let index = SearchIndex::new(&t);
        let q = index.query("Fourier transforms wind signals around circles");
        assert_eq!(q.content_words, 6);
        let moments = index.moments(&q);
        let best = moments
            .iter()
            .max_by(|a, b| a.score.total_cmp(&b.score))
            .expect("windows");
        assert!((20_000..=60_000).contains(&best.start_ms), "{best:?}");
        assert_eq!(SearchIndex::score_at(&moments, 150_000), 0.0);
        assert!(SearchIndex::score_at(&moments, 60_000) > 0.0);
        // The window opens on the intro; its first caption saying the words is at 60 s.
        assert_eq!(index.first_said(&t, &q, 20_000), Some(60_000));
        assert_eq!(index.first_said(&t, &q, 65_000), None);
    }
}
