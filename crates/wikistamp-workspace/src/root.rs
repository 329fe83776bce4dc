//! Where a vault starts and how it is configured: its root folder and its `wikistamp.toml`.

use std::fs;
use std::path::{Path, PathBuf};

use wikistamp_analysis::config::{Config, ConfigError, CONFIG_FILE};

/// The vault root for `start` (a file or folder): the nearest ancestor holding
/// `wikistamp.toml`, else `.obsidian/`, else `.git`, else `fallback`.
pub fn find_root(start: &Path, fallback: &Path) -> PathBuf {
    let start = if start.is_file() || !start.exists() {
        start.parent().unwrap_or(start)
    } else {
        start
    };
    let start = fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    for marker in [CONFIG_FILE, ".obsidian", ".git"] {
        for dir in start.ancestors() {
            if dir.join(marker).exists() {
                return dir.to_path_buf();
            }
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
/// none.
pub fn load_config(root: &Path) -> Result<Config, LoadError> {
    match read_config_file(&root.join(CONFIG_FILE)) {
        Err(LoadError::ConfigUnreadable { error, .. })
            if error.kind() == std::io::ErrorKind::NotFound =>
        {
            Ok(Config::default())
        }
        read => read,
    }
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
