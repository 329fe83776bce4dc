//! Finding the moments of a transcript that match a text, as a search engine would: words
//! lowercased and stemmed (Snowball's English stemmer, from `rust-stemmers`, the stemmer crate
//! most used in Rust search engines), stop words and caption fillers out, each remaining word
//! weighed by BM25 over sliding windows of the captions. The index is built once per
//! transcript, and only when a rule or a request asks (see `TranscriptFile::search`).
//!
//! The index is inverted (each term's 5 s steps with its count there), so scoring a text
//! touches only the windows that say one of its words: a note judges each of its claims
//! against every window of its video.

use std::cell::RefCell;
use std::ops::Range;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{LazyLock, Mutex, PoisonError};

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

/// How many steps a window spans: a window holds the cues of this many consecutive steps, so
/// its counts are sums of the steps' counts.
const SPAN: usize = (WINDOW_MS / STEP_MS) as usize;
const _: () = assert!(WINDOW_MS.is_multiple_of(STEP_MS));

// BM25's usual parameters.
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// Hashed with foldhash: the keys are short words, looked up for every word of every claim.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// A transcript indexed for search.
#[derive(Debug)]
pub struct SearchIndex {
    /// A stem (its id in the process's [`Vocabulary`]) → its term id here.
    term_of: HashMap<u32, u32>,
    /// Each term's BM25 rarity over the windows.
    idf: Vec<f32>,
    /// Term `t`'s steps are `postings[offsets[t]..offsets[t + 1]]`.
    offsets: Vec<u32>,
    /// `(step, count)` pairs: the 5 s steps where a term is said and how often, grouped by
    /// term, steps in order. A window's count is the sum over its steps, taken when scoring:
    /// a query needs the windows of a few terms only.
    postings: Vec<(u32, u32)>,
    /// Each window's BM25 length norm; window `w` starts at `w * STEP_MS`.
    norms: Vec<f32>,
    /// Each term's best score in any window (an `f32`'s bits), worked out when a query first
    /// needs it: most terms are never queried. [`UNKNOWN_PEAK`] until then.
    peaks: Vec<AtomicU32>,
    /// The cues in time order: where each starts.
    cue_starts: Vec<u64>,
    /// The cues in time order: each one's term ids, in word order, in [`Self::cue_ids`].
    cue_terms: Vec<Range<u32>>,
    cue_ids: Vec<u32>,
}

/// A peak not worked out yet: a NaN's bits, which no score has.
const UNKNOWN_PEAK: u32 = u32::MAX;

/// A window's score for a query.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moment {
    /// Where the window starts, in milliseconds.
    pub start_ms: u64,
    pub score: f32,
}

