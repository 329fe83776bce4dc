//! Paths as users see them: relative to the current directory, `/`-separated.

use std::path::{Component, Path, PathBuf};

/// `path` relative to `base` (both absolute), with `..` where needed, `/`-separated.
pub fn display_relative(path: &Path, base: &Path) -> String {
    // Fast path, once per reported file: a plain path under `base` is its tail.
    if let (Some(p), Some(b)) = (path.to_str(), base.to_str()) {
        if let Some(rest) = p.strip_prefix(b).and_then(|r| r.strip_prefix('/')) {
            let plain = !b.ends_with('/')
                && !rest.is_empty()
                && rest
                    .split('/')
                    .all(|c| !c.is_empty() && c != "." && c != "..");
            if plain && std::path::MAIN_SEPARATOR == '/' {
                return rest.to_string();
            }
        }
    }
    let p: Vec<Component> = path.components().collect();
    let b: Vec<Component> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return path.to_string_lossy().replace('\\', "/");
    }
    let mut parts: Vec<String> = Vec::new();
    for _ in common..b.len() {
        parts.push("..".into());
    }
    for c in &p[common..] {
        parts.push(c.as_os_str().to_string_lossy().into_owned());
    }
    parts.join("/")
}

/// `path` made absolute against `cwd`, with `.` and `..` resolved lexically.
pub fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_display() {
        let base = Path::new("/v/notes");
        for (path, expected) in [
            ("/v/notes/a.md", "a.md"),
            ("/v/notes/sub/b.md", "sub/b.md"),
            ("/v/notes//sub/./b.md", "sub/b.md"),
            ("/v/other/c.md", "../other/c.md"),
            ("/v/notesx/d.md", "../notesx/d.md"),
            ("/v/notes", ""),
            ("/elsewhere/e.md", "../../elsewhere/e.md"),
        ] {
            assert_eq!(display_relative(Path::new(path), base), expected, "{path}");
        }
        assert_eq!(
            display_relative(Path::new("/x/y.md"), Path::new("/")),
            "x/y.md"
        );
    }
}
