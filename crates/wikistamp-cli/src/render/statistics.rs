//! `--statistics`: a table of findings per rule, with how many can be fixed.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::Mutex;

use wikistamp_analysis::{Applicability, Severity};

use crate::report::{plural, FileFindings, Report, Totals};

/// Counts each file's findings as it is rendered (in any order: counts add up), and writes the
/// table at the end.
pub struct Statistics {
    /// A JSON list instead of a table.
    pub json: bool,
    /// No closing sentence.
    pub quiet: bool,
    rows: Mutex<BTreeMap<&'static str, Row>>,
}

#[derive(Default, Clone, Copy)]
struct Row {
    count: usize,
    safe: usize,
    unsafe_: usize,
    severity: Option<Severity>,
}

impl Statistics {
    pub fn new(json: bool, quiet: bool) -> Self {
        Statistics {
            json,
            quiet,
            rows: Mutex::default(),
        }
    }
}

impl Report for Statistics {
    fn render(&self, file: &FileFindings<'_>) -> Vec<u8> {
        let mut rows = self.rows.lock().unwrap_or_else(|e| e.into_inner());
        for d in file.diagnostics {
            let row = rows.entry(d.rule.as_str()).or_default();
            row.count += 1;
            row.severity = row.severity.max(Some(d.severity));
            match d.fix.as_ref().map(|f| f.applicability) {
                Some(Applicability::Safe) => row.safe += 1,
                Some(Applicability::Unsafe) => row.unsafe_ += 1,
                None => {}
            }
        }
        Vec::new()
    }

    fn finish(&self, out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
        let rows = self.rows.lock().unwrap_or_else(|e| e.into_inner());
        // Most frequent first; ties by rule id.
        let mut sorted: Vec<(&str, Row)> = rows.iter().map(|(k, v)| (*k, *v)).collect();
        sorted.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
        if self.json {
            let list: Vec<serde_json::Value> = sorted
                .iter()
                .map(|(rule, r)| {
                    serde_json::json!({
                        "rule": rule,
                        "severity": r.severity.map(Severity::as_str),
                        "count": r.count,
                        "fixable": r.safe,
                        "unsafeFixable": r.unsafe_,
                    })
                })
                .collect();
            serde_json::to_writer(&mut *out, &list)?;
            return writeln!(out);
        }
        let width = sorted
            .iter()
            .map(|(r, _)| r.len())
            .max()
            .unwrap_or(4)
            .max(4);
        writeln!(
            out,
            "{:>7}  {:<width$}  {:<8}  {:>7}  {:>6}",
            "COUNT", "RULE", "SEVERITY", "FIXABLE", "UNSAFE"
        )?;
        let (mut total, mut safe, mut unsafe_) = (0, 0, 0);
        for (rule, r) in &sorted {
            writeln!(
                out,
                "{:>7}  {:<width$}  {:<8}  {:>7}  {:>6}",
                r.count,
                rule,
                r.severity.map_or("", Severity::as_str),
                r.safe,
                r.unsafe_
            )?;
            total += r.count;
            safe += r.safe;
            unsafe_ += r.unsafe_;
        }
        writeln!(
            out,
            "{:>7}  {:<width$}  {:<8}  {:>7}  {:>6}",
            total, "total", "", safe, unsafe_
        )?;
        if !self.quiet {
            let hint = match (safe, unsafe_) {
                (0, 0) => String::new(),
                (s, 0) => format!("; {s} fixable with --fix"),
                (0, u) => format!("; {u} fixable with --fix --unsafe-fixes"),
                (s, u) => format!("; {s} fixable with --fix ({u} more with --fix --unsafe-fixes)"),
            };
            writeln!(
                out,
                "{} in {}{hint}.",
                plural(total, "finding"),
                plural(totals.files, "file"),
            )?;
        }
        Ok(())
    }
}
