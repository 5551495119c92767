//! `--format json`: the contract in DESIGN.md (extend, never break).

use super::records::Positions;
use super::spool::{placeholder, splice, JsonArray};
use super::{summarize, Summary};
use crate::engine::Run;
use serde::Serialize;

#[derive(Serialize)]
/// The document, with its two long arrays spooled (see [`splice`]).
struct Output {
    version: u32,
    as_of: String,
    files: String,
    findings: String,
    summary: SummaryOut,
}

#[derive(Serialize)]
struct FileOut<'a> {
    path: &'a str,
    format: Option<&'a str>,
    record: Option<&'a str>,
    error: Option<&'a str>,
}

#[derive(Serialize)]
struct FindingOut<'a> {
    check: &'a str,
    severity: &'a str,
    message: &'a str,
    record: Option<&'a str>,
    path: &'a str,
    labels: Vec<LabelOut<'a>>,
    notes: &'a [String],
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct LabelOut<'a> {
    path: &'a str,
    start: usize,
    end: usize,
    line: usize,
    column: usize,
    primary: bool,
    message: &'a str,
}

#[derive(Serialize)]
struct SummaryOut {
    files: usize,
    records: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
    /// Added to the contract: inputs that could not be read.
    unreadable: usize,
}

pub fn render(run: &Run, as_of: chrono::NaiveDate) -> String {
    let mut out = Vec::new();
    if let Err(e) = render_to(run, as_of, &mut out) {
        return format!("{{\"error\": \"{e}\"}}\n");
    }
    String::from_utf8(out).unwrap_or_default()
}

/// [`render`] straight into a writer, without building the whole text
/// first (the output of a large run is tens of megabytes).
pub fn render_to(
    run: &Run,
    as_of: chrono::NaiveDate,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut s = Stream::new(as_of);
    s.add(run)?;
    s.finish(&summarize(run), w)
}

/// The JSON report written piece by piece (see [`super::spool`]).
pub struct Stream {
    as_of: chrono::NaiveDate,
    files: JsonArray,
    findings: JsonArray,
}

impl Stream {
    pub fn new(as_of: chrono::NaiveDate) -> Stream {
        Stream {
            as_of,
            files: JsonArray::new(4),
            findings: JsonArray::new(4),
        }
    }

    /// Render one piece of the run.
    pub fn add(&mut self, run: &Run) -> std::io::Result<()> {
        for e in &run.entries {
            self.files.push(&FileOut {
                path: &e.path,
                format: e.format.as_deref(),
                record: e.record.as_deref(),
                error: e.error.as_deref(),
            })?;
        }
        // checkpointed character counts: counting from the start of the
        // line for each label took time quadratic in the labels on a
        // one-line file
        let mut positions: Vec<Option<Positions>> = Vec::new();
        positions.resize_with(run.sources.len(), || None);
        for f in &run.findings {
            let src = &run.sources[f.file];
            let pos = positions[f.file].get_or_insert_with(|| Positions::new(src));
            self.findings.push(&FindingOut {
                check: &f.check,
                severity: f.severity.as_str(),
                message: &f.message,
                record: f.record.as_deref(),
                path: &src.path,
                labels: f
                    .labels
                    .iter()
                    .map(|l| {
                        let (line, column) = pos.line_col(l.span.start);
                        LabelOut {
                            path: &src.path,
                            start: l.span.start,
                            end: l.span.end,
                            line,
                            column,
                            primary: l.primary,
                            message: &l.message,
                        }
                    })
                    .collect(),
                notes: &f.notes,
                help: f.help.as_deref(),
            })?;
        }
        Ok(())
    }

    /// Write the whole report, with the totals of the run.
    pub fn finish(self, s: &Summary, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        let skeleton = Output {
            version: 1,
            as_of: self.as_of.format("%Y-%m-%d").to_string(),
            files: placeholder("files"),
            findings: placeholder("findings"),
            summary: SummaryOut {
                files: s.files,
                records: s.records,
                errors: s.errors,
                warnings: s.warnings,
                notes: s.notes,
                unreadable: s.unreadable,
            },
        };
        let text = serde_json::to_string_pretty(&skeleton).map_err(std::io::Error::from)?;
        splice(
            &text,
            vec![("files", self.files), ("findings", self.findings)],
            w,
        )?;
        w.write_all(b"\n")
    }
}
