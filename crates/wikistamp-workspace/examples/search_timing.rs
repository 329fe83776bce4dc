//! Single-threaded time of the steps of checking claims against transcripts, over a vault with
//! a transcript folder: reading and parsing the transcripts, indexing them for search, and the
//! two rules that search (`citation-unsupported`, `source-missing`), with the default
//! configuration. `cargo run --release -p wikistamp-workspace --example search_timing -- PATH`.
//! A process stems each word once: the first indexing pays for it, the second does not.

mod common;

use std::path::Path;
use std::time::Instant;

use wikistamp_analysis::config::Config;
use wikistamp_analysis::parse;
use wikistamp_analysis::rules::{self, Context, Sink};
use wikistamp_analysis::syntax::Note;
use wikistamp_analysis::transcript::{self, TranscriptFile};
use wikistamp_analysis::vault::Vault;
use wikistamp_workspace as workspace;

fn main() {
    let root = std::env::args().nth(1).expect("vault path");
    let root = Path::new(&root);
    let config = Config::default();
    let texts = common::walk_and_read(root, &config);
    let notes: Vec<_> = texts.iter().map(|(_, text)| parse(text)).collect();
    let mut vault = common::vault_of(&texts, &notes, &config);

    let t = Instant::now();
    let invalid = workspace::learn_vault_transcripts(root, &config.transcripts, &mut vault);
    let ids: Vec<String> = vault
        .notes()
        .filter_map(|(_, e)| e.video_id.as_deref())
        .map(|id| id.trim().to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .filter(|id| vault.transcript(id).is_some())
        .collect();
    ms(
        "read and parse",
        t,
        &format!("{} transcripts, {} invalid", ids.len(), invalid.len()),
    );

    let files: Vec<(String, String)> = ids
        .iter()
        .filter_map(|id| vault.transcript(id))
        .map(|f| {
            let text = std::fs::read_to_string(root.join(&f.path)).expect("read");
            (f.path.clone(), text)
        })
        .collect();
    let t = Instant::now();
    let mut cues = 0;
    for (path, text) in &files {
        let format = transcript::Format::from_extension(path.rsplit('.').next().unwrap_or(""))
            .expect("format");
        cues += transcript::parse(text, format).map_or(0, |t| t.cues.len());
    }
    ms("parse (read before)", t, &format!("{cues} cues"));

    let words: usize = ids
        .iter()
        .filter_map(|id| vault.transcript(id))
        .flat_map(|f| &f.transcript.cues)
        .map(|c| c.text.split_whitespace().count())
        .sum();
    let t = Instant::now();
    for id in &ids {
        let file = vault.transcript(id).expect("known");
        TranscriptFile::new(file.path.clone(), file.transcript.clone()).search();
    }
    ms("index, words new", t, &format!("{words} caption words"));
    let t = Instant::now();
    for id in &ids {
        vault.transcript(id).expect("known").search();
    }
    ms("index, words known", t, "each word stemmed before");

    for id in ["citation-unsupported", "source-missing"] {
        let rule = rules::all()
            .iter()
            .find(|r| r.meta().id.as_str() == id)
            .expect("rule");
        let mut found = 0;
        let t = Instant::now();
        for ((rel, text), note) in texts.iter().zip(&notes) {
            let ctx = Context::new(text, note, rel, &vault, &config);
            let mut sink = Sink::default();
            rule.check(&ctx, &mut sink);
            found += sink.diagnostics().len();
        }
        ms(id, t, &format!("{found} findings"));
    }
    settled(&texts, &notes, &vault, &config);
}

/// How `citation-unsupported` settles the claims of `texts`: too short, no clear match possible
/// (the bound under the clear-match score), supported by the cited moment against the bound,
/// or scored against every window.
fn settled(texts: &[(String, String)], notes: &[Note], vault: &Vault, config: &Config) {
    let (mut short, mut unclear, mut supported, mut scored) = (0, 0, 0, 0);
    for ((rel, text), note) in texts.iter().zip(notes) {
        let ctx = Context::new(text, note, rel, vault, config);
        let Some(file) = ctx.transcript() else {
            continue;
        };
        let index = file.search();
        for claim in rules::cited_claims(&ctx) {
            let query = index.query(&rules::strip_markup(ctx.slice(&claim.text)));
            if query.content_words < rules::MIN_CONTENT_WORDS {
                short += 1;
                continue;
            }
            let cited = claim
                .citations
                .iter()
                .filter_map(|&i| note.citations[i].time.as_ref().ok())
                .map(|t| index.score_near(&query, t.seconds * 1000))
                .fold(0.0, f32::max);
            let peak = index.peak(&query);
            if peak < rules::MIN_BEST_SCORE {
                unclear += 1;
            } else if cited >= rules::SUPPORTED_SHARE * peak {
                supported += 1;
            } else {
                scored += 1;
            }
        }
    }
    println!(
        "claims: {short} too short; of the rest, {unclear} without a clear match possible, \
         {supported} supported against the bound, {scored} scored against every window"
    );
}

fn ms(what: &str, since: Instant, detail: &str) {
    println!(
        "{what:<24} {:>8.2} ms  {detail}",
        since.elapsed().as_secs_f64() * 1e3
    );
}
