//! Where a vault starts and how it is configured: its root folder and its `wikistamp.toml`.

use std::fs;
use std::path::{Path, PathBuf};

use wikistamp_analysis::config::{Config, ConfigError, Flavor, CONFIG_FILE};

/// The vault root for `start` (a file or folder): the nearest ancestor holding
/// `wikistamp.toml`, else `.obsidian/`, else the `content/` folder of a Quartz project
/// (`quartz.config.ts` beside it) that holds `start` or whose project `start` is, else `.git`,
/// else `fallback`.
pub fn find_root(start: &Path, fallback: &Path) -> PathBuf {
    let start = if start.is_file() || !start.exists() {
        start.parent().unwrap_or(start)
    } else {
        start
    };
    let start = fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    for marker in [CONFIG_FILE, ".obsidian"] {
        for dir in start.ancestors() {
            if dir.join(marker).exists() {
                return dir.to_path_buf();
            }
        }
    }
    // Quartz publishes `content/`: the rest of its project (its own docs, its code) is no
    // part of the vault, and links are read from `content/`.
    for dir in start.ancestors() {
        let content = dir.join("content");
        if dir.join("quartz.config.ts").is_file()
            && content.is_dir()
            && (start.starts_with(&content) || start == dir)
        {
            return content;
        }
    }
    for dir in start.ancestors() {
        if dir.join(".git").exists() {
            return dir.to_path_buf();
        }
    }
    fs::canonicalize(fallback).unwrap_or_else(|_| fallback.to_path_buf())
}

/// The vault root for a path checked from `cwd`: [`find_root`], falling back to the current
/// directory when the path is inside it, else to the checked folder itself (a vault with no
/// marker, checked from elsewhere, is still the vault; and checking a folder from `/` must not
/// walk the whole file system).
pub fn root_of_checked_path(path: &Path, cwd: &Path) -> PathBuf {
    let fallback = if path.starts_with(cwd) && cwd.parent().is_some() {
        cwd.to_path_buf()
    } else if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent()
            .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf)
    };
    find_root(path, &fallback)
}

/// Whether `dir` is a vault's root by its own markers: a `wikistamp.toml` or an `.obsidian/`
/// folder. Such a folder below another vault's root is a vault of its own.
pub fn is_vault_root(dir: &Path) -> bool {
    dir.join(CONFIG_FILE).is_file() || dir.join(".obsidian").is_dir()
}

/// Why a vault could not be loaded at all.
#[derive(Debug)]
pub enum LoadError {
    Config {
        path: PathBuf,
        error: ConfigError,
    },
    ConfigUnreadable {
        path: PathBuf,
        error: std::io::Error,
    },
    Exclude {
        pattern: String,
        message: String,
    },
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Config { path, error } => write!(f, "{}:{error}", path.display()),
            LoadError::ConfigUnreadable { path, error } => {
                write!(f, "{}: cannot read configuration: {error}", path.display())
            }
            LoadError::Exclude { pattern, message } => {
                write!(f, "invalid exclude pattern `{pattern}`: {message}")
            }
        }
    }
}

impl std::error::Error for LoadError {}

/// Reads the vault's `wikistamp.toml` from `root`; the default configuration when there is
/// none. Either way completed by what the vault itself tells ([`complete_config`]).
pub fn load_config(root: &Path) -> Result<Config, LoadError> {
    let mut config = match read_config_file(&root.join(CONFIG_FILE)) {
        Err(LoadError::ConfigUnreadable { error, .. })
            if error.kind() == std::io::ErrorKind::NotFound =>
        {
            Config::default()
        }
        read => read?,
    };
    complete_config(root, &mut config);
    Ok(config)
}

/// Completes `config` with what the vault at `root` tells: its flavor, unless the file sets
/// one ([`detect_flavor`]), and the callout types its CSS styles ([`css_callout_types`]).
pub fn complete_config(root: &Path, config: &mut Config) {
    if !config.flavor_configured {
        config.links.flavor = detect_flavor(root);
    }
    config.callouts.css_types = css_callout_types(root);
}

