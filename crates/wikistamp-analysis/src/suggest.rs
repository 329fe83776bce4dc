//! Suggestions for misspelt names: how close a known name must be to be offered, and how the
//! offer reads ("did you mean …"). Every "did you mean" of the analysis and the CLI comes
//! from here.

use crate::rule_id::RuleId;

/// Jaro-Winkler similarity above which a rule id is offered for a misspelt one (`link-brokn`).
const RULE_ID_SIMILARITY: f64 = 0.85;

/// Jaro-Winkler similarity, case ignored, above which a heading is offered for a missing one.
const HEADING_SIMILARITY: f64 = 0.8;

/// The rule id closest to `word`, if one is close.
pub fn closest_rule_id(word: &str) -> Option<RuleId> {
    best(
        RuleId::ALL
            .iter()
            .map(|&id| (strsim::jaro_winkler(word, id.as_str()), id)),
        RULE_ID_SIMILARITY,
    )
}

/// The heading of `headings` closest to `word` (case ignored), if one is close. A heading that
/// holds every word of `word` (`Results` for `results`, `Main results` for `results main`)
/// wins over one merely spelt alike (`Resolutions`), whatever their scores.
pub fn closest_heading<'h>(
    word: &str,
    headings: impl IntoIterator<Item = &'h str>,
) -> Option<&'h str> {
    let word = word.to_lowercase();
    let words: Vec<&str> = word
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let headings: Vec<&'h str> = headings.into_iter().collect();
    let holds_words = |h: &str| {
        let h = h.to_lowercase();
        let hw: Vec<&str> = h
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        words.iter().all(|w| hw.contains(w))
    };
    let score = |h: &str| strsim::jaro_winkler(&word, &h.to_lowercase());
    if !words.is_empty() {
        let holding = headings.iter().copied().filter(|h| holds_words(h));
        if let Some(best) = best(holding.map(|h| (score(h), h)), 0.0) {
            return Some(best);
        }
    }
    best(
        headings.into_iter().map(|h| (score(h), h)),
        HEADING_SIMILARITY,
    )
}

/// Whether `a` is one typo from `b`: one insertion, deletion, substitution or transposition.
pub fn one_typo_apart(a: &str, b: &str) -> bool {
    strsim::damerau_levenshtein(a, b) == 1
}

/// The candidate scoring above `threshold` that scores highest (the last of equals).
fn best<T>(scored: impl Iterator<Item = (f64, T)>, threshold: f64) -> Option<T> {
    scored
        .filter(|(score, _)| *score > threshold)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// "did you mean `name`?": a finding's help.
pub fn did_you_mean(name: &str) -> String {
    let mut s = String::with_capacity(name.len() + 17);
    s.push_str("did you mean `");
    s.push_str(name);
    s.push_str("`?");
    s
}

/// " (did you mean `id`?)" with the rule id closest to `word`, or nothing: the tail of an
/// error about an unknown rule id.
pub fn rule_id_hint(word: &str) -> String {
    closest_rule_id(word)
        .map(|id| format!(" ({})", did_you_mean(id.as_str())))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspelt_rule_ids_are_offered_the_right_one() {
        assert_eq!(closest_rule_id("link-brokn"), Some(RuleId::LinkBroken));
        assert_eq!(
            closest_rule_id("sorce-missing"),
            Some(RuleId::SourceMissing)
        );
        assert_eq!(closest_rule_id("zzz"), None);
        assert_eq!(rule_id_hint("link-brokn"), " (did you mean `link-broken`?)");
        assert_eq!(rule_id_hint("zzz"), "");
    }

    #[test]
    fn headings_are_offered_case_insensitively() {
        let headings = ["Introduction", "Methods", "Results"];
        assert_eq!(closest_heading("methds", headings), Some("Methods"));
        assert_eq!(closest_heading("RESULTS!", headings), Some("Results"));
        assert_eq!(closest_heading("xyz", headings), None);
        // The words written win over a close spelling.
        let headings = ["Resolutions", "Main results"];
        assert_eq!(closest_heading("results", headings), Some("Main results"));
    }

    #[test]
    fn one_typo_is_one_edit_or_one_swap() {
        assert!(one_typo_apart("warnign", "warning"));
        assert!(one_typo_apart("warnng", "warning"));
        assert!(!one_typo_apart("warning", "warning"));
        assert!(!one_typo_apart("wrnng", "warning"));
    }

    #[test]
    fn the_offer_reads() {
        assert_eq!(did_you_mean("b"), "did you mean `b`?");
    }
}
