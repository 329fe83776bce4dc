//! The request handlers, as synchronous functions over a locked [`State`]: each converts
//! positions, asks the analysis, and converts the answer back. No analysis logic lives here.

use std::collections::BTreeMap;
use std::str::FromStr;

use tower_lsp_server::ls_types::{self as lsp, Uri};
use wikistamp_analysis::fix::fix_to_fixpoint;
use wikistamp_analysis::ide::completion::{
    citation_snippet, context_at, rank_notes, CompletionContext, CALLOUT_TYPES,
};
use wikistamp_analysis::ide::navigation::{find_heading, item_at, preview, resolve_link, Item};
use wikistamp_analysis::ide::rename::{rename_heading_edits, rename_note_edits, HeadingRename};
use wikistamp_analysis::syntax::TimeForm;
use wikistamp_analysis::vault::{NoteId, Resolution};
use wikistamp_analysis::{parse, Applicability, Diagnostic, RuleId, Severity, TextEdit};

use crate::position::LineMap;
use crate::state::{Source, State};

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
pub fn diagnostics(state: &State, uri: &Uri) -> (Vec<lsp::Diagnostic>, Option<i32>) {
    let Some((text, diags, version)) = state.check_uri(uri) else {
        return (Vec::new(), None);
    };
    let map = LineMap::new(&text, state.encoding);
    let out = diags
        .iter()
        .map(|d| to_lsp_diagnostic(&map, uri, d))
        .collect();
    (out, version)
}

fn lsp_edit(map: &LineMap<'_>, e: &TextEdit) -> lsp::TextEdit {
    lsp::TextEdit::new(map.range(&e.range), e.new_text.clone())
}

// ---------------------------------------------------------------- completion

