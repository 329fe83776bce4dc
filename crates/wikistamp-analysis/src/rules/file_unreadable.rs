use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{declare_rule, Context, Rule, RuleMeta, Sink};

declare_rule! {
    /// ## What it finds
    /// A `.md` file that cannot be read as a note: it is not valid UTF-8 (a binary file, or
    /// text in another encoding), or the file system refused to read it.
    ///
    /// ## Why it matters
    /// Nothing in the file can be checked, and Obsidian or Quartz may show it garbled or skip it.
    ///
    /// ## Example
    /// A note saved as Latin-1 by an old editor: `caf\xe9` instead of `café`.
    ///
    /// ## Fix
    /// None: re-save the file as UTF-8.
    pub struct FileUnreadable { id: "file-unreadable", family: Meta, severity: Error, fix: None }
}

impl FileUnreadable {
    /// The finding for a file that could not be read; it has no text, so its range is empty.
    pub fn diagnostic(message: impl Into<String>) -> Diagnostic {
        let mut d = Diagnostic::new(Self::META.id, 0..0, message);
        d.severity = Severity::Error;
        d
    }
}

impl Rule for FileUnreadable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported by whoever reads files, never from a parsed note.
    fn check(&self, _ctx: &Context<'_>, _sink: &mut Sink) {}
}
