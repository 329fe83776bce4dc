//! Output formats, each a [`Report`](crate::report::Report) built with what it needs to know:
//! adapters over plain diagnostic data.

mod concise;
mod github;
pub mod html;
mod human;
mod json;
mod sarif;
mod statistics;

pub use concise::Concise;
pub use github::Github;
pub use human::Human;
pub use json::Json;
pub use sarif::Sarif;
pub use statistics::Statistics;

use std::io::{self, Write};

use crate::report::{plural, Totals};

/// "1 error, 2 warnings in 3 files (4 checked)" and the like, unless `quiet`.
fn summary(out: &mut dyn Write, totals: &Totals, quiet: bool) -> io::Result<()> {
    if quiet {
        return Ok(());
    }
    let mut parts = vec![
        plural(totals.errors, "error"),
        plural(totals.warnings, "warning"),
    ];
    if totals.infos > 0 {
        parts.push(plural(totals.infos, "info"));
    }
    writeln!(
        out,
        "{} in {} ({} checked)",
        parts.join(", "),
        plural(totals.files, "file"),
        totals.files_checked
    )
}
