//! Keeping the state in step with the editor and the disk: document sync, watched files, the
//! configuration, and the diagnostics publisher. Disk reads happen with the lock released; what
//! they bring back is applied under the lock unless the editor's text has taken over meanwhile.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use tokio::sync::mpsc;
use tower_lsp_server::ls_types::{self as lsp, Uri};
use wikistamp_analysis::config::CONFIG_FILE;
use wikistamp_analysis::transcript::transcript_name;
use wikistamp_workspace::transcripts::{read_transcripts, transcript_dirs};
use wikistamp_workspace::{self as workspace, index, is_markdown, relative_path};

use super::{guard, Backend};
use crate::document::{canonical_lexical, path_of, DiskNotes, Doc};
use crate::features;

/// The transcript files watched: every format the transcript reader knows.
const TRANSCRIPT_GLOB: &str = "**/*.{srt,vtt,json}";

impl Backend {
    pub(super) fn enqueue(&self, uri: Uri) {
        let _ = self.inner.diag_tx.send(uri);
    }

    pub(super) fn enqueue_all_open(&self) {
        let uris: Vec<Uri> = self.state().docs.keys().cloned().collect();
        for u in uris {
            self.enqueue(u);
        }
    }

    /// Publishes diagnostics for queued documents, in order, coalescing bursts of edits.
    pub(super) async fn publish_loop(self, mut rx: mpsc::UnboundedReceiver<Uri>) {
        let no_disk = DiskNotes::default();
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
                        .then(|| features::diagnostics(st, &no_disk, &uri))
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

    pub(super) async fn open_document(&self, params: lsp::DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let uri = doc.uri.clone();
        let path = path_of(&uri).map(|p| canonical_lexical(&p));
        // A lone file without a workspace: its vault is found from the file.
        let start_index = self.state().root.is_none()
            && path.is_some()
            && self.inner.generation.load(Ordering::SeqCst) == 0;
        if start_index {
            if let Some(path) = &path {
                let parent = path
                    .parent()
                    .map(|p| p.to_path_buf())
                    .unwrap_or(path.clone());
                let root = workspace::find_root(path, &parent);
                let config = workspace::load_config(&root);
                let mut st = self.state();
                if let Ok(c) = config {
                    st.set_config(c);
                }
                st.root = Some(root);
            }
        }
        let visible = guard("didOpen", || {
            let mut doc = Doc::new(doc.text, doc.version, None);
            let mut st = self.state();
            doc.rel_path = path.as_deref().and_then(|p| st.rel_path(p));
            st.docs.insert(uri.clone(), doc);
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

    pub(super) async fn change_document(&self, params: lsp::DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let result = guard("didChange", || {
            let mut st = self.state();
            let enc = st.encoding;
            let doc = st.docs.get_mut(&uri)?;
            doc.apply(&params.content_changes, enc);
            doc.version = params.text_document.version;
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

    pub(super) async fn close_document(&self, params: lsp::DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let closed = guard("didClose", || self.state().docs.remove(&uri)).unwrap_or(None);
        if let Some(rel) = closed.and_then(|d| d.rel_path) {
            self.reload_from_disk(vec![rel]).await;
        }
        self.inner
            .client
            .publish_diagnostics(uri, Vec::new(), None)
            .await;
        self.enqueue_all_open();
    }

    pub(super) async fn watched_files_changed(&self, params: lsp::DidChangeWatchedFilesParams) {
        let Some(root) = self.state().root.clone() else {
            return self.enqueue_all_open();
        };
        let transcripts_config = self.state().config.transcripts.clone();
        let transcript_dirs: Vec<PathBuf> = transcript_dirs(&root, &transcripts_config)
            .iter()
            .map(|d| canonical_lexical(&root.join(d)))
            .collect();
        let mut config_changed = false;
        let mut changed = Vec::new();
        let mut videos: Vec<String> = Vec::new();
        for change in &params.changes {
            let Some(path) = path_of(&change.uri) else {
                continue;
            };
            let path = canonical_lexical(&path);
            if path == root.join(CONFIG_FILE) {
                config_changed = true;
            } else if is_markdown(&path) && path.starts_with(&root) {
                changed.push(relative_path(&root, &path));
            } else if path
                .parent()
                .is_some_and(|dir| transcript_dirs.iter().any(|d| d == dir))
            {
                let name = path.file_name().and_then(|n| n.to_str());
                if let Some(t) = name.and_then(transcript_name) {
                    if !videos.iter().any(|v| v == t.video_id) {
                        videos.push(t.video_id.to_string());
                    }
                }
            }
        }
        self.reload_from_disk(changed).await;
        if !videos.is_empty() {
            self.reload_transcripts(videos).await;
        }
        if config_changed {
            self.reload_config().await;
        } else {
            self.enqueue_all_open();
        }
    }

    /// Puts the disk version of notes (vault-relative paths) back in the index after their
    /// document closed or their file changed, and removes those that are gone. The files are
    /// read with the lock released; a note whose document is open by then keeps the editor's
    /// text.
    async fn reload_from_disk(&self, rel_paths: Vec<String>) {
        let Some(root) = self.state().root.clone() else {
            return;
        };
        if rel_paths.is_empty() {
            return;
        }
        let read_root = root.clone();
        let read = tokio::task::spawn_blocking(move || {
            rel_paths
                .into_iter()
                .map(|rel| {
                    let entry = index::entry_from_disk(&read_root, &read_root.join(&rel));
                    (rel, entry)
                })
                .collect::<Vec<_>>()
        })
        .await
        .unwrap_or_default();
        let _ = guard("reload from disk", || {
            let mut st = self.state();
            if st.root.as_ref() != Some(&root) {
                return;
            }
            for (rel, entry) in read {
                if st.is_open(&rel) {
                    continue; // the editor's text wins
                }
                match entry {
                    Some(e) => {
                        st.vault.upsert(e);
                    }
                    None => {
                        st.vault.remove(&rel);
                    }
                }
            }
        });
    }

    /// Re-reads the transcripts of `videos` after a transcript file was added, changed or
    /// removed, and re-checks the open notes of those videos. The folders are read again whole
    /// (with the lock released): which file wins for a video depends on its siblings' languages.
    async fn reload_transcripts(&self, videos: Vec<String>) {
        let (root, config) = {
            let st = self.state();
            (st.root.clone(), st.config.transcripts.clone())
        };
        let Some(root) = root else {
            return;
        };
        let read_root = root.clone();
        let read = tokio::task::spawn_blocking(move || read_transcripts(&read_root, &config))
            .await
            .unwrap_or_default();
        let reopen = guard("reload transcripts", || {
            let mut st = self.state();
            if st.root.as_ref() != Some(&root) {
                return Vec::new();
            }
            for video in &videos {
                match read.iter().find(|(id, _)| id == video) {
                    Some((_, file)) => st.vault.set_transcript(video, file.clone()),
                    None => st.vault.remove_transcript(video),
                }
            }
            st.docs
                .iter()
                .filter(|(_, d)| d.note.video_id().is_some_and(|v| videos.contains(&v.value)))
                .map(|(u, _)| u.clone())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
        for uri in reopen {
            self.enqueue(uri);
        }
    }

    pub(super) async fn register_watchers(&self) {
        let options = lsp::DidChangeWatchedFilesRegistrationOptions {
            watchers: ["**/*.md", &format!("**/{CONFIG_FILE}"), TRANSCRIPT_GLOB]
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
        let Some(root) = self.state().root.clone() else {
            return;
        };
        let loaded = workspace::load_config(&root);
        let outcome = {
            let mut st = self.state();
            match loaded {
                Ok(c) => {
                    // The index holds the transcripts too.
                    let reindex = c.links != st.config.links
                        || c.exclude != st.config.exclude
                        || c.transcripts != st.config.transcripts;
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
