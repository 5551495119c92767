//! `--format json`: the contract in DESIGN.md (extend, never break).

use super::records::Positions;
use super::summarize;
use crate::engine::Run;
use serde::Serialize;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    as_of: String,
    files: Vec<FileOut<'a>>,
    findings: Vec<FindingOut<'a>>,
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
    // checkpointed character counts: counting from the start of the line
    // for each label took time quadratic in the labels on a one-line file
    let positions: Vec<Positions> = run.sources.iter().map(Positions::new).collect();
    let files = run
        .entries
        .iter()
        .map(|e| FileOut {
            path: &e.path,
            format: e.format.as_deref(),
            record: e.record.as_deref(),
            error: e.error.as_deref(),
        })
        .collect();
    let findings = run
        .findings
        .iter()
        .map(|f| {
            let src = &run.sources[f.file];
            FindingOut {
                check: &f.check,
                severity: f.severity.as_str(),
                message: &f.message,
                record: f.record.as_deref(),
                path: &src.path,
                labels: f
                    .labels
                    .iter()
                    .map(|l| {
                        let (line, column) = positions[f.file].line_col(l.span.start);
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
            }
        })
        .collect();
    let s = summarize(run);
    let out = Output {
        version: 1,
        as_of: as_of.format("%Y-%m-%d").to_string(),
        files,
        findings,
        summary: SummaryOut {
            files: s.files,
            records: s.records,
            errors: s.errors,
            warnings: s.warnings,
            notes: s.notes,
            unreadable: s.unreadable,
        },
    };
    serde_json::to_writer_pretty(&mut *w, &out).map_err(std::io::Error::from)?;
    w.write_all(b"\n")
}