pub fn completion(state: &State, uri: &Uri, pos: lsp::Position) -> Option<lsp::CompletionResponse> {
    let src = state.source(uri)?;
    let map = LineMap::new(&src.text, state.encoding);
    let offset = map.offset(pos);
    let ctx = context_at(&src.text, offset)?;
    let text = &src.text;
    let items = match ctx {
        CompletionContext::LinkTarget { typed, closed } => {
            let query = &text[typed.clone()];
            let range = map.range(&typed);
            let close = if closed { "" } else { "]]" };
            let matches = rank_notes(&state.vault, query, MAX_COMPLETIONS);
            let from = state.check_path(uri);
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
            let headings: Vec<String> = if target_text.is_empty() {
                src.note
                    .headings
                    .iter()
                    .map(|h| text[h.text.clone()].to_string())
                    .collect()
            } else {
                match state.vault.resolve(&state.check_path(uri), target_text) {
                    Resolution::Note(id) => state
                        .vault
                        .entry(id)
                        .map(|e| e.headings.to_vec())
                        .unwrap_or_default(),
                    _ => Vec::new(),
                }
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

/// Adds the note's first lines as documentation.
pub fn completion_resolve(state: &State, mut item: lsp::CompletionItem) -> lsp::CompletionItem {
    let path = item
        .data
        .as_ref()
        .and_then(|d| d.get("path"))
        .and_then(|p| p.as_str());
    if let Some(uri) = path.and_then(|p| state.uri_of(p)) {
        if let Some(src) = state.source(&uri) {
            item.documentation = Some(lsp::Documentation::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: preview(&src.text, &src.note, 8),
            }));
        }
    }
    item
}

// ---------------------------------------------------------------- navigation

/// The note a link at `offset` leads to, with the heading index its fragment names.
fn link_target(
    state: &State,
    uri: &Uri,
    src: &Source,
    link: usize,
) -> Option<(NoteId, Option<String>)> {
    let from = state.check_path(uri);
    let l = src.note.links.get(link)?;
    let fragment = l.fragment.clone().map(|f| src.text[f].to_string());
    let target = &src.text[l.target.clone()];
    let id = if target.is_empty() {
        state.vault.id_of(&from)?
    } else {
        match resolve_link(&state.vault, &from, &src.text, &src.note, link) {
            Resolution::Note(id) => id,
            _ => return None,
        }
    };
    Some((id, fragment))
}

pub fn definition(state: &State, uri: &Uri, pos: lsp::Position) -> Option<lsp::Location> {
    let src = state.source(uri)?;
    let map = LineMap::new(&src.text, state.encoding);
    let Some(Item::Link(i)) = item_at(&src.note, map.offset(pos)) else {
        return None;
    };
    let l = &src.note.links[i];
    let fragment = l.fragment.clone().map(|f| src.text[f].to_string());
    let (target_uri, target_src) = if src.text[l.target.clone()].is_empty() {
        (uri.clone(), src)
    } else {
        let (id, _) = link_target(state, uri, &src, i)?;
        state.source_of_note(id)?
    };
    let tmap = LineMap::new(&target_src.text, state.encoding);
    let mut range = lsp::Range::default();
    if let Some(frag) = fragment {
        let t = &target_src.text;
        let headings = target_src.note.headings.iter().map(|h| &t[h.text.clone()]);
        if let Some(h) = find_heading(headings, &frag) {
            range = tmap.range(&target_src.note.headings[h].range);
        }
    }
    Some(lsp::Location::new(target_uri, range))
}

/// Backlinks to the note a link at the cursor leads to, else to this note.
pub fn references(state: &State, uri: &Uri, pos: lsp::Position) -> Option<Vec<lsp::Location>> {
    let src = state.source(uri)?;
    let map = LineMap::new(&src.text, state.encoding);
    let id = match item_at(&src.note, map.offset(pos)) {
        Some(Item::Link(i)) => link_target(state, uri, &src, i)?.0,
        _ => state.vault.id_of(&state.rel_path(uri)?)?,
    };
    let mut by_note: BTreeMap<NoteId, Vec<usize>> = BTreeMap::new();
    for (from, link) in state.vault.backlinks(id) {
        by_note.entry(from).or_default().push(link);
    }
    let mut out = Vec::new();
    for (from, links) in by_note {
        let Some((u, s)) = state.source_of_note(from) else {
            continue;
        };
        let m = LineMap::new(&s.text, state.encoding);
        for i in links {
            if let Some(l) = s.note.links.get(i) {
                out.push(lsp::Location::new(u.clone(), m.range(&l.range)));
            }
        }
    }
    Some(out)
}

fn youtube_url(video_id: &str, seconds: u64) -> String {
    format!("https://youtu.be/{video_id}?t={seconds}")
}

pub fn hover(state: &State, uri: &Uri, pos: lsp::Position) -> Option<lsp::Hover> {
    let src = state.source(uri)?;
    let map = LineMap::new(&src.text, state.encoding);
    let (value, range) = match item_at(&src.note, map.offset(pos))? {
        Item::Link(i) => {
            let (id, _) = link_target(state, uri, &src, i)?;
            let e = state.vault.entry(id)?;
            let title = e.title.clone().unwrap_or_else(|| e.name.clone());
            let body = state
                .source_of_note(id)
                .map(|(_, s)| preview(&s.text, &s.note, 6))
                .unwrap_or_default();
            (
                format!("**{title}**  \n`{}`\n\n{body}", e.path),
                src.note.links[i].range.clone(),
            )
        }
        Item::Citation(i) => {
            let c = &src.note.citations[i];
            let time = c.time.as_ref().ok()?;
            let written = c
                .data_t
                .clone()
                .map(|r| src.text[r].to_string())
                .unwrap_or_default();
            let mut value = format!("`{}` = {} s", time.canonical(), time.seconds);
            if time.form == TimeForm::MinutesSeconds {
                value.push_str(&format!(
                    " (written `{written}`: the player reads it as hours:minutes)"
                ));
            }
            if let Some(v) = src.note.video_id() {
                value.push_str(&format!("\n\n{}", youtube_url(&v.value, time.seconds)));
            }
            (value, c.range.clone())
        }
        Item::Heading(_) => return None,
    };
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value,
        }),
        range: Some(map.range(&range)),
    })
}

pub fn document_links(state: &State, uri: &Uri) -> Option<Vec<lsp::DocumentLink>> {
    let src = state.source(uri)?;
    let map = LineMap::new(&src.text, state.encoding);
    let mut out = Vec::new();
    if let Some(v) = src.note.video_id() {
        for c in &src.note.citations {
            let Ok(t) = &c.time else { continue };
            out.push(lsp::DocumentLink {
                range: map.range(&c.range),
                target: Uri::from_str(&youtube_url(&v.value, t.seconds)).ok(),
                tooltip: Some(format!("Open the video at {}", t.canonical())),
                data: None,
            });
        }
    }
    for i in 0..src.note.links.len() {
        let Some((id, _)) = link_target(state, uri, &src, i) else {
            continue;
        };
        let Some(target) = state.uri_of_note(id) else {
            continue;
        };
        out.push(lsp::DocumentLink {
            range: map.range(&src.note.links[i].range),
            target: Some(target),
            tooltip: None,
            data: None,
        });
    }
    Some(out)
}

