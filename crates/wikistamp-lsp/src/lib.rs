//! The wikistamp language server (`wikistamp lsp`).
//!
//! This crate is the only place that knows LSP positions, JSON-RPC and the editor's documents:
//! it converts between the protocol and `wikistamp-analysis` (byte offsets), which does all the
//! analysis. Open documents override the files on disk; the vault is indexed
//! in the background and each edit re-checks only the edited note.

mod document;
mod features;
mod framing;
pub mod position;
mod server;
mod state;

use std::time::Duration;

use tower_lsp_server::{LspService, Server};

/// Serves the protocol on standard input and output until the client exits.
pub fn run_stdio() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let (service, socket) = LspService::new(server::Backend::new);
        let (filtered_in, filter_out) = tokio::io::duplex(1 << 16);
        tokio::spawn(framing::filter(tokio::io::stdin(), filter_out));
        Server::new(filtered_in, tokio::io::stdout(), socket)
            .serve(service)
            .await;
    });
    runtime.shutdown_timeout(Duration::from_millis(500));
    Ok(())
}
