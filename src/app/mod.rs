//! The subcommands, one module each, returning the process exit code
//! (0 clean, 1 findings at or above --fail-on, 2 usage or read errors).
//!
//! - `setup`: load the catalogue, trialint.toml and user checks/extractors
//! - `check`: `trialint check` (read, check, filter, report)
//! - `request`: `trialint request` (correction requests)
//! - `explain`: `trialint explain` and `trialint checks`
//! - `diagnostics`: errors about check files and trialint.toml, rendered
//!   with codespan pointing into the TOML

mod check;
mod diagnostics;
mod explain;
mod request;
mod setup;

use check::{check, check_matches, drop_format_ignored};
use diagnostics::{report_config_diagnostic, report_config_error, report_load_error};
use explain::{explain, list};
use request::request;

pub use explain::explain_text;
pub use setup::{find_config, load_catalogue, load_catalogue_with, select, setup, Selected, Setup};

use crate::check::{Check, Severity};
use crate::cli::{Cli, Command, FailOn};
use codespan_reporting::term::termcolor::ColorChoice;

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

fn color(tty: bool) -> ColorChoice {
    if tty && std::env::var_os("NO_COLOR").is_none() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
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

fn plural(n: usize, w: &str) -> String {
    format!("{n} {w}{}", if n == 1 { "" } else { "s" })
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
