//! wikistamp's workspace: vaults on disk. The CLI and the language server find a vault's root,
//! read its configuration, walk it, read its notes and check them through this crate, and
//! nowhere else; the analysis it drives is given text and answers, and touches no file.
//!
//! - [`root`]: the vault root of a path, `wikistamp.toml`.
//! - [`walk`]: the notes and attachments of a vault, and their vault-relative paths.
//! - [`read`]: reading one note (whole, or its head for the frontmatter).
//! - [`load`]: a whole vault read and indexed, at once or in two passes.
//! - [`index`]: the server's note-by-note index.
//! - [`transcripts`]: the transcripts of the notes' videos: their lengths and words, or why
//!   they cannot be read.
//! - [`check`]: [`Checker`], the one way to check a note.

pub mod check;
pub mod index;
pub mod load;
pub mod read;
pub mod root;
pub mod transcripts;
pub mod walk;

pub use check::Checker;
pub use load::{
    load, load_index, load_index_for, load_texts, read_named_files, with_indexed_text, IndexedNote,
    IndexedVault, LoadedVault,
};
pub use read::{read_note, with_text, SourceNote, UnreadableNote};
pub use root::{
    complete_config, css_callout_types, detect_flavor, find_root, is_vault_root, load_config,
    read_config_file, root_of_checked_path, LoadError,
};
pub use transcripts::{learn_transcripts, learn_vault_transcripts, InvalidTranscript};
pub use walk::{is_markdown, is_within, relative_path, walk, Walked};
