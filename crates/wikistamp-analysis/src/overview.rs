//! What a page about a vault's health needs beyond the findings: where each note's links lead,
//! the times it cites along its video, which missing notes are wanted most and which notes
//! nothing links to. Read from a note's [`Context`] and the vault's index alone.

use std::collections::HashMap;
use std::ops::Range;

use crate::rules::Context;
use crate::vault::{strip_md, NoteId, Resolution};

/// What one note contributes to the overview.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct NoteOverview {
    /// The other notes its links lead to, each once.
    pub links_to: Vec<NoteId>,
    /// Targets of its links that lead to no note, as first written (without `.md`), each once.
    pub missing: Vec<String>,
    /// Its citations along its video; `None` when it cites no valid time.
    pub strip: Option<CitationStrip>,
}

/// A note's citations along its video.
#[derive(Debug, PartialEq, Eq)]
pub struct CitationStrip {
    /// The video's length in seconds: its known length, else the latest time cited.
    pub length: u64,
    /// Whether `length` is known (frontmatter `duration` or transcript) rather than inferred.
    pub length_known: bool,
    /// Each citation with a valid time, in the note's order.
    pub citations: Vec<CitedTime>,
}

/// One citation's time (as the author meant it) and where it is in the note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitedTime {
    pub seconds: u64,
    pub range: Range<usize>,
}

/// The overview of the note `ctx` checks.
pub fn note_overview(ctx: &Context<'_>) -> NoteOverview {
    let mut out = NoteOverview::default();
    let own = ctx.vault.id_of(ctx.path);
    for (i, link) in ctx.note.links.iter().enumerate() {
        match ctx.link_resolution(i) {
            Some(Resolution::Note(id)) if Some(*id) != own && !out.links_to.contains(id) => {
                out.links_to.push(*id);
            }
            Some(Resolution::NotFound) => {
                let target = strip_md(&link.read(ctx.text, &link.target)).to_string();
                if !out.missing.iter().any(|m| same_target(m, &target)) {
                    out.missing.push(target);
                }
            }
            _ => {}
        }
    }
    let citations: Vec<CitedTime> = ctx
        .note
        .citations
        .iter()
        .filter_map(|c| {
            let t = c.time.as_ref().ok()?;
            Some(CitedTime {
                seconds: t.seconds,
                range: c.range.clone(),
            })
        })
        .collect();
    if !citations.is_empty() {
        let known = ctx.video_length().map(|l| l.seconds);
        let latest = citations.iter().map(|c| c.seconds).max().unwrap_or(0);
        out.strip = Some(CitationStrip {
            length: known.unwrap_or(latest),
            length_known: known.is_some(),
            citations,
        });
    }
    out
}

