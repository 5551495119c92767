//! Loading what a command runs: the shipped catalogue, user check
//! directories, user extractors and trialint.toml.

use super::*;
use crate::check::load::{load_check_with, LoadError};
use crate::check::{catalogue, Check, CheckOrigin, Severity};
use crate::config::Config;
use crate::extract::user::UserExtractor;

/// The shipped catalogue plus the user checks in `dirs` (sorted by name).
pub fn load_catalogue(dirs: &[String]) -> Result<Vec<Check>, Vec<LoadError>> {
    load_catalogue_with(dirs, &[]).map(|(checks, _)| checks)
}

/// The shipped catalogue plus the user checks in `dirs`, and the user
/// extractors: `extractors` (from trialint.toml) followed by those of the
/// `*.extractor.toml` files in `dirs`. Every other `*.toml` file in a
/// directory is a check; a user check may read only facts that the shipped
/// extractors or a user extractor produce.
pub fn load_catalogue_with(
    dirs: &[String],
    extractors: &[UserExtractor],
) -> Result<(Vec<Check>, Vec<UserExtractor>), Vec<LoadError>> {
    let mut errors = Vec::new();
    let mut checks = match catalogue::shipped() {
        Ok(c) => c,
        Err(e) => {
            errors.push(e);
            Vec::new()
        }
    };
    let mut extractors = extractors.to_vec();
    let mut check_files = Vec::new();
    for dir in dirs {
        let mut files: Vec<_> = match std::fs::read_dir(dir) {
            Ok(rd) => rd
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect(),
            Err(e) => {
                errors.push(LoadError {
                    path: dir.clone(),
                    message: format!("cannot read check directory: {e}"),
                    span: None,
                    source: String::new(),
                });
                continue;
            }
        };
        files.sort();
        for f in files {
            let path = f.to_string_lossy().into_owned();
            let src = match crate::files::read_text(&f, crate::files::MAX_SETTINGS_FILE) {
                Ok(src) => src,
                Err(why) => {
                    errors.push(LoadError {
                        path,
                        message: format!("cannot read {}: {why}", f.display()),
                        span: None,
                        source: String::new(),
                    });
                    continue;
                }
            };
            if path.ends_with(".extractor.toml") {
                match crate::extract::user::load_file(&path, &src) {
                    Ok(x) => extractors.extend(x),
                    Err(e) => errors.push(e),
                }
            } else {
                check_files.push((path, src));
            }
        }
    }
    // Facts a user check may read: the shipped names, those shipped checks
    // read, and those user extractors produce.
    let mut known: Vec<String> = crate::extract::names::ALL
        .iter()
        .map(|s| s.to_string())
        .collect();
    known.extend(checks.iter().flat_map(|c| c.kind.reads()));
    known.extend(extractors.iter().map(|x| x.name.clone()));
    known.sort();
    known.dedup();
    for (path, src) in check_files {
        match load_check_with(&path, &src, CheckOrigin::User(path.clone()), Some(&known)) {
            Ok(c) => {
                if checks.iter().any(|x: &Check| x.name == c.name) {
                    let span = src
                        .find(&format!("\"{}\"", c.name))
                        .map(|i| i..i + c.name.len() + 2);
                    errors.push(LoadError {
                        path: path.clone(),
                        message: format!("a check named `{}` is already loaded", c.name),
                        span,
                        source: src,
                    });
                } else {
                    checks.push(c);
                }
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        checks.sort_by(|a, b| a.name.cmp(&b.name));
        Ok((checks, extractors))
    } else {
        Err(errors)
    }
}

/// The configuration named with `--config`, else the nearest
/// `trialint.toml` (none found: `Ok(None)`).
pub fn find_config(explicit: Option<&str>) -> Result<Option<Config>, LoadError> {
    let path = match explicit {
        Some(p) => Some(p.to_string()),
        None => std::env::current_dir()
            .ok()
            .and_then(|d| crate::config::discover(&d)),
    };
    path.map(|p| crate::config::load(&p)).transpose()
}

/// What a subcommand runs with: the configuration, the catalogue (with the
/// configured severities; checks set to "off" removed, their names kept)
/// and the user extractors.
pub struct Setup {
    pub config: Option<Config>,
    pub checks: Vec<Check>,
    /// Checks whose configured severity is "off".
    pub off: Vec<Check>,
    /// (check name, severity in its file) for checks the configuration changed.
    pub changed: Vec<(String, Severity)>,
    pub extractors: Vec<UserExtractor>,
}

/// Load the configuration and the catalogue; report what is wrong (exit 2).
pub fn setup(cli_dirs: &[String], config: Option<&str>) -> Result<Setup, i32> {
    let config = match find_config(config) {
        Ok(c) => c,
        Err(e) => {
            report_config_error(&e);
            return Err(EXIT_TROUBLE);
        }
    };
    // Check directories named in the file must exist.
    if let Some(cfg) = &config {
        let missing: Vec<LoadError> = cfg
            .checks
            .iter()
            .zip(&cfg.checks_spans)
            .filter(|(d, _)| !std::path::Path::new(d.as_str()).is_dir())
            .map(|(d, span)| {
                cfg.error(
                    format!(
                        "no check directory `{d}` (paths are relative to the configuration file)"
                    ),
                    span.clone(),
                )
            })
            .collect();
        if !missing.is_empty() {
            missing.iter().for_each(report_config_error);
            return Err(EXIT_TROUBLE);
        }
    }
    let mut dirs: Vec<String> = config.iter().flat_map(|c| c.checks.clone()).collect();
    dirs.extend(cli_dirs.iter().cloned());
    let config_extractors: Vec<UserExtractor> = config
        .as_ref()
        .map(|c| c.extractors.clone())
        .unwrap_or_default();
    let (all, extractors) = match load_catalogue_with(&dirs, &config_extractors) {
        Ok(x) => x,
        Err(errors) => {
            errors.iter().for_each(report_load_error);
            return Err(EXIT_TROUBLE);
        }
    };
    let mut setup = Setup {
        config: None,
        checks: Vec::new(),
        off: Vec::new(),
        changed: Vec::new(),
        extractors,
    };
    let Some(cfg) = config else {
        setup.checks = all;
        return Ok(setup);
    };
    // Every check pattern in the file must name a check.
    let mut patterns: Vec<&crate::config::At> = Vec::new();
    patterns.extend(cfg.select.iter());
    patterns.extend(cfg.ignore.iter());
    patterns.extend(cfg.severity.iter().map(|(p, _)| p));
    patterns.extend(cfg.formats.iter().flat_map(|f| f.ignore.iter()));
    patterns.extend(cfg.suppress.iter().map(|s| &s.check));
    let mut bad = Vec::new();
    for p in patterns {
        if !all.iter().any(|c| matches(c, &p.value)) {
            bad.push(cfg.error(
                format!(
                    "no check or group named `{}` (see `trialint checks`)",
                    p.value
                ),
                p.span.clone(),
            ));
        }
    }
    if !bad.is_empty() {
        bad.iter().for_each(report_config_error);
        return Err(EXIT_TROUBLE);
    }
    // [severity]: a check's own name wins over a group or prefix; among
    // groups and prefixes, the later line in the file wins.
    let mut entries: Vec<&(crate::config::At, Option<Severity>)> = cfg.severity.iter().collect();
    entries.sort_by_key(|(p, _)| p.span.start);
    for mut c in all {
        let exact = entries.iter().find(|(p, _)| p.value == c.name);
        let chosen = exact.or_else(|| entries.iter().rev().find(|(p, _)| matches(&c, &p.value)));
        match chosen {
            Some((_, None)) => setup.off.push(c),
            Some((_, Some(sev))) => {
                if *sev != c.severity {
                    setup.changed.push((c.name.clone(), c.severity));
                    c.severity = *sev;
                }
                setup.checks.push(c);
            }
            None => setup.checks.push(c),
        }
    }
    setup.config = Some(cfg);
    Ok(setup)
}

/// What `check` and `request` run: the configuration and catalogue
/// ([`setup`]), the checks chosen, and "today".
pub struct Selected {
    pub setup: Setup,
    /// The configured catalogue narrowed by `select` and `ignore`.
    pub checks: Vec<Check>,
    pub as_of: chrono::NaiveDate,
}

/// Load the configuration and the catalogue, and choose the checks to run
/// as `check` and `request` both do: `--select` replaces `select` of
/// trialint.toml, `--ignore` adds to its `ignore`; "today" is `--as-of`,
/// else `as-of` of trialint.toml, else the current date. On an error, the
/// exit code (the error is reported).
pub fn select(
    cli_dirs: &[String],
    config: Option<&str>,
    as_of: &Option<String>,
    select: &[String],
    ignore: &[String],
) -> Result<Selected, i32> {
    let setup = setup(cli_dirs, config)?;
    let cfg = setup.config.as_ref();
    let as_of = match (as_of, cfg.and_then(|c| c.as_of)) {
        (None, Some(d)) => d,
        (given, _) => parse_as_of(given).map_err(|m| usage_error(&m))?,
    };
    let known = |p: &str| {
        setup.checks.iter().any(|c| matches(c, p)) || setup.off.iter().any(|c| matches(c, p))
    };
    for pattern in select.iter().chain(ignore.iter()) {
        if !known(pattern) {
            return Err(usage_error(&format!(
                "no check or group named `{pattern}` (see `trialint checks`)"
            )));
        }
    }
    let select: Vec<String> = if !select.is_empty() {
        select.to_vec()
    } else {
        cfg.map(|c| c.select.iter().map(|a| a.value.clone()).collect())
            .unwrap_or_default()
    };
    let mut ignores: Vec<String> = cfg
        .map(|c| c.ignore.iter().map(|a| a.value.clone()).collect())
        .unwrap_or_default();
    ignores.extend(ignore.iter().cloned());
    let mut setup = setup;
    let checks: Vec<Check> = std::mem::take(&mut setup.checks)
        .into_iter()
        .filter(|c| select.is_empty() || select.iter().any(|p| matches(c, p)))
        .filter(|c| !ignores.iter().any(|p| matches(c, p)))
        .collect();
    Ok(Selected {
        setup,
        checks,
        as_of,
    })
}
