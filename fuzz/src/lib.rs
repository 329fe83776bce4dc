//! Shared helpers of the fuzz targets: turning bytes into a note text and a small vault, and
//! the invariants every target asserts. Each target is a thin wrapper over one function here,
//! so a crasher can be replayed from a plain `cargo test` as well.

use std::ops::Range;

use wikistamp_analysis::config::Config;
use wikistamp_analysis::fix::{apply_edits, fix_to_fixpoint, select_fixes};
use wikistamp_analysis::vault::{NoteEntry, Vault};
use wikistamp_analysis::{check_note, parse, Diagnostic};

/// The note text of a fuzz input: the bytes when they are UTF-8, else their lossy decoding
/// (what the loader does not do — it reports the file — but it keeps the fuzzer's mutations
/// useful).
pub fn text_of(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

pub fn valid_range(text: &str, r: &Range<usize>) -> bool {
    r.start <= r.end
        && r.end <= text.len()
        && text.is_char_boundary(r.start)
        && text.is_char_boundary(r.end)
}

/// Parses and asserts every recorded span is a valid range of the text.
pub fn parse_target(text: &str) {
    let note = parse(text);
    for l in &note.links {
        assert!(valid_range(text, &l.range) && valid_range(text, &l.target), "{l:?}");
    }
    for c in &note.citations {
        assert!(
            valid_range(text, &c.range) && valid_range(text, &c.label) && valid_range(text, &c.open_tag),
            "{c:?}"
        );
    }
    for h in &note.headings {
        assert!(valid_range(text, &h.range) && valid_range(text, &h.text), "{h:?}");
    }
    for b in &note.blocks {
        assert!(valid_range(text, &b.range), "{b:?}");
    }
    for c in &note.callouts {
        assert!(valid_range(text, &c.range) && valid_range(text, &c.kind), "{c:?}");
    }
}

/// A small vault around the fuzzed note: a few notes it can link to, one with headings and an
/// alias, one video note.
pub fn vault_with(path: &str, text: &str) -> (Vault, Config) {
    let config = Config::default();
    let mut vault = Vault::new(&config.links);
    vault.upsert(NoteEntry::from_note(path, &parse(text), text));
    let others: [(&str, &str); 5] = [
        ("note.md", "---\ntitle: Note\naliases: [Alias One]\n---\n# Heading\n## Sub Heading\n"),
        ("other_note.md", "---\ntitle: t\n---\n# Heading\n"),
        ("Other-Note.md", "# Other\n"),
        ("channel.md", "# Channel\n"),
        (
            "dir/video.md",
            "---\ntitle: v\nvideoId: ZtY8VXswa2o\nduration: 00:10:00\n---\nA claim here with words <a class=\"yt-timestamp\" data-t=\"00:01:02\">[00:01:02]</a>.\n",
        ),
    ];
    for (p, t) in others {
        vault.upsert(NoteEntry::from_note(p, &parse(t), t));
    }
    (vault, config)
}

/// Checks `text` as `notes/x.md` in the small vault.
pub fn check_text(text: &str) -> Vec<Diagnostic> {
    let (vault, config) = vault_with("notes/x.md", text);
    check_note(text, &parse(text), "notes/x.md", &vault, &config)
}

/// Runs every rule and asserts every diagnostic and fix range is valid.
pub fn check_target(text: &str) {
    for d in check_text(text) {
        assert!(valid_range(text, &d.range), "{d:?}");
        if let Some(fix) = &d.fix {
            for e in &fix.edits {
                assert!(valid_range(text, &e.range), "{d:?}");
            }
        }
    }
}

/// One pass of fixes keeps every byte outside the edits; fixing to a fixpoint is idempotent.
pub fn fix_target(text: &str) {
    let diagnostics = check_text(text);
    let (edits, _) = select_fixes(text, &diagnostics, true);
    let fixed = apply_edits(text, &edits);
    let mut sorted = edits.clone();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let (mut src, mut dst) = (0usize, 0usize);
    for e in &sorted {
        let gap = &text[src..e.range.start];
        assert_eq!(&fixed[dst..dst + gap.len()], gap, "bytes outside an edit changed");
        dst += gap.len() + e.new_text.len();
        src = e.range.end;
    }
    assert_eq!(&fixed[dst..], &text[src..], "bytes after the last edit changed");

    let once = fix_to_fixpoint(text, true, check_text);
    let twice = fix_to_fixpoint(&once.text, true, check_text);
    assert_eq!(once.text, twice.text, "fixing twice differs from fixing once");
}

pub mod position {
    //! Offset ↔ LSP position conversions: in range, on character boundaries, round-tripping,
    //! and agreeing with the rope the server edits.
    use ropey::Rope;
    use tower_lsp_server::ls_types::Position;
    use wikistamp_analysis::text::floor_char_boundary;
    use wikistamp_lsp::position::{rope_char, Encoding, LineMap};

    /// `data` = 12 bytes of offset / line / column, then the text.
    pub fn target(data: &[u8]) {
        if data.len() < 12 {
            return;
        }
        let word = |i: usize| u32::from_le_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]]);
        let text = super::text_of(&data[12..]);
        let text: &str = &text;
        let offset = word(0) as usize % (text.len() + 2);
        let pos = Position::new(word(4) % 64, word(8) % 256);
        let rope = Rope::from_str(text);
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            let map = LineMap::new(text, enc);
            // offset → position → offset returns the (floored, clamped) offset, unless the
            // offset lies between the `\r` and `\n` of one line ending, which has no position
            // of its own.
            let p = map.position(offset);
            let back = map.offset(p);
            let floored = floor_char_boundary(text, offset);
            let inside_crlf = floored > 0
                && floored < text.len()
                && text.as_bytes()[floored - 1] == b'\r'
                && text.as_bytes()[floored] == b'\n';
            if !inside_crlf {
                assert_eq!(back, floored, "{enc:?} offset {offset} -> {p:?} -> {back}");
            }
            // position → offset is in range, on a boundary, and matches the rope.
            let o = map.offset(pos);
            assert!(o <= text.len() && text.is_char_boundary(o), "{enc:?} {pos:?} -> {o}");
            let c = rope_char(&rope, pos, enc);
            assert_eq!(rope.char_to_byte(c), o, "{enc:?} rope and line map disagree at {pos:?}");
            // and back: the position of that offset is the clamped position.
            let again = map.position(o);
            assert!(
                again.line < pos.line || (again.line == pos.line && again.character <= pos.character),
                "{enc:?} {pos:?} -> {o} -> {again:?}"
            );
        }
    }
}
