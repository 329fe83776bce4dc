//! Reliability end-to-end tests of the real `wikistamp` binary: hostile files (CLI and server),
//! the file system (symlinks, unreadable files, paths leaving the vault), safe writes under a
//! kill, and a language-server edit storm. No timing is asserted here: every run gets a
//! generous deadline only so that a hang fails instead of blocking CI.

#[path = "../lsp/client.rs"]
#[allow(dead_code)]
mod client;

mod common;
mod filesystem;
mod hostile;
mod safe_writes;
mod storm;
mod timing;
