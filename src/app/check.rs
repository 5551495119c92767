//! `trialint check`: read, check, apply configuration, suppressions and the
//! baseline, render, and decide the exit code.

use super::*;
use crate::check::baseline::{self, Baseline};
use crate::check::{suppress, Check, Severity};
use crate::cli::{CheckArgs, FailOn, OutputFormat};
use crate::config::Config;
use crate::engine::{self, Options};
use crate::report::{self, Summary};
use std::io::{IsTerminal, Write};

pub(super) fn check(args: CheckArgs) -> i32 {
    let Selected {
        setup,
        checks,
        as_of,
    } = match select(
        &args.checks,
        args.config.as_deref(),
        &args.as_of,
        &args.select,
        &args.ignore,
    ) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let cfg = setup.config.as_ref();
    let opts = Options {
        as_of,
        jobs: args.jobs,
    };
    let loaded = match &args.baseline {
        Some(path) => match Baseline::load(path) {
            Ok(b) => Some(b),
            Err(m) => return usage_error(&m),
        },
        None => None,
    };
    // --fail-on replaces `fail-on` of trialint.toml.
    let fail_on = args
        .fail_on
        .or(cfg.and_then(|c| c.fail_on))
        .unwrap_or(FailOn::Error);
    let threshold = fail_threshold(fail_on);

    // Only the HTML report shows whole records; the terminal shows the
    // lines that findings label; the machine formats need only where the
    // labels are and what they say.
    let keep = match args.format {
        OutputFormat::Html => engine::Keep::Full,
        OutputFormat::Human => engine::Keep::Labelled,
        _ => engine::Keep::Marks,
    };
    let stdout = std::io::stdout();
    let mut report = Report::new(args.format, &checks, as_of, threshold, &stdout);
    let mut gate = Gate::new(cfg, &checks, as_of, loaded.as_ref(), &args);
    // Each piece of the run is filtered and rendered as soon as it is
    // checked, and then dropped: memory does not grow with the run (the
    // HTML report, which shows whole records, keeps what it shows).
    let mut render_error: Option<std::io::Error> = None;
    let progress = crate::progress::Bar::new();
    let job = engine::Job {
        checks: &checks,
        opts: &opts,
        extractors: &setup.extractors,
        progress: &progress,
        keep,
    };
    engine::run_streaming(&args.paths, job, &mut |mut piece| {
        gate.pass(&mut piece);
        if render_error.is_none() {
            render_error = report.add(piece).err();
        }
    });
    let (config_warnings, config_notes) = gate.config_diagnostics();
    if let Some(path) = &args.write_baseline {
        let b = Baseline::from_entries(as_of, std::mem::take(&mut gate.writing));
        if let Err(e) = b.write(path) {
            return usage_error(&format!("cannot write the baseline {path}: {e}"));
        }
        eprintln!(
            "wrote {} to the baseline {path}",
            plural(b.entries.len(), "finding")
        );
    }
    let Gate {
        summary,
        errors,
        suppressed,
        hidden,
        worst,
        ..
    } = gate;

    let written = render_error.map(Err).unwrap_or(Ok(())).and_then(|()| {
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
        let extra = (!args.quiet && !extra.is_empty()).then(|| extra.join("; "));
        report.finish(&summary, suppressed, hidden, args.quiet, extra)
    });
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write output: {e}");
            return EXIT_TROUBLE;
        }
    }
    if !errors.is_empty() {
        if args.format != OutputFormat::Human {
            for e in &errors {
                eprintln!("error: {}", report::clean(&e.to_string()));
            }
        }
        return EXIT_TROUBLE;
    }
    let config_hit = |t: Severity| {
        (config_warnings > 0 && Severity::Warning >= t) || (config_notes > 0 && Severity::Note >= t)
    };
    match threshold {
        Some(t) if worst.is_some_and(|w| w >= t) || config_hit(t) => EXIT_FINDINGS,
        _ => EXIT_CLEAN,
    }
}

