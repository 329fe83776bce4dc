//! `citation-unsupported` against ground truth: the real captions of 46 corpus videos in
//! `shared/transcripts/3blue1brown/` (beside the corpus that `WIKISTAMP_CORPUS` names) and
//! the corpus notes of those videos. Two measures (docs/calibration.md gives the figures):
//!
//! - untouched: how many of the notes' judged claims the rule flags (false alarms, mostly:
//!   the notes were written from these videos);
//! - moved: every citation moved to a far moment of the same video (40% of the video's
//!   length later, wrapping round; at least 90 s away), how many moved claims it flags.
//!
//! Run with `--nocapture` for the figures and a sweep of the thresholds.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use wikistamp_analysis::config::{Config, RuleLevel};
use wikistamp_analysis::fix::apply_edits;
use wikistamp_analysis::rules::{self, cited_claims, judge, strip_markup, Context};
use wikistamp_analysis::syntax::format_hms;
use wikistamp_analysis::transcript::search::{Moment, SearchIndex};
use wikistamp_analysis::transcript::{self, transcript_name, TranscriptFile};
use wikistamp_analysis::vault::Vault;
use wikistamp_analysis::{check_note, parse, RuleId, TextEdit};

/// How far a citation is moved, as a share of the video's length.
const MOVE_SHARE: f64 = 0.4;
/// A moved citation nearer than this to where it was is not counted.
const MIN_MOVE_S: u64 = 90;

fn dirs() -> Option<(PathBuf, PathBuf)> {
    let corpus = PathBuf::from(std::env::var_os("WIKISTAMP_CORPUS")?);
    let transcripts = corpus.parent()?.parent()?.join("transcripts/3blue1brown");
    let notes = corpus.join("3blue1brown");
    (transcripts.is_dir() && notes.is_dir()).then_some((transcripts, notes))
}

struct Video {
    id: String,
    file: Arc<TranscriptFile>,
    /// Length in whole seconds: where the last caption ends.
    length: u64,
}