/// The flavor of the vault at `root`: Obsidian when it has `.obsidian/`; Quartz when it is the
/// content folder of a Quartz project (`quartz.config.ts` in it or in a folder above);
/// Obsidian otherwise.
pub fn detect_flavor(root: &Path) -> Flavor {
    if root.join(".obsidian").is_dir() {
        return Flavor::Obsidian;
    }
    if quartz_project(root).is_some() {
        return Flavor::Quartz;
    }
    Flavor::Obsidian
}

/// The Quartz project `root` belongs to: the nearest folder at or above it holding
/// `quartz.config.ts`.
fn quartz_project(root: &Path) -> Option<PathBuf> {
    root.ancestors()
        .find(|dir| dir.join("quartz.config.ts").is_file())
        .map(Path::to_path_buf)
}

/// The callout types the vault's CSS styles, lowercase: each `x` of a
/// `[data-callout="x"]` selector in Obsidian's CSS snippets (`.obsidian/snippets/*.css`),
/// Obsidian Publish's `publish.css` (at the root) and a Quartz project's
/// `quartz/styles/custom.scss`. A style sheet that cannot be read adds none.
pub fn css_callout_types(root: &Path) -> Vec<String> {
    let mut sheets: Vec<PathBuf> = vec![root.join("publish.css")];
    if let Ok(dir) = fs::read_dir(root.join(".obsidian").join("snippets")) {
        let mut snippets: Vec<PathBuf> = dir
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("css")))
            .collect();
        snippets.sort();
        sheets.extend(snippets);
    }
    if let Some(project) = quartz_project(root) {
        sheets.push(project.join("quartz").join("styles").join("custom.scss"));
    }
    let mut types: Vec<String> = Vec::new();
    for sheet in sheets {
        if let Ok(css) = fs::read_to_string(&sheet) {
            for t in data_callout_values(&css) {
                if !types.contains(&t) {
                    types.push(t);
                }
            }
        }
    }
    types
}

/// The values of `data-callout` attribute selectors in a style sheet, lowercase:
/// `[data-callout="x"]`, `[data-callout='x']`, `[data-callout=x]` and `[data-callout="x" i]`.
fn data_callout_values(css: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = css;
    while let Some(at) = rest.find("data-callout") {
        rest = &rest[at + "data-callout".len()..];
        let after = rest.trim_start();
        // `data-callout-metadata` is another attribute; `~=`, `^=`... match more than one type.
        let Some(value) = after.strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start();
        let (inner, _) = match value.chars().next() {
            Some(q @ ('"' | '\'')) => match value[1..].split_once(q) {
                Some(split) => split,
                None => continue,
            },
            _ => {
                let end = value.find([']', ' ']).unwrap_or(value.len());
                value.split_at(end)
            }
        };
        let inner = inner.trim();
        if !inner.is_empty() {
            out.push(inner.to_lowercase());
        }
    }
    out
}

/// Reads the configuration file at `path` (`check --config`).
pub fn read_config_file(path: &Path) -> Result<Config, LoadError> {
    let text = fs::read_to_string(path).map_err(|error| LoadError::ConfigUnreadable {
        path: path.to_path_buf(),
        error,
    })?;
    Config::from_toml(&text).map_err(|error| LoadError::Config {
        path: path.to_path_buf(),
        error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callout_types_of_a_style_sheet() {
        let css = r#"
.callout[data-callout="definition"] { --callout-color: 0, 0, 255; }
.callout[data-callout='Recipe'] .callout-title { color: red; }
.callout[data-callout=提示] {}
.callout[data-callout-metadata="wide"] {}
.callout[data-callout^="x"] {}
"#;
        assert_eq!(data_callout_values(css), ["definition", "recipe", "提示"]);
    }
}
