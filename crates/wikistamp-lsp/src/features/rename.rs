//! Renaming a note (every link to it, and the file) or a heading (every link to it).

use tower_lsp_server::ls_types::{self as lsp, Uri};
use wikistamp_analysis::ide::navigation::{item_at, Item};
use wikistamp_analysis::ide::rename::{
    new_link_name, rename_heading_edits, rename_note_edits, renamed_note_path, HeadingRename,
};
use wikistamp_analysis::vault::NoteId;

use super::{link_target, lsp_edit};
use crate::document::DiskNotes;
use crate::position::LineMap;
use crate::state::State;

/// What a rename at the cursor renames.
enum RenameTarget {
    Note {
        id: NoteId,
        range: lsp::Range,
        name: String,
    },
    Heading {
        note: NoteId,
        range: lsp::Range,
        text: String,
    },
}

fn rename_target(
    state: &State,
    disk: &DiskNotes,
    uri: &Uri,
    pos: lsp::Position,
) -> Option<RenameTarget> {
    let src = state.source(uri, disk)?;
    let map = LineMap::new(&src.text, state.encoding);
    match item_at(&src.note, map.offset(pos))? {
        Item::Link(i) => {
            let l = &src.note.links[i];
            let id = link_target(state, uri, &src, i)?;
            if src.text[l.target.clone()].is_empty() {
                return None;
            }
            let name = state.vault.entry(id)?.name.clone();
            Some(RenameTarget::Note {
                id,
                range: map.range(&l.target),
                name,
            })
        }
        Item::Heading(h) => {
            let h = &src.note.headings[h];
            let note = state.vault.id_of(src.rel_path.as_deref()?)?;
            Some(RenameTarget::Heading {
                note,
                range: map.range(&h.text),
                text: src.text[h.text.clone()].to_string(),
            })
        }
        Item::Citation(_) => None,
    }
}

pub fn prepare_rename(
    state: &State,
    disk: &DiskNotes,
    uri: &Uri,
    pos: lsp::Position,
) -> Option<lsp::PrepareRenameResponse> {
    Some(match rename_target(state, disk, uri, pos)? {
        RenameTarget::Note { range, name, .. } => {
            lsp::PrepareRenameResponse::RangeWithPlaceholder {
                range,
                placeholder: name,
            }
        }
        RenameTarget::Heading { range, text, .. } => {
            lsp::PrepareRenameResponse::RangeWithPlaceholder {
                range,
                placeholder: text,
            }
        }
    })
}

/// The notes a rename edits: every note linking to the target, plus the target itself (for its
/// `[[#heading]]` links and the heading).
fn renamed_notes(state: &State, target: &RenameTarget) -> Vec<NoteId> {
    let id = match target {
        RenameTarget::Note { id, .. } => *id,
        RenameTarget::Heading { note, .. } => *note,
    };
    let mut notes: Vec<NoteId> = state
        .vault
        .backlinks(id)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    notes.push(id);
    notes.sort();
    notes.dedup();
    notes
}

pub fn rename_needs(state: &State, disk: &DiskNotes, uri: &Uri, pos: lsp::Position) -> Vec<Uri> {
    let Some(target) = rename_target(state, disk, uri, pos) else {
        return Vec::new();
    };
    renamed_notes(state, &target)
        .into_iter()
        .filter_map(|n| state.uri_of_note(n))
        .collect()
}

pub fn rename(
    state: &State,
    disk: &DiskNotes,
    uri: &Uri,
    pos: lsp::Position,
    new_name: &str,
) -> Result<Option<lsp::WorkspaceEdit>, String> {
    let Some(target) = rename_target(state, disk, uri, pos) else {
        return Ok(None);
    };
    let new_name = new_link_name(new_name)?;
    let (id, self_heading) = match &target {
        RenameTarget::Note { id, .. } => (*id, None),
        RenameTarget::Heading { note, text, .. } => (*note, Some(text.clone())),
    };
    let mut ops: Vec<lsp::DocumentChangeOperation> = Vec::new();
    for n in renamed_notes(state, &target) {
        let Some((u, s)) = state.source_of_note(n, disk) else {
            continue;
        };
        let path = state
            .vault
            .entry(n)
            .map(|e| e.path.clone())
            .unwrap_or_default();
        let edits = match &self_heading {
            None => rename_note_edits(&s.text, &s.note, &path, &state.vault, id, new_name),
            Some(old) => rename_heading_edits(
                &s.text,
                &s.note,
                &path,
                &state.vault,
                Some(n),
                HeadingRename {
                    target: id,
                    old,
                    new: new_name,
                },
            ),
        };
        if edits.is_empty() {
            continue;
        }
        let m = LineMap::new(&s.text, state.encoding);
        ops.push(lsp::DocumentChangeOperation::Edit(lsp::TextDocumentEdit {
            text_document: lsp::OptionalVersionedTextDocumentIdentifier {
                uri: u,
                version: s.version,
            },
            edits: edits
                .iter()
                .map(|e| lsp::OneOf::Left(lsp_edit(&m, e)))
                .collect(),
        }));
    }
    if self_heading.is_none() {
        let new_path = renamed_note_path(&state.vault, id, new_name)?;
        let (Some(old_uri), Some(new_uri)) = (state.uri_of_note(id), state.uri_of(&new_path))
        else {
            return Err("the vault root is unknown".to_string());
        };
        ops.push(lsp::DocumentChangeOperation::Op(lsp::ResourceOp::Rename(
            lsp::RenameFile {
                old_uri,
                new_uri,
                options: Some(lsp::RenameFileOptions {
                    overwrite: Some(false),
                    ignore_if_exists: Some(false),
                }),
                annotation_id: None,
            },
        )));
    }
    Ok(Some(lsp::WorkspaceEdit {
        document_changes: Some(lsp::DocumentChanges::Operations(ops)),
        ..Default::default()
    }))
}