fn videos(dir: &Path) -> Vec<Video> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("transcripts").flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(name) = transcript_name(&file) else {
            continue;
        };
        let text = std::fs::read_to_string(entry.path()).expect("transcript reads");
        let t = transcript::parse(&text, name.format).unwrap_or_else(|e| panic!("{file}: {e}"));
        let length = t.end_ms().expect("cues") / 1000;
        out.push(Video {
            id: name.video_id.to_string(),
            file: Arc::new(TranscriptFile::new(format!("transcripts/{file}"), t)),
            length,
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

fn only(rule: RuleId) -> Config {
    let mut config = Config::default();
    for r in rules::all() {
        if r.meta().id != rule {
            config.rules.insert(r.meta().id, RuleLevel::Off);
        }
    }
    config
}

/// One cited claim as the rule sees it.
#[derive(Debug, Clone)]
struct Claim {
    note: String,
    text: String,
    citations: usize,
    content_words: usize,
    best: f32,
    /// The best score among the windows that cover the claim's cited moments.
    cited: f32,
    /// Every window's score, and the claim's cited moments in seconds (for the sweep).
    moments: Vec<Moment>,
    cited_times: Vec<u64>,
    /// Where the best moment starts and the first cited moment, in seconds.
    best_s: u64,
    cited_s: u64,
    /// The rule judges it: long enough, a clear best moment, in a note whose citations are
    /// all inside the video.
    judged: bool,
    flagged: bool,
    /// Every citation of the claim is inside the video.
    in_range: bool,
    /// Every citation of the claim was moved at least [`MIN_MOVE_S`].
    moved_far: bool,
}

/// The note's cited claims, judged by the rule in `text`.
fn claims(
    text: &str,
    rel: &str,
    video: &Video,
    vault: &Vault,
    config: &Config,
) -> (Vec<Claim>, Vec<u64>) {
    let note = parse(text);
    let found = check_note(text, &note, rel, vault, config);
    let ctx = Context::new(text, &note, rel, vault, config);
    let index = video.file.search();
    let mut out = Vec::new();
    let times: Vec<u64> = note
        .citations
        .iter()
        .map(|c| c.time.as_ref().map_or(u64::MAX, |t| t.seconds))
        .collect();
    // The rule leaves a note with citations past the video's end to timestamp-shifted.
    let past_end = times.iter().any(|&t| t != u64::MAX && t > video.length);
    for claim in cited_claims(&ctx) {
        let prose = ctx.slice(&claim.text);
        let query = index.query(&strip_markup(prose));
        let moments = index.moments(&query);
        let best = moments.iter().map(|m| m.score).fold(0.0, f32::max);
        let verdict = judge(&video.file, prose);
        // Where the rule would cite the claim (its best window's first caption saying it).
        let best_s = verdict.as_ref().map_or(0, |j| j.at_ms / 1000);
        let cited = claim
            .citations
            .iter()
            .filter(|&&i| times[i] != u64::MAX)
            .map(|&i| SearchIndex::score_at(&moments, times[i] * 1000))
            .fold(0.0, f32::max);
        let first = &note.citations[claim.citations[0]];
        out.push(Claim {
            note: rel.to_string(),
            text: prose.trim().to_string(),
            citations: claim.citations.len(),
            content_words: query.content_words,
            best,
            cited,
            cited_times: claim.citations.iter().map(|&i| times[i]).collect(),
            moments,
            best_s,
            cited_s: times[claim.citations[0]],
            judged: !past_end && verdict.is_some(),
            flagged: found.iter().any(|d| {
                d.rule == RuleId::CitationUnsupported && d.range.start == first.range.start
            }),
            in_range: claim.citations.iter().all(|&i| times[i] <= video.length),
            moved_far: false,
        });
    }
    (out, times)
}

/// `text` with every citation moved [`MOVE_SHARE`] of the video later (wrapping round), and
/// for each citation whether it moved at least [`MIN_MOVE_S`].
fn moved(text: &str, length: u64) -> (String, Vec<bool>) {
    let note = parse(text);
    let mut edits = Vec::new();
    let mut far = Vec::new();
    for c in &note.citations {
        let Ok(t) = &c.time else {
            far.push(false);
            continue;
        };
        let from = t.seconds % length.max(1);
        let to = (from + (length as f64 * MOVE_SHARE) as u64) % length.max(1);
        far.push(t.seconds <= length && from.abs_diff(to) >= MIN_MOVE_S);
        let hms = format_hms(to);
        if let Some(dt) = &c.data_t {
            edits.push(TextEdit::replace(dt.clone(), hms.clone()));
        }
        if let Some(label) = c.label_inner(text) {
            edits.push(TextEdit::replace(label, hms));
        }
    }
    (apply_edits(text, &edits), far)
}

/// `text` with `timestamp-shifted`'s fixes applied: the notes whose times are a field off
/// read as their authors meant.
fn unshifted(text: &str, rel: &str, vault: &Vault) -> String {
    let note = parse(text);
    let found = check_note(text, &note, rel, vault, &only(RuleId::TimestampShifted));
    let edits: Vec<TextEdit> = found
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .flat_map(|f| f.edits.iter().cloned())
        .collect();
    apply_edits(text, &edits)
}

fn pct(a: usize, b: usize) -> String {
    format!("{a} / {b} ({:.1}%)", 100.0 * a as f64 / b.max(1) as f64)
}

#[test]
fn moved_citations_found_untouched_ones_left_alone() {
    let Some((transcripts, notes)) = dirs() else {
        eprintln!(
            "SKIPPED: set WIKISTAMP_CORPUS to shared/corpus/tubegraph (with shared/transcripts \
             beside it) to calibrate citation-unsupported against real captions"
        );
        return;
    };
    let videos = videos(&transcripts);
    assert_eq!(videos.len(), 46, "the 46 transcripts of the README");
    let mut vault = Vault::new(&Config::default().links);
    for v in &videos {
        vault.set_transcript(&v.id, v.file.clone());
    }
    let config = only(RuleId::CitationUnsupported);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&notes)
        .expect("notes")
        .flatten()
        .map(|e| e.path())
        .collect();
    paths.sort();
    // Untouched notes; the same after timestamp-shifted's fixes; moved citations.
    let (mut untouched, mut fixed, mut moved_claims) = (Vec::new(), Vec::new(), Vec::new());
    let mut notes_checked = 0;
    // Fixes applied to the moved notes, and findings left after them.
    let (mut fixes, mut unfixable, mut refound) = (0, 0, 0);
    for path in paths {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Some(video) = videos
            .iter()
            .find(|v| text.contains(&format!("videoId: {}\n", v.id)))
        else {
            continue;
        };
        notes_checked += 1;
        let rel = format!(
            "3blue1brown/{}",
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        untouched.extend(claims(&text, &rel, video, &vault, &config).0);
        let text = unshifted(&text, &rel, &vault);
        let (now, times) = claims(&text, &rel, video, &vault, &config);
        let (moved_text, far) = moved(&text, video.length);
        let (mut after, _) = claims(&moved_text, &rel, video, &vault, &config);
        assert_eq!(now.len(), after.len(), "{rel}: moving keeps the claims");
        // A claim counts as moved when all its citations were inside the video and moved far.
        let note = parse(&text);
        let ctx = Context::new(&text, &note, &rel, &vault, &config);
        for (claim, a) in cited_claims(&ctx).iter().zip(after.iter_mut()) {
            a.moved_far = claim
                .citations
                .iter()
                .all(|&i| far[i] && times[i] <= video.length);
        }
        // The fixes land on moments the rule accepts.
        let found = check_note(&moved_text, &parse(&moved_text), &rel, &vault, &config);
        let edits: Vec<TextEdit> = found
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .flat_map(|f| f.edits.iter().cloned())
            .collect();
        let with_fix = found.iter().filter(|d| d.fix.is_some()).count();
        fixes += with_fix;
        unfixable += found.len() - with_fix;
        let refixed = apply_edits(&moved_text, &edits);
        refound += check_note(&refixed, &parse(&refixed), &rel, &vault, &config).len();
        fixed.extend(now);
        moved_claims.extend(after);
    }
    assert_eq!(notes_checked, 46);

    let report = |name: &str, claims: &[Claim]| {
        let judged: Vec<&Claim> = claims.iter().filter(|c| c.judged).collect();
        let flagged = judged.iter().filter(|c| c.flagged).count();
        let cites: usize = judged.iter().map(|c| c.citations).sum();
        let flagged_cites: usize = judged
            .iter()
            .filter(|c| c.flagged)
            .map(|c| c.citations)
            .sum();
        eprintln!(
            "{name}: {} cited claims, {} judged; flagged claims {}, citations {}",
            claims.len(),
            judged.len(),
            pct(flagged, judged.len()),
            pct(flagged_cites, cites),
        );
        (flagged, judged.len())
    };
    eprintln!("== citation-unsupported on the 46 notes ==");
    let (flagged, judged) = report("untouched", &untouched);
    let (flagged_fixed, judged_fixed) = report("after timestamp-shifted's fixes", &fixed);
    let silent = untouched.iter().filter(|c| !c.in_range).count();
    eprintln!("  (claims cited past the video's end, untouched: {silent})");
    let movable: Vec<&Claim> = moved_claims.iter().filter(|c| c.moved_far).collect();
    let judged_moved: Vec<&&Claim> = movable.iter().filter(|c| c.judged).collect();
    let found = judged_moved.iter().filter(|c| c.flagged).count();
    let too_short = movable
        .iter()
        .filter(|c| c.content_words < rules::MIN_CONTENT_WORDS)
        .count();
    eprintln!(
        "moved: {} claims moved ≥ {MIN_MOVE_S} s ({} not movable), {} judged ({} too short, {} \
         without a clear best moment); found among judged {}, over all moved {}",
        movable.len(),
        moved_claims.len() - movable.len(),
        judged_moved.len(),
        too_short,
        movable.len() - judged_moved.len() - too_short,
        pct(found, judged_moved.len()),
        pct(found, movable.len()),
    );
    eprintln!(
        "moved, then fixed: {fixes} fixes applied, {refound} findings left ({unfixable} had no fix)"
    );
    assert_eq!(refound, unfixable, "a fixed citation is flagged again");
    if std::env::var_os("CALIBRATION_SWEEP").is_some() {
        sweep(&fixed, &moved_claims);
    }
    if let Ok(dump) = std::env::var("CALIBRATION_FLAGGED") {
        let mut out = String::new();
        for c in untouched.iter().filter(|c| c.flagged) {
            out.push_str(&format!(
                "{}\t{}\t{}\t{:.1}\t{:.1}\t{}\n",
                c.note,
                format_hms(c.cited_s),
                format_hms(c.best_s),
                c.cited,
                c.best,
                c.text.replace('\n', " ")
            ));
        }
        std::fs::write(dump, out).expect("the list of findings writes");
    }
    assert!(
        found as f64 >= 0.9 * judged_moved.len() as f64,
        "moved citations found: {found} of {}",
        judged_moved.len()
    );
    assert!(
        flagged as f64 <= 0.01 * judged as f64,
        "untouched citations flagged: {flagged} of {judged}"
    );
    assert!(
        flagged_fixed as f64 <= 0.01 * judged_fixed as f64,
        "citations flagged after timestamp-shifted's fixes: {flagged_fixed} of {judged_fixed}"
    );
}

/// The best score among the windows starting from `lead` s before a cited moment to
/// `follow` s after it.
fn cited_score(c: &Claim, lead: u64, follow: u64) -> f32 {
    c.cited_times
        .iter()
        .filter(|&&t| t != u64::MAX)
        .flat_map(|&t| {
            c.moments.iter().filter(move |m| {
                m.start_ms + lead * 1000 >= t * 1000 && m.start_ms <= (t + follow) * 1000
            })
        })
        .map(|m| m.score)
        .fold(0.0, f32::max)
}

/// Untouched flagged and moved found for other thresholds, from the scores the claims got.
fn sweep(fixed: &[Claim], moved: &[Claim]) {
    eprintln!("min words | min best | lead | follow | share | flagged untouched | found moved (judged) | found (all moved)");
    for min_words in [6, 7] {
        for min_best in [8.0, 10.0] {
            for (lead, follow) in [
                (15, 0),
                (15, 15),
                (20, 20),
                (30, 15),
                (15, 30),
                (30, 30),
                (45, 30),
                (30, 45),
                (45, 45),
                (60, 60),
            ] {
                for share in [0.3, 0.35, 0.4, 0.45, 0.5] {
                    let judged = |c: &Claim| c.content_words >= min_words && c.best >= min_best;
                    let flags = |c: &Claim| cited_score(c, lead, follow) < share * c.best;
                    let j: Vec<&Claim> = fixed.iter().filter(|c| c.in_range && judged(c)).collect();
                    let f = j.iter().filter(|c| flags(c)).count();
                    let all: Vec<&Claim> = moved.iter().filter(|c| c.moved_far).collect();
                    let jm: Vec<&Claim> = all.iter().copied().filter(|c| judged(c)).collect();
                    let fm = jm.iter().filter(|c| flags(c)).count();
                    eprintln!(
                        "{min_words} | {min_best} | {lead} | {follow} | {share} | {} | {} | {}",
                        pct(f, j.len()),
                        pct(fm, jm.len()),
                        pct(fm, all.len())
                    );
                }
            }
        }
    }
}

/// One cited block with its citations taken out, as `source-missing` would cite it.
struct Uncited {
    /// The block's citations, in seconds.
    times: Vec<u64>,
    /// The best moment (where it would be cited), its score, and the best score more than
    /// a minute away; `None` when the block is not judged.
    judged: Option<(u64, f32, f32)>,
    /// What `source-missing` inserted, in seconds, with the real constants.
    inserted: Option<u64>,
}

impl Uncited {
    fn near(&self, at_s: u64) -> bool {
        self.times.iter().any(|&t| t.abs_diff(at_s) <= 30)
    }
}

/// `source-missing`'s citing fix against the notes' own citations: each paragraph or list item
/// of the 46 notes that cites the video has its citations taken out (one block at a time), and
/// the fix's time is compared with the times the author wrote.
#[test]
fn source_missing_cites_where_the_author_did() {
    let Some((transcripts, notes)) = dirs() else {
        eprintln!("SKIPPED: set WIKISTAMP_CORPUS (see the other test)");
        return;
    };
    let videos = videos(&transcripts);
    let mut vault = Vault::new(&Config::default().links);
    for v in &videos {
        vault.set_transcript(&v.id, v.file.clone());
    }
    let config = only(RuleId::SourceMissing);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&notes)
        .expect("notes")
        .flatten()
        .map(|e| e.path())
        .collect();
    paths.sort();
    let mut blocks = Vec::new();
    for path in paths {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Some(video) = videos
            .iter()
            .find(|v| text.contains(&format!("videoId: {}\n", v.id)))
        else {
            continue;
        };
        let rel = format!(
            "3blue1brown/{}",
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        let text = unshifted(&text, &rel, &vault);
        let note = parse(&text);
        for (i, block) in note.blocks.iter().enumerate() {
            if !matches!(
                block.kind,
                wikistamp_analysis::syntax::BlockKind::Paragraph
                    | wikistamp_analysis::syntax::BlockKind::ListItem
            ) {
                continue;
            }
            // Skip blocks with cited blocks nested in them: taking out only the outer
            // citations would leave the block cited.
            let inner_cited = note.blocks[i + 1..]
                .iter()
                .take_while(|b| b.range.start < block.range.end)
                .any(|b| {
                    note.citations
                        .iter()
                        .any(|c| b.range.contains(&c.range.start))
                });
            let cites: Vec<_> = note
                .citations
                .iter()
                .filter(|c| block.range.contains(&c.range.start))
                .collect();
            if cites.is_empty() || inner_cited {
                continue;
            }
            let Some(times) = cites
                .iter()
                .map(|c| c.time.as_ref().ok().map(|t| t.seconds))
                .collect::<Option<Vec<u64>>>()
            else {
                continue;
            };
            if times.iter().any(|&t| t > video.length) {
                continue;
            }
            let own = &text[block.range.clone()];
            let judged =
                judge(&video.file, own).map(|j| (j.at_ms / 1000, j.best.score, j.elsewhere()));
            // The citations out, each with the space before it.
            let edits: Vec<TextEdit> = cites
                .iter()
                .map(|c| {
                    let start = if text[..c.range.start].ends_with(' ') {
                        c.range.start - 1
                    } else {
                        c.range.start
                    };
                    TextEdit::replace(start..c.range.end, "")
                })
                .collect();
            let bare = apply_edits(&text, &edits);
            let removed: usize = edits.iter().map(|e| e.range.len()).sum();
            let span = block.range.start..block.range.end - removed;
            let found = check_note(&bare, &parse(&bare), &rel, &vault, &config);
            let inserted = found
                .iter()
                .filter(|d| span.contains(&d.range.start))
                .filter_map(|d| d.fix.as_ref())
                .flat_map(|f| f.edits.iter())
                .find_map(|e| {
                    let t = e.new_text.split("data-t=\"").nth(1)?.get(..8)?;
                    wikistamp_analysis::syntax::parse_time(t)
                        .ok()
                        .map(|t| t.seconds)
                });
            blocks.push(Uncited {
                times,
                judged,
                inserted,
            });
        }
    }
    let inserted: Vec<&Uncited> = blocks.iter().filter(|b| b.inserted.is_some()).collect();
    let near = inserted
        .iter()
        .filter(|b| b.inserted.is_some_and(|t| b.near(t)))
        .count();
    let judged = blocks.iter().filter(|b| b.judged.is_some()).count();
    eprintln!("== source-missing's citation on the 46 notes, citations taken out ==");
    eprintln!(
        "{} cited blocks, {judged} judged; a citation inserted in {}; within 30 s of the \
         author's: {}",
        blocks.len(),
        inserted.len(),
        pct(near, inserted.len())
    );
    eprintln!("ratio | offered / judged | within 30 s / offered");
    for ratio in [1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.75, 2.0] {
        let offered: Vec<(u64, &Uncited)> = blocks
            .iter()
            .filter_map(|b| {
                let (at, best, elsewhere) = b.judged?;
                (best >= ratio * elsewhere).then_some((at, b))
            })
            .collect();
        let near = offered.iter().filter(|(at, b)| b.near(*at)).count();
        eprintln!(
            "{ratio} | {} | {}",
            pct(offered.len(), judged),
            pct(near, offered.len())
        );
    }
    assert!(
        near as f64 >= 0.8 * inserted.len() as f64,
        "inserted citations near the author's: {near} of {}",
        inserted.len()
    );
}