/// What every piece of the run goes through before it is rendered: the
/// per-format ignores of trialint.toml, its suppressions and the baseline;
/// and what the run's end needs of the pieces already gone: totals, read
/// errors, how the suppressions were used, the baseline being written.
struct Gate<'a> {
    cfg: Option<&'a Config>,
    checks: &'a [Check],
    as_of: chrono::NaiveDate,
    /// Per suppression: findings hidden, and whether a record it names was
    /// checked.
    hits: Vec<usize>,
    named: Vec<bool>,
    suppressed: usize,
    /// `--baseline` (unless `--write-baseline` replaces it).
    filter: Option<baseline::Filter>,
    /// `--write-baseline`: an entry per finding (the file is sorted, so it
    /// is written once the run is over); every finding is then hidden.
    write: bool,
    writing: Vec<baseline::Entry>,
    hidden: usize,
    summary: Summary,
    errors: Vec<crate::source::ReadError>,
    /// The highest severity among the findings shown.
    worst: Option<Severity>,
}

impl<'a> Gate<'a> {
    fn new(
        cfg: Option<&'a Config>,
        checks: &'a [Check],
        as_of: chrono::NaiveDate,
        loaded: Option<&Baseline>,
        args: &CheckArgs,
    ) -> Gate<'a> {
        let n = cfg.map(|c| c.suppress.len()).unwrap_or(0);
        let write = args.write_baseline.is_some();
        Gate {
            cfg,
            checks,
            as_of,
            hits: vec![0; n],
            named: vec![false; n],
            suppressed: 0,
            filter: loaded.filter(|_| !write).map(baseline::Filter::new),
            write,
            writing: Vec::new(),
            hidden: 0,
            summary: Summary::default(),
            errors: Vec::new(),
            worst: None,
        }
    }

    /// Filter one piece of the run and count what is left.
    fn pass(&mut self, run: &mut crate::engine::Run) {
        let checks = self.checks;
        let check_matches = |name: &str, pattern: &str| check_matches(checks, name, pattern);
        if let Some(c) = self.cfg {
            drop_format_ignored(c, run, &check_matches);
            let outcome =
                suppress::apply(&mut run.findings, &c.suppress, self.as_of, &check_matches);
            self.suppressed += outcome.suppressed;
            run.suppressed = outcome.suppressed;
            for (i, s) in c.suppress.iter().enumerate() {
                self.hits[i] += outcome.hits[i];
                if !self.named[i] {
                    self.named[i] = run
                        .records
                        .iter()
                        .filter_map(|(_, r)| r.id.as_deref())
                        .any(|id| suppress::glob(&s.record.value, id));
                }
            }
        }
        if self.write || self.filter.is_some() {
            let fps: Vec<String> = run
                .findings
                .iter()
                .map(|f| match run.sources.get(f.file) {
                    Some(src) => baseline::fingerprint_in(f, src),
                    None => baseline::fingerprint(f, "", ""),
                })
                .collect();
            let hidden = if self.write {
                // The baseline being written holds every finding.
                self.writing.extend(
                    run.findings
                        .iter()
                        .zip(fps)
                        .map(|(f, fp)| baseline::entry(f, fp)),
                );
                std::mem::take(&mut run.findings).len()
            } else {
                let filter = self.filter.as_mut().expect("checked above");
                filter.apply(&mut run.findings, &fps)
            };
            self.hidden += hidden;
            run.baselined = hidden;
        }
        let s = report::summarize(run);
        self.summary.add(&s);
        self.worst = self
            .worst
            .max(run.findings.iter().map(|f| f.severity).max());
        self.errors.extend(run.errors.iter().cloned());
    }

    /// Report expired suppressions and suppressions that hid nothing, on
    /// standard error; returns how many warnings and notes that was.
    fn config_diagnostics(&self) -> (usize, usize) {
        let Some(c) = self.cfg else {
            return (0, 0);
        };
        let mut warnings = 0;
        let mut notes = 0;
        for (i, s) in c.suppress.iter().enumerate() {
            if s.expired(self.as_of) {
                warnings += 1;
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
                        format!("as of {}; reason given: {}", self.as_of, s.reason.trim()),
                        "help: fix the record, extend `expires`, or remove the suppression".into(),
                    ],
                );
            } else if self.hits[i] == 0
                && self.errors.is_empty()
                && self.checks.iter().any(|ch| matches(ch, &s.check.value))
                && self.named[i]
            {
                notes += 1;
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
        (warnings, notes)
    }
}

