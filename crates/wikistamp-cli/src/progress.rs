//! A progress line on stderr for long runs: shown only when stderr is a terminal, after the run
//! has taken a moment (short runs print nothing), and erased when the run ends.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a run must take before the indicator appears.
const DEFAULT_DELAY: Duration = Duration::from_millis(400);

#[derive(Default)]
struct Shared {
    stage: Mutex<(&'static str, usize)>,
    done: AtomicUsize,
    stop: AtomicBool,
}

pub struct Progress {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts the indicator when `wanted` and stderr is a terminal; otherwise every call is a
    /// no-op.
    pub fn start(wanted: bool) -> Self {
        let shared = Arc::new(Shared {
            stage: Mutex::new(("loading the vault", 0)),
            ..Shared::default()
        });
        let thread = (wanted && std::io::stderr().is_terminal()).then(|| {
            let shared = Arc::clone(&shared);
            // `WIKISTAMP_PROGRESS_DELAY_MS` lets tests see the indicator on a fast run.
            let delay = std::env::var("WIKISTAMP_PROGRESS_DELAY_MS")
                .ok()
                .and_then(|v| v.parse().ok())
                .map_or(DEFAULT_DELAY, Duration::from_millis);
            std::thread::spawn(move || draw_loop(&shared, delay))
        });
        Progress { shared, thread }
    }

    /// Whether the indicator may draw (stderr is a terminal and it was wanted).
    pub fn is_shown(&self) -> bool {
        self.thread.is_some()
    }

    /// Names the current stage and how many items it has (0 when unknown).
    pub fn stage(&self, name: &'static str, total: usize) {
        if let Ok(mut s) = self.shared.stage.lock() {
            *s = (name, total);
        }
        self.shared.done.store(0, Ordering::Relaxed);
    }

    pub fn inc(&self) {
        self.shared.done.fetch_add(1, Ordering::Relaxed);
    }

    /// Stops the indicator and erases its line.
    pub fn finish(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop();
    }
}

fn draw_loop(shared: &Shared, delay: Duration) {
    let started = Instant::now();
    let mut shown = false;
    loop {
        let stopping = shared.stop.load(Ordering::Relaxed);
        if started.elapsed() >= delay {
            let (name, total) = shared.stage.lock().map(|s| *s).unwrap_or(("working", 0));
            let done = shared.done.load(Ordering::Relaxed);
            let width = 24;
            let line = if let Some(filled) = (done.min(total) * width).checked_div(total) {
                format!(
                    "{name} [{}{}] {done}/{total}",
                    "=".repeat(filled),
                    " ".repeat(width - filled)
                )
            } else {
                format!("{name}…")
            };
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K{line}");
            let _ = err.flush();
            shown = true;
        }
        if stopping {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    if shown {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K");
        let _ = err.flush();
    }
}
