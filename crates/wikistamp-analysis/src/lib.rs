//! wikistamp's analysis: parse notes, index a vault, run the rules, compute fixes.
//!
//! Pure and synchronous: no file system, no process, no async runtime, no LSP types, no
//! terminal (`wikistamp-workspace` reads vaults and hands their text over). Everything speaks byte
//! offsets into a note's UTF-8 text. Data flows one way:
//! bytes → [`syntax::Note`] → [`vault::Vault`] → [`rules`] → [`Diagnostic`]s.

pub mod check;
pub mod config;
pub mod diagnostic;
pub mod fix;
pub mod ide;
pub mod overview;
pub mod rule_id;
pub mod rules;
pub mod suggest;
pub mod syntax;
pub mod text;
pub mod transcript;
pub mod vault;

#[cfg(test)]
mod test_corpus;

pub use check::check_note;
pub use config::Config;
pub use diagnostic::{Applicability, Diagnostic, Fix, Related, Severity, TextEdit};
pub use rule_id::RuleId;
pub use syntax::{parse, Note};
pub use vault::{NoteId, Vault};
