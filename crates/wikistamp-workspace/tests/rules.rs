//! Data-driven rule tests. Each folder under `tests/fixtures/` is a small vault named after the
//! rule it exercises (read from disk as a vault is, hence in this crate). Every note in it is
//! checked with only that rule enabled (plus the vault's own `wikistamp.toml`, if any), and
//! the findings, with the source line they point at and the text each fix produces, are
//! compared with the snapshot in `tests/snapshots/`.
//!
//! Conventions the harness enforces (so a fixture cannot silently stop testing anything):
//! - notes named `clean*.md` must produce no finding;
//! - notes named `flagged*.md` must produce at least one;
//! - applying the fixes to a fixpoint converges and a second application changes nothing.

use std::fmt::Write as _;
use std::path::Path;

use wikistamp_analysis::config::{Config, RuleLevel};
use wikistamp_analysis::fix::fix_to_fixpoint;
use wikistamp_analysis::text::{ColumnUnit, LineIndex};
use wikistamp_analysis::vault::NoteEntry;
use wikistamp_analysis::{parse, Diagnostic, RuleId};
use wikistamp_workspace::{self as workspace, Checker};

fn config_for(dir: &Path, rule: RuleId) -> Config {
    let mut config = workspace::load_config(dir).expect("fixture config");
    for &id in RuleId::ALL {
        if id != rule {
            config.rules.insert(id, RuleLevel::Off);
        }
    }
    config
}

fn render(text: &str, diagnostics: &[Diagnostic], out: &mut String) {
    let lines = LineIndex::new(text);
    for d in diagnostics {
        let start = lines.line_col(text, d.range.start, ColumnUnit::Chars);
        let end = lines.line_col(text, d.range.end, ColumnUnit::Chars);
        let l1 = start.line;
        let _ = writeln!(
            out,
            "  {}:{}-{}:{} {}[{}] {}",
            start.line + 1,
            start.col + 1,
            end.line + 1,
            end.col + 1,
            d.severity,
            d.rule,
            d.message
        );
        let _ = writeln!(out, "    | {}", &text[lines.line_range(text, l1)]);
        let _ = writeln!(out, "    | flagged: {:?}", &text[d.range.clone()]);
        if let Some(help) = &d.help {
            let _ = writeln!(out, "    = help: {help}");
        }
        if let Some(fix) = &d.fix {
            let fixed = wikistamp_analysis::fix::apply_edits(text, &fix.edits);
            let fixed_lines = LineIndex::new(&fixed);
            let _ = writeln!(
                out,
                "    = fix ({}): {}\n    | {}",
                fix.applicability.as_str(),
                fix.title,
                &fixed[fixed_lines.line_range(&fixed, l1)]
            );
        }
    }
}

fn run_fixture(dir: &Path) -> String {
    let folder = dir
        .file_name()
        .and_then(|n| n.to_str())
        .expect("folder name");
    let rule: RuleId = folder
        .parse()
        .unwrap_or_else(|_| panic!("fixture folder `{folder}` names no rule"));
    let config = config_for(dir, rule);
    let loaded = workspace::load(dir, &config).expect("fixture vault loads");
    let mut out = String::new();
    for note in &loaded.notes {
        let ds =
            Checker::new(dir, &loaded.vault, &config).check(&note.text, &note.note, &note.rel_path);
        let name = note.rel_path.rsplit('/').next().unwrap_or_default();
        assert!(
            fixture_name_is_kebab(name),
            "{rule}/{}: name fixtures `clean.md`, `clean-what-it-shows.md`, `flagged.md` or \
             `flagged-what-it-shows.md`",
            note.rel_path
        );
        if name.starts_with("clean") {
            assert!(
                ds.is_empty(),
                "{rule}/{}: expected no finding, got {ds:#?}",
                note.rel_path
            );
        }
        if name.starts_with("flagged") {
            assert!(
                !ds.is_empty(),
                "{rule}/{}: expected findings, got none",
                note.rel_path
            );
        }
        if ds.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{}:", note.rel_path);
        render(&note.text, &ds, &mut out);

        // Fixes converge, and a second run finds nothing more to fix.
        let check = |t: &str| {
            let n = parse(t);
            let mut vault = workspace::load(dir, &config).expect("reload").vault;
            vault.upsert(NoteEntry::from_note(&note.rel_path, &n, t));
            Checker::new(dir, &vault, &config).check(t, &n, &note.rel_path)
        };
        let once = fix_to_fixpoint(&note.text, true, check);
        let twice = fix_to_fixpoint(&once.text, true, check);
        assert_eq!(
            twice.applied, 0,
            "{rule}/{}: fixes did not converge",
            note.rel_path
        );
        assert_eq!(once.text, twice.text);
    }
    out
}

/// `clean*` and `flagged*` fixtures are named one way: the prefix, then kebab-case words.
fn fixture_name_is_kebab(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".md") else {
        return true;
    };
    let rest = match stem
        .strip_prefix("clean")
        .or_else(|| stem.strip_prefix("flagged"))
    {
        Some(rest) => rest,
        None => return true, // a note other fixtures link to
    };
    rest.is_empty()
        || (rest.starts_with('-')
            && !rest.ends_with('-')
            && rest[1..]
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
}

#[test]
fn rule_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("fixtures folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty());
    for dir in dirs {
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let report = run_fixture(&dir);
        insta::with_settings!({ snapshot_suffix => name.clone(), prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("rule", report);
        });
    }
}

/// Every rule has a fixture folder, so no rule goes untested.
#[test]
fn every_rule_has_a_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for &id in RuleId::ALL {
        if id == RuleId::FileUnreadable || id == RuleId::TranscriptInvalid {
            continue; // reported by the loader, on a file that is no note; tested in the CLI tests
        }
        assert!(
            root.join(id.as_str()).is_dir(),
            "rule `{id}` has no folder in tests/fixtures/"
        );
    }
}
