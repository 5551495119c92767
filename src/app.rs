//! What each subcommand does, returning the process exit code
//! (0 clean, 1 findings at or above --fail-on, 2 usage or read errors).

use crate::check::load::{load_check, LoadError};
use crate::check::{catalogue, Check, CheckOrigin, Severity};
use crate::cli::{CheckArgs, Cli, Command, FailOn, OutputFormat};
use crate::engine::{self, Options};
use crate::report;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use std::io::{IsTerminal, Write};

pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_TROUBLE: i32 = 2;

pub fn main(cli: Cli) -> i32 {
    match cli.command {
        Command::Check(args) => check(args),
        Command::Explain { check, checks } => explain(&check, &checks),
        Command::Checks { checks } => list(&checks),
        Command::Request(args) => request(args),
    }
}

/// Print a check-loading error as a diagnostic pointing into the TOML file.
fn report_load_error(e: &LoadError) {
    use codespan_reporting::diagnostic::{Diagnostic, Label};
    use codespan_reporting::files::SimpleFile;
    let file = SimpleFile::new(e.path.as_str(), e.source.as_str());
    let mut d = Diagnostic::error()
        .with_code("check-file")
        .with_message(format!("invalid check file: {}", e.message));
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
    let mut errors = Vec::new();
    let mut checks = match catalogue::shipped() {
        Ok(c) => c,
        Err(e) => {
            errors.push(e);
            Vec::new()
        }
    };
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
            match std::fs::read_to_string(&f) {
                Ok(src) => match load_check(&path, &src, CheckOrigin::User(path.clone())) {
                    Ok(c) => {
                        if checks.iter().any(|x: &Check| x.name == c.name) {
                            errors.push(LoadError {
                                path: path.clone(),
                                message: format!("a check named `{}` is already loaded", c.name),
                                span: None,
                                source: src,
                            });
                        } else {
                            checks.push(c);
                        }
                    }
                    Err(e) => errors.push(e),
                },
                Err(e) => errors.push(LoadError {
                    path,
                    message: format!("cannot read: {e}"),
                    span: None,
                    source: String::new(),
                }),
            }
        }
    }
    if errors.is_empty() {
        checks.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(checks)
    } else {
        Err(errors)
    }
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

fn check(args: CheckArgs) -> i32 {
    let as_of = match parse_as_of(&args.as_of) {
        Ok(d) => d,
        Err(m) => return usage_error(&m),
    };
    let all = match load_catalogue(&args.checks) {
        Ok(c) => c,
        Err(errors) => {
            errors.iter().for_each(report_load_error);
            return EXIT_TROUBLE;
        }
    };
    for pattern in args.select.iter().chain(args.ignore.iter()) {
        if !all.iter().any(|c| matches(c, pattern)) {
            return usage_error(&format!(
                "no check or group named `{pattern}` (see `trialint checks`)"
            ));
        }
    }
    let checks: Vec<Check> = all
        .into_iter()
        .filter(|c| args.select.is_empty() || args.select.iter().any(|p| matches(c, p)))
        .filter(|c| !args.ignore.iter().any(|p| matches(c, p)))
        .collect();
    let opts = Options {
        as_of,
        jobs: args.jobs,
    };
    let run = engine::run_with_progress(&args.paths, &checks, &opts, &crate::progress::Bar::new());

    let stdout = std::io::stdout();
    let written = match args.format {
        OutputFormat::Human => {
            let mut out = StandardStream::stdout(color(stdout.is_terminal()));
            report::human::render(
                &run,
                &mut out,
                &report::human::HumanOptions { quiet: args.quiet },
            )
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
            .write_all(report::junit::render(&run, fail_threshold(args.fail_on), as_of).as_bytes()),
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
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Note => Some(Severity::Note),
        FailOn::Never => None,
    };
    match threshold {
        Some(t) if run.findings.iter().any(|f| f.severity >= t) => EXIT_FINDINGS,
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

fn explain(name: &str, dirs: &[String]) -> i32 {
    let checks = match load_catalogue(dirs) {
        Ok(c) => c,
        Err(errors) => {
            errors.iter().for_each(report_load_error);
            return EXIT_TROUBLE;
        }
    };
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

fn list(dirs: &[String]) -> i32 {
    let checks = match load_catalogue(dirs) {
        Ok(c) => c,
        Err(errors) => {
            errors.iter().for_each(report_load_error);
            return EXIT_TROUBLE;
        }
    };
    let width = checks.iter().map(|c| c.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for c in &checks {
        let source = match &c.origin {
            CheckOrigin::Shipped(_) => String::new(),
            CheckOrigin::User(p) => format!("  [user: {p}]"),
        };
        out.push_str(&format!(
            "{:width$}  {:7}  {}{}\n",
            c.name,
            c.severity.as_str(),
            c.summary,
            source
        ));
    }
    print!("{out}");
    EXIT_CLEAN
}
