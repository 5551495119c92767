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
use crate::check::Severity;
use crate::engine::Run;

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
    let positions: Vec<Positions> = run.sources.iter().map(Positions::new).collect();
    let mut out = String::new();
    for e in &run.errors {
        out.push_str(&format!(
            "::error file={},title={}::{}\n",
            escape_property(&e.path),
            escape_property("trialint: read error"),
            escape_data(&e.reason)
        ));
    }
    for f in &run.findings {
        let Some(src) = run.sources.get(f.file) else {
            continue;
        };
        let mut props = vec![format!("file={}", escape_property(&src.path))];
        if let Some(l) = primary(f) {
            let pos = &positions[f.file];
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
                let (line, _) = positions[f.file].line_col(l.span.start);
                message.push_str(&format!("\n- line {line}: {}", l.message));
            }
        }
        for n in &f.notes {
            message.push_str(&format!("\nnote: {n}"));
        }
        if let Some(h) = &f.help {
            message.push_str(&format!("\nhelp: {h}"));
        }
        out.push_str(&format!(
            "::{} {}::{}\n",
            command(f.severity),
            props.join(","),
            escape_data(&message)
        ));
    }
    out
}
