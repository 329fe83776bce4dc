//! `wikistamp.toml`: parsed from text (the caller reads the file), every key checked. An unknown
//! key or a bad value is an error that names the key and its line.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Severity;
use crate::rule_id::RuleId;
use crate::suggest;
use crate::text::{ColumnUnit, LineIndex};

/// The file name that marks a vault root and holds its configuration.
pub const CONFIG_FILE: &str = "wikistamp.toml";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum LinkResolution {
    /// File name anywhere in the vault (Obsidian's and Quartz's default).
    #[default]
    Shortest,
    /// Relative to the linking note's folder.
    Relative,
    /// From the vault root.
    Absolute,
}

/// The app a vault is read with: where Obsidian and Quartz differ (names shared by several
/// notes, aliases, callout types, heading links), the rules do what this app does. See
/// `docs/flavors.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Flavor {
    #[default]
    Obsidian,
    Quartz,
}

impl Flavor {
    pub fn as_str(self) -> &'static str {
        match self {
            Flavor::Obsidian => "obsidian",
            Flavor::Quartz => "quartz",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum OrderScope {
    #[default]
    Group,
    Paragraph,
    Section,
    Document,
    Off,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinksConfig {
    pub resolution: LinkResolution,
    pub case_sensitive: bool,
    /// The vault's flavor (the top-level `flavor` key, else detected by the workspace): it
    /// decides which of several notes of one name a link opens, and whether aliases resolve.
    pub flavor: Flavor,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampsConfig {
    pub order_scope: OrderScope,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalloutsConfig {
    /// Extra callout types, compared case-insensitively.
    pub custom_types: Vec<String>,
    /// Callout types the vault's CSS styles (`.callout[data-callout="x"]`), found by the
    /// workspace: not a key of the file.
    pub css_types: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcesConfig {
    pub min_words: usize,
    pub required_frontmatter: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptsConfig {
    /// Folders of transcripts, relative to the vault root. `None`: `transcripts/` when it
    /// exists.
    pub dirs: Option<Vec<String>>,
    /// The language whose transcript wins when a video has several (`en` also takes `en-US`).
    pub language: String,
}

impl TranscriptsConfig {
    /// The folder of transcripts when none is configured.
    pub const DEFAULT_DIR: &'static str = "transcripts";
}

/// A rule's configured level: a severity, or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleLevel {
    Off,
    On(Severity),
}

impl RuleLevel {
    /// The levels a configuration may name, for error messages.
    pub const EXPECTED: &'static str = r#""error", "warning", "info" or "off""#;
}

/// `off` or a severity (`error`, `warning`, `info`): how `wikistamp.toml` and the editor
/// settings write a rule's level.
impl FromStr for RuleLevel {
    type Err = InvalidLevel;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "off" => Ok(RuleLevel::Off),
            other => other.parse().map(RuleLevel::On).map_err(|_| InvalidLevel),
        }
    }
}

/// The error of parsing a string that is no [`RuleLevel`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidLevel;

impl fmt::Display for InvalidLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {}", RuleLevel::EXPECTED)
    }
}

impl std::error::Error for InvalidLevel {}

/// The effective configuration; [`Config::default`] is what applies without a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Whether the file sets `flavor` (the flavor itself is [`LinksConfig::flavor`]); when it
    /// does not, the workspace detects it.
    pub flavor_configured: bool,
    pub exclude: Vec<String>,
    /// Levels set for rules; a rule not here has its default severity.
    pub rules: BTreeMap<RuleId, RuleLevel>,
    pub links: LinksConfig,
    pub timestamps: TimestampsConfig,
    pub callouts: CalloutsConfig,
    pub sources: SourcesConfig,
    pub transcripts: TranscriptsConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            flavor_configured: false,
            exclude: Vec::new(),
            rules: BTreeMap::new(),
            links: LinksConfig {
                resolution: LinkResolution::Shortest,
                case_sensitive: false,
                flavor: Flavor::Obsidian,
            },
            timestamps: TimestampsConfig {
                order_scope: OrderScope::Group,
            },
            callouts: CalloutsConfig {
                custom_types: Vec::new(),
                css_types: Vec::new(),
            },
            sources: SourcesConfig {
                min_words: 6,
                required_frontmatter: Vec::new(),
            },
            transcripts: TranscriptsConfig {
                dirs: None,
                language: "en".to_string(),
            },
        }
    }
}

