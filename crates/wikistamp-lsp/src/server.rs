//! The protocol side: capabilities, notifications that change state, the background indexer and
//! the diagnostics publisher. Every handler runs its work under a panic guard.

use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, watch};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{self as lsp, Uri};
use tower_lsp_server::{Client, LanguageServer};
use wikistamp_analysis::config::{Config, CONFIG_FILE};
use wikistamp_analysis::Vault;
use wikistamp_workspace::{self as workspace, index, is_markdown, relative_path};

use crate::features;
use crate::position::Encoding;
use crate::state::{canonical_lexical, Doc, State};

/// Notes read per indexing step (one progress report each).
const INDEX_CHUNK: usize = 2000;

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

    fn enqueue(&self, uri: Uri) {
        let _ = self.inner.diag_tx.send(uri);
    }

    fn enqueue_all_open(&self) {
        let uris: Vec<Uri> = self.state().docs.keys().cloned().collect();
        for u in uris {
            self.enqueue(u);
        }
    }

    async fn log(&self, typ: lsp::MessageType, msg: impl std::fmt::Display) {
        self.inner.client.log_message(typ, msg).await;
    }

    /// Publishes diagnostics for queued documents, in order, coalescing bursts of edits.
    async fn publish_loop(self, mut rx: mpsc::UnboundedReceiver<Uri>) {
        while let Some(first) = rx.recv().await {
            let mut batch = vec![first];
            while let Ok(u) = rx.try_recv() {
                if !batch.contains(&u) {
                    batch.push(u);
                }
            }
            for uri in batch {
                let result = self.read("diagnostics", |st| {
                    (st.indexed && st.docs.contains_key(&uri))
                        .then(|| features::diagnostics(st, &uri))
                });
                match result {
                    Ok(Some((diags, version))) => {
                        self.inner
                            .client
                            .publish_diagnostics(uri, diags, version)
                            .await;
                    }
                    Ok(None) => {}
                    Err(e) => self.log(lsp::MessageType::ERROR, e.message).await,
                }
            }
        }
    }

    /// Indexes the vault in the background, chunk by chunk, with work-done progress.
    /// Starts (or restarts) background indexing.
    fn start_index(&self) {
        let generation = self.inner.generation.fetch_add(1, Ordering::SeqCst) + 1;
        self.state().indexed = false;
        self.inner.indexed_tx.send_replace(false);
        tokio::spawn(self.clone().index(generation));
    }

    async fn index(self, generation: u64) {
        let stale = || self.inner.generation.load(Ordering::SeqCst) != generation;
        let started = Instant::now();
        let (root, config) = {
            let mut st = self.state();
            st.indexed = false;
            st.vault = Vault::new(&st.config.links);
            (st.root.clone(), st.config.clone())
        };
        self.inner.indexed_tx.send_replace(false);
        let Some(root) = root else {
            self.finish_index(0, started).await;
            return;
        };
        let progress = if self.inner.work_done_progress.load(Ordering::SeqCst) {
            let token = lsp::NumberOrString::String(format!("wikistamp/index/{generation}"));
            match self
                .inner
                .client
                .create_work_done_progress(token.clone())
                .await
            {
                Ok(()) => Some(
                    self.inner
                        .client
                        .progress(token, "wikistamp: indexing")
                        .with_percentage(0)
                        .with_message(root.display().to_string())
                        .begin()
                        .await,
                ),
                Err(_) => None,
            }
        } else {
            None
        };
        let walk_root = root.clone();
        let walk_config = config.clone();
        let walked = tokio::task::spawn_blocking(move || workspace::walk(&walk_root, &walk_config))
            .await
            .map_err(|e| e.to_string())
            .and_then(|r| r.map_err(|e| e.to_string()));
        let (notes, attachments) = match walked {
            Ok(w) => w,
            Err(e) => {
                self.log(
                    lsp::MessageType::ERROR,
                    format!("cannot index {}: {e}", root.display()),
                )
                .await;
                (Vec::new(), Vec::new())
            }
        };
        let total = notes.len();
        let mut done = 0;
        for chunk in notes.chunks(INDEX_CHUNK) {
            if stale() {
                return;
            }
            let chunk_root = root.clone();
            let chunk = chunk.to_vec();
            let n = chunk.len();
            let entries = tokio::task::spawn_blocking(move || index::entries(&chunk_root, &chunk))
                .await
                .unwrap_or_default();
            {
                let mut st = self.state();
                if stale() {
                    return;
                }
                // Open documents override the disk.
                let open: HashSet<String> = st.docs.keys().filter_map(|u| st.rel_path(u)).collect();
                for e in entries {
                    if !open.contains(&e.path) {
                        st.vault.upsert(e);
                    }
                }
            }
            done += n;
            if let Some(p) = &progress {
                let pct = (done * 100 / total.max(1)) as u32;
                p.report_with_message(format!("{done}/{total} notes"), pct)
                    .await;
            }
        }
        {
            let mut st = self.state();
            for a in index::attachment_paths(&root, &attachments) {
                st.vault.add_attachment(&a);
            }
        }
        if let Some(p) = progress {
            p.finish_with_message(format!("{total} notes")).await;
        }
        if !stale() {
            self.finish_index(total, started).await;
        }
    }

    async fn finish_index(&self, total: usize, started: Instant) {
        {
            let mut st = self.state();
            let uris: Vec<Uri> = st.docs.keys().cloned().collect();
            for u in &uris {
                st.upsert_doc(u);
            }
            st.indexed = true;
        }
        self.inner.indexed_tx.send_replace(true);
        self.log(
            lsp::MessageType::INFO,
            format!(
                "wikistamp: indexed {total} notes in {} ms",
                started.elapsed().as_millis()
            ),
        )
        .await;
        self.enqueue_all_open();
    }

    /// Waits (bounded) until the index is complete, for answers that need the whole vault.
    async fn wait_indexed(&self) {
        let mut rx = self.inner.indexed_tx.subscribe();
        let _ = tokio::time::timeout(Duration::from_secs(60), rx.wait_for(|v| *v)).await;
    }

    async fn register_watchers(&self) {
        let options = lsp::DidChangeWatchedFilesRegistrationOptions {
            watchers: ["**/*.md", &format!("**/{CONFIG_FILE}")]
                .into_iter()
                .map(|g| lsp::FileSystemWatcher {
                    glob_pattern: lsp::GlobPattern::String(g.to_string()),
                    kind: None,
                })
                .collect(),
        };
        let registration = lsp::Registration {
            id: "wikistamp-watched-files".to_string(),
            method: "workspace/didChangeWatchedFiles".to_string(),
            register_options: serde_json::to_value(options).ok(),
        };
        if let Err(e) = self
            .inner
            .client
            .register_capability(vec![registration])
            .await
        {
            self.log(
                lsp::MessageType::WARNING,
                format!("cannot watch files: {}", e.message),
            )
            .await;
        }
    }

    /// Reloads `wikistamp.toml`; re-indexes when what the index depends on changed.
    async fn reload_config(&self) {
        let outcome = {
            let mut st = self.state();
            let Some(root) = st.root.clone() else { return };
            match workspace::load_config(&root) {
                Ok(c) => {
                    let reindex = c.links != st.config.links || c.exclude != st.config.exclude;
                    st.set_config(c);
                    st.config_error = None;
                    Ok(reindex)
                }
                Err(e) => {
                    st.config_error = Some(e.to_string());
                    Err(e.to_string())
                }
            }
        };
        match outcome {
            Ok(true) => self.start_index(),
            Ok(false) => {}
            Err(e) => {
                self.inner
                    .client
                    .show_message(lsp::MessageType::ERROR, format!("wikistamp: {e}"))
                    .await
            }
        }
        self.log(lsp::MessageType::INFO, "wikistamp: configuration reloaded")
            .await;
        self.enqueue_all_open();
    }
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

