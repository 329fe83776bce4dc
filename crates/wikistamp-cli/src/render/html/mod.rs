//! `wikistamp report`'s page: one self-contained HTML file. The findings go in once, as JSON in a
//! `<script type="application/json">`; the page's script (page.js) draws the summary, the
//! tables and the charts (inline SVG) from it, and pages through the findings so that a vault's
//! hundred thousand rows are never in the document at once.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use wikistamp_analysis::overview::{self, note_overview};
use wikistamp_analysis::rules::Context;
use wikistamp_analysis::{Applicability, Diagnostic, NoteId};

use crate::report::Totals;

const TEMPLATE: &str = include_str!("page.html");
const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

/// One finding as the page lists it.
pub struct Row {
    path: String,
    line: usize,
    rule: &'static str,
    severity: &'static str,
    message: String,
    fix: Option<Applicability>,
}

impl Row {
    pub fn new(path: &str, line: usize, d: Diagnostic) -> Self {
        Row {
            path: path.to_owned(),
            line,
            rule: d.rule.as_str(),
            severity: d.severity.as_str(),
            message: d.message,
            fix: d.fix.map(|f| f.applicability),
        }
    }
}

/// How long after a cited moment the note is taken to cover the video, for the strips'
/// coverage.
const COVER_SECONDS: u64 = 60;

/// What one checked note adds to the wanted notes, the orphans and the citation strips.
pub struct NoteGraph {
    path: String,
    id: Option<NoteId>,
    links_to: Vec<NoteId>,
    missing: Vec<String>,
    strip: Option<NoteStrip>,
}

/// One note's citations along its video.
struct NoteStrip {
    /// The video's length in seconds, known or inferred from the citations.
    length: u64,
    length_known: bool,
    /// `(seconds, tick kind)` per citation.
    ticks: Vec<(u64, u8)>,
}

impl NoteGraph {
    pub fn new(ctx: &Context<'_>, diagnostics: &[Diagnostic]) -> Self {
        let o = note_overview(ctx);
        let strip = o.strip.map(|s| {
            let ticks = s
                .citations
                .iter()
                .map(|c| (c.seconds, tick_kind(&c.range, diagnostics)))
                .collect();
            NoteStrip {
                length: s.length,
                length_known: s.length_known,
                ticks,
            }
        });
        NoteGraph {
            path: ctx.path.to_owned(),
            id: ctx.vault.id_of(ctx.path),
            links_to: o.links_to,
            missing: o.missing,
            strip,
        }
    }
}

/// How a citation's tick stands out: 1 shifted, 2 past the end, 3 unsupported by the
/// transcript, 4 another finding, 0 none.
fn tick_kind(citation: &std::ops::Range<usize>, diagnostics: &[Diagnostic]) -> u8 {
    let on_it = diagnostics.iter().filter(|d| {
        d.range.start < citation.end && citation.start < d.range.end.max(d.range.start + 1)
    });
    let mut kind = 0;
    for d in on_it {
        let k = match d.rule.as_str() {
            "timestamp-shifted" => 1,
            "timestamp-after-end" => 2,
            id if id.ends_with("-unsupported") => 3,
            _ => 4,
        };
        kind = if kind == 0 { k } else { kind.min(k) };
    }
    kind
}