impl SearchIndex {
    /// Indexes `transcript`: each distinct word is stemmed once, and each word is counted once
    /// (in its 5 s step; a window sums its steps).
    pub fn new(transcript: &Transcript) -> SearchIndex {
        let mut term_of: HashMap<u32, u32> = HashMap::default();
        let mut order: Vec<usize> = (0..transcript.cues.len()).collect();
        order.sort_by_key(|&i| transcript.cues[i].start_ms);
        let mut cue_starts = Vec::with_capacity(order.len());
        let mut cue_terms = Vec::with_capacity(order.len());
        let mut cue_ids: Vec<u32> = Vec::new();
        with_words(|words| {
            for &i in &order {
                let cue = &transcript.cues[i];
                let from = cue_ids.len() as u32;
                for_each_word(&cue.text, |word| {
                    if let Some(stem) = words.stem(word) {
                        let next = term_of.len() as u32;
                        cue_ids.push(*term_of.entry(stem).or_insert(next));
                    }
                });
                cue_starts.push(cue.start_ms);
                cue_terms.push(from..cue_ids.len() as u32);
            }
        });
        let terms = term_of.len();
        let step = |cue: usize| (cue_starts[cue] / STEP_MS) as usize;
        // Windows start every step up to the last cue's start.
        let windows = cue_starts.last().map_or(0, |&s| (s / STEP_MS) as usize) + 1;

        // Each term's steps, one per saying, in time order.
        let mut offsets = vec![0u32; terms + 1];
        for &id in &cue_ids {
            offsets[id as usize + 1] += 1;
        }
        for t in 0..terms {
            offsets[t + 1] += offsets[t];
        }
        let mut steps = vec![0u32; cue_ids.len()];
        let mut fill = offsets.clone();
        let mut step_len = vec![0u32; windows];
        for (cue, ids) in cue_terms.iter().enumerate() {
            let s = step(cue);
            step_len[s] += ids.len() as u32;
            for &id in &cue_ids[ids.start as usize..ids.end as usize] {
                steps[fill[id as usize] as usize] = s as u32;
                fill[id as usize] += 1;
            }
        }

        // Each term's steps with how often it is said there, and how many windows say it
        // (those whose span holds one of its steps).
        let mut postings: Vec<(u32, u32)> = Vec::with_capacity(cue_ids.len());
        let mut doc_freq = vec![0u32; terms];
        let mut term_offsets = vec![0u32; terms + 1];
        for t in 0..terms {
            let first_posting = postings.len();
            let mut next_window = 0;
            for &s in &steps[offsets[t] as usize..offsets[t + 1] as usize] {
                match postings[first_posting..].last_mut() {
                    Some((last, count)) if *last == s => *count += 1,
                    _ => {
                        let step = s as usize;
                        let first_window = (step + 1).saturating_sub(SPAN).max(next_window);
                        doc_freq[t] += (step + 1 - first_window) as u32;
                        next_window = step + 1;
                        postings.push((s, 1));
                    }
                }
            }
            term_offsets[t + 1] = postings.len() as u32;
        }

        let lens: Vec<u32> = (0..windows)
            .map(|w| step_len[w..(w + SPAN).min(windows)].iter().sum())
            .collect();
        let total: u64 = lens.iter().map(|&l| u64::from(l)).sum();
        let avg_len = (total as f32 / windows as f32).max(1.0);
        let norms: Vec<f32> = lens
            .iter()
            .map(|&len| K1 * (1.0 - B + B * len as f32 / avg_len))
            .collect();
        let n = windows as f32;
        let idf = doc_freq
            .iter()
            .map(|&df| {
                let df = df as f32;
                ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
            })
            .collect::<Vec<f32>>();
        let peaks = (0..terms).map(|_| AtomicU32::new(UNKNOWN_PEAK)).collect();
        SearchIndex {
            term_of,
            idf,
            peaks,
            offsets: term_offsets,
            postings,
            norms,
            cue_starts,
            cue_terms,
            cue_ids,
        }
    }