/// The report being written, one renderer per format (see
/// `report::spool`); the HTML report gathers the run and renders it whole.
enum Report<'a> {
    Human(report::human::Stream),
    Json(report::json::Stream),
    Sarif(report::sarif::Stream),
    Github(report::github::Stream),
    Junit(report::junit::Stream),
    Html {
        run: Box<crate::engine::Run>,
        checks: &'a [Check],
        as_of: chrono::NaiveDate,
    },
}

impl<'a> Report<'a> {
    fn new(
        format: OutputFormat,
        checks: &'a [Check],
        as_of: chrono::NaiveDate,
        threshold: Option<Severity>,
        stdout: &std::io::Stdout,
    ) -> Report<'a> {
        match format {
            OutputFormat::Human => {
                Report::Human(report::human::Stream::new(ansi(stdout.is_terminal())))
            }
            OutputFormat::Json => Report::Json(report::json::Stream::new(as_of)),
            OutputFormat::Sarif => Report::Sarif(report::sarif::Stream::new(checks, as_of)),
            OutputFormat::Github => Report::Github(report::github::Stream::default()),
            OutputFormat::Junit => Report::Junit(report::junit::Stream::new(threshold, as_of)),
            OutputFormat::Html => Report::Html {
                run: Box::default(),
                checks,
                as_of,
            },
        }
    }

    fn add(&mut self, piece: crate::engine::Run) -> std::io::Result<()> {
        match self {
            Report::Human(s) => s.add(&piece),
            Report::Json(s) => s.add(&piece),
            Report::Sarif(s) => s.add(&piece),
            Report::Github(s) => s.add(&piece),
            Report::Junit(s) => s.add(&piece),
            Report::Html { run, .. } => {
                run.append(piece);
                Ok(())
            }
        }
    }

    /// Write the report to standard output. `extra`: a line after the
    /// terminal summary (suppressed and baselined findings).
    fn finish(
        self,
        summary: &Summary,
        suppressed: usize,
        hidden: usize,
        quiet: bool,
        extra: Option<String>,
    ) -> std::io::Result<()> {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        match self {
            Report::Human(s) => {
                s.finish(&mut out)?;
                if !quiet {
                    writeln!(out, "{}", report::human::summary_line(summary))?;
                }
                if let Some(line) = extra {
                    writeln!(out, "{line}")?;
                }
            }
            Report::Json(s) => s.finish(summary, &mut out)?,
            Report::Sarif(s) => s.finish(summary, &mut out)?,
            Report::Github(s) => s.finish(&mut out)?,
            Report::Junit(s) => s.finish(&mut out)?,
            Report::Html {
                mut run,
                checks,
                as_of,
            } => {
                run.suppressed = suppressed;
                run.baselined = hidden;
                out.write_all(report::html::render(&run, checks, as_of).as_bytes())?;
            }
        }
        out.flush()
    }
}

/// Whether terminal output gets ANSI colours: on a terminal that has them
/// (`TERM` set and not `dumb`), unless `NO_COLOR` is set.
fn ansi(tty: bool) -> bool {
    tty && std::env::var_os("NO_COLOR").is_none()
        && std::env::var_os("TERM").is_some_and(|t| t != "dumb")
}

/// Whether `pattern` selects the check named `name` (one of `checks`, or
/// one the run did not use: then only by its name or `all`).
pub(super) fn check_matches(checks: &[Check], name: &str, pattern: &str) -> bool {
    checks
        .iter()
        .find(|c| c.name == name)
        .map(|c| matches(c, pattern))
        .unwrap_or(pattern == "all" || pattern == name)
}

/// `[format.X] ignore` of the configuration: drop the findings of checks
/// not run on records read from that format.
pub(super) fn drop_format_ignored(
    c: &Config,
    run: &mut crate::engine::Run,
    check_matches: &dyn Fn(&str, &str) -> bool,
) {
    if c.formats.is_empty() {
        return;
    }
    let mut formats: std::collections::HashMap<(usize, Option<&str>), &str> = Default::default();
    for (si, r) in &run.records {
        formats.entry((*si, r.id.as_deref())).or_insert(&r.format);
    }
    let format_of = |f: &crate::check::Finding| {
        formats
            .get(&(f.file, f.record.as_deref()))
            .map(|s| s.to_string())
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
