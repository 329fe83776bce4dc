//! The request handlers, as synchronous functions over a locked [`State`] and the notes the
//! request read from disk ([`DiskNotes`]): each converts positions, asks the analysis, and
//! converts the answer back. No analysis logic lives here.
//!
//! A handler that needs other notes than the request's document comes with a `*_needs`
//! function naming them, so the server reads them from disk between two short locks.

mod code_actions;
mod completion;
mod navigation;
mod rename;
mod symbols;

use std::str::FromStr;

pub use code_actions::code_actions;
pub use completion::{completion, completion_resolve, completion_resolve_needs};
pub use navigation::{
    definition, document_links, hover, linked_note_needs, references, references_needs,
};
pub use rename::{prepare_rename, rename, rename_needs};
pub use symbols::{document_symbols, workspace_symbols};
use tower_lsp_server::ls_types::{self as lsp, Uri};
use wikistamp_analysis::ide::navigation::resolve_link;
use wikistamp_analysis::vault::{NoteId, Resolution};
use wikistamp_analysis::{Diagnostic, Severity, TextEdit};

use crate::document::{DiskNotes, Source};
use crate::position::LineMap;
use crate::state::State;

/// At most this many link completions.
pub const MAX_COMPLETIONS: usize = 100;

pub fn rule_doc_url(rule: &str) -> String {
    format!("https://github.com/wikistamp/wikistamp/blob/main/docs/rules.md#{rule}")
}

/// An analysis diagnostic as an LSP diagnostic.
pub fn to_lsp_diagnostic(map: &LineMap<'_>, uri: &Uri, d: &Diagnostic) -> lsp::Diagnostic {
    let range = map.range(&d.range);
    let mut related: Vec<lsp::DiagnosticRelatedInformation> = d
        .related
        .iter()
        .map(|r| lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(uri.clone(), map.range(&r.range)),
            message: r.message.clone(),
        })
        .collect();
    if let Some(help) = &d.help {
        related.push(lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(uri.clone(), range),
            message: format!("help: {help}"),
        });
    }
    lsp::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        }),
        code: Some(lsp::NumberOrString::String(d.rule.to_string())),
        code_description: Uri::from_str(&rule_doc_url(d.rule.as_str()))
            .ok()
            .map(|href| lsp::CodeDescription { href }),
        source: Some("wikistamp".to_string()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// The LSP diagnostics of a document (open or on disk) and its version.
pub fn diagnostics(
    state: &State,
    disk: &DiskNotes,
    uri: &Uri,
) -> (Vec<lsp::Diagnostic>, Option<i32>) {
    let Some((text, diags, version)) = state.check_uri(uri, disk) else {
        return (Vec::new(), None);
    };
    let map = LineMap::new(&text, state.encoding);
    let out = diags
        .iter()
        .map(|d| to_lsp_diagnostic(&map, uri, d))
        .collect();
    (out, version)
}

pub(crate) fn lsp_edit(map: &LineMap<'_>, e: &TextEdit) -> lsp::TextEdit {
    lsp::TextEdit::new(map.range(&e.range), e.new_text.clone())
}

/// The note the link `link` of `src` leads to (`[[#heading]]`: `src` itself).
fn link_target(state: &State, uri: &Uri, src: &Source, link: usize) -> Option<NoteId> {
    let from = State::check_path(uri, src);
    let l = src.note.links.get(link)?;
    if src.text[l.target.clone()].is_empty() {
        return state.vault.id_of(&from);
    }
    match resolve_link(&state.vault, &from, &src.text, &src.note, link) {
        Resolution::Note(id) => Some(id),
        _ => None,
    }
}