    /// The term ids of `text`'s content words that the transcript says somewhere (each once),
    /// and how many content words `text` has in all.
    pub fn query(&self, text: &str) -> Query {
        let mut ids = Vec::new();
        let mut content_words = 0;
        with_words(|words| {
            for_each_word(text, |word| {
                let Some(stem) = words.stem(word) else {
                    return;
                };
                content_words += 1;
                if let Some(&id) = self.term_of.get(&stem) {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
            });
        });
        ids.sort_unstable();
        Query { ids, content_words }
    }

    /// Every window's score for `query`, in time order.
    pub fn moments(&self, query: &Query) -> Vec<Moment> {
        let mut moments: Vec<Moment> = (0..self.norms.len())
            .map(|w| Moment {
                start_ms: w as u64 * STEP_MS,
                score: 0.0,
            })
            .collect();
        for &id in &query.ids {
            self.term_scores(id, 0..moments.len(), |w, score| moments[w].score += score);
        }
        moments
    }

    /// The best score among the windows that judge a moment cited at `at_ms`: those starting
    /// from [`LEAD_MS`] before it to [`FOLLOW_MS`] after it. The same as
    /// [`SearchIndex::score_at`] over all the [`SearchIndex::moments`], scoring only those
    /// windows.
    pub fn score_near(&self, query: &Query, at_ms: u64) -> f32 {
        const NEAR: usize = ((LEAD_MS + FOLLOW_MS) / STEP_MS) as usize + 1;
        let from = at_ms.saturating_sub(LEAD_MS).div_ceil(STEP_MS) as usize;
        let to = ((at_ms + FOLLOW_MS) / STEP_MS + 1).min(self.norms.len() as u64) as usize;
        if from >= to {
            return 0.0;
        }
        let mut scores = [0.0f32; NEAR];
        for &id in &query.ids {
            self.term_scores(id, from..to, |w, score| scores[w - from] += score);
        }
        scores.iter().fold(0.0, |best, &s| best.max(s))
    }

    /// At least as high as any window's score for `query`: the sum of its terms' best scores
    /// in any window. A claim whose cited moment scores close to it cannot have a much
    /// better moment, and one for which it is low has no clear moment at all, so most claims
    /// are judged without scoring every window.
    pub fn peak(&self, query: &Query) -> f32 {
        let sum: f32 = query.ids.iter().map(|&id| self.term_peak(id)).sum();
        // Summed in another order than a window's score: a hair above, so that rounding never
        // leaves it below one.
        sum * (1.0 + 1e-4)
    }

    /// Term `id`'s best score in any window.
    fn term_peak(&self, id: u32) -> f32 {
        let cell = &self.peaks[id as usize];
        let known = cell.load(Ordering::Relaxed);
        if known != UNKNOWN_PEAK {
            return f32::from_bits(known);
        }
        let mut peak = 0.0f32;
        self.term_scores(id, 0..self.norms.len(), |_, s| peak = peak.max(s));
        // Threads that race here store the same value.
        cell.store(peak.to_bits(), Ordering::Relaxed);
        peak
    }

    /// Calls `f` with each window of `windows` that says term `id`, and the term's BM25 score
    /// there. Callers sum a query's terms in id order, so that a window's score is the same
    /// float whichever windows they score.
    fn term_scores(&self, id: u32, windows: Range<usize>, f: impl FnMut(usize, f32)) {
        let id = id as usize;
        let said = &self.postings[self.offsets[id] as usize..self.offsets[id + 1] as usize];
        term_windows(said, windows, &self.norms, self.idf[id], f);
    }

    /// When the first caption of the window starting at `start_ms` that says the claim's
    /// words starts: the first whose words of `query` weigh (their BM25 rarity, summed) at
    /// least half as much as the heaviest caption's of the window. Where a citation of that
    /// window should point, so that the reader hears the claim's words first, not a common
    /// word of it said in passing. `None` when no caption of the window says one.
    pub fn first_said(&self, query: &Query, start_ms: u64) -> Option<u64> {
        let from = self.cue_starts.partition_point(|&s| s < start_ms);
        let to = self
            .cue_starts
            .partition_point(|&s| s < start_ms + WINDOW_MS);
        // A caption's words of the query, each once, in the order it says them.
        let weight = |cue: usize| {
            let r = &self.cue_terms[cue];
            let ids = &self.cue_ids[r.start as usize..r.end as usize];
            ids.iter()
                .enumerate()
                .filter(|&(i, id)| query.ids.binary_search(id).is_ok() && !ids[..i].contains(id))
                .map(|(_, &id)| self.idf[id as usize])
                .sum::<f32>()
        };
        let heaviest = (from..to).map(weight).fold(0.0, f32::max);
        (from..to)
            .find(|&cue| {
                let w = weight(cue);
                w > 0.0 && w >= 0.5 * heaviest
            })
            .map(|cue| self.cue_starts[cue])
    }

    /// The best score among the windows that judge a moment cited at `at_ms`: those starting
    /// from [`LEAD_MS`] before it to [`FOLLOW_MS`] after it. `moments` in time order, as
    /// [`SearchIndex::moments`] gives them.
    pub fn score_at(moments: &[Moment], at_ms: u64) -> f32 {
        let from = at_ms.saturating_sub(LEAD_MS);
        let to = at_ms + FOLLOW_MS;
        let lo = moments.partition_point(|m| m.start_ms < from);
        let hi = moments.partition_point(|m| m.start_ms <= to);
        moments[lo..hi].iter().map(|m| m.score).fold(0.0, f32::max)
    }
}

/// Calls `f` with each window of `windows` whose span holds one of a term's steps (`said`, as
/// [`SearchIndex::postings`] holds them), and the term's BM25 score there (`idf` its rarity,
/// `norms` the windows' length norms).
fn term_windows(
    said: &[(u32, u32)],
    windows: Range<usize>,
    norms: &[f32],
    idf: f32,
    mut f: impl FnMut(usize, f32),
) {
    // Steps before the first window are in none of them.
    let start = said.partition_point(|&(s, _)| (s as usize) < windows.start);
    // `said[lo..hi]` are the steps within the current window, `tf` their sayings.
    let (mut lo, mut hi, mut tf) = (start, start, 0u32);
    let mut next_window = windows.start;
    for &(s, _) in &said[start..] {
        let s = s as usize;
        let first = (s + 1).saturating_sub(SPAN).max(next_window);
        if first >= windows.end {
            break;
        }
        let last = s.min(windows.end - 1);
        for (w, &norm) in (first..=last).zip(&norms[first..=last]) {
            while hi < said.len() && (said[hi].0 as usize) < w + SPAN {
                tf += said[hi].1;
                hi += 1;
            }
            while (said[lo].0 as usize) < w {
                tf -= said[lo].1;
                lo += 1;
            }
            let tf = tf as f32;
            f(w, idf * tf * (K1 + 1.0) / (tf + norm));
        }
        next_window = s + 1;
    }
}

/// A text's content words, as term ids of one transcript.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub ids: Vec<u32>,
    /// Content words of the text (stop words out), said in the transcript or not.
    pub content_words: usize,
}

