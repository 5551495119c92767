//! `trialint.toml`: project configuration.
//!
//! Found in the current directory or the nearest parent directory that has
//! one (the search stops at the filesystem root), or named with
//! `--config FILE` (which turns the search off). Every key is optional;
//! unknown keys are errors that point into the file.
//!
//! ```toml
//! select = ["enrollment", "dates"]     # checks to run: names, groups, prefixes, "all"
//! ignore = ["contact-shared-phone"]    # checks to skip
//! fail-on = "warning"                  # error | warning | note | never
//! as-of = "2026-11-21"                 # "today" for time-dependent checks
//! checks = ["lint/checks"]             # user check directories, relative to this file
//!
//! [severity]                           # per check (name, group or prefix)
//! enrollment-mismatch = "error"        # error | warning | note | off
//! contacts = "off"
//!
//! [[extractor]]                        # user fact extractors (see extract/user.rs)
//! name = "enrollment.recruit"
//! fields = "prose"
//! pattern = '(?i)recruit\s+(?P<value>\d+)\s+patients'
//! value = "int"
//!
//! [format.text]                        # per input format (`text` matches every text:* layout)
//! ignore = ["contacts"]                # checks not run on records read from this format
//!
//! [[suppress]]
//! record = "NCT0534*"                  # record id, or a glob with * and ?
//! check = "enrollment-mismatch"        # name, group, prefix or "all"
//! reason = "sponsor confirmed 158; the summary is the pilot phase"
//! expires = "2027-01-01"               # optional: stops hiding from that day on
//! ```
//!
//! Precedence: a command-line flag wins over the file. `--select` replaces
//! `select`; `--ignore` adds to `ignore`; `--checks` adds to `checks`;
//! `--fail-on` and `--as-of` replace `fail-on` and `as-of`. `[severity]`,
//! `[format.*]` and `[[suppress]]` exist only in the file. Among
//! `[severity]` entries, a check's own name wins over a prefix or group.

use crate::check::load::LoadError;
use crate::check::suppress::Suppression;
use crate::check::Severity;
use crate::cli::FailOn;
use crate::extract::user::{self, RawExtractor, UserExtractor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Format names a `[format.NAME]` table may use (besides `html:LAYOUT`
/// and `text:LAYOUT`).
pub const FORMATS: &[&str] = &[
    "ctgov-json",
    "ctgov-json-v1",
    "ctgov-xml",
    "ictrp-xml",
    "html",
    "text",
];

/// The file name searched for.
pub const FILE_NAME: &str = "trialint.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    fail_on: Option<Spanned<String>>,
    #[serde(default)]
    as_of: Option<Spanned<toml::Value>>,
    #[serde(default)]
    checks: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    extractor: Vec<RawExtractor>,
    #[serde(default)]
    format: BTreeMap<Spanned<String>, RawFormat>,
    #[serde(default)]
    suppress: Vec<Spanned<RawSuppress>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFormat {
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuppress {
    record: Spanned<String>,
    check: Spanned<String>,
    reason: Spanned<String>,
    #[serde(default)]
    expires: Option<Spanned<toml::Value>>,
}

/// A string from the file with where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct At {
    pub value: String,
    pub span: Range<usize>,
}

impl From<Spanned<String>> for At {
    fn from(s: Spanned<String>) -> At {
        At {
            span: s.span(),
            value: s.into_inner(),
        }
    }
}

/// Per-format options.
#[derive(Clone, Debug, Default)]
pub struct FormatOptions {
    /// The format name as written: `ctgov-json`, `text`, `text:ctgov-classic`.
    pub name: String,
    /// Checks not run on records of this format.
    pub ignore: Vec<At>,
}

/// A loaded configuration.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The file as shown in messages.
    pub path: String,
    /// Its text (for diagnostics pointing into it).
    pub source: String,
    pub select: Vec<At>,
    pub ignore: Vec<At>,
    pub fail_on: Option<FailOn>,
    pub as_of: Option<chrono::NaiveDate>,
    /// Check directories, resolved against the file's directory.
    pub checks: Vec<String>,
    /// Where each of `checks` is written.
    pub checks_spans: Vec<Range<usize>>,
    /// (pattern, severity or None for "off").
    pub severity: Vec<(At, Option<Severity>)>,
    pub extractors: Vec<UserExtractor>,
    pub formats: Vec<FormatOptions>,
    pub suppress: Vec<Suppression>,
}

/// The nearest `trialint.toml` at or above `start`, as a path to show
/// (relative to `start`: `trialint.toml`, `../trialint.toml`).
pub fn discover(start: &Path) -> Option<String> {
    let mut dir: Option<&Path> = Some(start);
    let mut ups = 0;
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        // anything by that name: one that is not a regular file (a
        // directory, a named pipe) is reported when it is read, not
        // passed over for a parent's
        if candidate.exists() {
            let mut shown = PathBuf::new();
            for _ in 0..ups {
                shown.push("..");
            }
            shown.push(FILE_NAME);
            return Some(shown.to_string_lossy().into_owned());
        }
        dir = d.parent();
        ups += 1;
    }
    None
}

