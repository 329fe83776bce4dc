//! YAML frontmatter between `---` lines at the very start of a note.

use std::ops::Range;

/// One top-level key as written, found by a line scan so every key has a span even when the
/// YAML around it is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontmatterKey {
    pub name: String,
    pub key: Range<usize>,
    /// From after the `:` (trimmed) to the end of the key's last continuation line.
    pub value: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontmatterError {
    pub message: String,
    pub range: Range<usize>,
}

/// A string value with the byte range of the key's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontmatterValue {
    pub value: String,
    pub range: Range<usize>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frontmatter {
    /// The whole block, from the opening `---` to the end of the closing line.
    pub range: Range<usize>,
    /// The opening `---` line (without its line ending).
    pub open: Range<usize>,
    /// The YAML between the fences.
    pub content: Range<usize>,
    /// False when no closing `---` was found; the note's body then starts after the opening line.
    pub terminated: bool,
    /// The first YAML error, if the content does not parse as a mapping.
    pub error: Option<FrontmatterError>,
    pub keys: Vec<FrontmatterKey>,
    pub title: Option<FrontmatterValue>,
    pub video_id: Option<FrontmatterValue>,
    pub duration: Option<FrontmatterValue>,
    pub aliases: Vec<FrontmatterValue>,
    /// Rule ids listed under `wikistamp-disable`.
    pub disabled_rules: Vec<FrontmatterValue>,
}

impl Frontmatter {
    pub fn key(&self, name: &str) -> Option<&FrontmatterKey> {
        self.keys.iter().find(|k| k.name == name)
    }
}

/// Splits `text[start..]` into frontmatter and body. Returns the frontmatter (if the text opens
/// with a `---` line) and the offset where the body starts.
pub(crate) fn parse(text: &str, start: usize) -> (Option<Frontmatter>, usize) {
    parse_with(text, start, true)
}

/// [`parse`], with the fast path for simple YAML on or off (off: every frontmatter goes through
/// serde-saphyr). Only for the differential tests, which check that both give the same result.
#[doc(hidden)]
pub fn parse_with(text: &str, start: usize, fast_path: bool) -> (Option<Frontmatter>, usize) {
    let rest = &text[start..];
    let Some(open_end) = fence_line_end(rest, b'-') else {
        return (None, start);
    };
    let open = start..start + line_content_end(rest, 0);
    let content_start = start + open_end;
    // Find the closing fence: a line of `---` or `...`.
    let mut pos = content_start;
    let mut close = None;
    while pos < text.len() {
        let line = &text[pos..];
        if let Some(len) = fence_line_end(line, b'-').or_else(|| fence_line_end(line, b'.')) {
            close = Some((pos, pos + len));
            break;
        }
        pos += next_line(line);
    }
    let mut fm = Frontmatter {
        open,
        ..Frontmatter::default()
    };
    let body_start = match close {
        Some((close_start, close_end)) => {
            fm.range = start..close_end;
            fm.content = content_start..close_start;
            fm.terminated = true;
            close_end
        }
        None => {
            fm.range = start..text.len();
            fm.content = content_start..text.len();
            fm.terminated = false;
            // Unterminated: nothing after the opening line is YAML we can trust; keep the body.
            content_start
        }
    };
    if fm.terminated {
        scan_keys(text, &mut fm);
        match fast_path
            .then(|| simple_values(&text[fm.content.clone()]))
            .flatten()
        {
            Some(values) => apply_simple_values(&mut fm, &values),
            None => parse_yaml(text, &mut fm),
        }
    }
    (Some(fm), body_start)
}

/// If `s` starts with a line made of exactly three `ch` (plus trailing blanks), the length of
/// that line including its line ending.
fn fence_line_end(s: &str, ch: u8) -> Option<usize> {
    let b = s.as_bytes();
    if b.len() < 3 || b[0] != ch || b[1] != ch || b[2] != ch {
        return None;
    }
    let mut i = 3;
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    match b.get(i) {
        None => Some(i),
        Some(b'\n') => Some(i + 1),
        Some(b'\r') if b.get(i + 1) == Some(&b'\n') => Some(i + 2),
        Some(b'\r') => Some(i + 1),
        _ => None,
    }
}

fn line_content_end(s: &str, from: usize) -> usize {
    memchr::memchr2(b'\n', b'\r', &s.as_bytes()[from..])
        .map(|i| from + i)
        .unwrap_or(s.len())
}

