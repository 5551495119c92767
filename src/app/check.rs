//! `trialint check`: read, check, apply configuration, suppressions and the
//! baseline, render, and decide the exit code.

use super::*;
use crate::check::baseline::{self, Baseline};
use crate::check::{suppress, Check, Severity};
use crate::cli::{CheckArgs, FailOn, OutputFormat};
use crate::config::Config;
use crate::engine::{self, Options};
use crate::report;
use codespan_reporting::term::termcolor::StandardStream;
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
    // Only the HTML report shows whole records; the terminal shows the
    // lines that findings label; the machine formats need only where the
    // labels are and what they say.
    let keep = match args.format {
        OutputFormat::Html => engine::Keep::Full,
        OutputFormat::Human => engine::Keep::Labelled,
        _ => engine::Keep::Marks,
    };
    let mut run = engine::run_keeping(
        &args.paths,
        &checks,
        &opts,
        &setup.extractors,
        &crate::progress::Bar::new(),
        keep,
    );

    let check_matches = |name: &str, pattern: &str| check_matches(&checks, name, pattern);
    if let Some(c) = cfg {
        drop_format_ignored(c, &mut run, &check_matches);
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
                Some(src) => baseline::fingerprint_in(f, src),
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
            let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
            report::json::render_to(&run, as_of, &mut out).and_then(|()| out.flush())
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
                eprintln!("error: {}", report::clean(&e.to_string()));
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
