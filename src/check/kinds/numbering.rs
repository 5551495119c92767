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

/// What an item marker is, as a pattern: the reference [`markers`] is
/// held to (its test), no longer run.
#[cfg(test)]
static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?m)(?:^|[.;:]\s+)[ \t\-•*]*(\d{1,2})[.)]\s+\p{L}").unwrap()
});

/// A letter (`\p{L}`) outside ASCII, asked only of a character after a
/// marker's number.
static LETTER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\A\p{L}").unwrap());

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

/// The numbers of the item markers of `text` (where each starts and
/// ends), in order: the groups of [`MARKER`]'s matches, found without
/// running it. The pattern is a number of one or two digits followed by
/// "." or ")", white space and a letter, with only bullets (" \t-•*")
/// between it and the start of a line or "." ";" ":" and white space.
/// The lazy DFA walked every byte of every eligibility text for it (1.0%
/// of a run's time samples); here only the "." and ")" after a digit are
/// looked at, found by `memchr2`.
///
/// It finds what the pattern finds: every byte a match holds before its
/// number is a bullet, white space or one of ".;:", none of them a digit,
/// so a match's number is a whole run of digits (a run of three is no
/// match) and each number is in at most one match; and a match ends at
/// the letter after its number, which no later match's start can precede
/// (a letter is no bullet, white space or ".;:"), so no match hides the
/// next. Before the number, the bullets reach back to `q`; the pattern's
/// `^` can only be at `q` (a line start inside the bullets would follow a
/// bullet), and its "[.;:]\s+" ends at `q` or, when the bullets start with
/// a space or tab (white space too), inside them: either way it is the
/// white space before `q` and those spaces, which must not be empty,
/// after one of ".;:". `\s` is Unicode white space (`char::is_whitespace`
/// is the same property) and `\d` ASCII digits (`patterns::compile`).
fn markers(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let b = text.as_bytes();
    memchr::memchr2_iter(b'.', b')', b).filter_map(move |end| {
        // the number: one or two digits, not more
        let digits = b[..end]
            .iter()
            .rev()
            .take(3)
            .take_while(|c| c.is_ascii_digit())
            .count();
        if digits == 0 || digits == 3 {
            return None;
        }
        let p = end - digits;
        // white space, then a letter
        let after = &text[end + 1..];
        let rest = after.trim_start_matches(char::is_whitespace);
        if rest.len() == after.len() {
            return None;
        }
        let letter = match rest.as_bytes().first() {
            None => false,
            Some(c) if c.is_ascii() => c.is_ascii_alphabetic(),
            Some(_) => LETTER.is_match(rest),
        };
        if !letter {
            return None;
        }
        // bullets back to `q`
        let mut q = p;
        loop {
            if q > 0 && matches!(b[q - 1], b' ' | b'\t' | b'-' | b'*') {
                q -= 1;
            } else if b[..q].ends_with("•".as_bytes()) {
                q -= "•".len();
            } else {
                break;
            }
        }
        if q == 0 || b[q - 1] == b'\n' {
            return Some((p, end));
        }
        let before = text[..q].trim_end_matches(char::is_whitespace);
        let spaced = before.len() < q || (q < p && matches!(b[q], b' ' | b'\t'));
        (spaced && matches!(before.as_bytes().last(), Some(b'.' | b';' | b':'))).then_some((p, end))
    })
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
            for (start, number) in markers(text) {
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

    /// The numbers [`markers`] finds are the groups of [`MARKER`]'s
    /// matches, on the fixtures and on texts made of the pieces of markers
    /// (digits, three-digit numbers, bullets, Unicode spaces and letters,
    /// line breaks).
    #[test]
    fn markers_are_the_regex_groups() {
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
            "\u{2028}",
            "\u{85}",
            "\r",
            "ǅ",
            "\u{2160}",
            "Ⅻ",
            "•1)",
            " -* ",
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
            let ours: Vec<(usize, usize)> = markers(t).collect();
            assert_eq!(groups, ours, "{t:?}");
            found += groups.len();
        }
        assert!(found > 500, "{found}");
    }
}
