//! End-to-end tests of the `wikistamp` binary. Every test runs the built binary on a COPY of a
//! fixture vault in a temporary folder, so `--fix` never touches the repository.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_wikistamp");

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read fixture dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// A copy of `tests/fixtures/<name>` in a fresh temporary folder.
struct Vault {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
}

impl Vault {
    fn new(name: &str) -> Vault {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = std::fs::canonicalize(tmp.path())
            .expect("canonical")
            .join("vault");
        copy_dir(&repo_root().join("tests/fixtures").join(name), &dir);
        Vault { _tmp: tmp, dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    fn read(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.path(rel)).expect("read note")
    }

    /// Every file of the vault with its bytes.
    fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        fn walk(dir: &Path, base: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
            for e in std::fs::read_dir(dir).expect("read dir").flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, base, out);
                } else {
                    let rel = p.strip_prefix(base).expect("under base");
                    out.insert(
                        rel.to_string_lossy().into_owned(),
                        std::fs::read(&p).expect("read"),
                    );
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(&self.dir, &self.dir, &mut out);
        out
    }

    fn run(&self, args: &[&str]) -> Run {
        run_in(&self.dir, args, None, &[])
    }

    fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        run_in(&self.dir, args, None, env)
    }

    fn run_stdin(&self, args: &[&str], input: &[u8]) -> Run {
        run_in(&self.dir, args, Some(input), &[])
    }
}

#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str], input: Option<&[u8]>, env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("WIKISTAMP_TEST_BEFORE_WRITE")
        .env_remove("WIKISTAMP_PROGRESS_DELAY_MS")
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("run wikistamp");
    if let Some(input) = input {
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(input).expect("write stdin");
    }
    let out = child.wait_with_output().expect("wait");
    Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

/// The rule ids of a JSON report, in order.
fn rules_of(report: &Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| format!("{}:{}", d["path"].as_str().unwrap_or(""), d["rule"]))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Output formats