/// Every word met in this process → its stem's id, the same on every thread, so that an
/// index built on one thread answers the queries of another, and words are compared as
/// integers. A cache that only grows: a language has few words. Each thread looks words up in
/// its own copy first ([`Words`]), and comes here for a word it has not met.
struct Vocabulary {
    /// A word → its stem's id (`None`: a stop word).
    words: HashMap<Box<str>, Option<u32>>,
    /// A stem → its id.
    stems: HashMap<Box<str>, u32>,
}

static VOCABULARY: LazyLock<Mutex<Vocabulary>> = LazyLock::new(|| {
    Mutex::new(Vocabulary {
        words: HashMap::default(),
        stems: HashMap::default(),
    })
});

fn vocabulary() -> std::sync::MutexGuard<'static, Vocabulary> {
    VOCABULARY.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A thread's copy of the words it met → their stems' ids (`None`: a stop word).
struct Words {
    stemmer: Stemmer,
    /// Words of up to 16 bytes, keyed by [`short_key`]: nearly all of them.
    short: HashMap<u128, Option<u32>>,
    long: HashMap<Box<str>, Option<u32>>,
}

impl Words {
    /// The id of `word`'s stem (`word` lowercased), `None` for a stop word. A word is stemmed
    /// once per process: the videos of a vault share most of their words, and so do its notes.
    fn stem(&mut self, word: &str) -> Option<u32> {
        let key = short_key(word);
        let known = match key {
            Some(key) => self.short.get(&key),
            None => self.long.get(word),
        };
        if let Some(&id) = known {
            return id;
        }
        let known = vocabulary().words.get(word).copied();
        let id = known.unwrap_or_else(|| {
            // Stemmed without holding the lock: another thread may be stemming too.
            let stem = (!is_stop_word(word)).then(|| self.stemmer.stem(word));
            let mut vocabulary = vocabulary();
            let next = vocabulary.stems.len() as u32;
            let id = stem.map(|stem| *vocabulary.stems.entry(stem.into()).or_insert(next));
            vocabulary.words.insert(word.into(), id);
            id
        });
        match key {
            Some(key) => self.short.insert(key, id),
            None => self.long.insert(word.into(), id),
        };
        id
    }
}

/// A word of up to 16 bytes as one integer (its bytes, zero-padded: a word has no zero
/// byte), so that looking it up hashes and compares a number rather than reading a string
/// elsewhere in memory: the index looks up every word of every caption.
fn short_key(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    (bytes.len() <= 16).then(|| {
        // Shifted in rather than copied into an array, which the compiler would read back
        // from memory.
        bytes
            .iter()
            .rev()
            .fold(0u128, |key, &b| (key << 8) | u128::from(b))
    })
}

thread_local! {
    static WORDS: RefCell<Words> = RefCell::new(Words {
        stemmer: Stemmer::create(Algorithm::English),
        short: HashMap::default(),
        long: HashMap::default(),
    });
}

/// Calls `f` with this thread's words.
fn with_words<R>(f: impl FnOnce(&mut Words) -> R) -> R {
    WORDS.with_borrow_mut(f)
}

/// What an ASCII byte is to [`for_each_word`] ([`CLASS`]): a lowercase letter or a digit, an
/// uppercase letter, or the end of a word (ASCII other than letters, digits and the
/// apostrophe). The apostrophe and bytes beyond ASCII are none of these.
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const ENDS: u8 = 4;
const CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_lowercase() || c.is_ascii_digit() {
            LOWER
        } else if c.is_ascii_uppercase() {
            UPPER
        } else if c == b'\'' {
            0
        } else {
            ENDS
        };
        b += 1;
    }
    table
};

