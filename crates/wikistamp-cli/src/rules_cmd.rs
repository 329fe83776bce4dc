//! `wikistamp rules` and `wikistamp explain`.

use wikistamp_analysis::rules;

use crate::args::RulesArgs;

pub fn list(args: &RulesArgs) -> Result<u8, String> {
    if args.json {
        let list: Vec<serde_json::Value> = rules::all()
            .iter()
            .map(|r| {
                let m = r.meta();
                serde_json::json!({
                    "id": m.id,
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
    let Some(rule) = rules::find(id) else {
        let hint = rules::closest_id(id)
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
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
