//! `numbering`: a numbered list in free text must not repeat an item number
//! ("3. No serious AIDS related events. 3. could understand and sign ...").
//!
//! ```toml
//! kind = "numbering"
//! [params]
//! fields = ["eligibility"]
//! ```
//!
//! Item markers are a number and "." or ")" at the start of a line or after
//! the end of a sentence, followed by a word. A list may restart at 1 (the
//! exclusion criteria after the inclusion criteria). Only items of one
//! nesting level are compared: a marker at the start of a line is at its
//! indentation (two characters either way count as the same level), a
//! marker inside a line continues the level of the marker before it, so
//! that a sub-list's "3." followed by its parent's "3." is not a repeat. A
//! marker at the start of a line is compared with the last marker at the
//! start of a line (an inline sub-list "1. ... 2. ..." in between does not
//! count), a heading line ending in ":" between two markers starts a new
//! list, and so does an inline list that restarts at 1.

use super::{params, BuildError};
use crate::check::{Context, Draft, Kind, Label};
use regex::Regex;
use serde::Deserialize;
use std::sync::LazyLock;

static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?m)(?:^|[.;:]\s+)[ \t\-•*]*(\d{1,2})[.)]\s+\p{L}").unwrap()
});

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    fields: Vec<String>,
}

pub struct Numbering {
    p: Params,
}

pub fn build(table: &toml::Table) -> Result<Box<dyn Kind>, BuildError> {
    Ok(Box::new(Numbering { p: params(table)? }))
}

#[derive(Clone, Copy)]
struct Marker {
    n: u32,
    start: usize,
    end: usize,
    indent: usize,
}

/// Whether a line between two markers is a heading ("Exclusion Criteria:",
/// "Patients with adjacent degenerative disc (AAD):"): a line that ends
/// with a colon. A list after a heading is a new list.
fn heading_between(text: &str, from: usize, to: usize) -> bool {
    let mid = &text[from.min(to)..to];
    let mut lines: Vec<&str> = mid.split('\n').collect();
    // the first piece ends the earlier item's line, the last begins the
    // later marker's line: neither is a line of its own
    if lines.len() < 3 {
        return false;
    }
    lines.pop();
    lines.remove(0);
    lines.iter().any(|l| l.trim_end().ends_with(':'))
}

/// The indentation (in characters) of a marker whose number starts at
/// `at`, when only white space and bullets precede it on its line; None for
/// a marker inside a line.
fn indent_of(text: &str, at: usize) -> Option<usize> {
    let line_start = text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let before = &text[line_start..at];
    if before
        .chars()
        .all(|c| c == ' ' || c == '\t' || c == '\r' || c == '-' || c == '•' || c == '*')
    {
        Some(before.chars().filter(|c| *c != '\r').count())
    } else {
        None
    }
}

/// Where the number of a [`MARKER`] match is (its group): the match's
/// first run of digits. What a match holds before its number (a line
/// start, ".", ";" or ":", white space, bullets) holds no digit 0-9, and
/// the number (`\d`, read as `[0-9]` by `patterns::compile`) is followed
/// by "." or ")", so its group is exactly that run. Asking the regex for its
/// group ran a second engine over each match after the one that found it
/// (the markers of most eligibility criteria: a numbered list): 23 → 15
/// million instructions per 1,000 records.
fn marker_number(text: &str, m: std::ops::Range<usize>) -> Option<(usize, usize)> {
    let at = m.start;
    let b = &text.as_bytes()[m];
    let from = b.iter().position(u8::is_ascii_digit)?;
    let len = b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    Some((at + from, at + from + len))
}

impl Kind for Numbering {
    fn run(&self, cx: &Context, out: &mut Vec<Draft>) {
        for field in cx
            .record
            .fields
            .iter()
            .filter(|f| self.p.fields.iter().any(|k| *k == f.key))
        {
            let text = &field.text.text;
            // the marker before, and the last marker at the start of a line
            let mut prev: Option<Marker> = None;
            let mut prev_line: Option<Marker> = None;
            for m in MARKER.find_iter(text) {
                let Some((start, number)) = marker_number(text, m.range()) else {
                    continue;
                };
                let Ok(n) = text[start..number].parse::<u32>() else {
                    continue;
                };
                let end = (number + 1).min(text.len());
                let indent = indent_of(text, start);
                let here = Marker {
                    n,
                    start,
                    end,
                    indent: indent.or(prev.map(|p| p.indent)).unwrap_or(0),
                };
                // a marker at the start of a line follows the last marker at
                // the start of a line (an inline sub-list in between does not
                // count); a marker inside a line follows the one before it
                let before = if indent.is_some() { prev_line } else { prev };
                if let Some(p) = before {
                    if n == p.n
                        && n != 1
                        && here.indent.abs_diff(p.indent) <= 2
                        && !heading_between(text, p.end, here.start)
                    {
                        out.push(
                            Draft {
                                message: format!("item number {n}. appears twice in a row in the {}", crate::record::keys::label(&field.key)),
                                labels: vec![
                                    Label::primary(field.text.span(here.start, here.end), format!("{n}. again")),
                                    Label::secondary(field.text.span(p.start, p.end), format!("{n}. first")),
                                ],
                                notes: vec!["an item was probably split in two, or a number mistyped; later items may be misnumbered".into()],
                                ..Draft::default()
                            }
                            .var("number", n.to_string()),
                        );
                    }
                }
                if indent.is_some() {
                    prev_line = Some(here);
                } else if n == 1 {
                    // an inline list restarting at 1 ("Exclusion Criteria:
                    // 1. ... 2. ...") is a new list for the lines after it
                    prev_line = None;
                }
                prev = Some(here);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The number [`marker_number`] takes from each match is the group
    /// the regex gives, on the fixtures and on texts made of the pieces
    /// of markers (digits, three-digit numbers, bullets, Unicode spaces and
    /// letters, line breaks).
    #[test]
    fn marker_numbers_are_the_regex_group() {
        let pieces = [
            "1",
            "2",
            "12",
            "123",
            "0",
            ".",
            ")",
            ";",
            ":",
            " ",
            "\t",
            "\n",
            "\r\n",
            "-",
            "•",
            "*",
            "\u{2003}",
            "\u{a0}",
            "a",
            "É",
            "日",
            "x.",
            "3. ",
            "10) ",
            "1.5",
            "Exclusion Criteria:",
            "e.g.",
        ];
        let mut texts = crate::extract::fixture_texts();
        texts.extend(crate::extract::random_texts(
            &pieces,
            4_000,
            40,
            0x9e37_79b9_7f4a_7c15,
        ));
        let mut found = 0;
        for t in &texts {
            let groups: Vec<(usize, usize)> = MARKER
                .captures_iter(t)
                .map(|c| c.get(1).map(|g| (g.start(), g.end())).unwrap())
                .collect();
            let ours: Vec<(usize, usize)> = MARKER
                .find_iter(t)
                .map(|m| marker_number(t, m.range()).unwrap())
                .collect();
            assert_eq!(groups, ours, "{t:?}");
            found += groups.len();
        }
        assert!(found > 500, "{found}");
    }
}
