//! What each subcommand does, returning the process exit code
//! (0 clean, 1 findings at or above --fail-on, 2 usage or read errors).

use crate::check::baseline::{self, Baseline};
use crate::check::load::{load_check_with, LoadError};
use crate::check::{catalogue, suppress, Check, CheckOrigin, Severity};
use crate::cli::{CheckArgs, Cli, Command, FailOn, OutputFormat};
use crate::config::Config;
use crate::engine::{self, Options};
use crate::extract::user::UserExtractor;
use crate::report;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use std::io::{IsTerminal, Write};

pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_TROUBLE: i32 = 2;

pub fn main(cli: Cli) -> i32 {
    match cli.command {
        Command::Check(args) => check(args),
        Command::Explain {
            check,
            checks,
            config,
        } => explain(&check, &checks, config.as_deref()),
        Command::Checks { checks, config } => list(&checks, config.as_deref()),
        Command::Request(args) => request(args),
    }
}

/// Print a check-loading error as a diagnostic pointing into the TOML file.
fn report_load_error(e: &LoadError) {
    if e.path.ends_with(".extractor.toml") {
        report_error_as(e, "extractor-file", "invalid extractor file")
    } else {
        report_error_as(e, "check-file", "invalid check file")
    }
}

/// Print an error in trialint.toml (or the file given with --config).
fn report_config_error(e: &LoadError) {
    report_error_as(e, "config", "invalid configuration")
}

fn report_error_as(e: &LoadError, code: &str, what: &str) {
    use codespan_reporting::diagnostic::{Diagnostic, Label};
    use codespan_reporting::files::SimpleFile;
    let file = SimpleFile::new(e.path.as_str(), e.source.as_str());
    let mut d = Diagnostic::error()
        .with_code(code)
        .with_message(format!("{what}: {}", e.message));
    if let Some(span) = &e.span {
        let s = span.start.min(e.source.len());
        let end = span.end.min(e.source.len()).max(s);
        d = d.with_labels(vec![
            Label::primary((), s..end).with_message(e.message.clone())
        ]);
    } else {
        d = d.with_notes(vec![format!("in {}", e.path)]);
    }
    let mut err = StandardStream::stderr(color(std::io::stderr().is_terminal()));
    let _ = codespan_reporting::term::emit(
        &mut err,
        &codespan_reporting::term::Config::default(),
        &file,
        &d,
    );
}

