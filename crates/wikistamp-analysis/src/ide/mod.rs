//! Editor features over the analysis, for the language server: what is under the cursor, what
//! to complete, where a link leads, what a rename changes. Pure functions over byte offsets, like
//! the rest of the crate; the server only converts positions and speaks the protocol.

pub mod actions;
pub mod completion;
pub mod navigation;
pub mod rename;
pub mod transcript;
