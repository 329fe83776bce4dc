//! `wikistamp report`'s page: one self-contained HTML file. The findings go in once, as JSON in a
//! `<script type="application/json">`; the page's script (page.js) draws the summary, the
//! tables and the charts (inline SVG) from it, and pages through the findings so that a vault's
//! hundred thousand rows are never in the document at once.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use wikistamp_analysis::{Applicability, Diagnostic};

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
}

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
    ) -> Self {
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

/// The page: the template with its style, script and data in place.
pub fn page(data: &Data) -> String {
    let json = serde_json::to_string(data).expect("the report's data serialises");
    // `</script>` in a message must not end the data block.
    let json = json.replace('<', "\\u003c");
    TEMPLATE
        .replace("/*STYLE*/", STYLE)
        .replace("/*SCRIPT*/", SCRIPT)
        .replace("{DATA}", &json)
}
