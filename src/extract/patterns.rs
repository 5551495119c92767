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

use regex::{Regex, RegexBuilder};

/// `Regex::new` with ASCII word boundaries and classes, and without
/// Unicode mode where the pattern allows (see the module documentation).
pub fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    build(pattern, |b| b)
}

/// [`compile`] with more settings (`configure` is applied to the builder
/// of each attempt): the phone plans' patterns are written with spaces.
pub fn build(
    pattern: &str,
    configure: impl Fn(&mut RegexBuilder) -> &mut RegexBuilder,
) -> Result<Regex, regex::Error> {
    let p = rewrite(pattern, true);
    let attempt = |unicode: bool| {
        configure(&mut RegexBuilder::new(&p))
            .unicode(unicode)
            .build()
    };
    attempt(false).or_else(|_| attempt(true))
}

/// An automaton that finds any of `words` written in ASCII letters of
/// either case (standard match semantics, so overlapping matches can be
/// asked for too): the keyword gates with which extractors
/// skip text their patterns cannot match (a word every match holds).
/// Patterns compiled with [`compile`] fold case in ASCII only, so a gate
/// that also holds the patterns' words is exact; a pattern that fell back
/// to Unicode mode also folds "ſ" to "s" and "K" to "k", which the caller
/// adds as words of their own.
pub fn keywords(words: &[&str]) -> aho_corasick::AhoCorasick {
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(words)
        .expect("fixed keywords")
}

/// Rewrite each `\b` and `\B` escape (not an escaped backslash followed
/// by `b`, not the backspace `[\b]` of a class) as `(?-u:\b)` / `(?-u:\B)`.
/// This is all the `pattern` kind's `ascii_word_boundaries` option does.
pub fn ascii_word_boundaries(p: &str) -> String {
    rewrite(p, false)
}

/// [`ascii_word_boundaries`], and with `classes` also `\d` and `\w` as
/// ASCII ranges.
fn rewrite(p: &str, classes: bool) -> String {
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
            Some('d') if classes && depth == 0 => out.push_str("[0-9]"),
            Some('d') if classes => out.push_str("0-9"),
            Some('w') if classes && depth == 0 => out.push_str("[0-9A-Za-z_]"),
            Some('w') if classes => out.push_str("0-9A-Za-z_"),
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
        assert_eq!(rewrite(r"\Bx\d", true), r"(?-u:\B)x[0-9]");
        let re = compile(r"(?i)\bage[ds]?\b").unwrap();
        assert!(re.is_match("Age: 18 ≥ years"));
        assert!(!re.is_match("stage"));
        assert_eq!(rewrite(r"\d+[\w-]", true), r"[0-9]+[0-9A-Za-z_-]");
        assert_eq!(ascii_word_boundaries(r"[\b]\w"), r"[\b]\w");
        // without Unicode mode: `(?i)` folds ASCII only, `\s` is ASCII
        let re = compile(r"(?i)\bkm\s\d+").unwrap();
        assert!(re.is_match("KM 12") && !re.is_match("\u{212A}m 12"));
        // a negated class needs Unicode mode on `str`: still compiles
        let re = compile(r"[^a]+é").unwrap();
        assert!(re.is_match("ééé"));
    }
}
