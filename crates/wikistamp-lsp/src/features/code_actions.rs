//! Code actions: each finding's fix, "create the note" for a broken link, and fix-all.

use tower_lsp_server::ls_types::{self as lsp, Uri};
use wikistamp_analysis::ide::actions::{fix_all_safe, new_note_path};
use wikistamp_analysis::ide::transcript::{cite_the_moment, note_transcript};
use wikistamp_analysis::syntax::format_hms;
use wikistamp_analysis::{parse, Applicability, Diagnostic, RuleId};

use super::{lsp_edit, to_lsp_diagnostic};
use crate::document::{DiskNotes, Source};
use crate::position::LineMap;
use crate::state::State;

pub fn code_actions(
    state: &State,
    disk: &DiskNotes,
    uri: &Uri,
    range: lsp::Range,
) -> Option<Vec<lsp::CodeActionOrCommand>> {
    let src = state.source(uri, disk)?;
    let map = LineMap::new(&src.text, state.encoding);
    let wanted = map.byte_range(range);
    let path = State::check_path(uri, &src);
    let diags = state.check(&path, &src.text, &src.note);
    let edit_for = |edits: Vec<lsp::TextEdit>| lsp::WorkspaceEdit {
        document_changes: Some(lsp::DocumentChanges::Edits(vec![lsp::TextDocumentEdit {
            text_document: lsp::OptionalVersionedTextDocumentIdentifier {
                uri: uri.clone(),
                version: src.version,
            },
            edits: edits.into_iter().map(lsp::OneOf::Left).collect(),
        }])),
        ..Default::default()
    };
    let mut out = Vec::new();
    for d in &diags {
        let touches = d.range.start <= wanted.end && wanted.start <= d.range.end;
        if !touches {
            continue;
        }
        let lsp_diag = to_lsp_diagnostic(&map, uri, d);
        if let Some(fix) = &d.fix {
            let title = match fix.applicability {
                Applicability::Safe => fix.title.clone(),
                Applicability::Unsafe => format!("{} (unsafe)", fix.title),
            };
            out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title,
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![lsp_diag.clone()]),
                edit: Some(edit_for(
                    fix.edits.iter().map(|e| lsp_edit(&map, e)).collect(),
                )),
                is_preferred: Some(fix.applicability == Applicability::Safe),
                ..Default::default()
            }));
        }
        if d.rule == RuleId::LinkBroken {
            if let Some(action) = create_note_action(state, &src, d, lsp_diag) {
                out.push(action);
            }
        }
    }
    if let Some(action) = cite_action(state, &src, &map, &diags, wanted.start, uri, &edit_for) {
        out.push(action);
    }
    // Fix all: every safe fix, to a fixpoint, as one minimal edit.
    if diags.iter().any(|d| {
        d.fix
            .as_ref()
            .is_some_and(|f| f.applicability == Applicability::Safe)
    }) {
        let fixed = fix_all_safe(&src.text, |t| {
            let note = parse(t);
            state.check(&path, t, &note)
        });
        if let Some((applied, edit)) = fixed {
            out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: format!("Fix all safe wikistamp findings in this note ({applied})"),
                kind: Some(lsp::CodeActionKind::new("source.fixAll.wikistamp")),
                edit: Some(edit_for(vec![lsp_edit(&map, &edit)])),
                ..Default::default()
            }));
        }
    }
    Some(out)
}

/// "Cite the moment": on a sentence without a citation, in a note whose video has a
/// transcript, the citation of the one moment that clearly says it.
fn cite_action(
    state: &State,
    src: &Source,
    map: &LineMap<'_>,
    diags: &[Diagnostic],
    at: usize,
    uri: &Uri,
    edit_for: &dyn Fn(Vec<lsp::TextEdit>) -> lsp::WorkspaceEdit,
) -> Option<lsp::CodeActionOrCommand> {
    let file = note_transcript(&state.vault, &src.note)?;
    let s = cite_the_moment(file, &src.text, &src.note, at)?;
    // The finding it answers, when the sentence has one (`source-missing`).
    let answered: Vec<lsp::Diagnostic> = diags
        .iter()
        .filter(|d| d.range.start < s.sentence.end && s.sentence.start < d.range.end)
        .filter(|d| d.rule == RuleId::SourceMissing)
        .map(|d| to_lsp_diagnostic(map, uri, d))
        .collect();
    Some(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
        title: format!("Cite the moment {}", format_hms(s.seconds)),
        kind: Some(lsp::CodeActionKind::QUICKFIX),
        diagnostics: (!answered.is_empty()).then_some(answered),
        edit: Some(edit_for(vec![lsp_edit(map, &s.edit)])),
        ..Default::default()
    }))
}

fn create_note_action(
    state: &State,
    src: &Source,
    d: &Diagnostic,
    lsp_diag: lsp::Diagnostic,
) -> Option<lsp::CodeActionOrCommand> {
    let file = new_note_path(src.text.get(d.range.clone())?)?;
    let root = state.root.as_ref()?;
    let uri = Uri::from_file_path(root.join(&file))?;
    Some(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
        title: format!("Create note `{file}`"),
        kind: Some(lsp::CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![lsp_diag]),
        edit: Some(lsp::WorkspaceEdit {
            document_changes: Some(lsp::DocumentChanges::Operations(vec![
                lsp::DocumentChangeOperation::Op(lsp::ResourceOp::Create(lsp::CreateFile {
                    uri,
                    options: Some(lsp::CreateFileOptions {
                        overwrite: Some(false),
                        ignore_if_exists: Some(true),
                    }),
                    annotation_id: None,
                })),
            ])),
            ..Default::default()
        }),
        ..Default::default()
    }))
}
