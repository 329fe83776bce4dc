//! The protocol side: capabilities, and the dispatch of each request and notification to
//! [`features`] (requests), [`documents`] (document sync, watched files, configuration) or
//! [`indexing`]. Every handler runs its work under a panic guard, and none holds the state's
//! lock across a disk read.

mod documents;
mod indexing;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::{mpsc, watch};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{self as lsp, Uri};
use tower_lsp_server::{Client, LanguageServer};
use wikistamp_analysis::config::Config;
use wikistamp_workspace as workspace;

use crate::document::{canonical_lexical, path_of, DiskNotes};
use crate::features;
use crate::position::Encoding;
use crate::state::State;

#[derive(Clone)]
pub struct Backend {
    inner: Arc<Inner>,
}

struct Inner {
    client: Client,
    state: Mutex<State>,
    /// Documents whose diagnostics must be recomputed and published.
    diag_tx: mpsc::UnboundedSender<Uri>,
    indexed_tx: watch::Sender<bool>,
    work_done_progress: AtomicBool,
    watch_dynamic: AtomicBool,
    /// Bumped by each (re)index; a stale indexer stops.
    generation: AtomicU64,
}

/// Runs `f`, turning a panic into an internal error instead of taking the server down.
fn guard<T>(what: &str, f: impl FnOnce() -> T) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|p| {
        let msg = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let mut e = Error::internal_error();
        e.message = format!("wikistamp: internal error in {what}: {msg}").into();
        e
    })
}

impl Backend {
    pub fn new(client: Client) -> Self {
        let (diag_tx, diag_rx) = mpsc::unbounded_channel();
        let (indexed_tx, _) = watch::channel(false);
        let backend = Backend {
            inner: Arc::new(Inner {
                client,
                state: Mutex::new(State::default()),
                diag_tx,
                indexed_tx,
                work_done_progress: AtomicBool::new(false),
                watch_dynamic: AtomicBool::new(false),
                generation: AtomicU64::new(0),
            }),
        };
        tokio::spawn(backend.clone().publish_loop(diag_rx));
        backend
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while the lock was held leaves the state usable: every write is one step.
        self.inner
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs a read-only handler over the state under the panic guard.
    fn read<T>(&self, what: &str, f: impl FnOnce(&State) -> T) -> Result<T> {
        guard(what, || f(&self.state()))
    }

    async fn log(&self, typ: lsp::MessageType, msg: impl std::fmt::Display) {
        self.inner.client.log_message(typ, msg).await;
    }

    /// The notes at `uris` that are not open, read from disk with the lock released.
    async fn read_notes(&self, uris: Vec<Uri>) -> DiskNotes {
        let (root, files) = {
            let st = self.state();
            let files: Vec<(Uri, PathBuf)> = uris
                .into_iter()
                .filter(|u| !st.docs.contains_key(u))
                .filter_map(|u| path_of(&u).map(|p| (u, p)))
                .collect();
            (st.root.clone(), files)
        };
        if files.is_empty() {
            return DiskNotes::default();
        }
        tokio::task::spawn_blocking(move || {
            let files = files
                .into_iter()
                .map(|(u, p)| (u, canonical_lexical(&p)))
                .collect();
            DiskNotes::read(root.as_deref(), files)
        })
        .await
        .unwrap_or_default()
    }

    /// Answers a request about `uri` in two short locks with the disk read between them:
    /// `needs` names the notes the answer reads (besides `uri`), and `answer` computes it, where
    /// the open documents win over what was read.
    async fn answer<T>(
        &self,
        what: &str,
        uri: &Uri,
        needs: impl FnOnce(&State, &DiskNotes) -> Vec<Uri>,
        answer: impl FnOnce(&State, &DiskNotes) -> T,
    ) -> Result<T> {
        let mut disk = self.read_notes(vec![uri.clone()]).await;
        let more = self.read(what, |st| needs(st, &disk))?;
        if !more.is_empty() {
            disk.extend(self.read_notes(more).await);
        }
        self.read(what, |st| answer(st, &disk))
    }
}

/// For [`Backend::answer`]: a request that reads no other note.
fn no_other_notes(_: &State, _: &DiskNotes) -> Vec<Uri> {
    Vec::new()
}

fn capabilities(encoding: Encoding) -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(["[", "#", "!", "<"].map(String::from).to_vec()),
            resolve_provider: Some(true),
            ..Default::default()
        }),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        workspace_symbol_provider: Some(lsp::OneOf::Left(true)),
        document_link_provider: Some(lsp::DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: Default::default(),
        }),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![
                    lsp::CodeActionKind::QUICKFIX,
                    lsp::CodeActionKind::new("source.fixAll.wikistamp"),
                ]),
                ..Default::default()
            },
        )),
        rename_provider: Some(lsp::OneOf::Right(lsp::RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        diagnostic_provider: Some(lsp::DiagnosticServerCapabilities::Options(
            lsp::DiagnosticOptions {
                identifier: Some("wikistamp".to_string()),
                inter_file_dependencies: true,
                workspace_diagnostics: true,
                work_done_progress_options: Default::default(),
            },
        )),
        ..Default::default()
    }
}

