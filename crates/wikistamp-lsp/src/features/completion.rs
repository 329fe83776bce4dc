//! Completion: link targets, headings, callout types and citations; the note preview on resolve.

use tower_lsp_server::ls_types::{self as lsp, Uri};
use wikistamp_analysis::ide::completion::{
    citation_snippet, context_at, rank_notes, CompletionContext, CALLOUT_TYPES,
};
use wikistamp_analysis::ide::navigation::preview;
use wikistamp_analysis::ide::transcript::{
    best_moments, cite_seconds, claim_before, note_transcript, words_from,
};
use wikistamp_analysis::syntax::format_hms;
use wikistamp_analysis::vault::{AnchorList, NoteEntry, Resolution};

use super::MAX_COMPLETIONS;
use crate::document::{DiskNotes, Source};
use crate::position::LineMap;
use crate::state::State;

/// At most this many moments offered for a citation's time.
const MAX_MOMENTS: usize = 5;

pub fn completion(
    state: &State,
    disk: &DiskNotes,
    uri: &Uri,
    pos: lsp::Position,
) -> Option<lsp::CompletionResponse> {
    let src = state.source(uri, disk)?;
    let map = LineMap::new(&src.text, state.encoding);
    let offset = map.offset(pos);
    if let Some(items) = citation_time_items(state, &src, &map, offset) {
        return Some(lsp::CompletionResponse::List(lsp::CompletionList {
            is_incomplete: true,
            items,
        }));
    }
    let ctx = context_at(&src.text, offset)?;
    let text = &src.text;
    let items = match ctx {
        CompletionContext::LinkTarget { typed, closed } => {
            let query = &text[typed.clone()];
            let range = map.range(&typed);
            let close = if closed { "" } else { "]]" };
            let matches = rank_notes(&state.vault, query, MAX_COMPLETIONS);
            let from = State::check_path(uri, &src);
            matches
                .iter()
                .enumerate()
                .filter_map(|(rank, m)| {
                    let e = state.vault.entry(m.id)?;
                    // An ambiguous name is written as its path.
                    let target = if state.vault.resolve(&from, &e.name) == Resolution::Note(m.id) {
                        e.name.clone()
                    } else {
                        wikistamp_analysis::vault::strip_md(&e.path).to_string()
                    };
                    let display = m
                        .alias
                        .clone()
                        .or_else(|| e.title.clone().filter(|_| state.link_with_title));
                    let new_text = match &display {
                        Some(d) if d != &target => format!("{target} | {d}{close}"),
                        _ => format!("{target}{close}"),
                    };
                    Some(lsp::CompletionItem {
                        label: e.name.clone(),
                        kind: Some(lsp::CompletionItemKind::FILE),
                        detail: e.title.clone(),
                        label_details: m.alias.as_ref().map(|a| lsp::CompletionItemLabelDetails {
                            detail: Some(format!(" (alias {a})")),
                            description: None,
                        }),
                        sort_text: Some(format!("{rank:04}")),
                        // The server ranks (on name, title and aliases); the client keeps all.
                        filter_text: Some(query.to_string()),
                        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(
                            range, new_text,
                        ))),
                        data: Some(serde_json::json!({ "path": e.path })),
                        ..Default::default()
                    })
                })
                .collect::<Vec<_>>()
        }
        CompletionContext::Heading { target, typed } => {
            let target_text = &text[target];
            // After `#^`, the note's block ids (written with their `^`); else its headings.
            let blocks = text[typed.clone()].starts_with('^');
            let anchors = if target_text.is_empty() {
                NoteEntry::anchors_of(&src.note, text)
            } else {
                match state
                    .vault
                    .resolve(&State::check_path(uri, &src), target_text)
                {
                    Resolution::Note(id) => state
                        .vault
                        .entry(id)
                        .map(|e| AnchorList {
                            headings: e.anchors.headings().to_vec(),
                            block_ids: e.anchors.block_ids().to_vec(),
                        })
                        .unwrap_or_default(),
                    _ => AnchorList::default(),
                }
            };
            let headings: Vec<String> = if blocks {
                anchors
                    .block_ids
                    .iter()
                    .map(|id| format!("^{id}"))
                    .collect()
            } else {
                anchors.headings
            };
            let range = map.range(&typed);
            headings
                .into_iter()
                .enumerate()
                .map(|(i, h)| lsp::CompletionItem {
                    label: h.clone(),
                    kind: Some(lsp::CompletionItemKind::REFERENCE),
                    sort_text: Some(format!("{i:04}")),
                    text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(range, h))),
                    ..Default::default()
                })
                .collect()
        }
        CompletionContext::CalloutType { typed } => {
            let range = map.range(&typed);
            let closes = text[typed.end..].starts_with(']');
            CALLOUT_TYPES
                .iter()
                .map(|s| s.to_string())
                .chain(state.config.callouts.custom_types.iter().cloned())
                .enumerate()
                .map(|(i, ty)| {
                    let insert = format!("{}{}", ty.to_uppercase(), if closes { "" } else { "]" });
                    lsp::CompletionItem {
                        label: ty,
                        kind: Some(lsp::CompletionItemKind::ENUM_MEMBER),
                        sort_text: Some(format!("{i:04}")),
                        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(
                            range, insert,
                        ))),
                        ..Default::default()
                    }
                })
                .collect()
        }
        CompletionContext::Citation { typed } => {
            let range = map.range(&typed);
            let (text, format) = if state.snippets {
                (
                    citation_snippet().to_string(),
                    lsp::InsertTextFormat::SNIPPET,
                )
            } else {
                (
                    r#"<a class="yt-timestamp" data-t="00:00:00">[00:00:00]</a>"#.to_string(),
                    lsp::InsertTextFormat::PLAIN_TEXT,
                )
            };
            vec![lsp::CompletionItem {
                label: "yt-timestamp citation".to_string(),
                kind: Some(lsp::CompletionItemKind::SNIPPET),
                detail: Some("<a class=\"yt-timestamp\" data-t=\"HH:MM:SS\">".to_string()),
                filter_text: Some(src.text[typed].to_string()),
                insert_text_format: Some(format),
                text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(
                    range, text,
                ))),
                ..Default::default()
            }]
        }
    };
    Some(lsp::CompletionResponse::List(lsp::CompletionList {
        is_incomplete: true,
        items,
    }))
}

