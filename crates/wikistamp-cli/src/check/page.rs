//! `wikistamp report`: the check's streamed pipeline ([`super::vault::check_streaming`]), each
//! note's findings reduced to the rows the page shows, then one HTML page written.

use crate::args::ReportArgs;
use crate::progress::Progress;
use crate::render::html::{self, Row};
use crate::report::{Source, Totals};

use super::threshold;

pub fn run(args: &ReportArgs) -> Result<u8, String> {
    let check = &args.check;
    if check.fix || check.diff || check.stdin_filename.is_some() {
        return Err("report checks notes on disk without fixes (no --fix, --diff or stdin)".into());
    }
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let cwd = std::fs::canonicalize(&cwd).unwrap_or(cwd);
    let progress = Progress::start(!check.no_progress && !check.quiet);
    let mut totals = Totals::default();
    let mut rows: Vec<Row> = Vec::new();
    let mut notes: Vec<html::NoteGraph> = Vec::new();
    let files_checked = super::vault::check_streaming_with(
        check,
        &cwd,
        &progress,
        true,
        |path, text, d, ctx| {
            let mut file_totals = Totals::default();
            file_totals.add(&d);
            let graph = ctx.map(|ctx| html::NoteGraph::new(ctx, &d));
            let located = Source::located(text, &d);
            let loc = located.as_ref().locator();
            let rows: Vec<Row> = d
                .into_iter()
                .map(|d| Row::new(&path, loc.locate(d.range.start).line, d))
                .collect();
            Some((rows, file_totals, graph))
        },
        |(file_rows, file_totals, graph): (Vec<Row>, Totals, Option<html::NoteGraph>)| {
            totals.merge(&file_totals);
            rows.extend(file_rows);
            notes.extend(graph);
        },
    )?;
    progress.finish();
    totals.files_checked = files_checked;
    let root = wikistamp_workspace::root_of_checked_path(
        &check
            .paths
            .first()
            .map(|p| crate::paths::absolute(p, &cwd))
            .unwrap_or_else(|| cwd.clone()),
        &cwd,
    );
    let page = html::page(&html::Data::new(
        &totals,
        rows,
        &root,
        &cwd,
        check
            .paths
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        notes,
    ));
    std::fs::write(&args.output, page)
        .map_err(|e| format!("cannot write {}: {e}", args.output.display()))?;
    if !check.quiet {
        eprintln!(
            "wikistamp: wrote {} ({} findings in {} notes checked)",
            args.output.display(),
            totals.diagnostics(),
            totals.files_checked
        );
    }
    Ok(u8::from(totals.at_least(threshold(check)) > 0))
}
