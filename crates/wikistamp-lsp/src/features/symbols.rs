//! The outline of a note and the vault's notes as symbols.

use tower_lsp_server::ls_types::{self as lsp, Uri};
use wikistamp_analysis::ide::completion::rank_notes;

use super::MAX_COMPLETIONS;
use crate::document::DiskNotes;
use crate::position::LineMap;
use crate::state::State;

#[allow(deprecated)]
pub fn document_symbols(
    state: &State,
    disk: &DiskNotes,
    uri: &Uri,
) -> Option<Vec<lsp::DocumentSymbol>> {
    let src = state.source(uri, disk)?;
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
