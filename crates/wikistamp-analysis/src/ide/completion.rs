//! Completion: what the text before the cursor asks for, and ranked candidates.

use std::ops::Range;

use crate::vault::{NoteId, Vault};

/// Callout types an editor offers: Obsidian's, in its order (the list the callout rules use).
pub const CALLOUT_TYPES: &[&str] = crate::syntax::callouts::OBSIDIAN_TYPES;

/// What the cursor is completing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompletionContext {
    /// Inside `[[…` before any `#` or `|`: a note name. `typed` is the range of what was typed
    /// after `[[` (to be replaced); `closed` says whether `]]` already follows on the line.
    LinkTarget { typed: Range<usize>, closed: bool },
    /// Inside `[[target#…`: a heading of `target` (empty: this note). `typed` follows the `#`.
    Heading {
        target: Range<usize>,
        typed: Range<usize>,
    },
    /// Inside `> [!…`: a callout type; `typed` follows `[!`.
    CalloutType { typed: Range<usize> },
    /// After `<a` or the word `cite`/`ts` on its own: a citation snippet replacing `typed`.
    Citation { typed: Range<usize> },
}

/// What `offset` in `text` completes, looking only at its line before the cursor.
pub fn context_at(text: &str, offset: usize) -> Option<CompletionContext> {
    let offset = crate::text::floor_char_boundary(text, offset);
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    // A wiki-link still open before the cursor.
    if let Some(open) = before.rfind("[[") {
        let inner = &before[open + 2..];
        if !inner.contains("]]") {
            let inner_start = line_start + open + 2;
            if inner.contains('|') {
                return None;
            }
            let rest = &text[offset..];
            let line_end = rest.find(['\n', '\r']).unwrap_or(rest.len());
            let closed = rest[..line_end].contains("]]");
            return Some(match inner.find('#') {
                Some(hash) => CompletionContext::Heading {
                    target: trim_range(text, inner_start..inner_start + hash),
                    typed: inner_start + hash + 1..offset,
                },
                None => CompletionContext::LinkTarget {
                    typed: inner_start..offset,
                    closed,
                },
            });
        }
    }
    // `> [!ty` (possibly nested quotes) with nothing but the type typed so far.
    let trimmed = before.trim_start();
    if trimmed.starts_with('>') {
        let after_quotes = trimmed.trim_start_matches(['>', ' ']);
        if let Some(ty) = after_quotes.strip_prefix("[!") {
            if ty
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
            {
                return Some(CompletionContext::CalloutType {
                    typed: offset - ty.len()..offset,
                });
            }
        }
    }
    for trigger in ["<a", "cite", "ts"] {
        if let Some(head) = before.strip_suffix(trigger) {
            if head.is_empty() || head.ends_with([' ', '\t', '(', ',', ';']) {
                return Some(CompletionContext::Citation {
                    typed: offset - trigger.len()..offset,
                });
            }
        }
    }
    None
}

fn trim_range(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let start = r.start + (s.len() - s.trim_start().len());
    let end = r.end - (s.len() - s.trim_end().len());
    start..end.max(start)
}

/// How well `query` matches `candidate` (lower is better); `None` when it does not. Prefix
/// beats word start beats substring beats subsequence; shorter candidates win ties.
pub fn fuzzy_score(query: &str, candidate: &str) -> Option<u32> {
    let c = candidate.to_lowercase();
    if query.is_empty() {
        return Some(1000 + c.len().min(1000) as u32);
    }
    let q = query.to_lowercase();
    let len = c.len().min(1000) as u32;
    if c.starts_with(&q) {
        return Some(len);
    }
    if let Some(i) = c.find(&q) {
        let word_start = c[..i].ends_with(|ch: char| !ch.is_alphanumeric());
        return Some(if word_start { 1000 } else { 2000 } + len);
    }
    // Subsequence, penalised by the gaps between matched characters.
    let mut gaps = 0u32;
    let mut chars = c.chars();
    for qc in q.chars() {
        if qc == ' ' || qc == '_' || qc == '-' {
            continue;
        }
        let mut skipped = 0;
        loop {
            match chars.next() {
                Some(ch) if ch == qc => break,
                Some(_) => skipped += 1,
                None => return None,
            }
        }
        gaps += skipped;
    }
    Some(3000 + gaps.min(5000) * 4 + len)
}

