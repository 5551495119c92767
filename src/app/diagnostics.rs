//! Errors and warnings about check files and trialint.toml, rendered as
//! codespan diagnostics pointing into the TOML, on standard error.

use super::*;
use crate::check::load::LoadError;
use crate::check::Severity;
use crate::config::Config;
use codespan_reporting::term::termcolor::StandardStream;
use std::io::IsTerminal;

/// Print a check-loading error as a diagnostic pointing into the TOML file.
pub(super) fn report_load_error(e: &LoadError) {
    if e.path.ends_with(".extractor.toml") {
        report_error_as(e, "extractor-file", "invalid extractor file")
    } else {
        report_error_as(e, "check-file", "invalid check file")
    }
}

/// Print an error in trialint.toml (or the file given with --config).
pub(super) fn report_config_error(e: &LoadError) {
    report_error_as(e, "config", "invalid configuration")
}

pub(super) fn report_error_as(e: &LoadError, code: &str, what: &str) {
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

/// A diagnostic about the configuration itself (an expired or unused
/// suppression), pointing into trialint.toml, on standard error.
pub(super) fn report_config_diagnostic(
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