#[allow(deprecated)]
pub fn document_symbols(state: &State, uri: &Uri) -> Option<Vec<lsp::DocumentSymbol>> {
    let src = state.source(uri)?;
    let map = LineMap::new(&src.text, state.encoding);
    let text_len = src.text.len();
    let hs = &src.note.headings;
    // Each heading's section runs to the next heading of the same or a higher level.
    fn build(
        hs: &[wikistamp_analysis::syntax::Heading],
        i: &mut usize,
        level_above: u8,
        text: &str,
        end_of_text: usize,
        map: &LineMap<'_>,
    ) -> Vec<lsp::DocumentSymbol> {
        let mut out = Vec::new();
        while *i < hs.len() && hs[*i].level > level_above {
            let h = &hs[*i];
            *i += 1;
            let children = build(hs, i, h.level, text, end_of_text, map);
            let end = hs.get(*i).map_or(end_of_text, |n| n.range.start);
            let name = text[h.text.clone()].to_string();
            out.push(lsp::DocumentSymbol {
                name: if name.is_empty() {
                    "(empty heading)".into()
                } else {
                    name
                },
                detail: Some("#".repeat(h.level as usize)),
                kind: lsp::SymbolKind::STRING,
                tags: None,
                deprecated: None,
                range: map.range(&(h.range.start..end.max(h.range.end))),
                selection_range: map.range(&h.text),
                children: (!children.is_empty()).then_some(children),
            });
        }
        out
    }
    let mut i = 0;
    let mut out = Vec::new();
    while i < hs.len() {
        out.extend(build(hs, &mut i, 0, &src.text, text_len, &map));
    }
    Some(out)
}

#[allow(deprecated)]
pub fn workspace_symbols(state: &State, query: &str) -> Vec<lsp::SymbolInformation> {
    rank_notes(&state.vault, query, MAX_COMPLETIONS)
        .into_iter()
        .filter_map(|m| {
            let e = state.vault.entry(m.id)?;
            Some(lsp::SymbolInformation {
                name: e.title.clone().unwrap_or_else(|| e.name.clone()),
                kind: lsp::SymbolKind::FILE,
                tags: None,
                deprecated: None,
                location: lsp::Location::new(state.uri_of(&e.path)?, lsp::Range::default()),
                container_name: Some(e.path.clone()),
            })
        })
        .collect()
}

// ---------------------------------------------------------------- code actions

pub fn code_actions(
    state: &State,
    uri: &Uri,
    range: lsp::Range,
) -> Option<Vec<lsp::CodeActionOrCommand>> {
    let src = state.source(uri)?;
    let map = LineMap::new(&src.text, state.encoding);
    let wanted = map.byte_range(range);
    let diags = state.check(uri, &src.text, &src.note);
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
    // Fix all: every safe fix, to a fixpoint, as one minimal edit.
    if diags.iter().any(|d| {
        d.fix
            .as_ref()
            .is_some_and(|f| f.applicability == Applicability::Safe)
    }) {
        let fixed = fix_to_fixpoint(&src.text, false, |t| {
            let note = parse(t);
            state.check(uri, t, &note)
        });
        if fixed.applied > 0 {
            let edit = minimal_edit(&src.text, &fixed.text);
            out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: format!(
                    "Fix all safe wikistamp findings in this note ({})",
                    fixed.applied
                ),
                kind: Some(lsp::CodeActionKind::new("source.fixAll.wikistamp")),
                edit: Some(edit_for(vec![lsp_edit(&map, &edit)])),
                ..Default::default()
            }));
        }
    }
    Some(out)
}

/// The single edit that turns `old` into `new`: their differing middle.
fn minimal_edit(old: &str, new: &str) -> TextEdit {
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((i, _), _)| i);
    let prefix = wikistamp_analysis::text::floor_char_boundary(new, prefix);
    let max_suffix = (old.len() - prefix).min(new.len() - prefix);
    let mut suffix = 0;
    let (ob, nb) = (old.as_bytes(), new.as_bytes());
    while suffix < max_suffix && ob[old.len() - 1 - suffix] == nb[new.len() - 1 - suffix] {
        suffix += 1;
    }
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    TextEdit::replace(prefix..old.len() - suffix, &new[prefix..new.len() - suffix])
}