#[test]
fn human_format() {
    let v = Vault::new("cli-vault");
    let r = v.run(&["check"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(!r.stdout.contains('\x1b'), "no colour when not a terminal");
    insta::assert_snapshot!("human", r.stdout);
}

#[test]
fn human_colour_only_when_asked_or_on_a_terminal() {
    let v = Vault::new("cli-vault");
    let always = v.run(&["check", "--color", "always"]);
    assert!(always.stdout.contains("\x1b["), "{}", always.stdout);
    let never = v.run(&["check", "--color", "never"]);
    assert!(!never.stdout.contains('\x1b'));
    // On a terminal, `auto` colours unless NO_COLOR is set.
    let tty = run_on_tty(&v.dir, "check --no-progress", &[]);
    assert!(tty.contains("\x1b["), "{tty}");
    let no_color = run_on_tty(&v.dir, "check --no-progress", &[("NO_COLOR", "1")]);
    assert!(!no_color.contains("\x1b["), "{no_color}");
    assert!(no_color.contains("link-broken"), "{no_color}");
}

/// Runs wikistamp under `script`, so stdout and stderr are a terminal; returns what it printed.
fn run_on_tty(dir: &Path, args: &str, env: &[(&str, &str)]) -> String {
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &format!("{BIN} {args}"), "/dev/null"])
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("WIKISTAMP_PROGRESS_DELAY_MS")
        .stdin(Stdio::null());
    for (k, val) in env {
        cmd.env(k, val);
    }
    let out = cmd.output().expect("`script` (util-linux) runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn concise_format() {
    let v = Vault::new("cli-vault");
    let r = v.run(&["check", "--format", "concise"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("concise", r.stdout);
}

#[test]
fn json_format_is_the_contract() {
    let v = Vault::new("cli-vault");
    let r = v.run(&["check", "--format", "json"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout.lines().count(), 1, "one object on one line");
    let report = json(&r.stdout);
    let top: Vec<&str> = report
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(top, ["diagnostics", "summary", "version"]);
    assert_eq!(report["version"], 1);
    for d in report["diagnostics"].as_array().expect("array") {
        let keys: Vec<&str> = d
            .as_object()
            .expect("obj")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            ["fix", "message", "path", "range", "rule", "severity"]
        );
        if let Some(fix) = d["fix"].as_object() {
            let keys: Vec<&str> = fix.keys().map(String::as_str).collect();
            assert_eq!(keys, ["applicability", "edits", "title"]);
            for e in fix["edits"].as_array().expect("edits") {
                assert!(e["newText"].is_string() && e["range"]["start"]["offset"].is_u64());
            }
        }
    }
    // Columns count Unicode scalar values; offsets count bytes.
    let uni = report["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .find(|d| d["path"] == "unicode.md")
        .expect("unicode.md finding");
    let start = &uni["range"]["start"];
    let text = String::from_utf8(v.read("unicode.md")).expect("utf-8");
    let offset = text.find("nowhere_at_all").expect("link");
    assert_eq!(start["offset"], offset);
    assert_eq!(start["line"], 5);
    assert_eq!(start["column"], "Café ☕ [[".chars().count() + 1);
    assert_eq!(
        report["summary"],
        serde_json::json!({"files": 8, "diagnostics": 10, "errors": 8, "warnings": 2})
    );
    insta::assert_snapshot!("json", serde_json::to_string_pretty(&report).expect("json"));
}

#[test]
fn github_format() {
    let v = Vault::new("cli-vault");
    let r = v.run(&["check", "--format", "github"]);
    assert_eq!(r.code, 1);
    for line in r.stdout.lines() {
        assert!(
            line.starts_with("::error file=") || line.starts_with("::warning file="),
            "{line}"
        );
    }
    insta::assert_snapshot!("github", r.stdout);
}

#[test]
fn sarif_format_is_valid_sarif_2_1_0() {
    let v = Vault::new("cli-vault");
    let r = v.run(&["check", "--format", "sarif"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let log = json(&r.stdout);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let listed = json(&v.run(&["rules", "--json"]).stdout);
    assert_eq!(rules.len(), listed.as_array().expect("list").len());
    for rule in rules {
        assert!(rule["help"]["text"]
            .as_str()
            .is_some_and(|h| h.contains("## What it finds")));
        assert!(!rule["shortDescription"]["text"]
            .as_str()
            .unwrap_or("")
            .is_empty());
    }
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 10);
    for res in results {
        let index = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], res["ruleId"]);
        let uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("uri");
        assert!(
            !uri.starts_with('/') && !uri.contains(':') && !uri.contains(' '),
            "{uri}"
        );
    }
    assert!(results.iter().any(
        |r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            == "notes/sub%20dir/spaced%20name.md"
    ));
    // Validate against the official schema with a real validator (PyPI `jsonschema`).
    let sarif_file = v._tmp.path().join("out.sarif");
    std::fs::write(&sarif_file, &r.stdout).expect("write sarif");
    let schema = repo_root().join("tests/cli/sarif-schema-2.1.0.json");
    let script = "import json, sys, jsonschema\n\
                  schema = json.load(open(sys.argv[1]))\n\
                  log = json.load(open(sys.argv[2]))\n\
                  jsonschema.Draft4Validator.check_schema(schema)\n\
                  errors = list(jsonschema.Draft4Validator(schema).iter_errors(log))\n\
                  for e in errors: print(list(e.absolute_path), e.message)\n\
                  sys.exit(1 if errors else 0)\n";
    let has_validator = Command::new("python3")
        .args(["-c", "import jsonschema"])
        .output()
        .is_ok_and(|o| o.status.success());
    if has_validator {
        let out = Command::new("python3")
            .args(["-c", script])
            .arg(&schema)
            .arg(&sarif_file)
            .output()
            .expect("python3 runs");
        assert!(
            out.status.success(),
            "SARIF does not validate against the 2.1.0 schema:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    } else {
        // CI installs it (.ci/run); a newcomer's machine may not have it.
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have python3 with jsonschema (pip install jsonschema)"
        );
        eprintln!("skipped the schema validation: `python3 -c 'import jsonschema'` failed (pip install jsonschema)");
    }
    // Rule metadata (help from the docs) is long: snapshot the results only.
    insta::assert_snapshot!(
        "sarif_results",
        serde_json::to_string_pretty(&run["results"]).expect("json")
    );
}

#[test]
fn statistics_table() {
    let v = Vault::new("cli-vault");
    let r = v.run(&["check", "--statistics"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("statistics", r.stdout);
    let j = json(&v.run(&["check", "--statistics", "--format", "json"]).stdout);
    let broken = j
        .as_array()
        .expect("list")
        .iter()
        .find(|r| r["rule"] == "link-broken")
        .expect("link-broken row");
    assert_eq!(broken["count"], 8);
    assert_eq!(broken["fixable"], 5);
}

// ---------------------------------------------------------------------------------------------
// Flags and exit codes

#[test]
fn quiet_drops_the_summary() {
    let v = Vault::new("cli-vault");
    let loud = v.run(&["check", "--format", "concise"]);
    let quiet = v.run(&["check", "--format", "concise", "--quiet"]);
    assert_eq!(quiet.code, 1);
    assert_eq!(
        quiet.stdout.lines().count(),
        loud.stdout.lines().count() - 1
    );
    assert!(loud.stdout.lines().last().unwrap_or("").contains("checked"));
    assert!(!quiet.stdout.contains("checked"));
}

#[test]
fn select_ignore_and_fail_on() {
    let v = Vault::new("cli-vault");
    let r = v.run(&[
        "check",
        "--format",
        "json",
        "--select",
        "link-heading-missing",
    ]);
    let report = json(&r.stdout);
    assert!(rules_of(&report)
        .iter()
        .all(|r| r.ends_with("\"link-heading-missing\"")));
    assert_eq!(report["summary"]["diagnostics"], 2);
    assert_eq!(r.code, 0, "warnings do not fail by default");
    let r = v.run(&[
        "check",
        "--select",
        "link-heading-missing",
        "--fail-on",
        "warning",
    ]);
    assert_eq!(r.code, 1);
    // A family selects its rules; ignoring it leaves nothing.
    let r = v.run(&["check", "--format", "json", "--ignore", "link"]);
    assert_eq!(r.code, 0);
    assert_eq!(json(&r.stdout)["summary"]["diagnostics"], 0);
    let r = v.run(&[
        "check",
        "--format",
        "json",
        "--select",
        "link-broken,link-heading-missing",
        "--ignore",
        "link-broken",
    ]);
    assert_eq!(json(&r.stdout)["summary"]["diagnostics"], 2);
    let r = v.run(&["check", "--select", "link-brokn"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr.trim(),
        "wikistamp: error: unknown rule or family `link-brokn` (did you mean `link-broken`?)"
    );
}

#[test]
fn paths_limit_what_is_reported_but_links_resolve_against_the_vault() {
    let v = Vault::new("cli-vault");
    let r = v.run(&["check", "clean.md", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(json(&r.stdout)["summary"]["files"], 1);
    // A heading link into a note that is not checked sees that note's headings: the closest
    // one is offered.
    let r = v.run(&[
        "check",
        "talk.md",
        "--format",
        "json",
        "--select",
        "link-heading-missing",
    ]);
    let report = json(&r.stdout);
    assert_eq!(
        rules_of(&report),
        ["talk.md:\"link-heading-missing\""],
        "{}",
        r.stdout
    );
    assert_eq!(
        report["diagnostics"][0]["fix"]["edits"][0]["newText"],
        "Chinchilla"
    );
    let r = v.run(&["check", "notes", "--format", "concise", "--quiet"]);
    assert_eq!(r.code, 1);
    assert!(r
        .stdout
        .lines()
        .all(|l| l.starts_with("notes/sub dir/spaced name.md:")));
    // From a subfolder, paths are relative to the current directory.
    let r = run_in(
        &v.path("notes"),
        &["check", "--format", "concise", "--quiet"],
        None,
        &[],
    );
    assert!(
        r.stdout.starts_with("sub dir/spaced name.md:"),
        "{}",
        r.stdout
    );
}

#[test]
fn exit_code_two_names_what_is_wrong() {
    let v = Vault::new("cli-vault");
    let r = v.run(&["check", "no/such/file.md"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.starts_with("wikistamp: error: "), "{}", r.stderr);
    assert!(r.stderr.contains("no/such/file.md"), "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1);
    let r = v.run(&["check", "--format", "xml"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("xml"));
    let r = v.run(&["check", "--unsafe-fixes"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--unsafe-fixes needs --fix or --diff"));
    let r = v.run(&["check", "--fix", "--diff"]);
    assert_eq!(r.code, 2);
    let r = v.run(&["check", "-"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--stdin-filename"));
}

#[test]
fn config_errors_name_file_and_line() {
    let v = Vault::new("cli-vault");
    std::fs::write(
        v.path("wikistamp.toml"),
        "[links]\nresolution = \"shortest\"\ncase_sensitive = true\n",
    )
    .expect("write config");
    let r = v.run(&["check"]);
    assert_eq!(r.code, 2);
    let expected_path = v.path("wikistamp.toml");
    let prefix = format!("wikistamp: error: {}:3:1: ", expected_path.display());
    assert!(r.stderr.starts_with(&prefix), "{}", r.stderr);
    assert!(r.stderr.contains("case_sensitive"), "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1);
    assert!(r.stdout.is_empty());
}

#[test]
fn config_flag_replaces_the_vault_config() {
    let v = Vault::new("cli-vault");
    std::fs::write(
        v.path("strict.toml"),
        "[rules]\nlink-heading-missing = \"error\"\nlink-broken = \"off\"\n",
    )
    .expect("write");
    let r = v.run(&["check", "--config", "strict.toml", "--format", "json"]);
    assert_eq!(r.code, 1);
    let report = json(&r.stdout);
    assert_eq!(report["summary"]["errors"], 2);
    assert!(rules_of(&report)
        .iter()
        .all(|r| r.contains("link-heading-missing")));
    std::fs::write(v.path("bad.toml"), "\n[rules]\nlink-brokn = \"off\"\n").expect("write");
    let r = v.run(&["check", "--config", "bad.toml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(&format!(
            "{}:3:1: unknown rule `link-brokn`",
            v.path("bad.toml").display()
        )),
        "{}",
        r.stderr
    );
    let r = v.run(&["check", "--config", "missing.toml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("missing.toml: cannot read configuration"),
        "{}",
        r.stderr
    );
}

#[test]
fn stdin_is_checked_as_the_named_file() {
    let v = Vault::new("cli-vault");
    let text =
        "---\ntitle: Draft\n---\n\nSee [[scaling_laws]] and [[Scaling Laws]] and [[nope]].\n";
    let r = v.run_stdin(
        &[
            "check",
            "--stdin-filename",
            "notes/draft.md",
            "--format",
            "concise",
            "-",
        ],
        text.as_bytes(),
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        r.stdout,
        "notes/draft.md:5:28: error[link-broken] `Scaling Laws` links to no note\n\
         notes/draft.md:5:49: error[link-broken] `nope` links to no note\n\
         2 errors, 0 warnings in 1 file (1 checked)\n"
    );
    // Stdin replaces the file on disk: the stdin text of talk.md is checked, not the file.
    let r = v.run_stdin(
        &["check", "--stdin-filename", "talk.md", "--format", "json"],
        b"---\ntitle: T\n---\n\nNo links.\n",
    );
    assert_eq!(r.code, 0, "{r:?}");
    // --fix on stdin prints the fixed text and writes nothing.
    let before = v.snapshot();
    let r = v.run_stdin(
        &["check", "--stdin-filename", "notes/draft.md", "--fix", "-"],
        text.as_bytes(),
    );
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stdout,
        "---\ntitle: Draft\n---\n\nSee [[scaling_laws]] and [[scaling_laws|Scaling Laws]] and [[nope]].\n"
    );
    assert!(
        r.stderr.contains("Fixed 1 finding in 1 file; 1 remaining."),
        "{}",
        r.stderr
    );
    assert_eq!(before, v.snapshot());
    // Invalid UTF-8 is a finding, not a crash.
    let r = v.run_stdin(
        &["check", "--stdin-filename", "x.md", "--format", "concise"],
        b"\xff\xfe bad",
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.starts_with("x.md:1:1: error[file-unreadable]"),
        "{}",
        r.stdout
    );
}

#[test]
fn progress_only_on_a_terminal_and_not_with_no_progress() {
    let v = Vault::new("cli-vault");
    let env = [("WIKISTAMP_PROGRESS_DELAY_MS", "0")];
    let tty = run_on_tty(&v.dir, "check --format concise", &env);
    assert!(
        tty.contains("checking") || tty.contains("loading the vault"),
        "{tty}"
    );
    let off = run_on_tty(&v.dir, "check --format concise --no-progress", &env);
    assert!(
        !off.contains("checking") && !off.contains("loading the vault"),
        "{off}"
    );
    // Not a terminal: stderr stays empty.
    let r = v.run_env(&["check", "--format", "concise"], &env);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

// ---------------------------------------------------------------------------------------------
// Fixes

/// Applies the edits of `fix`es (from `--format json`) to `text`, end first.
fn apply_json_edits(text: &[u8], report: &Value, path: &str, unsafe_too: bool) -> Vec<u8> {
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for d in report["diagnostics"].as_array().expect("array") {
        if d["path"] != path || d["fix"].is_null() {
            continue;
        }
        if d["fix"]["applicability"] == "unsafe" && !unsafe_too {
            continue;
        }
        for e in d["fix"]["edits"].as_array().expect("edits") {
            let s = e["range"]["start"]["offset"].as_u64().expect("offset") as usize;
            let en = e["range"]["end"]["offset"].as_u64().expect("offset") as usize;
            edits.push((s, en, e["newText"].as_str().expect("text").to_string()));
        }
    }
    edits.sort();
    let mut out = text.to_vec();
    for (s, e, new) in edits.into_iter().rev() {
        out.splice(s..e, new.into_bytes());
    }
    out
}

#[test]
fn fix_changes_exactly_the_fixed_ranges_and_keeps_crlf_bom_and_missing_newline() {
    let v = Vault::new("cli-vault");
    let before = v.snapshot();
    let report = json(&v.run(&["check", "--format", "json"]).stdout);
    let r = v.run(&["check", "--fix"]);
    assert_eq!(r.code, 1, "link-broken errors without a fix remain");
    assert!(
        r.stdout
            .contains("Fixed 5 findings in 3 files; 5 remaining."),
        "{}",
        r.stdout
    );
    let after = v.snapshot();
    for (path, old) in &before {
        // Every file equals its old bytes with exactly the reported edits applied.
        let expected = apply_json_edits(old, &report, path, false);
        assert_eq!(
            String::from_utf8_lossy(&after[path]),
            String::from_utf8_lossy(&expected),
            "{path}"
        );
    }
    assert_eq!(
        after["crlf.md"],
        b"---\r\ntitle: Windows note\r\n---\r\n\r\nLinks to [[scaling_laws|Scaling Laws]] and [[scaling_laws | laws]].\r\nA second line without a final newline [[talk]]"
    );
    assert!(after["bom.md"].starts_with(b"\xef\xbb\xbf---\n"));
    assert_eq!(
        after["bom.md"],
        b"\xef\xbb\xbf---\ntitle: BOM note\n---\n\nSee [[redpointai|Redpoint AI]] for the podcast.\n"
    );
    // Unchanged files are not rewritten; no temporary file is left behind.
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    assert_eq!(before["clean.md"], after["clean.md"]);
}

#[test]
fn fix_twice_equals_fix_once() {
    let v = Vault::new("cli-vault");
    let first = v.run(&["check", "--fix", "--unsafe-fixes", "--format", "concise"]);
    assert!(
        first
            .stdout
            .contains("Fixed 7 findings in 4 files; 3 remaining."),
        "{}",
        first.stdout
    );
    let once = v.snapshot();
    let mtimes: Vec<_> = ["talk.md", "clean.md"]
        .iter()
        .map(|p| {
            std::fs::metadata(v.path(p))
                .and_then(|m| m.modified())
                .expect("mtime")
        })
        .collect();
    let second = v.run(&["check", "--fix", "--unsafe-fixes", "--format", "concise"]);
    assert!(
        second
            .stdout
            .contains("Fixed 0 findings in 0 files; 3 remaining."),
        "{}",
        second.stdout
    );
    assert_eq!(once, v.snapshot());
    let mtimes2: Vec<_> = ["talk.md", "clean.md"]
        .iter()
        .map(|p| {
            std::fs::metadata(v.path(p))
                .and_then(|m| m.modified())
                .expect("mtime")
        })
        .collect();
    assert_eq!(mtimes, mtimes2, "a second --fix writes nothing");
    // What remains is what a plain check reports.
    let check = v.run(&["check", "--format", "concise"]);
    assert_eq!(check.stdout.lines().count(), 4);
    assert_eq!(
        String::from_utf8_lossy(&once["talk.md"]),
        "---\ntitle: A talk about scaling\nvideoId: ZtY8VXswa2o\n---\n\nFrom: [[redpointai]] <br/>\n\n## Summary\nThe talk covers [[scaling_laws | scaling]] and [[scaling_laws|SCALING LAWS]].\nIt cites [[scaling_laws#Chinchilla]] for the data budget.\nNothing is close to [[quantum_gravity]] <a class=\"yt-timestamp\" data-t=\"00:01:00\">[00:01:00]</a>.\n"
    );
}

#[test]
fn unsafe_fixes_need_opt_in() {
    let v = Vault::new("cli-vault");
    v.run(&["check", "--fix"]);
    let text = String::from_utf8(v.read("talk.md")).expect("utf-8");
    assert!(
        text.contains("[[scaling_laws#Chinchila]]"),
        "unsafe fix not applied: {text}"
    );
    v.run(&["check", "--fix", "--unsafe-fixes"]);
    let text = String::from_utf8(v.read("talk.md")).expect("utf-8");
    assert!(text.contains("[[scaling_laws#Chinchilla]]"), "{text}");
}

#[test]
fn fix_keeps_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let v = Vault::new("cli-vault");
    std::fs::set_permissions(v.path("talk.md"), std::fs::Permissions::from_mode(0o640))
        .expect("chmod");
    v.run(&["check", "--fix"]);
    let meta = std::fs::metadata(v.path("talk.md")).expect("meta");
    assert_eq!(meta.permissions().mode() & 0o777, 0o640);
    assert!(String::from_utf8(v.read("talk.md"))
        .expect("utf-8")
        .contains("[[scaling_laws | scaling]]"));
}

#[test]
fn fix_refuses_to_overwrite_a_file_changed_underneath() {
    let v = Vault::new("cli-vault");
    let before = v.snapshot();
    // The hook runs after the fixed text is ready and before the on-disk check: it appends to
    // crlf.md only, as an editor saving at the wrong moment would.
    let hook = r#"case "$1" in *crlf.md) printf ' edited' >> "$1";; esac"#;
    let r = v.run_env(
        &["check", "--fix", "--format", "concise"],
        &[("WIKISTAMP_TEST_BEFORE_WRITE", hook)],
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains(
            "wikistamp: error: crlf.md: changed on disk since it was read; not overwritten"
        ),
        "{}",
        r.stderr
    );
    let after = v.snapshot();
    let mut expected = before["crlf.md"].clone();
    expected.extend_from_slice(b" edited");
    assert_eq!(
        after["crlf.md"], expected,
        "the other writer's content survives"
    );
    // The other files were fixed, and no temporary file is left behind.
    assert_ne!(after["talk.md"], before["talk.md"]);
    assert_ne!(after["bom.md"], before["bom.md"]);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    // crlf.md's findings are still reported as remaining.
    assert!(
        r.stdout.contains("crlf.md:5:12: error[link-broken]"),
        "{}",
        r.stdout
    );
}

#[test]
fn diff_writes_nothing_and_exits_one_when_there_are_changes() {
    let v = Vault::new("cli-vault");
    let before = v.snapshot();
    let r = v.run(&["check", "--diff"]);
    assert_eq!(r.code, 1);
    assert_eq!(before, v.snapshot(), "--diff must not write");
    assert!(
        r.stderr
            .contains("Would fix 5 findings in 3 files (8 checked)."),
        "{}",
        r.stderr
    );
    insta::assert_snapshot!("diff", r.stdout);
    // Applying the diff gives what --fix writes.
    let with_unsafe = v.run(&["check", "--diff", "--unsafe-fixes"]);
    assert!(with_unsafe
        .stdout
        .contains("+It cites [[scaling_laws#Chinchilla]] for the data budget."));
    assert!(with_unsafe
        .stdout
        .contains("--- a/notes/sub dir/spaced name.md"));
    // Nothing to fix: no diff, exit 0.
    let r = v.run(&["check", "--diff", "clean.md"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
}

// ---------------------------------------------------------------------------------------------
// Other commands

#[test]
fn rules_lists_the_registry_and_explain_prints_docs() {
    let v = Vault::new("cli-vault");
    let list = json(&v.run(&["rules", "--json"]).stdout);
    let table = v.run(&["rules"]);
    assert_eq!(table.code, 0);
    for r in list.as_array().expect("list") {
        let id = r["id"].as_str().expect("id");
        assert!(table.stdout.lines().any(|l| l.starts_with(id)), "{id}");
        assert!(
            !r["summary"].as_str().unwrap_or("").is_empty(),
            "{id} has a summary"
        );
    }
    let e = v.run(&["explain", "link-broken"]);
    assert_eq!(e.code, 0);
    assert!(e.stdout.starts_with("# link-broken\n"));
    assert!(e.stdout.contains("## What it finds") && e.stdout.contains("## Fix"));
    let e = v.run(&["explain", "link-brokn"]);
    assert_eq!(e.code, 2);
    assert!(e.stderr.contains("did you mean `link-broken`"));
}

#[test]
fn docs_rules_md_is_up_to_date() {
    let v = Vault::new("cli-vault");
    let generated = v.run(&["rules", "--markdown"]).stdout;
    let path = repo_root().join("docs/rules.md");
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        generated == on_disk,
        "docs/rules.md is out of date; regenerate it with\n    \
         cargo run -q -p wikistamp-cli -- rules --markdown > docs/rules.md"
    );
    let list = json(&v.run(&["rules", "--json"]).stdout);
    for r in list.as_array().expect("list") {
        let id = r["id"].as_str().expect("id");
        assert!(generated.contains(&format!("\n## {id}\n")), "{id}");
    }
}

#[test]
fn init_writes_a_default_config_and_never_overwrites() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let r = run_in(tmp.path(), &["init"], None, &[]);
    assert_eq!(r.code, 0, "{r:?}");
    let path = tmp.path().join("wikistamp.toml");
    let written = std::fs::read_to_string(&path).expect("written");
    for key in [
        "flavor = \"obsidian\"",
        "exclude =",
        "[rules]",
        "# link-broken = \"error\"",
        "resolution = \"shortest\"",
        "case-sensitive = false",
        "order-scope = \"group\"",
        "custom-types = []",
        "min-words = 6",
        "required-frontmatter = []",
    ] {
        assert!(written.contains(key), "{key} missing from\n{written}");
    }
    // The file is valid: a check with it runs (no exit 2).
    std::fs::write(tmp.path().join("a.md"), "---\ntitle: A\n---\n\nText.\n").expect("note");
    let r = run_in(tmp.path(), &["check"], None, &[]);
    assert_eq!(r.code, 0, "{r:?}");
    std::fs::write(&path, "# mine\n").expect("write");
    let r = run_in(tmp.path(), &["init"], None, &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("already exists; not overwritten"),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "# mine\n");
}

#[test]
fn init_writes_the_flavor_it_detects() {
    // A Quartz project's content folder: quartz.config.ts above it.
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(tmp.path().join("quartz.config.ts"), "export default {}\n").expect("write");
    let content = tmp.path().join("content");
    std::fs::create_dir(&content).expect("mkdir");
    let r = run_in(&content, &["init"], None, &[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("(flavor quartz)"), "{}", r.stdout);
    let written = std::fs::read_to_string(content.join("wikistamp.toml")).expect("written");
    assert!(written.contains("\nflavor = \"quartz\"\n"), "{written}");
    // Checked from the project, the vault is its content folder, read as Quartz: its links
    // are read from `content/`, and the project's other Markdown is not checked.
    std::fs::write(content.join("a.md"), "[[b]] [[nowhere]]\n").expect("note");
    std::fs::write(content.join("b.md"), "# B\n").expect("note");
    std::fs::write(tmp.path().join("README.md"), "[[broken]]\n").expect("readme");
    std::fs::create_dir(tmp.path().join(".git")).expect("mkdir");
    let r = run_in(tmp.path(), &["check", "--format", "json"], None, &[]);
    let found = path_rule_message(&json(&r.stdout));
    assert_eq!(
        found,
        ["\"content/a.md\" \"link-broken\" \"`nowhere` links to no note\""],
        "{}",
        r.stdout
    );
    // `.obsidian/` wins: the vault is opened in Obsidian.
    std::fs::create_dir(tmp.path().join(".obsidian")).expect("mkdir");
    let r = run_in(tmp.path(), &["init"], None, &[]);
    assert_eq!(r.code, 0, "{r:?}");
    let written = std::fs::read_to_string(tmp.path().join("wikistamp.toml")).expect("written");
    assert!(written.contains("\nflavor = \"obsidian\"\n"), "{written}");
}

#[test]
fn completions_for_each_shell() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let r = run_in(tmp.path(), &["completions", shell], None, &[]);
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        assert!(r.stdout.contains("wikistamp"), "{shell}");
        assert!(
            r.stdout.contains("unsafe-fixes"),
            "{shell} completes check's flags"
        );
    }
    let r = run_in(tmp.path(), &["completions", "tcsh"], None, &[]);
    assert_eq!(r.code, 2);
}

#[test]
fn pre_commit_hooks_file_declares_both_hooks() {
    let text = std::fs::read_to_string(repo_root().join(".pre-commit-hooks.yaml"))
        .expect(".pre-commit-hooks.yaml at the repo root");
    for needle in [
        "- id: wikistamp\n",
        "entry: wikistamp check",
        "- id: wikistamp-fix\n",
        "entry: wikistamp check --fix",
        "language: rust",
        "types: [markdown]",
    ] {
        assert!(text.contains(needle), "{needle}");
    }
}

#[test]
fn a_vault_without_markers_checked_from_elsewhere_is_its_own_root() {
    // No wikistamp.toml, .obsidian or .git: checking the folder from a sibling folder still
    // loads that folder as the vault (not the current directory, which does not contain it).
    let tmp = tempfile::tempdir().expect("tempdir");
    let base = std::fs::canonicalize(tmp.path()).expect("canonical");
    let vault = base.join("vault");
    std::fs::create_dir_all(vault.join("sub")).expect("mkdir");
    std::fs::create_dir_all(base.join("elsewhere")).expect("mkdir");
    std::fs::write(
        vault.join("a.md"),
        "---\ntitle: A\n---\n[[b]] [[c]] [[zzz]]\n",
    )
    .expect("write");
    std::fs::write(vault.join("b.md"), "---\ntitle: B\n---\n").expect("write");
    std::fs::write(vault.join("sub/c.md"), "---\ntitle: C\n---\n").expect("write");
    let vault_arg = vault.to_string_lossy().into_owned();
    let r = run_in(
        &base.join("elsewhere"),
        &["check", &vault_arg, "--format", "json"],
        None,
        &[],
    );
    let json: Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(json["summary"]["files"], 3, "{}", r.stdout);
    let broken: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert_eq!(broken, ["`zzz` links to no note"]);
}

#[test]
fn human_output_shows_a_window_of_a_long_line() {
    // Real notes keep whole paragraphs on one line; printing such a line for every finding
    // on it made the corpus' human output 1.5 GB. A window around the finding is shown, with
    // the real line and column.
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = std::fs::canonicalize(tmp.path()).expect("canonical");
    std::fs::write(dir.join("wikistamp.toml"), "").expect("write");
    let filler = "word ".repeat(400);
    let note = format!("---\ntitle: Long\n---\n{filler}[[nowhere]] {filler}\n");
    std::fs::write(dir.join("long.md"), &note).expect("write");
    let r = run_in(&dir, &["check", "--color", "never"], None, &[]);
    assert_eq!(r.code, 1);
    let column = filler.chars().count() + 3;
    assert!(
        r.stdout.contains(&format!("long.md:4:{column}")),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("│ …"), "{}", r.stdout);
    assert!(
        r.stdout.contains("word word [[nowhere]] word word"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("^^^^^^^"), "{}", r.stdout);
    assert!(
        r.stdout.len() < 1500,
        "the whole line was printed: {} bytes",
        r.stdout.len()
    );
    // Short lines are shown whole, as before.
    std::fs::write(
        dir.join("long.md"),
        "---\ntitle: Short\n---\nA short [[nowhere]] line.\n",
    )
    .expect("write");
    let r = run_in(&dir, &["check", "--color", "never"], None, &[]);
    assert!(
        r.stdout.contains("A short [[nowhere]] line."),
        "{}",
        r.stdout
    );
}

#[test]
fn aliases_resolve_links_from_notes_read_before_them() {
    // A link to an alias resolves whether the linking note comes before or after the note
    // declaring it (in path order, or in the order a parallel check reaches them), `#heading`
    // included, and when only the linking note is checked; a link to an unreadable note is
    // not broken. Aliases resolve in the Quartz flavor (Obsidian does not resolve them).
    let (_tmp, dir) = scratch_vault();
    std::fs::write(dir.join("wikistamp.toml"), "flavor = \"quartz\"\n").expect("write");
    let linking =
        "---\ntitle: T\n---\n[[nick]] [[Nick#Intro]] [[nick#Missing]] [[nobody]] [[both]] [[bad]]\n";
    std::fs::write(dir.join("a.md"), linking).expect("write");
    std::fs::write(dir.join("bad.md"), b"[[nick]] \xff\n").expect("write");
    std::fs::write(dir.join("both.md"), "---\ntitle: B\n---\n# Both\n").expect("write");
    std::fs::write(
        dir.join("m.md"),
        "---\ntitle: M\naliases: [nick, both]\n---\n# Intro\n",
    )
    .expect("write");
    std::fs::write(dir.join("z.md"), linking).expect("write");
    let r = run_in(&dir, &["check", "--format", "json"], None, &[]);
    let report = json(&r.stdout);
    let found = path_rule_message(&report);
    let expected: Vec<String> = ["a.md", "bad.md", "z.md"]
        .iter()
        .flat_map(|p| match *p {
            "bad.md" => vec![format!(
                "\"bad.md\" \"file-unreadable\" \"file is not valid UTF-8 (invalid byte at offset 9)\""
            )],
            p => vec![
                format!("\"{p}\" \"link-heading-missing\" \"`nick` has no heading `Missing`\""),
                format!("\"{p}\" \"link-broken\" \"`nobody` links to no note\""),
            ],
        })
        .collect();
    assert_eq!(found, expected, "{}", r.stdout);
    assert_eq!(report["summary"]["files"], 5, "{}", r.stdout);
    // Checking one note: the notes not asked for still declare their aliases.
    let r = run_in(&dir, &["check", "z.md", "--format", "json"], None, &[]);
    assert_eq!(
        path_rule_message(&json(&r.stdout)),
        expected[3..],
        "{}",
        r.stdout
    );
}

#[test]
fn heading_links_to_the_note_itself_and_to_others_by_name() {
    // Headings are learnt only for the notes heading links lead to, the linking note's own
    // from its parse: `[[a#Intro]]` inside `a.md` is found, as is `[[b#Top]]`. The same
    // whether the vault is checked, the note, or the note from standard input.
    let (_tmp, dir) = scratch_vault();
    let a =
        "---\ntitle: A\n---\n# Intro\n\n[[a#Intro]] [[a#Nope]] [[b#Top]] [[b#Gone]] [[#Intro]]\n";
    std::fs::write(dir.join("a.md"), a).expect("write");
    std::fs::write(dir.join("b.md"), "---\ntitle: B\n---\n# Top\n").expect("write");
    // And from standard input, where only the vault's index is loaded and the headings are
    // read from the notes the links lead to.
    for (args, stdin) in [
        (&["check", "--format", "json"][..], None),
        (&["check", "a.md", "--format", "json"], None),
        (
            &["check", "--stdin-filename", "a.md", "--format", "json", "-"],
            Some(a.as_bytes()),
        ),
    ] {
        let r = run_in(&dir, args, stdin, &[]);
        assert_eq!(
            path_rule_message(&json(&r.stdout)),
            [
                "\"a.md\" \"link-heading-missing\" \"`a` has no heading `Nope`\"",
                "\"a.md\" \"link-heading-missing\" \"`b` has no heading `Gone`\"",
            ],
            "{args:?}: {}",
            r.stdout
        );
    }
}

/// A fresh vault folder with an empty `wikistamp.toml` (kept while the guard lives).
fn scratch_vault() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = std::fs::canonicalize(tmp.path()).expect("canonical");
    std::fs::write(dir.join("wikistamp.toml"), "").expect("write");
    (tmp, dir)
}

/// `"path" "rule" "message"` of each finding of a JSON report, in order.
fn path_rule_message(report: &Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| format!("{} {} {}", d["path"], d["rule"], d["message"]))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Transcripts

/// A vault whose notes are about videos with transcripts: `a.md`'s is cut short at line 6,
/// `b.md`'s reads, `d.md`'s is not youtube-transcript-api's JSON, and `CCCCCCCCCCC`'s is
/// broken but no note is about it. The transcript folder's README is no note.
fn transcript_vault() -> (tempfile::TempDir, PathBuf) {
    let (tmp, dir) = scratch_vault();
    let note = |id: &str| format!("---\ntitle: {id}\nvideoId: {id}\n---\nWords.\n");
    std::fs::write(dir.join("a.md"), note("AAAAAAAAAAA")).expect("write");
    std::fs::write(dir.join("b.md"), note("BBBBBBBBBBB")).expect("write");
    std::fs::write(dir.join("d.md"), note("DDDDDDDDDDD")).expect("write");
    let t = dir.join("transcripts");
    std::fs::create_dir(&t).expect("mkdir");
    let srt = "1\n00:00:01,000 --> 00:00:02,000\nHello.\n\n2\n00:00:03,000 --> 00:00:0\nCut.\n";
    std::fs::write(t.join("AAAAAAAAAAA.en.srt"), srt).expect("write");
    let vtt = "WEBVTT\n\n00:01.000 --> 00:02.000\nHi.\n";
    std::fs::write(t.join("Title [BBBBBBBBBBB].en.vtt"), vtt).expect("write");
    std::fs::write(t.join("CCCCCCCCCCC.en.srt"), "garbage\n").expect("write");
    std::fs::write(
        t.join("DDDDDDDDDDD.json"),
        "[{\"text\": \"a\",\n \"start\": \"x\"}]",
    )
    .expect("write");
    std::fs::write(t.join("README.md"), "# Captions\n\n[[nowhere]]\n").expect("write");
    (tmp, dir)
}

#[test]
fn an_unreadable_transcript_is_a_finding_on_it_at_its_line() {
    let (_tmp, dir) = transcript_vault();
    let a =
        "transcripts/AAAAAAAAAAA.en.srt:6:1: error[transcript-invalid] cannot read the transcript \
             of video `AAAAAAAAAAA`: `00:00:03,000 --> 00:00:0` is not a cue timing such as \
             `00:00:01,000 --> 00:00:04,000`";
    let d =
        "transcripts/DDDDDDDDDDD.json:2:1: error[transcript-invalid] cannot read the transcript \
             of video `DDDDDDDDDDD`: not youtube-transcript-api's JSON list: invalid type: string \
             \"x\", expected f64";
    // The whole vault: the two broken transcripts notes need, nothing in the README, nothing
    // about the transcript no note needs.
    let r = run_in(&dir, &["check", "--format", "concise"], None, &[]);
    assert_eq!(r.code, 1);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines,
        [a, d, "2 errors, 0 warnings in 2 files (5 checked)"],
        "{}",
        r.stdout
    );
    // JSON: the transcript's path, its line and the line's range.
    let r = run_in(&dir, &["check", "--format", "json"], None, &[]);
    let report = json(&r.stdout);
    let first = &report["diagnostics"][0];
    assert_eq!(first["path"], "transcripts/AAAAAAAAAAA.en.srt");
    assert_eq!(first["rule"], "transcript-invalid");
    assert_eq!(first["range"]["start"]["line"], 6);
    assert_eq!(first["range"]["end"]["column"], 25);
    // One note: only its video's transcript.
    let r = run_in(&dir, &["check", "d.md", "--format", "concise"], None, &[]);
    assert_eq!(r.stdout.lines().next(), Some(d), "{}", r.stdout);
    assert_eq!(r.stdout.lines().count(), 2, "{}", r.stdout);
    let r = run_in(&dir, &["check", "b.md", "--format", "concise"], None, &[]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    // From standard input, and with --fix (which reports what remains).
    let r = run_in(
        &dir,
        &["check", "--stdin-filename", "a.md", "--format", "concise"],
        Some(b"---\ntitle: A\nvideoId: AAAAAAAAAAA\n---\nWords.\n"),
        &[],
    );
    assert_eq!(r.stdout.lines().next(), Some(a), "{}", r.stdout);
    let r = run_in(&dir, &["check", "--fix", "--format", "concise"], None, &[]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stdout.lines().take(2).collect::<Vec<_>>(),
        [a, d],
        "{}",
        r.stdout
    );
    // Off: silent.
    std::fs::write(
        dir.join("wikistamp.toml"),
        "[rules]\ntranscript-invalid = \"off\"\n",
    )
    .expect("write");
    let r = run_in(&dir, &["check", "--format", "concise"], None, &[]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn notes_in_a_transcript_folder_are_not_checked() {
    let (_tmp, dir) = transcript_vault();
    // The default folder: its README's broken link is no finding.
    let r = run_in(
        &dir,
        &["check", "--format", "concise", "--select", "link"],
        None,
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    // A configured folder: the same; the default one is then an ordinary folder.
    std::fs::create_dir(dir.join("captions")).expect("mkdir");
    std::fs::write(dir.join("captions/notes.md"), "[[gone]]\n").expect("write");
    std::fs::write(
        dir.join("wikistamp.toml"),
        "[transcripts]\ndirs = [\"captions\"]\n",
    )
    .expect("write");
    let r = run_in(
        &dir,
        &["check", "--format", "concise", "--select", "link"],
        None,
        &[],
    );
    assert_eq!(
        r.stdout.lines().next(),
        Some("transcripts/README.md:3:3: error[link-broken] `nowhere` links to no note"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("captions/"), "{}", r.stdout);
}

// ---------------------------------------------------------------------------------------------
// Nested vaults

/// A folder of three vaults: the outer one (a `.git` root), `a/` (Obsidian, its own
/// `.obsidian/`) and `b/` (its own `wikistamp.toml`: `link-broken` a warning, a custom callout
/// type). Each note links to notes of the other vaults and to one of its own that has a
/// fixable spelling.
fn nested_vaults() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = std::fs::canonicalize(tmp.path()).expect("canonical");
    let write = |rel: &str, text: &str| {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    };
    std::fs::create_dir_all(dir.join(".git")).expect("mkdir .git");
    std::fs::create_dir_all(dir.join("a/.obsidian")).expect("mkdir .obsidian");
    write("top.md", "See [[x]] and [[top-2]].\n");
    write("top2.md", "Two.\n");
    write(
        "a/x.md",
        "See [[y]] and [[x-2]].\n> [!custom] Hi\n> there\n",
    );
    write("a/x2.md", "Two.\n");
    write(
        "b/wikistamp.toml",
        "[rules]\nlink-broken = \"warning\"\n[callouts]\ncustom-types = [\"custom\"]\n",
    );
    write(
        "b/y.md",
        "See [[x]] and [[x-2]].\n> [!custom] Hi\n> there\n",
    );
    (tmp, dir)
}

#[test]
fn nested_vaults_are_checked_each_with_its_own_config() {
    let (_tmp, dir) = nested_vaults();
    let r = run_in(&dir, &["check", ".", "--format", "json"], None, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let found: Vec<String> = json(&r.stdout)["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            format!(
                "{} {} {} {}",
                d["path"], d["rule"], d["severity"], d["message"]
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            // `y` is in another vault; `x-2` is this vault's `x2`; `custom` is `b/`'s type only.
            r#""a/x.md" "link-broken" "error" "`y` links to no note""#,
            r#""a/x.md" "link-broken" "error" "`x-2` links to no note""#,
            r#""a/x.md" "callout-unknown-type" "warning" "unknown callout type `custom`: it renders with the default style""#,
            // `b/`'s own config: `link-broken` is a warning; `x` and `x2` are in `a/`.
            r#""b/y.md" "link-broken" "warning" "`x` links to no note""#,
            r#""b/y.md" "link-broken" "warning" "`x-2` links to no note""#,
            // The outer vault holds neither vault's notes.
            r#""top.md" "link-broken" "error" "`x` links to no note""#,
            r#""top.md" "link-broken" "error" "`top-2` links to no note""#,
        ]
    );
    // `--fix` fixes each vault against its own notes only.
    let r = run_in(
        &dir,
        &["check", ".", "--fix", "--format", "concise"],
        None,
        &[],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    // The outer vault has no marker of its own: the summary says where its root came from.
    let said = "Vault root: . (the git repository's root; no wikistamp.toml or .obsidian/ above the checked path).\n";
    assert!(r.stdout.ends_with(said), "{}", r.stdout);
    let read = |rel: &str| std::fs::read_to_string(dir.join(rel)).expect("read");
    assert_eq!(
        read("a/x.md").lines().next(),
        Some("See [[y]] and [[x2|x-2]].")
    );
    assert_eq!(
        read("b/y.md").lines().next(),
        Some("See [[x]] and [[x-2]].")
    );
    assert_eq!(read("top.md"), "See [[x]] and [[top2|top-2]].\n");
    // A nested vault checked alone is that vault.
    let r = run_in(&dir.join("b"), &["check", "--format", "concise"], None, &[]);
    assert!(r.stdout.starts_with("y.md:1:"), "{}", r.stdout);
    assert!(!r.stdout.contains("Vault root"), "{}", r.stdout);
}