/// Read and parse the configuration at `path`.
pub fn load(path: &str) -> Result<Config, LoadError> {
    let source = crate::files::read_text(path, crate::files::MAX_SETTINGS_FILE).map_err(|why| {
        LoadError {
            path: path.to_string(),
            message: format!("cannot read the configuration {path}: {why}"),
            span: None,
            source: String::new(),
        }
    })?;
    parse(path, &source)
}

fn date_of(v: &toml::Value) -> Option<chrono::NaiveDate> {
    let s = match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) => d.to_string(),
        _ => return None,
    };
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

/// Parse a configuration whose text is `source` (read from `path`).
pub fn parse(path: &str, source: &str) -> Result<Config, LoadError> {
    let err = |message: String, span: Range<usize>| LoadError {
        path: path.to_string(),
        message,
        span: Some(span),
        source: source.to_string(),
    };
    let raw: RawConfig = toml::from_str(source).map_err(|e| LoadError {
        path: path.to_string(),
        message: e.message().to_string(),
        span: e.span(),
        source: source.to_string(),
    })?;
    let base = Path::new(path).parent().unwrap_or(Path::new(""));
    let mut cfg = Config {
        path: path.to_string(),
        source: source.to_string(),
        select: raw.select.into_iter().map(At::from).collect(),
        ignore: raw.ignore.into_iter().map(At::from).collect(),
        ..Config::default()
    };
    if let Some(f) = raw.fail_on {
        cfg.fail_on = Some(match f.get_ref().as_str() {
            "error" => FailOn::Error,
            "warning" => FailOn::Warning,
            "note" => FailOn::Note,
            "never" => FailOn::Never,
            other => {
                return Err(err(
                    format!("`fail-on` must be \"error\", \"warning\", \"note\" or \"never\", not {other:?}"),
                    f.span(),
                ))
            }
        });
    }
    if let Some(a) = raw.as_of {
        cfg.as_of =
            Some(date_of(a.get_ref()).ok_or_else(|| {
                err("`as-of` must be a date written YYYY-MM-DD".into(), a.span())
            })?);
    }
    for d in raw.checks {
        let dir = base.join(d.get_ref());
        cfg.checks.push(dir.to_string_lossy().into_owned());
        cfg.checks_spans.push(d.span());
    }
    for (k, v) in raw.severity {
        let sev = match v.get_ref().as_str() {
            "off" => None,
            s => Some(Severity::parse(s).ok_or_else(|| {
                err(
                    format!("unknown severity {s:?}: expected \"error\", \"warning\", \"note\" or \"off\""),
                    v.span(),
                )
            })?),
        };
        cfg.severity.push((At::from(k), sev));
    }
    cfg.extractors = user::build_all(raw.extractor, path, source)?;
    for (name, f) in raw.format {
        let family = name.get_ref().split(':').next().unwrap_or("");
        let known = FORMATS.contains(&name.get_ref().as_str())
            || (name.get_ref().contains(':') && matches!(family, "html" | "text"));
        if !known {
            return Err(err(
                format!(
                    "unknown format `{}`: expected one of {}, or a layout such as \"text:ctgov-classic\"",
                    name.get_ref(),
                    FORMATS.join(", ")
                ),
                name.span(),
            ));
        }
        cfg.formats.push(FormatOptions {
            name: name.into_inner(),
            ignore: f.ignore.into_iter().map(At::from).collect(),
        });
    }
    for s in raw.suppress {
        let span = s.span();
        let s = s.into_inner();
        if s.reason.get_ref().trim().is_empty() {
            return Err(err(
                "a suppression needs a `reason` that says why the finding is accepted".into(),
                s.reason.span(),
            ));
        }
        if s.record.get_ref().trim().is_empty() {
            return Err(err(
                "`record` must name a record id or a glob such as \"NCT0534*\"".into(),
                s.record.span(),
            ));
        }
        let (expires, expires_span) = match s.expires {
            None => (None, None),
            Some(e) => {
                let d = date_of(e.get_ref()).ok_or_else(|| {
                    err(
                        "`expires` must be a date written YYYY-MM-DD".into(),
                        e.span(),
                    )
                })?;
                (Some(d), Some(e.span()))
            }
        };
        cfg.suppress.push(Suppression {
            record: At::from(s.record),
            check: At::from(s.check),
            reason: s.reason.into_inner(),
            expires,
            expires_span,
            span,
        });
    }
    Ok(cfg)
}