fn file_path(uri: &Uri) -> Option<PathBuf> {
    State::path_of(uri)
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
            .and_then(|u| file_path(&u));
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
        {
            let mut st = self.state();
            st.rule_overrides = overrides;
            st.set_config(Config::default());
            st.encoding = encoding;
            st.snippets = snippets;
            st.link_with_title = link_with_title;
            if let Some(folder) = folder {
                let folder = canonical_lexical(&folder);
                let root = workspace::find_root(&folder, &folder);
                match workspace::load_config(&root) {
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
        let doc = params.text_document;
        let uri = doc.uri.clone();
        // A lone file without a workspace: its vault is found from the file.
        let start_index = self.state().root.is_none()
            && file_path(&uri).is_some()
            && self.inner.generation.load(Ordering::SeqCst) == 0;
        if start_index {
            if let Some(path) = file_path(&uri) {
                let path = canonical_lexical(&path);
                let parent = path
                    .parent()
                    .map(|p| p.to_path_buf())
                    .unwrap_or(path.clone());
                let root = workspace::find_root(&path, &parent);
                let mut st = self.state();
                if let Ok(c) = workspace::load_config(&root) {
                    st.set_config(c);
                }
                st.root = Some(root);
            }
        }
        let visible = guard("didOpen", || {
            let mut st = self.state();
            st.docs.insert(uri.clone(), Doc::new(doc.text, doc.version));
            st.upsert_doc(&uri)
        });
        if start_index {
            self.start_index();
        } else if self.inner.generation.load(Ordering::SeqCst) == 0 && self.state().root.is_none() {
            // No workspace and not a file: check it on its own.
            let mut st = self.state();
            st.indexed = true;
            drop(st);
            self.inner.indexed_tx.send_replace(true);
        }
        match visible {
            Ok(true) => self.enqueue_all_open(),
            Ok(false) => self.enqueue(uri),
            Err(e) => self.log(lsp::MessageType::ERROR, e.message).await,
        }
    }

    async fn did_change(&self, params: lsp::DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let result = guard("didChange", || {
            let mut st = self.state();
            let enc = st.encoding;
            let doc = st.docs.get_mut(&uri)?;
            for change in &params.content_changes {
                doc.apply(change, enc);
            }
            doc.version = params.text_document.version;
            doc.reparse();
            Some(st.upsert_doc(&uri))
        });
        match result {
            Ok(Some(true)) => self.enqueue_all_open(),
            Ok(Some(false)) => self.enqueue(uri),
            Ok(None) => {
                self.log(
                    lsp::MessageType::WARNING,
                    format!("ignored a change to {}: it is not open", uri.as_str()),
                )
                .await
            }
            Err(e) => self.log(lsp::MessageType::ERROR, e.message).await,
        }
    }

    async fn did_save(&self, params: lsp::DidSaveTextDocumentParams) {
        self.enqueue(params.text_document.uri);
    }

    async fn did_close(&self, params: lsp::DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let _ = guard("didClose", || {
            let mut st = self.state();
            if st.docs.remove(&uri).is_some() && st.rel_path(&uri).is_some() {
                if let Some(path) = file_path(&uri) {
                    st.reload_from_disk(&canonical_lexical(&path));
                }
            }
        });
        self.inner
            .client
            .publish_diagnostics(uri, Vec::new(), None)
            .await;
        self.enqueue_all_open();
    }

    async fn did_change_watched_files(&self, params: lsp::DidChangeWatchedFilesParams) {
        let config_changed = guard("didChangeWatchedFiles", || {
            let mut st = self.state();
            let Some(root) = st.root.clone() else {
                return false;
            };
            let mut config_changed = false;
            for change in &params.changes {
                let Some(path) = file_path(&change.uri) else {
                    continue;
                };
                let path = canonical_lexical(&path);
                if path == root.join(CONFIG_FILE) {
                    config_changed = true;
                    continue;
                }
                if !is_markdown(&path) || !path.starts_with(&root) {
                    continue;
                }
                let rel = relative_path(&root, &path);
                if st.open_doc_at(&rel).is_some() {
                    continue; // the editor's text wins
                }
                if change.typ == lsp::FileChangeType::DELETED {
                    st.vault.remove(&rel);
                } else {
                    st.reload_from_disk(&path);
                }
            }
            config_changed
        })
        .unwrap_or(false);
        if config_changed {
            self.reload_config().await;
        } else {
            self.enqueue_all_open();
        }
    }

    async fn completion(
        &self,
        params: lsp::CompletionParams,
    ) -> Result<Option<lsp::CompletionResponse>> {
        let p = params.text_document_position;
        self.read("completion", |st| {
            features::completion(st, &p.text_document.uri, p.position)
        })
    }

    async fn completion_resolve(&self, item: lsp::CompletionItem) -> Result<lsp::CompletionItem> {
        let fallback = item.clone();
        Ok(self
            .read("completionItem/resolve", |st| {
                features::completion_resolve(st, item)
            })
            .unwrap_or(fallback))
    }

    async fn goto_definition(
        &self,
        params: lsp::GotoDefinitionParams,
    ) -> Result<Option<lsp::GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        self.read("definition", |st| {
            features::definition(st, &p.text_document.uri, p.position)
                .map(lsp::GotoDefinitionResponse::Scalar)
        })
    }

    async fn references(&self, params: lsp::ReferenceParams) -> Result<Option<Vec<lsp::Location>>> {
        self.wait_indexed().await;
        let p = params.text_document_position;
        self.read("references", |st| {
            features::references(st, &p.text_document.uri, p.position)
        })
    }

    async fn hover(&self, params: lsp::HoverParams) -> Result<Option<lsp::Hover>> {
        let p = params.text_document_position_params;
        self.read("hover", |st| {
            features::hover(st, &p.text_document.uri, p.position)
        })
    }

    async fn document_link(
        &self,
        params: lsp::DocumentLinkParams,
    ) -> Result<Option<Vec<lsp::DocumentLink>>> {
        self.read("documentLink", |st| {
            features::document_links(st, &params.text_document.uri)
        })
    }

    async fn document_symbol(
        &self,
        params: lsp::DocumentSymbolParams,
    ) -> Result<Option<lsp::DocumentSymbolResponse>> {
        self.read("documentSymbol", |st| {
            features::document_symbols(st, &params.text_document.uri)
                .map(lsp::DocumentSymbolResponse::Nested)
        })
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
        self.read("codeAction", |st| {
            features::code_actions(st, &params.text_document.uri, params.range)
        })
    }

    async fn prepare_rename(
        &self,
        params: lsp::TextDocumentPositionParams,
    ) -> Result<Option<lsp::PrepareRenameResponse>> {
        self.read("prepareRename", |st| {
            features::prepare_rename(st, &params.text_document.uri, params.position)
        })
    }

    async fn rename(&self, params: lsp::RenameParams) -> Result<Option<lsp::WorkspaceEdit>> {
        self.wait_indexed().await;
        let p = params.text_document_position;
        self.read("rename", |st| {
            features::rename(st, &p.text_document.uri, p.position, &params.new_name)
        })?
        .map_err(invalid)
    }

    async fn diagnostic(
        &self,
        params: lsp::DocumentDiagnosticParams,
    ) -> Result<lsp::DocumentDiagnosticReportResult> {
        self.wait_indexed().await;
        let (items, _) = self.read("textDocument/diagnostic", |st| {
            features::diagnostics(st, &params.text_document.uri)
        })?;
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
        let items = self.read("workspace/diagnostic", |st| {
            let mut uris: Vec<&Uri> = st.docs.keys().collect();
            uris.sort();
            uris.into_iter()
                .map(|u| {
                    let (items, version) = features::diagnostics(st, u);
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