fn next_line(s: &str) -> usize {
    match memchr::memchr2(b'\n', b'\r', s.as_bytes()) {
        Some(i) if s.as_bytes()[i] == b'\r' && s.as_bytes().get(i + 1) == Some(&b'\n') => i + 2,
        Some(i) => i + 1,
        None => s.len(),
    }
}

fn scan_keys(text: &str, fm: &mut Frontmatter) {
    let mut pos = fm.content.start;
    let end = fm.content.end;
    while pos < end {
        let line_end = pos + line_content_end(&text[pos..end], 0);
        let line = &text[pos..line_end];
        let first = line.as_bytes().first().copied();
        let is_key_line =
            matches!(first, Some(c) if !c.is_ascii_whitespace() && c != b'#' && c != b'-');
        if is_key_line {
            if let Some(colon) = line.find(':') {
                let name = line[..colon].trim().trim_matches(['"', '\'']).to_string();
                let mut v_start = pos + colon + 1;
                while v_start < line_end && text.as_bytes()[v_start] == b' ' {
                    v_start += 1;
                }
                fm.keys.push(FrontmatterKey {
                    name,
                    key: pos..pos + colon,
                    value: v_start..line_end.max(v_start),
                });
            }
        } else if !line.trim().is_empty() && !line.trim_start().starts_with('#') {
            // A continuation line (list item, indented block) extends the previous key's value.
            if let Some(last) = fm.keys.last_mut() {
                last.value.end = line_end;
            }
        }
        pos += next_line(&text[pos..end]).max(1);
    }
}

/// The range of 1-based `line` of the YAML content (without its line ending).
fn line_range_in(text: &str, content: Range<usize>, line: usize) -> Range<usize> {
    let mut start = content.start;
    for _ in 1..line.max(1) {
        if start >= content.end {
            break;
        }
        start += next_line(&text[start..content.end]);
    }
    let start = start.min(content.end);
    start..start + line_content_end(&text[start..content.end], 0)
}

/// Longest key [`simple_values`] takes (YAML caps implicit keys at 1024 characters).
const SIMPLE_MAX_KEY_LEN: usize = 128;
/// Largest YAML [`simple_values`] takes; anything bigger goes to serde-saphyr and its budget.
const SIMPLE_MAX_LEN: usize = 16 * 1024;

/// The values of the keys wikistamp reads, as [`simple_values`] found them: None when the key is
/// absent, `Some(None)` when its value is null.
#[derive(Default)]
struct SimpleValues<'a> {
    title: Option<Option<&'a str>>,
    video_id: Option<Option<&'a str>>,
    duration: Option<Option<&'a str>>,
    aliases: Option<Option<&'a str>>,
    alias: Option<Option<&'a str>>,
    disable: Option<Option<&'a str>>,
}

/// The fast path for the frontmatter nearly every note has (`title: …` and `videoId: …` lines):
/// what serde-saphyr reads from `yaml` for the keys wikistamp uses, or None when `yaml` is
/// outside a conservative subset whose meaning is certain, so that serde-saphyr decides (errors
/// included). The subset:
/// - every line ends in `\n` or `\r\n`, and is empty, all spaces, or a `key:` line at column 0;
/// - a key is `[A-Za-z_][A-Za-z0-9_-]*`, at most [`SIMPLE_MAX_KEY_LEN`] bytes, not a word YAML
///   reads as a bool or null, and not repeated;
/// - after the key, `:` then the end of the line (a null value) or spaces and a value;
/// - a value (trailing spaces dropped) is a plain scalar that resolves to itself as a string:
///   see [`is_simple_scalar`].
fn simple_values(yaml: &str) -> Option<SimpleValues<'_>> {
    if yaml.len() > SIMPLE_MAX_LEN {
        return None;
    }
    let mut values = SimpleValues::default();
    // Keys seen so far, for duplicates: the first few without allocating.
    let mut first_keys = [""; 8];
    let mut more_keys: Vec<&str> = Vec::new();
    let mut n_keys = 0;
    for line in yaml.split_inclusive('\n') {
        let line = line.strip_suffix('\n')?;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.bytes().all(|b| b == b' ') {
            continue;
        }
        let colon = memchr::memchr(b':', line.as_bytes())?;
        let key = &line[..colon];
        if !is_simple_key(key)
            || first_keys[..n_keys.min(first_keys.len())].contains(&key)
            || more_keys.contains(&key)
        {
            return None;
        }
        match first_keys.get_mut(n_keys) {
            Some(slot) => *slot = key,
            None => more_keys.push(key),
        }
        n_keys += 1;
        let rest = &line[colon + 1..];
        let value = if rest.is_empty() {
            None
        } else {
            if !rest.starts_with(' ') {
                return None;
            }
            let value = rest.trim_matches(' ');
            if value.is_empty() {
                None
            } else if is_simple_scalar(value) {
                Some(value)
            } else {
                return None;
            }
        };
        let slot = match key {
            "title" => &mut values.title,
            "videoId" => &mut values.video_id,
            "duration" => &mut values.duration,
            "aliases" => &mut values.aliases,
            "alias" => &mut values.alias,
            "wikistamp-disable" => &mut values.disable,
            _ => continue,
        };
        *slot = Some(value);
    }
    Some(values)
}

