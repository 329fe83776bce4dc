//! `--statistics`: a table of findings per rule, with how many can be fixed.

use std::collections::BTreeMap;
use std::io::{self, Write};

use wikistamp_analysis::{Applicability, Severity};

use crate::args::{CheckArgs, Format};
use crate::check::{plural, Report};

#[derive(Default, Clone, Copy)]
struct Row {
    count: usize,
    safe: usize,
    unsafe_: usize,
    severity: Option<Severity>,
}

pub fn render(args: &CheckArgs, report: &Report) -> io::Result<()> {
    let mut rows: BTreeMap<&str, Row> = BTreeMap::new();
    for d in report.diagnostics() {
        let row = rows.entry(d.rule.as_str()).or_default();
        row.count += 1;
        row.severity = row.severity.max(Some(d.severity));
        match d.fix.as_ref().map(|f| f.applicability) {
            Some(Applicability::Safe) => row.safe += 1,
            Some(Applicability::Unsafe) => row.unsafe_ += 1,
            None => {}
        }
    }
    // Most frequent first; ties by rule id.
    let mut sorted: Vec<(&str, Row)> = rows.into_iter().collect();
    sorted.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.format == Format::Json {
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
        serde_json::to_writer(&mut out, &list)?;
        writeln!(out)?;
        return out.flush();
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
    if !args.quiet {
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
            plural(report.files.len(), "file"),
        )?;
    }
    out.flush()
}
