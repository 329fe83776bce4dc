use crate::config::{Config, RuleLevel};
use crate::diagnostic::Diagnostic;
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
    pub struct FileUnreadable { family: Meta, severity: Error, fix: None }
}

impl FileUnreadable {
    /// The finding for a file that could not be read, at its configured severity (none when
    /// the rule is off); the file has no text, so the range is empty.
    pub fn report(config: &Config, message: impl Into<String>) -> Option<Diagnostic> {
        let RuleLevel::On(severity) = Self::META.level(config) else {
            return None;
        };
        let mut d = Diagnostic::new(Self::META.id, 0..0, message);
        d.severity = severity;
        Some(d)
    }
}

impl Rule for FileUnreadable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported by whoever reads files, never from a parsed note.
    fn check(&self, _ctx: &Context<'_>, _sink: &mut Sink) {}
}
