//! Terminal output: rustc-style diagnostics via codespan-reporting.

use super::excerpt::{line_starts, Excerpt};
use super::spool::Spool;
use super::{clean, summarize, Summary};
use crate::check::{Finding, Severity};
use crate::engine::Run;
use codespan_reporting::diagnostic::{Diagnostic, Label as CsLabel, LabelStyle};
use codespan_reporting::term::termcolor::{Buffer, WriteColor};
use codespan_reporting::term::{self};
use std::io::Write;

pub struct HumanOptions {
    /// Leave out the summary line.
    pub quiet: bool,
}

/// Labels drawn under one finding at most: a crafted record can give one
/// finding thousands (one e-mail listed for 5,000 people), and drawing them
/// all takes time that grows faster than their number. The others are
/// counted in a note (every format but this one lists them all).
pub const MAX_LABELS: usize = 32;

/// The labels drawn for a finding: the primary ones first, then in order,
/// at most [`MAX_LABELS`].
fn shown_labels(f: &Finding) -> Vec<&crate::check::Label> {
    let mut v: Vec<_> = f.labels.iter().filter(|l| l.primary).collect();
    v.extend(f.labels.iter().filter(|l| !l.primary));
    v.truncate(MAX_LABELS);
    // keep the record's order for the drawing
    v.sort_by_key(|l| {
        f.labels
            .iter()
            .position(|x| std::ptr::eq(x, *l))
            .unwrap_or(0)
    });
    v
}

fn diagnostic(f: &Finding, ex: &Excerpt, format: &str) -> Diagnostic<()> {
    let severity = match f.severity {
        Severity::Error => codespan_reporting::diagnostic::Severity::Error,
        Severity::Warning => codespan_reporting::diagnostic::Severity::Warning,
        Severity::Note => codespan_reporting::diagnostic::Severity::Note,
    };
    let labels = shown_labels(f)
        .into_iter()
        .map(|l| {
            let style = if l.primary {
                LabelStyle::Primary
            } else {
                LabelStyle::Secondary
            };
            let (s, e) = (ex.map_file(l.span.start), ex.map_file(l.span.end));
            CsLabel::new(style, (), s..e.max(s)).with_message(clean(&l.message))
        })
        .collect();
    let mut notes = vec![format!(
        "record {} (read as {format})",
        clean(f.record.as_deref().unwrap_or("(no id)"))
    )];
    if f.labels.len() > MAX_LABELS {
        notes.push(format!(
            "{} more places not shown here (every other --format lists them)",
            f.labels.len() - MAX_LABELS
        ));
    }
    notes.extend(f.notes.iter().map(|n| clean(n)));
    if let Some(h) = &f.help {
        notes.push(format!("help: {}", clean(h)));
    }
    Diagnostic::new(severity)
        .with_code(f.check.clone())
        .with_message(clean(&f.message))
        .with_labels(labels)
        .with_notes(notes)
}

/// Render a run for a terminal (or a plain writer when colour is off).
pub fn render(run: &Run, out: &mut dyn WriteColor, opts: &HumanOptions) -> std::io::Result<()> {
    render_errors(run, out)?;
    render_findings(run, out)?;
    if !opts.quiet {
        writeln!(out, "{}", summary_line(&summarize(run)))?;
    }
    Ok(())
}

/// The read errors of a run, one diagnostic each.
pub fn render_errors(run: &Run, out: &mut dyn WriteColor) -> std::io::Result<()> {
    let config = term::Config::default();
    for e in &run.errors {
        let d: Diagnostic<()> = Diagnostic::error()
            .with_code("read-error")
            .with_message(clean(&e.to_string()));
        let name = clean(&e.path);
        let empty = Excerpt::new(&name, "", &[0], &[]);
        term::emit(out, &config, &empty, &d).map_err(std::io::Error::other)?;
    }
    Ok(())
}

/// The findings of a run, one diagnostic each.
pub fn render_findings(run: &Run, out: &mut dyn WriteColor) -> std::io::Result<()> {
    let config = term::Config::default();
    let mut starts_cache: Vec<Option<Vec<usize>>> = vec![None; run.sources.len()];
    let mut formats: std::collections::HashMap<(usize, Option<&str>), &str> = Default::default();
    for (si, r) in &run.records {
        formats.entry((*si, r.id.as_deref())).or_insert(&r.format);
    }
    for f in &run.findings {
        let Some(src) = run.sources.get(f.file) else {
            continue;
        };
        let starts = starts_cache[f.file].get_or_insert_with(|| line_starts(&src.text));
        let spans: Vec<_> = shown_labels(f)
            .into_iter()
            .map(|l| src.local(l.span.start)..src.local(l.span.end))
            .collect();
        // File names come from the scraper too: no escape sequences.
        let name = clean(&src.path);
        let ex = Excerpt::new(&name, &src.text, starts, &spans)
            .with_position(src.offset, src.first_line)
            .with_first_col(src.first_col);
        let format = formats
            .get(&(f.file, f.record.as_deref()))
            .copied()
            .unwrap_or("?");
        term::emit(out, &config, &ex, &diagnostic(f, &ex, format))
            .map_err(std::io::Error::other)?;
    }
    Ok(())
}

/// `checked 5 files (5 records): 1 error, 2 warnings, 0 notes`.
pub fn summary_line(s: &Summary) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let mut line = format!(
        "checked {} ({}): {}, {}, {}",
        plural(s.files, "file"),
        plural(s.records, "record"),
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.notes, "note"),
    );
    if s.unreadable > 0 {
        line.push_str(&format!(
            "; {} could not be read",
            plural(s.unreadable, "input")
        ));
    }
    line
}

/// The terminal output written piece by piece (see [`super::spool`]): the
/// read errors first, then the findings; the summary line is the caller's.
pub struct Stream {
    color: bool,
    errors: Spool,
    findings: Spool,
}

impl Stream {
    /// `color`: draw with ANSI colours.
    pub fn new(color: bool) -> Stream {
        Stream {
            color,
            errors: Spool::new(),
            findings: Spool::new(),
        }
    }

    fn buffer(&self) -> Buffer {
        if self.color {
            Buffer::ansi()
        } else {
            Buffer::no_color()
        }
    }

    /// Render one piece of the run.
    pub fn add(&mut self, run: &Run) -> std::io::Result<()> {
        if !run.errors.is_empty() {
            let mut b = self.buffer();
            render_errors(run, &mut b)?;
            self.errors.write_all(b.as_slice())?;
        }
        if !run.findings.is_empty() {
            let mut b = self.buffer();
            render_findings(run, &mut b)?;
            self.findings.write_all(b.as_slice())?;
        }
        Ok(())
    }

    /// Write the diagnostics.
    pub fn finish(self, out: &mut dyn Write) -> std::io::Result<()> {
        self.errors.copy_to(out)?;
        self.findings.copy_to(out)
    }
}

/// Render to a string without colour (tests, snapshots).
pub fn to_string(run: &Run, opts: &HumanOptions) -> String {
    let mut buf = term::termcolor::Buffer::no_color();
    let _ = render(run, &mut buf, opts);
    String::from_utf8_lossy(buf.as_slice()).into_owned()
}