/// Calls `f` with each word of `text`, lowercased (letters and digits; an apostrophe inside a
/// word is dropped, so "don't" is "dont").
fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut word = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let class = CLASS[bytes[i] as usize];
        if class & (LOWER | UPPER) != 0 && word.is_empty() {
            // Most words are ASCII and end at ASCII punctuation or a space: such a word is
            // itself (lowercased), without going letter by letter.
            let start = i;
            let mut seen = 0;
            let mut next = class;
            while next & (LOWER | UPPER) != 0 {
                seen |= next;
                i += 1;
                next = bytes.get(i).map_or(ENDS, |&b| CLASS[b as usize]);
            }
            if next == ENDS {
                let written = &text[start..i];
                if seen & UPPER == 0 {
                    f(written);
                } else {
                    word.push_str(written);
                    word.make_ascii_lowercase();
                    f(&word);
                    word.clear();
                }
                continue;
            }
            // An apostrophe or a letter beyond ASCII follows: letter by letter.
            i = start;
        }
        let b = bytes[i];
        if b.is_ascii() {
            if b.is_ascii_alphanumeric() {
                word.push(b.to_ascii_lowercase() as char);
            } else if b == b'\'' && !word.is_empty() {
                // Inside a word: "don't" is "dont".
            } else if !word.is_empty() {
                f(&word);
                word.clear();
            }
            i += 1;
            continue;
        }
        let Some(ch) = text[i..].chars().next() else {
            break;
        };
        i += ch.len_utf8();
        if ch.is_alphanumeric() {
            word.extend(ch.to_lowercase());
        } else if ch == '’' && !word.is_empty() {
            // A typographic apostrophe inside a word, as above.
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

    fn words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_word(text, |w| out.push(w.to_string()));
        out
    }

    #[test]
    fn words_are_lowercased_letters_and_digits() {
        assert_eq!(
            words("Don't stop: the 3Blue1Brown-style proof's end, Ångström’s O'Neil x2"),
            [
                "dont",
                "stop",
                "the",
                "3blue1brown",
                "style",
                "proofs",
                "end",
                "ångströms",
                "oneil",
                "x2"
            ]
        );
        assert_eq!(words("école déjà vu"), ["école", "déjà", "vu"]);
        assert_eq!(
            words("a\u{a0}b—c 'quoted' it's"),
            ["a", "b", "c", "quoted", "its"]
        );
        assert_eq!(words("ΣΑΣ σας"), ["σασ", "σας"]);
        assert!(words("  ... '' ").is_empty());
    }

    #[test]
    fn short_keys_tell_words_apart() {
        assert_eq!(short_key("abc"), short_key("abc"));
        assert_ne!(short_key("abc"), short_key("abcd"));
        assert!(short_key("sixteen_letters!").is_some());
        assert_eq!(short_key("seventeen letters"), None);
    }

    #[test]
    fn near_scores_and_peaks_agree_with_every_moment() {
        let srt = include_str!("../../tests/transcripts/3d6DsjIBzJ4.en.srt");
        let t = crate::transcript::parse(srt, crate::transcript::Format::Srt).expect("srt");
        let index = SearchIndex::new(&t);
        let end = t.end_ms().expect("cues");
        // Queries made of neighbouring captions, so that they match somewhere clearly.
        for (i, pair) in t.cues.windows(3).enumerate().step_by(7) {
            let text: Vec<&str> = pair.iter().map(|c| c.text.as_str()).collect();
            let query = index.query(&text.join(" "));
            let moments = index.moments(&query);
            let best = moments.iter().map(|m| m.score).fold(0.0, f32::max);
            assert!(index.peak(&query) >= best, "claim {i}");
            for at_ms in (0..end + 60_000).step_by(9_000) {
                assert_eq!(
                    index.score_near(&query, at_ms).to_bits(),
                    SearchIndex::score_at(&moments, at_ms).to_bits(),
                    "claim {i} at {at_ms} ms"
                );
            }
        }
    }

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
        assert_eq!(index.first_said(&q, 20_000), Some(60_000));
        assert_eq!(index.first_said(&q, 65_000), None);
    }
}
