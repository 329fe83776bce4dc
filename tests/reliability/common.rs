//! Running the binary with a deadline, and reading its JSON report.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_wikistamp");

/// A generous bound (debug builds, a loaded 2-core CI machine): only there to turn a hang
/// into a failure.
pub const DEADLINE: Duration = Duration::from_secs(300);

/// A fresh vault folder (with a `wikistamp.toml`, so it is its own root).
pub struct TempVault {
    _tmp: tempfile::TempDir,
    pub root: PathBuf,
}

impl TempVault {
    pub fn new() -> TempVault {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = std::fs::canonicalize(tmp.path())
            .expect("canonical")
            .join("vault");
        std::fs::create_dir_all(&root).expect("vault dir");
        std::fs::write(root.join("wikistamp.toml"), "").expect("config");
        TempVault { _tmp: tmp, root }
    }

    /// The folder holding the vault (outside it).
    pub fn outside(&self) -> PathBuf {
        self.root.parent().expect("parent").to_path_buf()
    }

    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.root.join(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).expect("mkdir");
        }
        std::fs::write(&p, bytes).expect("write note");
        p
    }
}

/// Runs `wikistamp ARGS` in `dir`, killing it if it outlives [`DEADLINE`].
pub fn run(dir: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("WIKISTAMP_TEST_BEFORE_WRITE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn wikistamp");
    // Drain the pipes on threads so a large report cannot block the child.
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let t_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let t_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            panic!("wikistamp {args:?} did not finish within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: t_out.join().expect("stdout thread"),
        stderr: t_err.join().expect("stderr thread"),
    }
}

/// `wikistamp check --format json` (plus `extra`) in `dir`: asserts exit 0 or 1 and no panic,
/// and returns the report.
pub fn check_json(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["check", "--format", "json", "--no-progress"];
    args.extend_from_slice(extra);
    let out = run(dir, &args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "exit {:?}: {stderr}",
        out.status
    );
    serde_json::from_slice(&out.stdout).expect("the JSON report")
}

/// The (path, rule) pairs of a report.
pub fn findings(report: &Value) -> Vec<(String, String)> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap_or("").to_string(),
                d["rule"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

pub fn has(report: &Value, path: &str, rule: &str) -> bool {
    findings(report).iter().any(|(p, r)| p == path && r == rule)
}

/// Every `.md` path the report mentions.
pub fn paths(report: &Value) -> Vec<String> {
    let mut v: Vec<String> = findings(report).into_iter().map(|(p, _)| p).collect();
    v.sort();
    v.dedup();
    v
}