/// Fills the fields from [`simple_values`] as [`apply_mapping`] does from serde-saphyr's map.
fn apply_simple_values(fm: &mut Frontmatter, values: &SimpleValues<'_>) {
    let value = |fm: &Frontmatter, key: &str, value: &str| FrontmatterValue {
        value: value.to_owned(),
        range: fm
            .key(key)
            .map(|k| k.value.clone())
            .unwrap_or(fm.content.clone()),
    };
    if let Some(v) = values.title {
        fm.title = v.map(|v| value(fm, "title", v));
    }
    if let Some(v) = values.video_id {
        fm.video_id = v.map(|v| value(fm, "videoId", v));
    }
    if let Some(v) = values.duration {
        fm.duration = v.map(|v| value(fm, "duration", v));
    }
    // The map iterates its keys sorted, so `aliases` wins over `alias`.
    for (key, v) in [("alias", values.alias), ("aliases", values.aliases)] {
        if let Some(v) = v {
            fm.aliases = v.map(|v| value(fm, key, v)).into_iter().collect();
        }
    }
    if let Some(v) = values.disable {
        fm.disabled_rules = v
            .map(|v| value(fm, "wikistamp-disable", v))
            .into_iter()
            .collect();
    }
}

/// Words a plain scalar YAML (1.1 or 1.2, any case) may read as a bool or null.
fn is_bool_or_null_word(s: &str) -> bool {
    [
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~",
    ]
    .iter()
    .any(|w| s.eq_ignore_ascii_case(w))
}

fn is_simple_key(key: &str) -> bool {
    let b = key.as_bytes();
    matches!(b.first(), Some(c) if c.is_ascii_alphabetic() || *c == b'_')
        && b.len() <= SIMPLE_MAX_KEY_LEN
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
        && !is_bool_or_null_word(key)
}