fn color(tty: bool) -> ColorChoice {
    if tty && std::env::var_os("NO_COLOR").is_none() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    }
}

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
            let src = match std::fs::read_to_string(&f) {
                Ok(src) => src,
                Err(e) => {
                    errors.push(LoadError {
                        path,
                        message: format!("cannot read: {e}"),
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

/// Whether `pattern` (a check name, a group, or `all`) selects `check`.
pub fn matches(check: &Check, pattern: &str) -> bool {
    pattern == "all"
        || check.name == pattern
        || check.group == pattern
        || check.name.starts_with(&format!("{pattern}-"))
}

fn parse_as_of(s: &Option<String>) -> Result<chrono::NaiveDate, String> {
    match s {
        None => Ok(chrono::Local::now().date_naive()),
        Some(s) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| format!("--as-of expects a date as YYYY-MM-DD, not {s:?}")),
    }
}

fn usage_error(msg: &str) -> i32 {
    eprintln!("error: {msg}");
    EXIT_TROUBLE
}

/// A diagnostic about the configuration itself (an expired or unused
/// suppression), pointing into trialint.toml, on standard error.
fn report_config_diagnostic(
    cfg: &Config,
    sev: Severity,
    code: &str,
    message: &str,
    span: std::ops::Range<usize>,
    notes: Vec<String>,
) {
    use codespan_reporting::diagnostic::{Diagnostic, Label};
    use codespan_reporting::files::SimpleFile;
    let file = SimpleFile::new(cfg.path.as_str(), cfg.source.as_str());
    let d = match sev {
        Severity::Error => Diagnostic::error(),
        Severity::Warning => Diagnostic::warning(),
        Severity::Note => Diagnostic::note(),
    };
    let s = span.start.min(cfg.source.len());
    let e = span.end.min(cfg.source.len()).max(s);
    let d = d
        .with_code(code)
        .with_message(message)
        .with_labels(vec![Label::primary((), s..e)])
        .with_notes(notes);
    let mut err = StandardStream::stderr(color(std::io::stderr().is_terminal()));
    let _ = codespan_reporting::term::emit(
        &mut err,
        &codespan_reporting::term::Config::default(),
        &file,
        &d,
    );
}

fn plural(n: usize, w: &str) -> String {
    format!("{n} {w}{}", if n == 1 { "" } else { "s" })
}

fn check(args: CheckArgs) -> i32 {
    let setup = match setup(&args.checks, args.config.as_deref()) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let cfg = setup.config.as_ref();
    let as_of = match (&args.as_of, cfg.and_then(|c| c.as_of)) {
        (None, Some(d)) => d,
        (given, _) => match parse_as_of(given) {
            Ok(d) => d,
            Err(m) => return usage_error(&m),
        },
    };
    let all = setup.checks;
    let known =
        |p: &str| all.iter().any(|c| matches(c, p)) || setup.off.iter().any(|c| matches(c, p));
    for pattern in args.select.iter().chain(args.ignore.iter()) {
        if !known(pattern) {
            return usage_error(&format!(
                "no check or group named `{pattern}` (see `trialint checks`)"
            ));
        }
    }
    // --select replaces `select` of trialint.toml; --ignore adds to `ignore`.
    let select: Vec<String> = if !args.select.is_empty() {
        args.select.clone()
    } else {
        cfg.map(|c| c.select.iter().map(|a| a.value.clone()).collect())
            .unwrap_or_default()
    };
    let mut ignore: Vec<String> = cfg
        .map(|c| c.ignore.iter().map(|a| a.value.clone()).collect())
        .unwrap_or_default();
    ignore.extend(args.ignore.iter().cloned());
    let checks: Vec<Check> = all
        .into_iter()
        .filter(|c| select.is_empty() || select.iter().any(|p| matches(c, p)))
        .filter(|c| !ignore.iter().any(|p| matches(c, p)))
        .collect();
    let opts = Options {
        as_of,
        jobs: args.jobs,
    };
    let mut run = engine::run_full(
        &args.paths,
        &checks,
        &opts,
        &setup.extractors,
        &crate::progress::Bar::new(),
    );

    let check_matches = |name: &str, pattern: &str| {
        checks
            .iter()
            .find(|c| c.name == name)
            .map(|c| matches(c, pattern))
            .unwrap_or(pattern == "all" || pattern == name)
    };
    // [format.X] ignore: checks not run on records read from that format.
    if let Some(c) = cfg {
        if !c.formats.is_empty() {
            let format_of = |f: &crate::check::Finding| {
                run.records
                    .iter()
                    .find(|(si, r)| *si == f.file && r.id == f.record)
                    .map(|(_, r)| r.format.clone())
                    .unwrap_or_default()
            };
            let keep: Vec<bool> = run
                .findings
                .iter()
                .map(|f| {
                    let format = format_of(f);
                    !c.formats.iter().any(|fo| {
                        Config::format_applies(&fo.name, &format)
                            && fo.ignore.iter().any(|p| check_matches(&f.check, &p.value))
                    })
                })
                .collect();
            let mut i = 0;
            run.findings.retain(|_| {
                i += 1;
                keep[i - 1]
            });
        }
    }
    // Suppressions.
    let mut config_warnings = 0;
    let mut config_notes = 0;
    let mut suppressed = 0;
    if let Some(c) = cfg {
        let outcome = suppress::apply(&mut run.findings, &c.suppress, as_of, &check_matches);
        suppressed = outcome.suppressed;
        let ids: Vec<&str> = run
            .records
            .iter()
            .filter_map(|(_, r)| r.id.as_deref())
            .collect();
        for (s, hits) in c.suppress.iter().zip(&outcome.hits) {
            if s.expired(as_of) {
                config_warnings += 1;
                let expires = s.expires.map(|d| d.to_string()).unwrap_or_default();
                report_config_diagnostic(
                    c,
                    Severity::Warning,
                    "expired-suppression",
                    &format!(
                        "suppression of `{}` for {} expired on {expires}; it no longer hides findings",
                        s.check.value, s.record.value
                    ),
                    s.expires_span.clone().unwrap_or(s.span.clone()),
                    vec![
                        format!("as of {as_of}; reason given: {}", s.reason.trim()),
                        "help: fix the record, extend `expires`, or remove the suppression".into(),
                    ],
                );
            } else if *hits == 0
                && run.errors.is_empty()
                && checks.iter().any(|ch| matches(ch, &s.check.value))
                && ids.iter().any(|id| suppress::glob(&s.record.value, id))
            {
                config_notes += 1;
                report_config_diagnostic(
                    c,
                    Severity::Note,
                    "unused-suppression",
                    &format!(
                        "suppression of `{}` for {} hid no finding",
                        s.check.value, s.record.value
                    ),
                    s.span.clone(),
                    vec![
                        "help: the record no longer has this finding: remove the suppression"
                            .into(),
                    ],
                );
            }
        }
    }
    // Baselines.
    let fingerprints = |findings: &[crate::check::Finding]| -> Vec<String> {
        findings
            .iter()
            .map(|f| match run.sources.get(f.file) {
                Some(src) => baseline::fingerprint(f, &src.text, &src.path),
                None => baseline::fingerprint(f, "", ""),
            })
            .collect()
    };
    let mut active: Option<Baseline> = None;
    if let Some(path) = &args.baseline {
        match Baseline::load(path) {
            Ok(b) => active = Some(b),
            Err(m) => return usage_error(&m),
        }
    }
    if let Some(path) = &args.write_baseline {
        let fps = fingerprints(&run.findings);
        let pairs: Vec<(&crate::check::Finding, String)> = run.findings.iter().zip(fps).collect();
        let b = Baseline::new(as_of, &pairs);
        if let Err(e) = b.write(path) {
            return usage_error(&format!("cannot write the baseline {path}: {e}"));
        }
        eprintln!(
            "wrote {} to the baseline {path}",
            plural(b.entries.len(), "finding")
        );
        active = Some(b);
    }
    let mut hidden = 0;
    if let Some(b) = &active {
        let fps = fingerprints(&run.findings);
        hidden = baseline::filter(&mut run.findings, &fps, b);
    }

    run.suppressed = suppressed;
    run.baselined = hidden;

    // --fail-on replaces `fail-on` of trialint.toml.
    let fail_on = args
        .fail_on
        .or(cfg.and_then(|c| c.fail_on))
        .unwrap_or(FailOn::Error);
    let threshold = fail_threshold(fail_on);

    let stdout = std::io::stdout();
    let written = match args.format {
        OutputFormat::Human => {
            let mut out = StandardStream::stdout(color(stdout.is_terminal()));
            let r = report::human::render(
                &run,
                &mut out,
                &report::human::HumanOptions { quiet: args.quiet },
            );
            let mut extra = Vec::new();
            if suppressed > 0 {
                extra.push(format!("{} suppressed", plural(suppressed, "finding")));
            }
            if hidden > 0 {
                extra.push(format!(
                    "{} hidden by the baseline",
                    plural(hidden, "finding")
                ));
            }
            if config_warnings + config_notes > 0 {
                extra.push(format!(
                    "{} about {} (on standard error)",
                    plural(config_warnings + config_notes, "diagnostic"),
                    cfg.map(|c| c.path.as_str()).unwrap_or("the configuration")
                ));
            }
            match r {
                Ok(()) if !args.quiet && !extra.is_empty() => {
                    writeln!(out, "{}", extra.join("; "))
                }
                r => r,
            }
        }
        OutputFormat::Json => {
            let mut lock = stdout.lock();
            lock.write_all(report::json::render(&run, as_of).as_bytes())
        }
        OutputFormat::Sarif => stdout
            .lock()
            .write_all(report::sarif::render(&run, &checks, as_of).as_bytes()),
        OutputFormat::Github => stdout
            .lock()
            .write_all(report::github::render(&run).as_bytes()),
        OutputFormat::Junit => stdout
            .lock()
            .write_all(report::junit::render(&run, threshold, as_of).as_bytes()),
        OutputFormat::Html => stdout
            .lock()
            .write_all(report::html::render(&run, &checks, as_of).as_bytes()),
    };
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write output: {e}");
            return EXIT_TROUBLE;
        }
    }
    if !run.errors.is_empty() {
        if args.format != OutputFormat::Human {
            for e in &run.errors {
                eprintln!("error: {e}");
            }
        }
        return EXIT_TROUBLE;
    }
    let config_hit = |t: Severity| {
        (config_warnings > 0 && Severity::Warning >= t) || (config_notes > 0 && Severity::Note >= t)
    };
    match threshold {
        Some(t) if run.findings.iter().any(|f| f.severity >= t) || config_hit(t) => EXIT_FINDINGS,
        _ => EXIT_CLEAN,
    }
}

/// The lowest severity that fails a run, as `--fail-on` says.
fn fail_threshold(f: FailOn) -> Option<Severity> {
    match f {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Note => Some(Severity::Note),
        FailOn::Never => None,
    }
}

/// The catalogue narrowed by --select and --ignore, or the exit code of
/// the error already reported.
fn selected_checks(
    dirs: &[String],
    select: &[String],
    ignore: &[String],
) -> Result<Vec<Check>, i32> {
    let all = match load_catalogue(dirs) {
        Ok(c) => c,
        Err(errors) => {
            errors.iter().for_each(report_load_error);
            return Err(EXIT_TROUBLE);
        }
    };
    for pattern in select.iter().chain(ignore.iter()) {
        if !all.iter().any(|c| matches(c, pattern)) {
            return Err(usage_error(&format!(
                "no check or group named `{pattern}` (see `trialint checks`)"
            )));
        }
    }
    Ok(all
        .into_iter()
        .filter(|c| select.is_empty() || select.iter().any(|p| matches(c, p)))
        .filter(|c| !ignore.iter().any(|p| matches(c, p)))
        .collect())
}

/// `trialint request`: one correction request per record with findings.
fn request(args: crate::cli::RequestArgs) -> i32 {
    let as_of = match parse_as_of(&args.as_of) {
        Ok(d) => d,
        Err(m) => return usage_error(&m),
    };
    let checks = match selected_checks(&args.checks, &args.select, &args.ignore) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let opts = Options {
        as_of,
        jobs: args.jobs,
    };
    let run = engine::run_with_progress(&args.paths, &checks, &opts, &crate::progress::Bar::new());
    for e in &run.errors {
        eprintln!("error: {e}");
    }
    let dir = std::path::Path::new(&args.out);
    match crate::request::write_requests(&run, &checks, dir, as_of) {
        Ok(written) => {
            let issues: usize = written.iter().map(|w| w.issues).sum();
            println!(
                "wrote {} correction request{} ({} issue{}) to {}; index: {}",
                written.len(),
                if written.len() == 1 { "" } else { "s" },
                issues,
                if issues == 1 { "" } else { "s" },
                dir.display(),
                dir.join("requests.csv").display()
            );
        }
        Err(e) => {
            eprintln!(
                "error: cannot write correction requests to {}: {e}",
                dir.display()
            );
            return EXIT_TROUBLE;
        }
    }
    if run.errors.is_empty() {
        EXIT_CLEAN
    } else {
        EXIT_TROUBLE
    }
}

fn explain(name: &str, dirs: &[String], config: Option<&str>) -> i32 {
    let setup = match setup(dirs, config) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let checks: Vec<Check> = setup.checks.into_iter().chain(setup.off).collect();
    match checks.iter().find(|c| c.name == name) {
        Some(c) => {
            print!("{}", explain_text(c));
            EXIT_CLEAN
        }
        None => {
            let close: Vec<&str> = checks
                .iter()
                .filter(|c| strsim::levenshtein(&c.name, name) <= 3 || c.name.contains(name))
                .map(|c| c.name.as_str())
                .collect();
            let hint = if close.is_empty() {
                String::new()
            } else {
                format!(" (did you mean {}?)", close.join(", "))
            };
            usage_error(&format!(
                "no check named `{name}`{hint}; `trialint checks` lists them"
            ))
        }
    }
}

/// The `explain` page of a check, in Markdown.
pub fn explain_text(c: &Check) -> String {
    let mut s = format!("# {}\n\n", c.name);
    s.push_str(&format!("{}\n\n", c.summary));
    s.push_str(&format!(
        "Severity: {}. Group: {}. Kind: {}. Source: {}.\n\n",
        c.severity, c.group, c.kind_name, c.origin
    ));
    s.push_str(&format!("## What it does\n\n{}\n\n", c.docs.what));
    s.push_str(&format!("## Why it matters\n\n{}\n\n", c.docs.why));
    if !c.docs.example.is_empty() {
        s.push_str("## Example\n\n```text\n");
        s.push_str(&c.docs.example);
        s.push_str("\n```\n\n");
    }
    if !c.docs.fix.is_empty() {
        s.push_str(&format!("## How to fix\n\n{}\n\n", c.docs.fix));
    }
    if !c.docs.precision.is_empty() {
        s.push_str(&format!(
            "## Measured precision\n\n{}\n\n",
            c.docs.precision
        ));
    }
    if !c.request.question.is_empty() {
        s.push_str(&format!(
            "## In a correction request\n\n{}\n",
            c.request.question
        ));
        if !c.request.field.is_empty() {
            s.push_str(&format!("\nField to correct: {}\n", c.request.field));
        }
    }
    s
}

fn list(dirs: &[String], config: Option<&str>) -> i32 {
    let setup = match setup(dirs, config) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let mut rows: Vec<(&Check, &str)> = setup
        .checks
        .iter()
        .map(|c| (c, c.severity.as_str()))
        .chain(setup.off.iter().map(|c| (c, "off")))
        .collect();
    rows.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    let cfg_path = setup
        .config
        .as_ref()
        .map(|c| c.path.as_str())
        .unwrap_or(crate::config::FILE_NAME);
    let width = rows.iter().map(|(c, _)| c.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (c, sev) in &rows {
        let mut source = match &c.origin {
            CheckOrigin::Shipped(_) => String::new(),
            CheckOrigin::User(p) => format!("  [user: {p}]"),
        };
        let default = setup
            .changed
            .iter()
            .find(|(n, _)| *n == c.name)
            .map(|(_, s)| *s)
            .or_else(|| (*sev == "off").then_some(c.severity));
        if let Some(d) = default {
            source.push_str(&format!("  [severity set in {cfg_path}; default {d}]"));
        }
        out.push_str(&format!(
            "{:width$}  {:7}  {}{}\n",
            c.name, sev, c.summary, source
        ));
    }
    if !setup.extractors.is_empty() {
        out.push_str("\nuser extractors:\n");
        let w = setup
            .extractors
            .iter()
            .map(|x| x.name.len())
            .max()
            .unwrap_or(0);
        for x in &setup.extractors {
            let ty = format!("{:?}", x.value).to_lowercase();
            out.push_str(&format!("{:w$}  {:7}  [user: {}]\n", x.name, ty, x.path));
        }
    }
    print!("{out}");
    EXIT_CLEAN
}