/// What the page shows, as it is embedded.
#[derive(Serialize)]
pub struct Data {
    /// The vault's folder name (for `obsidian://open?vault=`).
    vault: String,
    /// The vault's absolute path (for `vscode://file/`).
    root: String,
    /// The checked paths' prefix relative to the vault root (display paths are relative to cwd).
    prefix: String,
    /// The paths given on the command line, for the `wikistamp check …` commands shown.
    paths_arg: Vec<String>,
    notes_checked: usize,
    notes_with_findings: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    rules: Vec<RuleCount>,
    paths: Vec<String>,
    /// `[path index, line, rule index, severity index, message, fix: 0 none, 1 safe, 2 unsafe]`.
    rows: Vec<(usize, usize, usize, usize, String, u8)>,
    severities: [&'static str; 3],
    /// Vault-relative paths of the checked notes, for `wanted`, `orphans` and `strips`.
    notes: Vec<String>,
    /// `[target, [note index…]]`, most wanted first.
    wanted: Vec<(String, Vec<usize>)>,
    /// Note indices.
    orphans: Vec<usize>,
    /// `[note index, length, length known, [[seconds, kind]…], [[from, to]…] covered]`.
    strips: Vec<Strip>,
}

type Strip = (usize, u64, bool, Vec<(u64, u8)>, Vec<(u64, u64)>);

#[derive(Serialize, Default)]
struct RuleCount {
    rule: &'static str,
    severity: &'static str,
    count: usize,
    safe: usize,
    #[serde(rename = "unsafe")]
    unsafe_: usize,
}

impl Data {
    pub fn new(
        totals: &Totals,
        rows: Vec<Row>,
        root: &Path,
        cwd: &Path,
        paths_arg: Vec<String>,
        mut graph: Vec<NoteGraph>,
    ) -> Self {
        graph.sort_by(|a, b| a.path.cmp(&b.path));
        let wanted = overview::wanted(
            graph
                .iter()
                .enumerate()
                .map(|(i, g)| (i, g.missing.as_slice())),
        )
        .into_iter()
        .map(|w| (w.target, w.linked_from))
        .collect();
        let index_of: std::collections::HashMap<NoteId, usize> = graph
            .iter()
            .enumerate()
            .filter_map(|(i, g)| Some((g.id?, i)))
            .collect();
        let orphans = overview::orphans(
            graph.iter().filter_map(|g| g.id),
            graph.iter().flat_map(|g| g.links_to.iter().copied()),
        )
        .into_iter()
        .filter_map(|id| index_of.get(&id).copied())
        .collect();
        let strips = graph
            .iter_mut()
            .enumerate()
            .filter_map(|(i, g)| {
                let NoteStrip {
                    length,
                    length_known: known,
                    ticks,
                } = g.strip.take()?;
                let cover = overview::covered(ticks.iter().map(|t| t.0), length, COVER_SECONDS);
                Some((i, length, known, ticks, cover))
            })
            .collect();
        let notes = graph.into_iter().map(|g| g.path).collect();
        let severities = ["error", "warning", "info"];
        let mut by_rule: BTreeMap<&'static str, RuleCount> = BTreeMap::new();
        for r in &rows {
            let c = by_rule.entry(r.rule).or_insert_with(|| RuleCount {
                rule: r.rule,
                severity: r.severity,
                ..RuleCount::default()
            });
            c.count += 1;
            match r.fix {
                Some(Applicability::Safe) => c.safe += 1,
                Some(Applicability::Unsafe) => c.unsafe_ += 1,
                None => {}
            }
        }
        let rule_index: BTreeMap<&'static str, usize> =
            by_rule.keys().enumerate().map(|(i, k)| (*k, i)).collect();
        let mut paths: Vec<String> = Vec::new();
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            // Rows come grouped by path (the check's output order).
            if paths.last() != Some(&r.path) {
                paths.push(r.path);
            }
            let severity = severities.iter().position(|s| *s == r.severity);
            out.push((
                paths.len() - 1,
                r.line,
                rule_index[r.rule],
                severity.unwrap_or(0),
                r.message,
                fix_code(r.fix),
            ));
        }
        let rules: Vec<RuleCount> = by_rule.into_values().collect();
        let prefix = cwd
            .strip_prefix(root)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        Data {
            vault: root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            root: root.to_string_lossy().into_owned(),
            prefix,
            paths_arg,
            notes_checked: totals.files_checked,
            notes_with_findings: totals.files,
            errors: totals.errors,
            warnings: totals.warnings,
            infos: totals.infos,
            rules,
            paths,
            rows: out,
            severities,
            notes,
            wanted,
            orphans,
            strips,
        }
    }
}

fn fix_code(fix: Option<Applicability>) -> u8 {
    match fix {
        None => 0,
        Some(Applicability::Safe) => 1,
        Some(Applicability::Unsafe) => 2,
    }
}

/// The page: the template with its style, script and data in place. The data is JSON,
/// gzipped and in base64: a vault's findings repeat the same words, so this makes the page a
/// fraction of the size, and browsers unpack it natively (`DecompressionStream`). Level 1,
/// because the best level takes more time than the whole check for little more.
pub fn page(data: &Data) -> String {
    use base64::Engine as _;
    use std::io::Write as _;
    let json = serde_json::to_vec(data).expect("the report's data serialises");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&json).expect("writing to memory");
    let packed = gz.finish().expect("writing to memory");
    let data = base64::engine::general_purpose::STANDARD.encode(packed);
    TEMPLATE
        .replace("/*STYLE*/", STYLE)
        .replace("/*SCRIPT*/", SCRIPT)
        .replace("{DATA}", &data)
}
