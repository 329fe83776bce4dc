//! `wikistamp rules` and `wikistamp explain`.

use wikistamp_analysis::{rules, suggest, RuleId};

use crate::args::RulesArgs;

pub fn list(args: &RulesArgs) -> Result<u8, String> {
    if args.markdown {
        print!("{}", reference_markdown());
        return Ok(0);
    }
    if args.json {
        let list: Vec<serde_json::Value> = rules::all()
            .iter()
            .map(|r| {
                let m = r.meta();
                serde_json::json!({
                    "id": m.id.as_str(),
                    "family": m.family.as_str(),
                    "severity": m.default_severity.as_str(),
                    "fix": m.fix.as_str(),
                    "summary": m.summary(),
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(list));
        return Ok(0);
    }
    println!(
        "{:<26} {:<12} {:<9} {:<9}",
        "RULE", "FAMILY", "SEVERITY", "FIX"
    );
    for r in rules::all() {
        let m = r.meta();
        println!(
            "{:<26} {:<12} {:<9} {:<9}",
            m.id,
            m.family.as_str(),
            m.default_severity.as_str(),
            m.fix.as_str()
        );
    }
    Ok(0)
}

pub fn explain(id: &str) -> Result<u8, String> {
    let Ok(rule) = id.parse::<RuleId>() else {
        let hint = suggest::rule_id_hint(id);
        return Err(format!(
            "unknown rule `{id}`{hint}; `wikistamp rules` lists them"
        ));
    };
    let m = rule.meta();
    println!("# {}\n", m.id);
    println!(
        "Family: {} · Default severity: {} · Fix: {}\n",
        m.family.as_str(),
        m.default_severity.as_str(),
        m.fix.as_str()
    );
    print!("{}", m.doc_markdown());
    Ok(0)
}

/// The rule reference (docs/rules.md): a table of every rule, then each rule's documentation
/// with its headings one level down.
pub fn reference_markdown() -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    s.push_str("# Rules\n\n");
    s.push_str(
        "<!-- Generated from the rules' doc comments by `wikistamp rules --markdown`; do not edit.\n     \
         Regenerate: cargo run -q -p wikistamp-cli -- rules --markdown > docs/rules.md -->\n\n",
    );
    s.push_str(
        "Every rule wikistamp has, with its default severity and whether `wikistamp check --fix` \
         can repair what it finds. Change severities in `wikistamp.toml` (`[rules]`), silence a \
         line with `<!-- wikistamp-disable-next-line RULE -->`.\n\n",
    );
    s.push_str("| Rule | Family | Default severity | Fix | Finds |\n|---|---|---|---|---|\n");
    for r in rules::all() {
        let m = r.meta();
        let _ = writeln!(
            s,
            "| [`{id}`](#{id}) | {} | {} | {} | {} |",
            m.family.as_str(),
            m.default_severity.as_str(),
            m.fix.as_str(),
            m.summary().replace('|', "\\|"),
            id = m.id,
        );
    }
    for r in rules::all() {
        let m = r.meta();
        let _ = write!(
            s,
            "\n## {}\n\nFamily: {} · Default severity: {} · Fix: {}\n\n",
            m.id,
            m.family.as_str(),
            m.default_severity.as_str(),
            m.fix.as_str()
        );
        let mut in_code = false;
        for line in m.doc_markdown().lines() {
            if line.trim_start().starts_with("```") {
                in_code = !in_code;
            }
            if !in_code && line.starts_with('#') {
                s.push('#');
            }
            s.push_str(line);
            s.push('\n');
        }
    }
    s
}