/// A configuration error with its 1-based line and column in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for ConfigError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    flavor: Option<Flavor>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    links: RawLinks,
    #[serde(default)]
    timestamps: RawTimestamps,
    #[serde(default)]
    callouts: RawCallouts,
    #[serde(default)]
    sources: RawSources,
    #[serde(default)]
    transcripts: RawTranscripts,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawLinks {
    resolution: Option<LinkResolution>,
    case_sensitive: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawTimestamps {
    order_scope: Option<OrderScope>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawCallouts {
    custom_types: Option<Vec<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSources {
    min_words: Option<usize>,
    required_frontmatter: Option<Vec<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawTranscripts {
    dirs: Option<Vec<String>>,
    language: Option<String>,
}

impl Config {
    /// The vault's flavor.
    pub fn flavor(&self) -> Flavor {
        self.links.flavor
    }

    /// Parses the text of a `wikistamp.toml`.
    pub fn from_toml(source: &str) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(source).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            error_at(source, at, e.message().trim().to_string())
        })?;
        let mut config = Config {
            exclude: raw.exclude,
            ..Config::default()
        };
        for (id, level) in raw.rules {
            let (id_text, level_text) = (id.get_ref(), level.get_ref());
            let rule: RuleId = id_text.parse().map_err(|_| {
                let hint = suggest::rule_id_hint(id_text);
                let message = format!("unknown rule `{id_text}` in [rules]{hint}");
                error_at(source, id.span().start, message)
            })?;
            let parsed: RuleLevel = level_text.parse().map_err(|_| {
                let expected = RuleLevel::EXPECTED;
                let message =
                    format!("invalid level `{level_text}` for rule `{rule}` (expected {expected})");
                error_at(source, level.span().start, message)
            })?;
            config.rules.insert(rule, parsed);
        }
        if let Some(f) = raw.flavor {
            config.links.flavor = f;
            config.flavor_configured = true;
        }
        if let Some(r) = raw.links.resolution {
            config.links.resolution = r;
        }
        if let Some(c) = raw.links.case_sensitive {
            config.links.case_sensitive = c;
        }
        if let Some(s) = raw.timestamps.order_scope {
            config.timestamps.order_scope = s;
        }
        if let Some(t) = raw.callouts.custom_types {
            config.callouts.custom_types = t;
        }
        if let Some(m) = raw.sources.min_words {
            config.sources.min_words = m;
        }
        if let Some(r) = raw.sources.required_frontmatter {
            config.sources.required_frontmatter = r;
        }
        if let Some(d) = raw.transcripts.dirs {
            config.transcripts.dirs = Some(d);
        }
        if let Some(l) = raw.transcripts.language {
            config.transcripts.language = l;
        }
        Ok(config)
    }
}

fn error_at(source: &str, offset: usize, message: String) -> ConfigError {
    let at = LineIndex::new(source).line_col(source, offset, ColumnUnit::Chars);
    ConfigError {
        message,
        line: at.line + 1,
        column: at.col + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_shape_parses() {
        let cfg = Config::from_toml(
            r#"
flavor = "quartz"
exclude = ["templates/**"]
[rules]
link-heading-missing = "off"
link-ambiguous = "error"
[links]
resolution = "relative"
case-sensitive = true
[timestamps]
order-scope = "section"
[callouts]
custom-types = ["definition"]
[sources]
min-words = 4
required-frontmatter = ["title"]
[transcripts]
dirs = ["captions", "more/subs"]
language = "fr"
"#,
        )
        .expect("valid config");
        assert_eq!(cfg.flavor(), Flavor::Quartz);
        assert!(cfg.flavor_configured);
        assert_eq!(cfg.exclude, ["templates/**"]);
        assert_eq!(
            cfg.rules.get(&RuleId::LinkHeadingMissing),
            Some(&RuleLevel::Off)
        );
        assert_eq!(
            cfg.rules.get(&RuleId::LinkAmbiguous),
            Some(&RuleLevel::On(Severity::Error))
        );
        assert_eq!(cfg.links.resolution, LinkResolution::Relative);
        assert!(cfg.links.case_sensitive);
        assert_eq!(cfg.timestamps.order_scope, OrderScope::Section);
        assert_eq!(cfg.callouts.custom_types, ["definition"]);
        assert_eq!(cfg.sources.min_words, 4);
        assert_eq!(cfg.sources.required_frontmatter, ["title"]);
        assert_eq!(
            cfg.transcripts.dirs.as_deref(),
            Some(&["captions".to_string(), "more/subs".to_string()][..])
        );
        assert_eq!(cfg.transcripts.language, "fr");
    }

    #[test]
    fn unknown_transcripts_key_names_key_and_line() {
        let err = Config::from_toml("[transcripts]\nlanguage = \"en\"\ndir = []\n")
            .expect_err("unknown key");
        assert_eq!(err.line, 3);
        assert!(err.message.contains("dir"), "{}", err.message);
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let err = Config::from_toml("[links]\nresolution = \"shortest\"\ncase_sensitive = true\n")
            .expect_err("unknown key");
        assert_eq!(err.line, 3);
        assert!(err.message.contains("case_sensitive"), "{}", err.message);
    }

    #[test]
    fn levels_are_off_or_a_severity() {
        assert_eq!("off".parse(), Ok(RuleLevel::Off));
        assert_eq!("error".parse(), Ok(RuleLevel::On(Severity::Error)));
        assert_eq!("warning".parse(), Ok(RuleLevel::On(Severity::Warning)));
        assert_eq!("info".parse(), Ok(RuleLevel::On(Severity::Info)));
        for bad in ["Error", "none", "", "off "] {
            assert_eq!(bad.parse::<RuleLevel>(), Err(InvalidLevel), "{bad:?}");
        }
    }

    #[test]
    fn unknown_rule_and_bad_level() {
        let err = Config::from_toml("[rules]\nlink-brokn = \"off\"\n").expect_err("unknown rule");
        assert_eq!((err.line, err.column), (2, 1));
        assert_eq!(
            err.message,
            "unknown rule `link-brokn` in [rules] (did you mean `link-broken`?)"
        );
        let err = Config::from_toml("[rules]\nlink-broken = \"loud\"\n").expect_err("bad level");
        assert_eq!(err.line, 2);
        assert_eq!(
            err.message,
            r#"invalid level `loud` for rule `link-broken` (expected "error", "warning", "info" or "off")"#
        );
        let err = Config::from_toml("[links]\nresolution = \"nearest\"\n").expect_err("bad enum");
        assert_eq!(err.line, 2);
    }
}
