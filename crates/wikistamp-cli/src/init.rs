//! `wikistamp init` (a commented `wikistamp.toml` with every option at its default) and
//! `wikistamp completions SHELL`.

use std::fmt::Write as _;
use std::io::Write as _;

use clap::CommandFactory;
use wikistamp_analysis::config::{
    Flavor, LinkResolution, OrderScope, TranscriptsConfig, CONFIG_FILE,
};
use wikistamp_analysis::{rules, Config};

use crate::args::{Cli, InitArgs};

pub fn run(args: &InitArgs) -> Result<u8, String> {
    let dir = match &args.dir {
        Some(d) => d.clone(),
        None => std::env::current_dir()
            .map_err(|e| format!("cannot read the current directory: {e}"))?,
    };
    if !dir.is_dir() {
        return Err(format!("{}: not a folder", dir.display()));
    }
    let path = dir.join(CONFIG_FILE);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                format!("{}: already exists; not overwritten", path.display())
            } else {
                format!("{}: cannot create: {e}", path.display())
            }
        })?;
    let flavor = wikistamp_workspace::detect_flavor(&dir);
    file.write_all(default_config(flavor).as_bytes())
        .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
    println!("Wrote {} (flavor {})", path.display(), flavor.as_str());
    Ok(0)
}

fn toml_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("{s:?}")).collect();
    format!("[{}]", quoted.join(", "))
}

/// The text `init` writes: `flavor` (the one detected in the folder), then every option at its
/// default, with what it means. It parses to [`Config::default`] with that flavor set.
pub fn default_config(flavor: Flavor) -> String {
    let d = Config::default();
    let resolution = match d.links.resolution {
        LinkResolution::Shortest => "shortest",
        LinkResolution::Relative => "relative",
        LinkResolution::Absolute => "absolute",
    };
    let scope = match d.timestamps.order_scope {
        OrderScope::Group => "group",
        OrderScope::Paragraph => "paragraph",
        OrderScope::Section => "section",
        OrderScope::Document => "document",
        OrderScope::Off => "off",
    };
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# wikistamp configuration. Every option is shown at its default.\n\
         # `wikistamp rules` lists the rules; `wikistamp explain RULE` documents one.\n\
         \n\
         # The app the vault is read with, \"obsidian\" or \"quartz\": where they differ (which\n\
         # note a shared name opens, aliases, callout types, heading links), the rules do\n\
         # what it does. Without this key it is detected: .obsidian/ means Obsidian, a\n\
         # quartz.config.ts here or above means Quartz, and Obsidian otherwise.\n\
         flavor = \"{}\"\n\
         \n\
         # Files and folders to skip, gitignore-style (.gitignore is respected too),\n\
         # e.g. [\"templates/**\", \"private/**\"].\n\
         exclude = {}\n\
         \n\
         # Severity per rule: \"error\", \"warning\", \"info\" or \"off\".\n\
         # Uncomment a line to change it.\n\
         [rules]",
        flavor.as_str(),
        toml_list(&d.exclude)
    );
    for r in rules::all() {
        let m = r.meta();
        let _ = writeln!(s, "# {} = \"{}\"", m.id, m.default_severity.as_str());
    }
    let _ = writeln!(
        s,
        "\n\
         [links]\n\
         # How [[target]] finds its note: \"shortest\" (file name anywhere in the vault, as\n\
         # Obsidian and Quartz do), \"relative\" (to the linking note) or \"absolute\" (from the\n\
         # vault root).\n\
         resolution = \"{resolution}\"\n\
         # Whether [[Target]] and target.md must match in case.\n\
         case-sensitive = {}\n\
         \n\
         [timestamps]\n\
         # Where citations must go forward in time: \"group\" (a run of adjacent citations),\n\
         # \"paragraph\", \"section\", \"document\" or \"off\".\n\
         order-scope = \"{scope}\"\n\
         \n\
         [callouts]\n\
         # Callout types to accept besides Obsidian's and those the vault's CSS styles\n\
         # (.callout[data-callout=\"x\"]), e.g. [\"definition\", \"analogy\"].\n\
         custom-types = {}\n\
         \n\
         [sources]\n\
         # Claim blocks shorter than this many words need no citation.\n\
         min-words = {}\n\
         # Frontmatter keys every note must have, e.g. [\"title\"] (none by default).\n\
         required-frontmatter = {}\n\
         \n\
         [transcripts]\n\
         # Folders of video transcripts (SRT, WebVTT, youtube-transcript-api JSON) named\n\
         # for their video id, relative to the vault root. Default: \"{}\" when it exists.\n\
         # dirs = [\"{}\"]\n\
         # The language whose transcript wins when a video has several.\n\
         language = \"{}\"",
        d.links.case_sensitive,
        toml_list(&d.callouts.custom_types),
        d.sources.min_words,
        toml_list(&d.sources.required_frontmatter),
        TranscriptsConfig::DEFAULT_DIR,
        TranscriptsConfig::DEFAULT_DIR,
        d.transcripts.language,
    );
    s
}

pub fn completions(shell: clap_complete::Shell) -> Result<u8, String> {
    let mut cmd = Cli::command();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(shell, &mut cmd, "wikistamp", &mut out);
    out.flush()
        .map_err(|e| format!("cannot write output: {e}"))?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_parses_to_the_defaults() {
        for flavor in [Flavor::Obsidian, Flavor::Quartz] {
            let text = default_config(flavor);
            let parsed = Config::from_toml(&text).expect("init's file parses");
            let mut expected = Config::default();
            expected.links.flavor = flavor;
            expected.flavor_configured = true;
            assert_eq!(parsed, expected);
        }
        let text = default_config(Flavor::Obsidian);
        for r in rules::all() {
            assert!(
                text.contains(&format!("# {} = ", r.meta().id)),
                "{}",
                r.meta().id
            );
        }
    }

    #[test]
    fn uncommented_rule_lines_parse() {
        // Every rule line is valid once uncommented.
        let text = default_config(Flavor::Quartz)
            .replace("\n# ", "\n")
            .replace("\n#", "\n");
        let only_rules: String = text
            .lines()
            .filter(|l| {
                l.starts_with('[')
                    || l.starts_with("flavor")
                    || l.split(' ')
                        .next()
                        .is_some_and(|id| id.parse::<wikistamp_analysis::RuleId>().is_ok())
            })
            .filter(|l| {
                !l.starts_with("[links")
                    && !l.starts_with("[time")
                    && !l.starts_with("[call")
                    && !l.starts_with("[sour")
                    && !l.starts_with("[tran")
            })
            .map(|l| format!("{l}\n"))
            .collect();
        let parsed = Config::from_toml(&only_rules).expect("rule lines parse");
        assert_eq!(parsed.rules.len(), rules::all().len());
    }
}