fn invalid(msg: impl Into<String>) -> Error {
    Error::invalid_params(msg.into())
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: lsp::InitializeParams) -> Result<lsp::InitializeResult> {
        let encoding = Encoding::negotiate(
            params
                .capabilities
                .general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        #[allow(deprecated)]
        let folder = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| f.uri.clone())
            .or(params.root_uri.clone())
            .and_then(|u| path_of(&u));
        let caps = &params.capabilities;
        self.inner.work_done_progress.store(
            caps.window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
            Ordering::SeqCst,
        );
        self.inner.watch_dynamic.store(
            caps.workspace
                .as_ref()
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            Ordering::SeqCst,
        );
        let snippets = caps
            .text_document
            .as_ref()
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref())
            .and_then(|i| i.snippet_support)
            .unwrap_or(false);
        let link_with_title = params
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("linkStyle"))
            .and_then(|v| v.as_str())
            == Some("title");
        let (overrides, problems) =
            crate::state::rule_overrides(params.initialization_options.as_ref());
        let mut message = (!problems.is_empty()).then(|| problems.join("; "));
        let vault = folder.map(|folder| {
            let folder = canonical_lexical(&folder);
            let root = workspace::find_root(&folder, &folder);
            let config = workspace::load_config(&root);
            (root, config)
        });
        {
            let mut st = self.state();
            st.rule_overrides = overrides;
            st.set_config(Config::default());
            st.encoding = encoding;
            st.snippets = snippets;
            st.link_with_title = link_with_title;
            if let Some((root, config)) = vault {
                match config {
                    Ok(c) => st.set_config(c),
                    Err(e) => {
                        message = Some(e.to_string());
                        st.config_error = Some(e.to_string());
                    }
                }
                st.root = Some(root);
            }
        }
        if let Some(m) = message {
            self.inner
                .client
                .show_message(lsp::MessageType::ERROR, format!("wikistamp: {m}"))
                .await;
        }
        Ok(lsp::InitializeResult {
            capabilities: capabilities(encoding),
            server_info: Some(lsp::ServerInfo {
                name: "wikistamp".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            ..Default::default()
        })
    }

    async fn initialized(&self, _: lsp::InitializedParams) {
        let (root, err) = {
            let st = self.state();
            (st.root.clone(), st.config_error.clone())
        };
        if let Some(e) = err {
            self.log(lsp::MessageType::ERROR, e).await;
        }
        if self.inner.watch_dynamic.load(Ordering::SeqCst) {
            let me = self.clone();
            tokio::spawn(async move { me.register_watchers().await });
        }
        if root.is_some() {
            self.start_index();
        }
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: lsp::DidOpenTextDocumentParams) {
        self.open_document(params).await;
    }

    async fn did_change(&self, params: lsp::DidChangeTextDocumentParams) {
        self.change_document(params).await;
    }

    async fn did_save(&self, params: lsp::DidSaveTextDocumentParams) {
        self.enqueue(params.text_document.uri);
    }

    async fn did_close(&self, params: lsp::DidCloseTextDocumentParams) {
        self.close_document(params).await;
    }

    async fn did_change_watched_files(&self, params: lsp::DidChangeWatchedFilesParams) {
        self.watched_files_changed(params).await;
    }

    async fn completion(
        &self,
        params: lsp::CompletionParams,
    ) -> Result<Option<lsp::CompletionResponse>> {
        let p = params.text_document_position;
        let uri = &p.text_document.uri;
        self.answer("completion", uri, no_other_notes, |st, disk| {
            features::completion(st, disk, uri, p.position)
        })
        .await
    }

    async fn completion_resolve(&self, item: lsp::CompletionItem) -> Result<lsp::CompletionItem> {
        let fallback = item.clone();
        let needs = self
            .read("completionItem/resolve", |st| {
                features::completion_resolve_needs(st, &item)
            })
            .ok()
            .flatten();
        let disk = self.read_notes(needs.into_iter().collect()).await;
        Ok(self
            .read("completionItem/resolve", |st| {
                features::completion_resolve(st, &disk, item)
            })
            .unwrap_or(fallback))
    }

    async fn goto_definition(
        &self,
        params: lsp::GotoDefinitionParams,
    ) -> Result<Option<lsp::GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        let (uri, pos) = (&p.text_document.uri, p.position);
        self.answer(
            "definition",
            uri,
            |st, disk| features::linked_note_needs(st, disk, uri, pos),
            |st, disk| {
                features::definition(st, disk, uri, pos).map(lsp::GotoDefinitionResponse::Scalar)
            },
        )
        .await
    }

    async fn references(&self, params: lsp::ReferenceParams) -> Result<Option<Vec<lsp::Location>>> {
        self.wait_indexed().await;
        let p = params.text_document_position;
        let (uri, pos) = (&p.text_document.uri, p.position);
        self.answer(
            "references",
            uri,
            |st, disk| features::references_needs(st, disk, uri, pos),
            |st, disk| features::references(st, disk, uri, pos),
        )
        .await
    }

    async fn hover(&self, params: lsp::HoverParams) -> Result<Option<lsp::Hover>> {
        let p = params.text_document_position_params;
        let (uri, pos) = (&p.text_document.uri, p.position);
        self.answer(
            "hover",
            uri,
            |st, disk| features::linked_note_needs(st, disk, uri, pos),
            |st, disk| features::hover(st, disk, uri, pos),
        )
        .await
    }

    async fn document_link(
        &self,
        params: lsp::DocumentLinkParams,
    ) -> Result<Option<Vec<lsp::DocumentLink>>> {
        let uri = &params.text_document.uri;
        self.answer("documentLink", uri, no_other_notes, |st, disk| {
            features::document_links(st, disk, uri)
        })
        .await
    }

    async fn document_symbol(
        &self,
        params: lsp::DocumentSymbolParams,
    ) -> Result<Option<lsp::DocumentSymbolResponse>> {
        let uri = &params.text_document.uri;
        self.answer("documentSymbol", uri, no_other_notes, |st, disk| {
            features::document_symbols(st, disk, uri).map(lsp::DocumentSymbolResponse::Nested)
        })
        .await
    }

    async fn symbol(
        &self,
        params: lsp::WorkspaceSymbolParams,
    ) -> Result<Option<lsp::WorkspaceSymbolResponse>> {
        self.read("workspace/symbol", |st| {
            Some(lsp::WorkspaceSymbolResponse::Flat(
                features::workspace_symbols(st, &params.query),
            ))
        })
    }

    async fn code_action(
        &self,
        params: lsp::CodeActionParams,
    ) -> Result<Option<lsp::CodeActionResponse>> {
        let uri = &params.text_document.uri;
        self.answer("codeAction", uri, no_other_notes, |st, disk| {
            features::code_actions(st, disk, uri, params.range)
        })
        .await
    }

    async fn prepare_rename(
        &self,
        params: lsp::TextDocumentPositionParams,
    ) -> Result<Option<lsp::PrepareRenameResponse>> {
        let uri = &params.text_document.uri;
        self.answer("prepareRename", uri, no_other_notes, |st, disk| {
            features::prepare_rename(st, disk, uri, params.position)
        })
        .await
    }

    async fn rename(&self, params: lsp::RenameParams) -> Result<Option<lsp::WorkspaceEdit>> {
        self.wait_indexed().await;
        let p = params.text_document_position;
        let (uri, pos) = (&p.text_document.uri, p.position);
        self.answer(
            "rename",
            uri,
            |st, disk| features::rename_needs(st, disk, uri, pos),
            |st, disk| features::rename(st, disk, uri, pos, &params.new_name),
        )
        .await?
        .map_err(invalid)
    }

    async fn diagnostic(
        &self,
        params: lsp::DocumentDiagnosticParams,
    ) -> Result<lsp::DocumentDiagnosticReportResult> {
        self.wait_indexed().await;
        let uri = &params.text_document.uri;
        let (items, _) = self
            .answer(
                "textDocument/diagnostic",
                uri,
                no_other_notes,
                |st, disk| features::diagnostics(st, disk, uri),
            )
            .await?;
        Ok(lsp::DocumentDiagnosticReportResult::Report(
            lsp::DocumentDiagnosticReport::Full(lsp::RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            }),
        ))
    }

    async fn workspace_diagnostic(
        &self,
        _: lsp::WorkspaceDiagnosticParams,
    ) -> Result<lsp::WorkspaceDiagnosticReportResult> {
        self.wait_indexed().await;
        let no_disk = DiskNotes::default();
        let items = self.read("workspace/diagnostic", |st| {
            let mut uris: Vec<&Uri> = st.docs.keys().collect();
            uris.sort();
            uris.into_iter()
                .map(|u| {
                    let (items, version) = features::diagnostics(st, &no_disk, u);
                    lsp::WorkspaceDocumentDiagnosticReport::Full(
                        lsp::WorkspaceFullDocumentDiagnosticReport {
                            uri: u.clone(),
                            version: version.map(i64::from),
                            full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport {
                                result_id: None,
                                items,
                            },
                        },
                    )
                })
                .collect()
        })?;
        Ok(lsp::WorkspaceDiagnosticReportResult::Report(
            lsp::WorkspaceDiagnosticReport { items },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_internal_error() {
        let r: Result<()> = guard("hover", || panic!("boom"));
        let e = r.expect_err("guarded panic");
        assert_eq!(e.code, tower_lsp_server::jsonrpc::ErrorCode::InternalError);
        assert!(e.message.contains("hover") && e.message.contains("boom"));
        assert_eq!(guard("x", || 7).ok(), Some(7));
    }
}