/// A ranked candidate note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteMatch {
    pub id: NoteId,
    pub score: u32,
    /// The alias that matched best, when it beat the name and title.
    pub alias: Option<String>,
}

/// The notes best matching `query` by name, title or alias, best first, at most `limit`.
pub fn rank_notes(vault: &Vault, query: &str, limit: usize) -> Vec<NoteMatch> {
    let query = query.trim();
    let mut out: Vec<NoteMatch> = Vec::new();
    for (id, e) in vault.notes() {
        let mut best = fuzzy_score(query, &e.name);
        if let Some(t) = &e.title {
            // A title match counts slightly less than the same name match.
            best = min_opt(best, fuzzy_score(query, t).map(|s| s + 1));
        }
        let mut alias = None;
        for a in &e.aliases {
            if let Some(s) = fuzzy_score(query, a).map(|s| s + 1) {
                if best.is_none_or(|b| s < b) {
                    best = Some(s);
                    alias = Some(a.clone());
                }
            }
        }
        if let Some(score) = best {
            out.push(NoteMatch { id, score, alias });
        }
    }
    let by_rank = |a: &NoteMatch, b: &NoteMatch| {
        let name = |m: &NoteMatch| vault.entry(m.id).map(|e| e.path.as_str()).unwrap_or("");
        (a.score, name(a)).cmp(&(b.score, name(b)))
    };
    if out.len() > limit {
        out.select_nth_unstable_by(limit, by_rank);
        out.truncate(limit);
    }
    out.sort_by(by_rank);
    out
}

fn min_opt(a: Option<u32>, b: Option<u32>) -> Option<u32> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, None) => a,
        (None, b) => b,
    }
}

/// The citation snippet (LSP snippet syntax) for the time `HH:MM:SS` placeholder.
pub fn citation_snippet() -> &'static str {
    r#"<a class="yt-timestamp" data-t="${1:00:00:00}">[${1:00:00:00}]</a>"#
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::vault::NoteEntry;

    fn ctx(text_with_cursor: &str) -> (String, Option<CompletionContext>) {
        let at = text_with_cursor.find('‸').expect("cursor");
        let text = text_with_cursor.replacen('‸', "", 1);
        let c = context_at(&text, at);
        (text, c)
    }

    #[test]
    fn contexts() {
        let (t, c) = ctx("see [[scal‸ and");
        let Some(CompletionContext::LinkTarget { typed, closed }) = c else {
            panic!("{c:?}")
        };
        assert_eq!(&t[typed], "scal");
        assert!(!closed);
        let (t, c) = ctx("see [[scaling laws#Chin‸]] x");
        let Some(CompletionContext::Heading { target, typed }) = c else {
            panic!("{c:?}")
        };
        assert_eq!((&t[target], &t[typed]), ("scaling laws", "Chin"));
        let (t, c) = ctx("> > [!war‸");
        let Some(CompletionContext::CalloutType { typed }) = c else {
            panic!("{c:?}")
        };
        assert_eq!(&t[typed], "war");
        assert!(matches!(
            ctx("claim <a‸").1,
            Some(CompletionContext::Citation { .. })
        ));
        assert_eq!(ctx("[[done]] then ‸").1, None);
        assert_eq!(ctx("[[a|alias‸").1, None);
        assert_eq!(ctx("[!note‸").1, None);
    }

    #[test]
    fn ranking_prefers_prefix_then_substring_then_subsequence() {
        let mut v = Vault::new(&Config::default().links);
        for (path, title) in [
            ("scaling_laws.md", "Scaling laws"),
            ("laws_of_scaling.md", "Laws"),
            ("sxcxaxlxe.md", "x"),
            ("other.md", "Chinchilla scaling"),
        ] {
            v.upsert(NoteEntry {
                path: path.into(),
                name: path.trim_end_matches(".md").into(),
                title: Some(title.into()),
                aliases: vec![],
                anchors: Default::default(),
                video_id: None,
                link_targets: vec![],
            });
        }
        let names: Vec<String> = rank_notes(&v, "scal", 10)
            .iter()
            .map(|m| v.entry(m.id).map(|e| e.name.clone()).unwrap_or_default())
            .collect();
        assert_eq!(
            names,
            ["scaling_laws", "laws_of_scaling", "other", "sxcxaxlxe"]
        );
        assert_eq!(rank_notes(&v, "", 2).len(), 2);
        assert!(rank_notes(&v, "zzz", 10).is_empty());
    }
}
