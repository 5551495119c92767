//! Output formats, one module each, all rendered from the same [`Run`].
//! Only `human` (through `excerpt`) touches codespan-reporting.

pub mod excerpt;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod records;
pub mod sarif;
pub mod sha256;
pub mod spool;

use crate::check::Severity;
use crate::engine::Run;

/// Counts for the summary line and the JSON `summary` object.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub records: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub unreadable: usize,
}

impl Summary {
    /// Add the counts of another piece of the run.
    pub fn add(&mut self, o: &Summary) {
        self.files += o.files;
        self.records += o.records;
        self.errors += o.errors;
        self.warnings += o.warnings;
        self.notes += o.notes;
        self.unreadable += o.unreadable;
    }
}

pub fn summarize(run: &Run) -> Summary {
    let mut s = Summary {
        files: run.files,
        records: run.records.len(),
        unreadable: run.errors.len(),
        ..Summary::default()
    };
    for f in &run.findings {
        match f.severity {
            Severity::Error => s.errors += 1,
            Severity::Warning => s.warnings += 1,
            Severity::Note => s.notes += 1,
        }
    }
    s
}

/// 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_col(text: &str, starts: &[usize], offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let line = starts.partition_point(|&s| s <= offset).max(1);
    let start = starts[line - 1];
    let mut o = offset;
    while !text.is_char_boundary(o) {
        o -= 1;
    }
    (line, text[start..o].chars().count() + 1)
}

/// Strip control characters from text that came from a record, for
/// messages shown in a terminal or embedded in other formats.
pub fn clean(s: &str) -> String {
    s.chars()
        .map(|c| {
            if (c.is_control() && c != '\n') || is_bidi_control(c) {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// Unicode bidirectional controls: they reorder what a terminal or an
/// editor shows ("Trojan Source"), so record text must not carry them into
/// a report.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}
