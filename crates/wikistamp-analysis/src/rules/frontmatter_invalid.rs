use crate::diagnostic::Diagnostic;
use crate::rules::{declare_rule, Context, Rule, RuleMeta, Sink};
use crate::syntax::parse_time;

declare_rule! {
    /// ## What it finds
    /// Frontmatter that is missing where keys are required, never closed with `---`, not valid
    /// YAML, a `videoId` that is not 11 characters of `[A-Za-z0-9_-]`, a `duration` that is not
    /// a time, or a key required by `sources.required-frontmatter` (by default none: a note
    /// without frontmatter, or without `title`, is normal in Obsidian and Quartz) that is
    /// missing or empty.
    ///
    /// ## Why it matters
    /// The note's title, its video and its aliases come from the frontmatter: when it is broken,
    /// the note renders without a title, its citations cannot open the video, and links to its
    /// aliases break.
    ///
    /// ## Example
    /// ```markdown
    /// ---
    /// title: Scaling laws: a primer
    /// videoId: ZtY8VXswa2
    /// ---
    /// ```
    /// (an unquoted `: ` in the title, and a 10-character video id). Use instead:
    /// ```markdown
    /// ---
    /// title: "Scaling laws: a primer"
    /// videoId: ZtY8VXswa2o
    /// ---
    /// ```
    ///
    /// ## Fix
    /// None.
    pub struct FrontmatterInvalid { family: Frontmatter, severity: Error, fix: None }
}

impl Rule for FrontmatterInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink) {
        let required = &ctx.config.sources.required_frontmatter;
        let id = Self::META.id;
        let Some(fm) = &ctx.note.frontmatter else {
            if let Some(first) = required.first() {
                let start = ctx.note.bom_len;
                let end = ctx.text[start..]
                    .find(['\n', '\r'])
                    .map_or(ctx.text.len(), |i| start + i);
                sink.push(Diagnostic::new(
                    id,
                    start..end,
                    format!("note has no frontmatter; `{first}` is required"),
                ));
            }
            return;
        };
        if !fm.terminated {
            sink.push(Diagnostic::new(
                id,
                fm.open.clone(),
                "frontmatter is never closed with `---`",
            ));
            return;
        }
        if let Some(err) = &fm.error {
            sink.push(Diagnostic::new(
                id,
                err.range.clone(),
                format!("frontmatter is not valid YAML: {}", err.message),
            ));
            return;
        }
        if let Some(v) = &fm.video_id {
            let ok = v.value.len() == 11
                && v.value
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            if !ok {
                sink.push(Diagnostic::new(
                    id,
                    v.range.clone(),
                    format!(
                        "`videoId` `{}` is not a YouTube video id (11 characters of A-Z, a-z, 0-9, _ and -)",
                        v.value
                    ),
                ));
            }
        } else if let Some(k) = fm.key("videoId") {
            sink.push(Diagnostic::new(id, k.key.clone(), "`videoId` has no value"));
        }
        if let Some(d) = &fm.duration {
            if parse_time(&d.value).is_err() {
                sink.push(Diagnostic::new(
                    id,
                    d.range.clone(),
                    format!("`duration` `{}` is not a time (HH:MM:SS)", d.value),
                ));
            }
        }
        for key in required {
            let present = match key.as_str() {
                "title" => fm
                    .title
                    .as_ref()
                    .is_some_and(|t| !t.value.trim().is_empty()),
                "videoId" => fm.video_id.is_some(),
                other => fm.key(other).is_some_and(|k| !k.value.is_empty()),
            };
            if !present {
                let range = fm.key(key).map_or(fm.open.clone(), |k| k.key.clone());
                sink.push(Diagnostic::new(
                    id,
                    range,
                    format!("frontmatter is missing `{key}`"),
                ));
            }
        }
    }
}
