//! `--format github`: GitHub Actions workflow commands, which turn each
//! finding into an annotation on the file in a pull request or run:
//!
//! ```text
//! ::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=CHECK::message
//! ```
//!
//! Errors are `::error`, warnings `::warning`, notes `::notice`. Values are
//! escaped as the runner expects: `%`, CR and LF in the message; also `:`
//! and `,` in properties.

use super::records::{primary, Positions};
use super::spool::Spool;
use crate::check::Severity;
use crate::engine::Run;
use std::io::Write;

/// Escape the message (the data after `::`).
pub fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Escape a property value (`file=`, `title=`).
pub fn escape_property(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in escape_data(s).chars() {
        match c {
            ':' => out.push_str("%3A"),
            ',' => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

/// The workflow command for a severity.
pub fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

pub fn render(run: &Run) -> String {
    let mut s = Stream::default();
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = s.add(run).and_then(|()| s.finish(&mut out));
    String::from_utf8(out).unwrap_or_default()
}

/// The annotations written piece by piece (see [`super::spool`]): the read
/// errors first, then the findings.
#[derive(Default)]
pub struct Stream {
    errors: Spool,
    findings: Spool,
}

impl Stream {
    /// Render one piece of the run.
    pub fn add(&mut self, run: &Run) -> std::io::Result<()> {
        for e in &run.errors {
            writeln!(
                self.errors,
                "::error file={},title={}::{}",
                escape_property(&e.path),
                escape_property("trialint: read error"),
                escape_data(&e.reason)
            )?;
        }
        let mut positions: Vec<Option<Positions>> = Vec::new();
        positions.resize_with(run.sources.len(), || None);
        for f in &run.findings {
            let Some(src) = run.sources.get(f.file) else {
                continue;
            };
            let pos = positions[f.file].get_or_insert_with(|| Positions::new(src));
            let mut props = vec![format!("file={}", escape_property(&src.path))];
            if let Some(l) = primary(f) {
                let (sl, sc) = pos.line_col(l.span.start);
                let (el, ec) = pos.line_col(l.span.end.max(l.span.start));
                props.push(format!("line={sl}"));
                props.push(format!("col={sc}"));
                props.push(format!("endLine={el}"));
                props.push(format!("endColumn={ec}"));
            }
            props.push(format!("title={}", escape_property(&f.check)));
            let mut message = match &f.record {
                Some(id) => format!("{id}: {}", f.message),
                None => f.message.clone(),
            };
            for l in &f.labels {
                if !l.message.is_empty() {
                    let (line, _) = pos.line_col(l.span.start);
                    message.push_str(&format!("\n- line {line}: {}", l.message));
                }
            }
            for n in &f.notes {
                message.push_str(&format!("\nnote: {n}"));
            }
            if let Some(h) = &f.help {
                message.push_str(&format!("\nhelp: {h}"));
            }
            writeln!(
                self.findings,
                "::{} {}::{}",
                command(f.severity),
                props.join(","),
                escape_data(&message)
            )?;
        }
        Ok(())
    }

    /// Write the whole output.
    pub fn finish(self, out: &mut dyn Write) -> std::io::Result<()> {
        self.errors.copy_to(out)?;
        self.findings.copy_to(out)
    }
}