impl Config {
    /// An error pointing into this file.
    pub fn error(&self, message: String, span: Range<usize>) -> LoadError {
        LoadError {
            path: self.path.clone(),
            message,
            span: Some(span),
            source: self.source.clone(),
        }
    }

    /// Whether the `[format.X]` table `name` applies to records read as
    /// `format` (`text` applies to `text:ctgov-classic`).
    pub fn format_applies(name: &str, format: &str) -> bool {
        format == name || format.split(':').next() == Some(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_point_into_the_file() {
        let src = "select = [\"all\"]\nfial-on = \"warning\"\n";
        let e = parse("trialint.toml", src).unwrap_err();
        assert!(
            e.message.contains("unknown field `fial-on`"),
            "{}",
            e.message
        );
        assert_eq!(&src[e.span.unwrap()], "fial-on");
    }

    #[test]
    fn reads_every_section() {
        let src = r#"
select = ["enrollment"]
fail-on = "warning"
as-of = 2026-11-21
checks = ["c"]
[severity]
enrollment-mismatch = "off"
[format.text]
ignore = ["contacts"]
[[suppress]]
record = "NCT0534*"
check = "enrollment"
reason = "accepted"
expires = "2027-01-01"
"#;
        let c = parse("sub/trialint.toml", src).unwrap();
        assert_eq!(c.fail_on, Some(FailOn::Warning));
        assert_eq!(c.as_of.unwrap().to_string(), "2026-11-21");
        assert_eq!(c.checks, vec![Path::new("sub").join("c").to_string_lossy()]);
        assert_eq!(c.severity[0].1, None);
        assert_eq!(c.formats[0].name, "text");
        assert_eq!(c.suppress[0].expires.unwrap().to_string(), "2027-01-01");
        assert!(Config::format_applies("text", "text:ctgov-classic"));
        assert!(!Config::format_applies("text", "ctgov-json"));
    }

    #[test]
    fn format_names_are_checked() {
        let src = "[format.jsn]\nignore = []\n";
        let e = parse("trialint.toml", src).unwrap_err();
        assert_eq!(&src[e.span.unwrap()], "jsn");
        assert!(parse("t.toml", "[format.\"text:ctgov-classic\"]\nignore = []\n").is_ok());
    }

    #[test]
    fn a_suppression_needs_a_reason() {
        let src = "[[suppress]]\nrecord = \"NCT1\"\ncheck = \"all\"\nreason = \"  \"\n";
        let e = parse("trialint.toml", src).unwrap_err();
        assert_eq!(&src[e.span.unwrap()], "\"  \"");
    }
}
