//! The background indexer: walks the vault and reads its notes chunk by chunk outside the lock,
//! with work-done progress, while requests keep being answered.

use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use tower_lsp_server::ls_types as lsp;
use wikistamp_analysis::Vault;
use wikistamp_workspace::{self as workspace, index};

use super::Backend;

/// Notes read per indexing step (one progress report each).
const INDEX_CHUNK: usize = 2000;

impl Backend {
    /// Starts (or restarts) background indexing.
    pub(super) fn start_index(&self) {
        let generation = self.inner.generation.fetch_add(1, Ordering::SeqCst) + 1;
        self.state().indexed = false;
        self.inner.indexed_tx.send_replace(false);
        tokio::spawn(self.clone().index(generation));
    }

    /// Indexes the vault in the background, chunk by chunk, with work-done progress.
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
        // Read outside the state lock, then learnt under it.
        let transcripts =
            wikistamp_workspace::transcripts::read_transcripts(&root, &config.transcripts);
        {
            let mut st = self.state();
            for (video_id, transcript) in transcripts {
                st.vault.set_transcript(&video_id, transcript);
            }
        }
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
        let workspace::Walked {
            notes, attachments, ..
        } = match walked {
            Ok(w) => w,
            Err(e) => {
                self.log(
                    lsp::MessageType::ERROR,
                    format!("cannot index {}: {e}", root.display()),
                )
                .await;
                workspace::Walked::default()
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
                let open: HashSet<String> = st
                    .docs
                    .values()
                    .filter_map(|d| d.rel_path.clone())
                    .collect();
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

    pub(super) async fn finish_index(&self, total: usize, started: Instant) {
        {
            let mut st = self.state();
            let uris: Vec<_> = st.docs.keys().cloned().collect();
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
    pub(super) async fn wait_indexed(&self) {
        let mut rx = self.inner.indexed_tx.subscribe();
        let _ = tokio::time::timeout(Duration::from_secs(60), rx.wait_for(|v| *v)).await;
    }
}