fn create_note_action(
    state: &State,
    src: &Source,
    d: &Diagnostic,
    lsp_diag: lsp::Diagnostic,
) -> Option<lsp::CodeActionOrCommand> {
    let target = src.text.get(d.range.clone())?.trim();
    let root = state.root.as_ref()?;
    let rel = target.replace('\\', "/");
    if rel.is_empty()
        || rel.starts_with('/')
        || rel
            .split('/')
            .any(|p| p.trim().is_empty() || p == "." || p == "..")
    {
        return None;
    }
    let file = if rel.to_ascii_lowercase().ends_with(".md") {
        rel.clone()
    } else {
        format!("{rel}.md")
    };
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

// ---------------------------------------------------------------- rename

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

fn rename_target(state: &State, uri: &Uri, pos: lsp::Position) -> Option<RenameTarget> {
    let src = state.source(uri)?;
    let map = LineMap::new(&src.text, state.encoding);
    match item_at(&src.note, map.offset(pos))? {
        Item::Link(i) => {
            let l = &src.note.links[i];
            let (id, _) = link_target(state, uri, &src, i)?;
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
            let note = state.vault.id_of(&state.rel_path(uri)?)?;
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
    uri: &Uri,
    pos: lsp::Position,
) -> Option<lsp::PrepareRenameResponse> {
    Some(match rename_target(state, uri, pos)? {
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

pub fn rename(
    state: &State,
    uri: &Uri,
    pos: lsp::Position,
    new_name: &str,
) -> Result<Option<lsp::WorkspaceEdit>, String> {
    let Some(target) = rename_target(state, uri, pos) else {
        return Ok(None);
    };
    let new_name = new_name.trim();
    if new_name.is_empty() || new_name.contains(['[', ']', '|', '#', '^']) {
        return Err(format!("`{new_name}` cannot be a link target"));
    }
    let (id, self_heading) = match &target {
        RenameTarget::Note { id, .. } => (*id, None),
        RenameTarget::Heading { note, text, .. } => (*note, Some(text.clone())),
    };
    // Every note linking to the target, plus the target itself for `[[#heading]]` links.
    let mut notes: Vec<NoteId> = state
        .vault
        .backlinks(id)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    notes.push(id);
    notes.sort();
    notes.dedup();
    let mut ops: Vec<lsp::DocumentChangeOperation> = Vec::new();
    for n in notes {
        let Some((u, s)) = state.source_of_note(n) else {
            continue;
        };
        let path = state
            .vault
            .entry(n)
            .map(|e| e.path.clone())
            .unwrap_or_default();
        let edits = match &self_heading {
            None => rename_note_edits(&s.text, &s.note, &path, &state.vault, id, new_name),
            Some(old) => {
                let mut e = rename_heading_edits(
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
                );
                if n == id {
                    // The heading itself.
                    if let Some(h) = s
                        .note
                        .headings
                        .iter()
                        .find(|h| &s.text[h.text.clone()] == old)
                    {
                        e.push(TextEdit::replace(h.text.clone(), new_name));
                    }
                }
                e
            }
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
        if new_name.contains(['/', '\\']) {
            return Err("a new note name cannot contain a folder".to_string());
        }
        let entry = state.vault.entry(id).ok_or("the note is gone")?;
        let dir = entry.path.rsplit_once('/').map_or("", |(d, _)| d);
        let new_path = if dir.is_empty() {
            format!("{new_name}.md")
        } else {
            format!("{dir}/{new_name}.md")
        };
        if state.vault.id_of(&new_path).is_some() {
            return Err(format!("a note `{new_path}` already exists"));
        }
        let (Some(old_uri), Some(new_uri)) = (state.uri_of(&entry.path), state.uri_of(&new_path))
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

#[cfg(test)]
mod tests {
    use super::*;
    use wikistamp_analysis::fix::apply_edits;

    #[test]
    fn minimal_edit_is_the_differing_middle() {
        let e = minimal_edit("a [[x]] b 日本", "a [[yy]] b 日本");
        assert_eq!(e.range, 4..5);
        assert_eq!(e.new_text, "yy");
        assert_eq!(apply_edits("abc", &[minimal_edit("abc", "abXc")]), "abXc");
        assert_eq!(apply_edits("日本", &[minimal_edit("日本", "日")]), "日");
    }
}