/// Whether `value` (one line, no leading or trailing space) is a plain scalar that YAML reads as
/// exactly this string in a block mapping value: printable characters only (no tab, no
/// non-ASCII line break or BOM), not starting with an indicator (`-` only before a word
/// character), no `: `, ` #` or trailing `:`, not a bool or null word, and not possibly a number
/// (starting with a digit, `+`, `-` or `.` it needs a character no number spelling has).
fn is_simple_scalar(value: &str) -> bool {
    let b = value.as_bytes();
    let Some(&first) = b.first() else {
        return false;
    };
    let indicator = match first {
        b'-' => !matches!(b.get(1), Some(c) if c.is_ascii_alphanumeric() || *c == b'_'),
        b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|'
        | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`' | b'~' | b' ' => true,
        _ => false,
    };
    if indicator {
        return false;
    }
    let mut prev = 0;
    for &c in b {
        if (c < 0x20 || c == 0x7f) || (prev == b':' && c == b' ') || (prev == b' ' && c == b'#') {
            return false;
        }
        prev = c;
    }
    if prev == b':' || is_bool_or_null_word(value) {
        return false;
    }
    if !value.is_ascii()
        && !value.chars().all(|c| {
            matches!(c as u32, 0x20..=0x7e | 0xa0..=0xd7ff | 0xe000..=0xfffd | 0x10000..)
                && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
        })
    {
        return false;
    }
    // Every spelling of an int or float (`0x1F`, `1_000`, `-1.5e3`, `+.inf`, `.NaN`) is made of
    // these bytes only.
    let numeric = |c: &u8| {
        c.is_ascii_hexdigit()
            || matches!(c, b'x' | b'X' | b'o' | b'O' | b'i' | b'I' | b'n' | b'N')
            || matches!(c, b'_' | b'+' | b'-' | b'.')
    };
    !(matches!(first, b'0'..=b'9' | b'+' | b'-' | b'.') && b.iter().all(numeric))
}

#[doc(hidden)]
/// Whether the YAML content `yaml` of a frontmatter takes the fast path (for tests).
pub fn takes_fast_path(yaml: &str) -> bool {
    simple_values(yaml).is_some()
}

fn parse_yaml(text: &str, fm: &mut Frontmatter) {
    let yaml = &text[fm.content.clone()];
    if yaml.trim().is_empty() {
        return;
    }
    let value: serde_json::Value = match serde_saphyr::from_str(yaml) {
        Ok(v) => v,
        Err(err) => {
            let rendered = err.to_string();
            let first = rendered.lines().next().unwrap_or("invalid YAML");
            let first = first.strip_prefix("error: ").unwrap_or(first);
            // Drop the "line N column M: " prefix: the range carries the position.
            let message = match first.find(": ") {
                Some(i) if first.starts_with("line ") => &first[i + 2..],
                _ => first,
            };
            let range = err
                .location()
                .map(|loc| line_range_in(text, fm.content.clone(), loc.line() as usize))
                .unwrap_or(fm.content.clone());
            fm.error = Some(FrontmatterError {
                message: message.to_string(),
                range,
            });
            return;
        }
    };
    match value {
        serde_json::Value::Object(map) => apply_mapping(fm, &map),
        serde_json::Value::Null => {}
        _ => {
            fm.error = Some(FrontmatterError {
                message: "frontmatter is not a mapping of keys to values".into(),
                range: fm.content.clone(),
            });
        }
    }
}

/// Fills the fields wikistamp reads from the top-level mapping.
fn apply_mapping(fm: &mut Frontmatter, map: &serde_json::Map<String, serde_json::Value>) {
    let span_of = |fm: &Frontmatter, key: &str| {
        fm.key(key)
            .map(|k| k.value.clone())
            .unwrap_or(fm.content.clone())
    };
    let scalar = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    let list = |v: &serde_json::Value| -> Vec<String> {
        match v {
            serde_json::Value::Array(items) => items.iter().filter_map(scalar).collect(),
            serde_json::Value::Null => Vec::new(),
            other => scalar(other).into_iter().collect(),
        }
    };
    for (key, value) in map {
        let range = span_of(fm, key);
        match key.as_str() {
            "title" => fm.title = scalar(value).map(|value| FrontmatterValue { value, range }),
            "videoId" => fm.video_id = scalar(value).map(|value| FrontmatterValue { value, range }),
            "duration" => {
                fm.duration = scalar(value).map(|value| FrontmatterValue { value, range })
            }
            "aliases" | "alias" => {
                fm.aliases = list(value)
                    .into_iter()
                    .map(|value| FrontmatterValue {
                        value,
                        range: range.clone(),
                    })
                    .collect()
            }
            "wikistamp-disable" => {
                fm.disabled_rules = list(value)
                    .into_iter()
                    .map(|value| FrontmatterValue {
                        value,
                        range: range.clone(),
                    })
                    .collect()
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_keys_with_spans() {
        let text = "---\ntitle: Hello\nvideoId: ZtY8VXswa2o\naliases:\n  - Hi\n  - Hey\n---\nbody";
        let (fm, body) = parse(text, 0);
        let fm = fm.expect("frontmatter");
        assert!(fm.terminated);
        assert_eq!(&text[body..], "body");
        assert_eq!(fm.title.as_ref().map(|t| t.value.as_str()), Some("Hello"));
        let vid = fm.video_id.expect("videoId");
        assert_eq!(&text[vid.range], "ZtY8VXswa2o");
        let aliases: Vec<_> = fm.aliases.iter().map(|a| a.value.as_str()).collect();
        assert_eq!(aliases, ["Hi", "Hey"]);
        assert!(fm.error.is_none());
    }

    #[test]
    fn unterminated_and_bad_yaml() {
        let (fm, body) = parse("---\ntitle: x\n", 0);
        let fm = fm.expect("frontmatter");
        assert!(!fm.terminated);
        assert_eq!(body, 4);

        let text = "---\ntitle: [unclosed\n---\n";
        let (fm, _) = parse(text, 0);
        assert!(fm.expect("frontmatter").error.is_some());
    }

    #[test]
    fn crlf_and_no_frontmatter() {
        let text = "---\r\ntitle: T\r\n---\r\nx";
        let (fm, body) = parse(text, 0);
        assert_eq!(fm.expect("fm").title.map(|t| t.value), Some("T".into()));
        assert_eq!(&text[body..], "x");
        assert!(parse("# no\n---\n", 0).0.is_none());
        assert!(parse("----\n", 0).0.is_none());
    }
}