/// Inside a citation's `data-t="…"` in a note whose video has a transcript: the moments that
/// best say the claim before the citation, best first, each replacing the time and the label.
fn citation_time_items(
    state: &State,
    src: &Source,
    map: &LineMap<'_>,
    offset: usize,
) -> Option<Vec<lsp::CompletionItem>> {
    let (i, c) = src.note.citations.iter().enumerate().find(|(_, c)| {
        c.data_t
            .as_ref()
            .is_some_and(|r| r.start <= offset && offset <= r.end)
    })?;
    let data_t = c.data_t.clone()?;
    let file = note_transcript(&state.vault, &src.note)?;
    let claim = claim_before(&src.text, &src.note, i)?;
    let typed = src.text.get(data_t.clone())?.to_string();
    let label_inner = c.label_inner(&src.text);
    let items = best_moments(file, &src.text[claim], MAX_MOMENTS)
        .iter()
        .enumerate()
        .map(|(rank, m)| {
            let hms = format_hms(cite_seconds(&file.transcript, m));
            let words = words_from(&file.transcript, m.start_ms, 60);
            lsp::CompletionItem {
                label: hms.clone(),
                kind: Some(lsp::CompletionItemKind::VALUE),
                detail: Some(format!("score {:.1} in {}", m.score, file.path)),
                documentation: Some(lsp::Documentation::MarkupContent(lsp::MarkupContent {
                    kind: lsp::MarkupKind::Markdown,
                    value: format!("“{words}”"),
                })),
                sort_text: Some(format!("{rank:04}")),
                // The server ranks by what the transcript says; the client keeps all.
                filter_text: Some(typed.clone()),
                preselect: Some(rank == 0),
                text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(
                    map.range(&data_t),
                    hms.clone(),
                ))),
                additional_text_edits: label_inner
                    .clone()
                    .map(|l| vec![lsp::TextEdit::new(map.range(&l), hms)]),
                ..Default::default()
            }
        })
        .collect();
    Some(items)
}

/// The note a link completion names (in its `data`).
pub fn completion_resolve_needs(state: &State, item: &lsp::CompletionItem) -> Option<Uri> {
    let path = item.data.as_ref()?.get("path")?.as_str()?;
    state.uri_of(path)
}

/// Adds the note's first lines as documentation.
pub fn completion_resolve(
    state: &State,
    disk: &DiskNotes,
    mut item: lsp::CompletionItem,
) -> lsp::CompletionItem {
    if let Some(uri) = completion_resolve_needs(state, &item) {
        if let Some(src) = state.source(&uri, disk) {
            item.documentation = Some(lsp::Documentation::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: preview(&src.text, &src.note, 8),
            }));
        }
    }
    item
}
