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
//! User patterns (`extract/user.rs`, the `pattern` kind) are compiled as
//! written: their authors chose what `\b` means.

use regex::Regex;

/// `Regex::new` with ASCII word boundaries (see the module documentation).
pub fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    Regex::new(&ascii_word_boundaries(pattern))
}

/// Rewrite each `\b` and `\B` escape (not an escaped backslash followed
/// by `b`) as `(?-u:\b)` / `(?-u:\B)`.
pub fn ascii_word_boundaries(p: &str) -> String {
    let mut out = String::with_capacity(p.len() + 16);
    let mut chars = p.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push_str(r"(?-u:\b)"),
            Some('B') => out.push_str(r"(?-u:\B)"),
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
        assert_eq!(ascii_word_boundaries(r"\Bx\d"), r"(?-u:\B)x\d");
        let re = compile(r"(?i)\bage[ds]?\b").unwrap();
        assert!(re.is_match("Age: 18 ≥ years"));
        assert!(!re.is_match("stage"));
    }
}