/// Two spellings of a missing target name the same note-to-be (the vault matches names
/// without regard to case).
fn same_target(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

/// A missing note and the notes that link to it.
#[derive(Debug, PartialEq, Eq)]
pub struct Wanted<N> {
    /// The target as first written.
    pub target: String,
    /// The notes linking to it, in the order given, each once.
    pub linked_from: Vec<N>,
}

/// The missing notes, most wanted first (by how many notes link to them, then by name), from
/// each note's [`NoteOverview::missing`].
pub fn wanted<'a, N: Copy + PartialEq + 'a>(
    missing: impl IntoIterator<Item = (N, &'a [String])>,
) -> Vec<Wanted<N>> {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<Wanted<N>> = Vec::new();
    for (note, targets) in missing {
        for target in targets {
            let key = target.to_lowercase();
            let i = *index.entry(key).or_insert_with(|| {
                out.push(Wanted {
                    target: target.clone(),
                    linked_from: Vec::new(),
                });
                out.len() - 1
            });
            if !out[i].linked_from.contains(&note) {
                out[i].linked_from.push(note);
            }
        }
    }
    out.sort_by(|a, b| {
        b.linked_from
            .len()
            .cmp(&a.linked_from.len())
            .then_with(|| a.target.cmp(&b.target))
    });
    out
}

/// Of `notes`, those no other note links to, given every note's [`NoteOverview::links_to`]
/// (self-links are not counted there).
pub fn orphans(
    notes: impl IntoIterator<Item = NoteId>,
    links_to: impl IntoIterator<Item = NoteId>,
) -> Vec<NoteId> {
    let linked: std::collections::HashSet<NoteId> = links_to.into_iter().collect();
    notes.into_iter().filter(|n| !linked.contains(n)).collect()
}

/// The parts of a video of `length` seconds that citations at `times` cover, taking each to
/// cover the `window` seconds after it: merged, sorted `(start, end)` intervals.
pub fn covered(times: impl IntoIterator<Item = u64>, length: u64, window: u64) -> Vec<(u64, u64)> {
    let mut spans: Vec<(u64, u64)> = times
        .into_iter()
        .filter(|&t| t < length)
        .map(|t| (t, (t + window).min(length)))
        .collect();
    spans.sort_unstable();
    let mut out: Vec<(u64, u64)> = Vec::new();
    for (a, b) in spans {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::vault::NoteEntry;
    use crate::Vault;

    fn overview_of(vault: &Vault, path: &str, text: &str) -> NoteOverview {
        let config = Config::default();
        let note = crate::syntax::parse(text);
        let ctx = Context::new(text, &note, path, vault, &config);
        note_overview(&ctx)
    }

    fn vault(paths: &[&str]) -> Vault {
        let config = Config::default();
        let mut vault = Vault::new(&config.links);
        for p in paths {
            vault.upsert(NoteEntry::from_frontmatter(p, None));
        }
        vault
    }

    #[test]
    fn links_lead_to_notes_once_and_missing_targets_are_kept_once() {
        let v = vault(&["a.md", "b.md", "n.md"]);
        let o = overview_of(
            &v,
            "n.md",
            "[[a]] [[A]] [[b|B]] [[n]] [[gone]] [[Gone.md]] [[#h]]\n",
        );
        let names: Vec<&str> = o
            .links_to
            .iter()
            .map(|id| v.entry(*id).expect("known id").path.as_str())
            .collect();
        assert_eq!(names, ["a.md", "b.md"]);
        assert_eq!(o.missing, ["gone"]);
        assert_eq!(o.strip, None);
    }

    #[test]
    fn wanted_ranks_by_linking_notes_then_name() {
        let m1 = ["Zeta".to_string(), "alpha".to_string()];
        let m2 = ["zeta".to_string()];
        let m3 = ["Beta".to_string(), "Zeta".to_string()];
        let w = wanted([(1, &m1[..]), (2, &m2[..]), (3, &m3[..]), (3, &m3[..])]);
        let got: Vec<(&str, Vec<i32>)> = w
            .iter()
            .map(|w| (w.target.as_str(), w.linked_from.clone()))
            .collect();
        assert_eq!(
            got,
            [
                ("Zeta", vec![1, 2, 3]),
                ("Beta", vec![3]),
                ("alpha", vec![1])
            ]
        );
    }

    #[test]
    fn orphans_are_the_notes_nothing_links_to() {
        let v = vault(&["a.md", "b.md", "c.md"]);
        let id = |p| v.id_of(p).expect("note in the vault");
        let a_links = overview_of(&v, "a.md", "[[b]] [[a]]\n").links_to;
        let b_links = overview_of(&v, "b.md", "no links\n").links_to;
        let c_links = overview_of(&v, "c.md", "[[b]]\n").links_to;
        let all = [id("a.md"), id("b.md"), id("c.md")];
        let got = orphans(all, a_links.into_iter().chain(b_links).chain(c_links));
        assert_eq!(got, [id("a.md"), id("c.md")]);
    }

    #[test]
    fn strip_takes_the_known_length_else_the_latest_citation() {
        let v = vault(&["n.md"]);
        let cite = |t: &str| format!("<a class=\"yt-timestamp\" data-t=\"{t}\">[{t}]</a>");
        let body = format!(
            "{} {} {}\n",
            cite("00:01:00"),
            cite("00:05:30"),
            cite("bad")
        );
        let inferred = overview_of(&v, "n.md", &format!("---\nvideoId: abc\n---\n{body}"));
        let strip = inferred.strip.expect("a strip");
        assert_eq!((strip.length, strip.length_known), (330, false));
        assert_eq!(
            strip
                .citations
                .iter()
                .map(|c| c.seconds)
                .collect::<Vec<_>>(),
            [60, 330]
        );
        let known = overview_of(
            &v,
            "n.md",
            &format!("---\nvideoId: abc\nduration: 00:10:00\n---\n{body}"),
        );
        let strip = known.strip.expect("a strip");
        assert_eq!((strip.length, strip.length_known), (600, true));
    }

    #[test]
    fn coverage_merges_windows_and_stops_at_the_end() {
        assert_eq!(
            covered([0, 30, 200, 590, 700], 600, 60),
            [(0, 90), (200, 260), (590, 600)]
        );
        assert_eq!(covered([], 600, 60), []);
    }
}
