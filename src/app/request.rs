//! `trialint request`: one correction request per record with findings.

use super::*;
use crate::engine::{self, Options};

/// `trialint request`: one correction request per record with findings.
pub(super) fn request(args: crate::cli::RequestArgs) -> i32 {
    // the checks, configuration and "today" that `check` would use
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
    for e in &run.errors {
        eprintln!("error: {}", crate::report::clean(&e.to_string()));
    }
    // what the configuration hides from `check` is not asked about either
    let mut suppressed = 0;
    if let Some(c) = &setup.config {
        let check_matches = |name: &str, pattern: &str| check_matches(&checks, name, pattern);
        drop_format_ignored(c, &mut run, &check_matches);
        suppressed =
            crate::check::suppress::apply(&mut run.findings, &c.suppress, as_of, &check_matches)
                .suppressed;
    }
    let dir = std::path::Path::new(&args.out);
    match crate::request::write_requests(&run, &checks, dir, as_of) {
        Ok(written) => {
            let issues: usize = written.iter().map(|w| w.issues).sum();
            println!(
                "wrote {} correction request{} ({} issue{}) to {}; index: {}{}",
                written.len(),
                if written.len() == 1 { "" } else { "s" },
                issues,
                if issues == 1 { "" } else { "s" },
                dir.display(),
                dir.join("requests.csv").display(),
                if suppressed > 0 {
                    format!("; {} suppressed", plural(suppressed, "finding"))
                } else {
                    String::new()
                }
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
