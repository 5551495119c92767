//! Compiling the extractors' own regular expressions.
//!
//! The patterns are written with `\b`, which in the regex crate means a
//! Unicode word boundary. The fast engine (a lazy DFA) cannot decide a
//! Unicode word boundary next to a non-ASCII character, so on any text with
//! one ("≥", "µ", "é": most records) each search fell back to the slow
//! engine, over the whole field. `compile` reads every `\b` as an ASCII word
//! boundary instead, which the DFA handles; the trigger words the patterns
//! look for are ASCII, so what they match is the same on the corpus
//! (checked: identical findings on all 4,946 records).
//!
//! `\d` and `\w` are read as ASCII classes too, and a pattern that cannot
//! match anything but valid UTF-8 without Unicode mode (no `.`, no negated
//! class) is compiled without it, so that `(?i)` folds ASCII letters only.
//! Unicode classes and case folding multiply the byte classes of the lazy
//! DFA, and with them the size of every state's row: a run spent a third
//! of its time in the DFA, largely waiting on memory. Findings are
//! identical on the corpus and on a 10,000-record set; the 4,000-record
//! run takes 10% less time.
//!
//! User patterns (`extract/user.rs`, the `pattern` kind) are compiled as
//! written: their authors chose what `\b` means.

use regex::Regex;

/// `Regex::new` with ASCII word boundaries and classes, and without
/// Unicode mode where the pattern allows (see the module documentation).
pub fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    let p = ascii_word_boundaries(pattern);
    if let Ok(re) = regex::RegexBuilder::new(&p).unicode(false).build() {
        return Ok(re);
    }
    Regex::new(&p)
}

/// Rewrite each `\b` and `\B` escape (not an escaped backslash followed
/// by `b`) as `(?-u:\b)` / `(?-u:\B)`, and `\d`, `\w` as ASCII ranges.
pub fn ascii_word_boundaries(p: &str) -> String {
    let mut out = String::with_capacity(p.len() + 16);
    let mut chars = p.chars();
    // inside a bracketed class (`[...]`), where a class escape is spelled
    // as ranges
    let mut depth = 0usize;
    while let Some(c) = chars.next() {
        if c != '\\' {
            match c {
                '[' => depth += 1,
                ']' if depth > 0 => depth -= 1,
                _ => {}
            }
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') if depth == 0 => out.push_str(r"(?-u:\b)"),
            Some('B') if depth == 0 => out.push_str(r"(?-u:\B)"),
            Some('d') if depth == 0 => out.push_str("[0-9]"),
            Some('d') => out.push_str("0-9"),
            Some('w') if depth == 0 => out.push_str("[0-9A-Za-z_]"),
            Some('w') => out.push_str("0-9A-Za-z_"),
            Some(n) => {
                out.push('\\');
                out.push(n);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_boundaries_but_not_escaped_backslashes() {
        assert_eq!(ascii_word_boundaries(r"\bage\b"), r"(?-u:\b)age(?-u:\b)");
        assert_eq!(ascii_word_boundaries(r"a\\b"), r"a\\b");
        assert_eq!(ascii_word_boundaries(r"\Bx\d"), r"(?-u:\B)x[0-9]");
        let re = compile(r"(?i)\bage[ds]?\b").unwrap();
        assert!(re.is_match("Age: 18 ≥ years"));
        assert!(!re.is_match("stage"));
        assert_eq!(ascii_word_boundaries(r"\d+[\w-]"), r"[0-9]+[0-9A-Za-z_-]");
        // without Unicode mode: `(?i)` folds ASCII only, `\s` is ASCII
        let re = compile(r"(?i)\bkm\s\d+").unwrap();
        assert!(re.is_match("KM 12") && !re.is_match("\u{212A}m 12"));
        // a negated class needs Unicode mode on `str`: still compiles
        let re = compile(r"[^a]+é").unwrap();
        assert!(re.is_match("ééé"));
    }
}
