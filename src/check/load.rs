//! Loading a check from its TOML file, with errors that point into the file.

use super::{kinds, Check, CheckOrigin, Docs, RequestText, Severity};
use serde::Deserialize;
use std::ops::Range;
use toml::Spanned;

/// A check file that could not be loaded: where and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub path: String,
    pub message: String,
    /// Byte range in the check file.
    pub span: Option<Range<usize>>,
    /// The whole file, for rendering the error with its context.
    pub source: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    name: Spanned<String>,
    #[serde(default)]
    group: Option<String>,
    severity: Spanned<String>,
    summary: Spanned<String>,
    kind: Spanned<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    help: Option<String>,
    #[serde(default)]
    params: Option<Spanned<toml::Table>>,
    docs: Spanned<RawDocs>,
    #[serde(default)]
    request: Option<RawRequest>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDocs {
    what: String,
    why: String,
    #[serde(default)]
    example: String,
    #[serde(default)]
    fix: String,
    #[serde(default)]
    precision: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequest {
    question: String,
    #[serde(default)]
    field: String,
}

/// Parse and validate one check file.
pub fn load_check(path: &str, source: &str, origin: CheckOrigin) -> Result<Check, LoadError> {
    load_check_with(path, source, origin, None)
}

/// Parse and validate one check file; a user check (`known_facts` given)
/// must also have a `message` and read only facts in `known_facts` (shipped
/// fact names and the names user extractors produce).
pub fn load_check_with(
    path: &str,
    source: &str,
    origin: CheckOrigin,
    known_facts: Option<&[String]>,
) -> Result<Check, LoadError> {
    let err = |message: String, span: Option<Range<usize>>| LoadError {
        path: path.to_string(),
        message,
        span,
        source: source.to_string(),
    };
    let raw: RawCheck =
        toml::from_str(source).map_err(|e| err(e.message().to_string(), e.span()))?;

    let name = raw.name.get_ref().trim().to_string();
    let valid_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid_name {
        return Err(err(
            format!("check name `{name}` must be lower-case letters, digits and dashes"),
            Some(raw.name.span()),
        ));
    }
    let severity = Severity::parse(raw.severity.get_ref()).ok_or_else(|| {
        err(
            format!(
                "unknown severity `{}`: expected `error`, `warning` or `note`",
                raw.severity.get_ref()
            ),
            Some(raw.severity.span()),
        )
    })?;
    if raw.summary.get_ref().trim().is_empty() {
        return Err(err(
            "`summary` must not be empty".into(),
            Some(raw.summary.span()),
        ));
    }
    if raw.docs.get_ref().what.trim().is_empty() {
        return Err(err(
            "`docs.what` must say what the check looks for".into(),
            Some(raw.docs.span()),
        ));
    }
    let empty = toml::Table::new();
    let (params, params_span) = match &raw.params {
        Some(p) => (p.get_ref(), Some(p.span())),
        None => (&empty, None),
    };
    let kind = kinds::build(raw.kind.get_ref(), params).map_err(|e| match e {
        kinds::BuildError::UnknownKind => err(
            format!(
                "unknown kind `{}`: expected one of {}",
                raw.kind.get_ref(),
                kinds::NAMES.join(", ")
            ),
            Some(raw.kind.span()),
        ),
        kinds::BuildError::Params(m) => {
            let span = params_span
                .clone()
                .map(|p| crate::extract::user::point_at(source, p, &m));
            err(
                format!("bad parameters for kind `{}`: {m}", raw.kind.get_ref()),
                span,
            )
        }
    })?;
    if let Some(known) = known_facts {
        if raw.message.as_deref().is_none_or(|m| m.trim().is_empty()) {
            return Err(err(
                "a user check needs a `message` (a sentence with the kind's {variables}, see `trialint explain` of a check of the same kind)".into(),
                Some(raw.kind.span()),
            ));
        }
        for fact in kind.reads() {
            if !known.contains(&fact) {
                let close: Vec<&str> = known
                    .iter()
                    .filter(|k| strsim::levenshtein(k, &fact) <= 3)
                    .map(|k| k.as_str())
                    .collect();
                let hint = if close.is_empty() {
                    " (declare an `[[extractor]]` that produces it)".to_string()
                } else {
                    format!(" (did you mean `{}`?)", close.join("`, `"))
                };
                let span = match &params_span {
                    Some(p) => crate::extract::user::locate(source, p.clone(), &fact),
                    None => raw.kind.span(),
                };
                return Err(err(
                    format!("unknown fact `{fact}`: no extractor produces it{hint}"),
                    Some(span),
                ));
            }
        }
    }
    let group = raw
        .group
        .clone()
        .unwrap_or_else(|| name.split('-').next().unwrap_or("").to_string());
    let docs = raw.docs.into_inner();
    let request = raw
        .request
        .map(|r| RequestText {
            question: r.question,
            field: r.field,
        })
        .unwrap_or_default();
    Ok(Check {
        name,
        group,
        severity,
        summary: raw.summary.into_inner().trim().to_string(),
        kind_name: raw.kind.into_inner(),
        message: raw.message,
        help: raw.help,
        docs: Docs {
            what: docs.what.trim().to_string(),
            why: docs.why.trim().to_string(),
            example: docs.example.trim_end().to_string(),
            fix: docs.fix.trim().to_string(),
            precision: docs.precision.trim().to_string(),
        },
        request,
        origin,
        wants: crate::extract::Wanted::giving(&kind.reads()),
        kind,
    })
}
