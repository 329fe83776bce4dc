//! Where links lead: definition, references, hover and document links.

use std::collections::BTreeMap;
use std::str::FromStr;

use tower_lsp_server::ls_types::{self as lsp, Uri};
use wikistamp_analysis::ide::navigation::{find_heading, item_at, preview, Item};
use wikistamp_analysis::ide::transcript::{citation_hover, cue_at, note_transcript, youtube_url};
use wikistamp_analysis::syntax::block_ids;
use wikistamp_analysis::vault::NoteId;

use super::link_target;
use crate::document::{DiskNotes, Source};
use crate::position::LineMap;
use crate::state::State;

/// What a definition or hover at `pos` reads: the note the link under the cursor leads to.
pub fn linked_note_needs(
    state: &State,
    disk: &DiskNotes,
    uri: &Uri,
    pos: lsp::Position,
) -> Vec<Uri> {
    let linked = |src: Source| {
        let map = LineMap::new(&src.text, state.encoding);
        let Some(Item::Link(i)) = item_at(&src.note, map.offset(pos)) else {
            return None;
        };
        link_target(state, uri, &src, i)
    };
    state
        .source(uri, disk)
        .and_then(linked)
        .and_then(|id| state.uri_of_note(id))
        .into_iter()
        .collect()
}

pub fn definition(
    state: &State,
    disk: &DiskNotes,
    uri: &Uri,
    pos: lsp::Position,
) -> Option<lsp::Location> {
    let src = state.source(uri, disk)?;
    let map = LineMap::new(&src.text, state.encoding);
    let i = match item_at(&src.note, map.offset(pos))? {
        Item::Link(i) => i,
        Item::Citation(i) => return transcript_location(state, &src, i),
        Item::Heading(_) => return None,
    };
    let l = &src.note.links[i];
    // As the link means them: a Markdown link's are percent-decoded.
    let fragment = l
        .fragment
        .clone()
        .map(|f| l.read(&src.text, &f).into_owned());
    let (target_uri, target_src) = if l.read(&src.text, &l.target).is_empty() {
        (uri.clone(), src)
    } else {
        let id = link_target(state, uri, &src, i)?;
        state.source_of_note(id, disk)?
    };
    let tmap = LineMap::new(&target_src.text, state.encoding);
    let mut range = lsp::Range::default();
    if let Some(frag) = fragment {
        let t = &target_src.text;
        // `#^id` (or `#Heading#^id`): the block's id.
        let block = frag
            .rsplit('#')
            .next()
            .and_then(|last| last.strip_prefix('^'));
        if let Some(id) = block {
            if let Some(at) = block_ids(t, &target_src.note)
                .into_iter()
                .find(|r| t[r.clone()].eq_ignore_ascii_case(id))
            {
                range = tmap.range(&at);
            }
        } else {
            let headings = target_src.note.headings.iter().map(|h| &t[h.text.clone()]);
            if let Some(h) = find_heading(headings, &frag) {
                range = tmap.range(&target_src.note.headings[h].range);
            }
        }
    }
    Some(lsp::Location::new(target_uri, range))
}

/// Where the transcript of the note's video says citation `citation`'s moment: the caption
/// said then (else the next one), at the line of its timing.
fn transcript_location(state: &State, src: &Source, citation: usize) -> Option<lsp::Location> {
    let time = src.note.citations.get(citation)?.time.as_ref().ok()?;
    let file = note_transcript(&state.vault, &src.note)?;
    let cue = cue_at(&file.transcript, time.seconds * 1000)?;
    let uri = state.uri_of(&file.path)?;
    let line = u32::try_from(cue.line.saturating_sub(1)).unwrap_or(0);
    let at = lsp::Position::new(line, 0);
    Some(lsp::Location::new(uri, lsp::Range::new(at, at)))
}

/// The note whose backlinks are asked for: the one a link at the cursor leads to, else this one.
fn references_target(
    state: &State,
    disk: &DiskNotes,
    uri: &Uri,
    pos: lsp::Position,
) -> Option<NoteId> {
    let src = state.source(uri, disk)?;
    let map = LineMap::new(&src.text, state.encoding);
    match item_at(&src.note, map.offset(pos)) {
        Some(Item::Link(i)) => link_target(state, uri, &src, i),
        _ => state.vault.id_of(src.rel_path.as_deref()?),
    }
}

/// The notes that link to the target.
pub fn references_needs(
    state: &State,
    disk: &DiskNotes,
    uri: &Uri,
    pos: lsp::Position,
) -> Vec<Uri> {
    let Some(id) = references_target(state, disk, uri, pos) else {
        return Vec::new();
    };
    let mut from: Vec<NoteId> = state
        .vault
        .backlinks(id)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    from.sort();
    from.dedup();
    from.into_iter()
        .filter_map(|n| state.uri_of_note(n))
        .collect()
}

/// Backlinks to the note a link at the cursor leads to, else to this note.
pub fn references(
    state: &State,
    disk: &DiskNotes,
    uri: &Uri,
    pos: lsp::Position,
) -> Option<Vec<lsp::Location>> {
    let id = references_target(state, disk, uri, pos)?;
    let mut by_note: BTreeMap<NoteId, Vec<usize>> = BTreeMap::new();
    for (from, link) in state.vault.backlinks(id) {
        by_note.entry(from).or_default().push(link);
    }
    let mut out = Vec::new();
    for (from, links) in by_note {
        let Some((u, s)) = state.source_of_note(from, disk) else {
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

pub fn hover(state: &State, disk: &DiskNotes, uri: &Uri, pos: lsp::Position) -> Option<lsp::Hover> {
    let src = state.source(uri, disk)?;
    let map = LineMap::new(&src.text, state.encoding);
    let (value, range) = match item_at(&src.note, map.offset(pos))? {
        Item::Link(i) => {
            let id = link_target(state, uri, &src, i)?;
            let e = state.vault.entry(id)?;
            let title = e.title.clone().unwrap_or_else(|| e.name.clone());
            let body = state
                .source_of_note(id, disk)
                .map(|(_, s)| preview(&s.text, &s.note, 6))
                .unwrap_or_default();
            (
                format!("**{title}**  \n`{}`\n\n{body}", e.path),
                src.note.links[i].range.clone(),
            )
        }
        Item::Citation(i) => (
            citation_hover(&state.vault, &src.text, &src.note, i)?,
            src.note.citations[i].range.clone(),
        ),
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

pub fn document_links(
    state: &State,
    disk: &DiskNotes,
    uri: &Uri,
) -> Option<Vec<lsp::DocumentLink>> {
    let src = state.source(uri, disk)?;
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
        let Some(id) = link_target(state, uri, &src, i) else {
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
