//! `trialint request`: one correction request per record with findings.

use super::*;
use crate::engine::{self, Options};

/// `trialint request`: one correction request per record with findings.
pub(super) fn request(args: crate::cli::RequestArgs) -> i32 {
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
        eprintln!("error: {}", crate::report::clean(&e.to_string()));
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
