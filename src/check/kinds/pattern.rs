//! `pattern`: a regular expression over chosen fields; every match is a
//! finding (mangled notation such as "10×106", encoding damage such as
//! "???", words that should not be there).
//!
//! ```toml
//! kind = "pattern"
//! message = "the {place} contains \"{match}\""   # {match}, {field}, {place}
//! [params]
//! fields = ["brief_summary", "detailed_description"]   # keys, or "prose", or "all"
//! regex = '10\s*[x×]\s*10[0-9]\b'
//! label = "read as {match}"     # optional message of the label at the match
//! max_per_field = 20            # optional: matches reported per field at most
//! ascii_word_boundaries = false # optional: read `\b` as an ASCII word boundary
//! contains = ["10"]             # optional: search only fields containing one of
//!                               # these strings (ASCII case ignored): a fast
//!                               # prefilter for a literal every match has
//! after = "xX*×"                # optional, with `contains` words without
//!                               # letters: only where such a word comes
//!                               # after one of these characters, with at
//!                               # most white space between (every match
//!                               # holds one)
//! ```
//!
//! `ascii_word_boundaries = true` makes the regex several times faster on
//! text with non-ASCII characters (the fast engine cannot decide a Unicode
//! word boundary there); it changes what matches only next to non-ASCII
//! letters.
//!
//! The regex crate has no look-around: to require context without
//! reporting it, put the part to report in a group named `m`
//! (`(?:^|\s)(?P<m>\?{2,})`): the label then covers that group, and
//! `{match}` is its text.

use super::common::{key_label, verb};
use super::{params, BuildError};
use crate::check::{Context, Draft, Kind, Label};
use crate::extract::user::{expand_fields, RawFields};
use regex::Regex;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    fields: RawFields,
    regex: String,
    #[serde(default)]
    label: Option<String>,
    #[serde(default = "twenty")]
    max_per_field: usize,
    #[serde(default)]
    ascii_word_boundaries: bool,
    #[serde(default)]
    contains: Vec<String>,
    #[serde(default)]
    after: Option<String>,
}

fn twenty() -> usize {
    20
}

pub struct Pattern {
    /// The keys searched; empty for every field. A set: each record's
    /// every field is looked up, and comparing each with every prose key
    /// was a visible share of the check.
    fields: rustc_hash::FxHashSet<String>,
    /// The first bytes and lengths of the keys in `fields`.
    keys: KeyShapes,
    regex: Regex,
    label: Option<String>,
    max_per_field: usize,
    contains: Option<Contains>,
}

/// The first bytes of two or three words searched for byte for byte: a
/// text that holds none of them holds none of the words, and one `memchr`
/// over it says so, where each word's searcher was a call of its own.
/// `encoding-damage` looks for "??" and "\u{FFFD}" in every field of a
/// record (a hundred and fifty or so), most of which hold neither a "?"
/// nor the byte that starts "\u{FFFD}": the `pattern` checks went from 77
/// to 60 million instructions per 1,000 records.
#[derive(Clone, Copy)]
enum FirstBytes {
    /// One word, or an empty one, or more than three first bytes: each
    /// word's searcher alone.
    None,
    Two(u8, u8),
    Three(u8, u8, u8),
}

impl FirstBytes {
    fn of(words: &[String]) -> FirstBytes {
        let mut firsts: Vec<u8> = Vec::new();
        for w in words {
            let Some(&b) = w.as_bytes().first() else {
                return FirstBytes::None;
            };
            if !firsts.contains(&b) {
                firsts.push(b);
            }
        }
        if words.len() < 2 {
            return FirstBytes::None;
        }
        match firsts[..] {
            [a] => FirstBytes::Two(a, a),
            [a, b] => FirstBytes::Two(a, b),
            [a, b, c] => FirstBytes::Three(a, b, c),
            _ => FirstBytes::None,
        }
    }

    /// Whether the text may hold one of the words: false only when it
    /// holds none of their first bytes.
    fn may_hold(self, text: &[u8]) -> bool {
        match self {
            FirstBytes::None => true,
            FirstBytes::Two(a, b) if text.len() < 32 => holds_either(a, b, text),
            FirstBytes::Two(a, b) => memchr::memchr2(a, b, text).is_some(),
            FirstBytes::Three(a, b, c) => memchr::memchr3(a, b, c, text).is_some(),
        }
    }
}

/// Whether a short text holds byte `a` or byte `b`: what `memchr2` says,
/// eight bytes at a time (the last eight read again, overlapping, rather
/// than a byte at a time; a text of fewer than eight bytes byte for
/// byte). `encoding-damage` asks this of each of a record's hundred and
/// fifty or so fields, most of them short ("Recruiting", a city, a phone
/// number), where `memchr2`'s dispatch and its byte-by-byte loop under
/// sixteen bytes cost more than the search (the `pattern` checks: 42.0 →
/// 37.1 million instructions per 1,000 records). A test compares it with
/// `memchr2`.
fn holds_either(a: u8, b: u8, text: &[u8]) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    // whether some byte of `v` is zero: exact as a yes or no (the borrow
    // that can mark a byte above a zero one wrongly needs a zero below it)
    let zero = |v: u64| v.wrapping_sub(LO) & !v & HI != 0;
    let (pa, pb) = (LO * u64::from(a), LO * u64::from(b));
    let has = |c: &[u8]| {
        let v = u64::from_le_bytes(c.try_into().unwrap());
        zero(v ^ pa) || zero(v ^ pb)
    };
    let n = text.len();
    if n < 8 {
        return text.iter().any(|&x| x == a || x == b);
    }
    let mut i = 0;
    while i + 8 < n {
        if has(&text[i..i + 8]) {
            return true;
        }
        i += 8;
    }
    has(&text[n - 8..])
}

/// The first bytes and the lengths of a set of keys: a key whose first byte
/// or length none of them has is not among them, which two bit tests say
/// before the key is hashed. Two `pattern` checks read prose, fifteen keys
/// a record's hundred and fifty or so fields are looked up in: most fields
/// are a site's or a contact's ("location.city", "contact.phone"), whose
/// first letters no prose key has (the `pattern` checks: 60.0 → 54.9
/// million instructions per 1,000 records).
struct KeyShapes {
    first: [u64; 4],
    /// Bit `n` for a key of `n` bytes (`n` < 128).
    lengths: u128,
    /// Some key is 128 bytes or longer: lengths do not tell.
    long: bool,
}

impl KeyShapes {
    fn of<'k>(keys: impl IntoIterator<Item = &'k String>) -> KeyShapes {
        let mut shapes = KeyShapes {
            first: [0; 4],
            lengths: 0,
            long: false,
        };
        for k in keys {
            // an empty key: no first byte to tell it by
            let b = k.as_bytes().first().map_or(0, |&b| b);
            shapes.first[usize::from(b >> 6)] |= 1 << (b & 63);
            match k.len() {
                n @ 0..128 => shapes.lengths |= 1 << n,
                _ => shapes.long = true,
            }
        }
        shapes
    }

    /// False only for a key that is none of them.
    fn may_hold(&self, key: &str) -> bool {
        let b = key.as_bytes().first().map_or(0, |&b| b);
        self.first[usize::from(b >> 6)] & 1 << (b & 63) != 0
            && match key.len() {
                n @ 0..128 => self.lengths & 1 << n != 0,
                _ => self.long,
            }
    }
}

/// The `contains` prefilter: whether a field holds one of the words.
enum Contains {
    /// Words without an ASCII letter ("=", "10", "??"), each searched for
    /// byte for byte with its own `memmem` searcher. The automaton below
    /// found the same (it folds no case when no word has a letter), but
    /// its search costs a call's set-up on each of a record's hundred
    /// fields and, for "10", a restart at every digit: it was half of the
    /// `pattern` checks' instructions (38 of 77 million per 1,000
    /// records).
    Bytes(Vec<memchr::memmem::Finder<'static>>, FirstBytes, After),
    /// Words with a letter: one automaton that ignores ASCII case.
    Folded(aho_corasick::AhoCorasick),
}

/// The `after` parameter: characters one of which must come before a
/// `contains` word, with only white space between (what `\s` matches:
/// Unicode's `White_Space`, as `char::is_whitespace`).
///
/// `lost-superscript` searches fields that hold "10" for `[×x*]\s*10`
/// and `comparison-sign-lost` fields that hold "=" for `[:(]\s*=`: a
/// sixth of the prose fields holds "10" ("100", "2010", "10 mg"), one in
/// forty of them a "10" after a multiplication sign, and their patterns
/// ran over 2.8 MB of text per 1,000 records where these ran over 0.2 MB.
#[derive(Default)]
struct After(Option<Vec<char>>);

impl After {
    /// Whether the word at `at` of `text` comes after one of the
    /// characters.
    fn holds(&self, text: &str, at: usize) -> bool {
        let Some(set) = &self.0 else {
            return true;
        };
        // `at` starts a word that starts with a char of its own (the
        // words are whole strings), so it is a char boundary
        text[..at]
            .trim_end_matches(char::is_whitespace)
            .chars()
            .next_back()
            .is_some_and(|c| set.contains(&c))
    }
}

impl Contains {
    fn build(words: &[String], after: Option<&str>) -> Result<Contains, BuildError> {
        let letters = words
            .iter()
            .any(|w| w.bytes().any(|b| b.is_ascii_alphabetic()));
        if after.is_some() && (letters || words.iter().any(|w| w.is_empty())) {
            return Err(BuildError::Params(
                "`after` needs `contains` words, none of them with a letter".into(),
            ));
        }
        if letters {
            let ac = aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(words)
                .map_err(|e| BuildError::Params(format!("`contains`: {e}")))?;
            Ok(Contains::Folded(ac))
        } else {
            Ok(Contains::Bytes(
                words
                    .iter()
                    .map(|w| memchr::memmem::Finder::new(w.as_bytes()).into_owned())
                    .collect(),
                FirstBytes::of(words),
                After(after.map(|a| a.chars().collect())),
            ))
        }
    }

    fn is_match(&self, text: &str) -> bool {
        match self {
            Contains::Bytes(words, first, After(None)) => {
                first.may_hold(text.as_bytes())
                    && words.iter().any(|w| w.find(text.as_bytes()).is_some())
            }
            Contains::Bytes(words, first, after) => {
                first.may_hold(text.as_bytes())
                    && words.iter().any(|w| {
                        // every occurrence, overlapping ones too
                        let mut from = 0;
                        while let Some(k) = w.find(&text.as_bytes()[from..]) {
                            if after.holds(text, from + k) {
                                return true;
                            }
                            from += k + 1;
                        }
                        false
                    })
            }
            Contains::Folded(ac) => ac.is_match(text),
        }
    }
}

/// Field keys from a `fields` parameter, with unknown keys rejected.
pub fn field_keys(raw: &RawFields) -> Result<Vec<String>, BuildError> {
    let list = match raw {
        RawFields::One(s) => vec![s.clone()],
        RawFields::Many(v) => v.clone(),
    };
    if list.is_empty() {
        return Err(BuildError::Params(
            "`fields` must name at least one field key".into(),
        ));
    }
    expand_fields(&list).map_err(|bad| {
        BuildError::Params(format!(
            "unknown field key `{bad}` (a record key such as `brief_summary` or `arm.type`, or \"prose\" / \"all\")"
        ))
    })
}

/// Compile a regex parameter, naming it in the error.
pub fn regex_param(name: &str, re: &str) -> Result<Regex, BuildError> {
    crate::extract::user::user_regex(re).map_err(|e| {
        BuildError::Params(format!(
            "`{name}` is not a valid regular expression: {}",
            crate::extract::user::regex_error(&e)
        ))
    })
}

pub fn build(table: &toml::Table) -> Result<Box<dyn Kind>, BuildError> {
    Ok(Box::new(pattern(table)?))
}

fn pattern(table: &toml::Table) -> Result<Pattern, BuildError> {
    let p: Params = params(table)?;
    if p.after.is_some() && p.contains.is_empty() {
        return Err(BuildError::Params("`after` needs `contains`".into()));
    }
    let fields: rustc_hash::FxHashSet<String> = field_keys(&p.fields)?.into_iter().collect();
    Ok(Pattern {
        keys: KeyShapes::of(&fields),
        fields,
        regex: if p.ascii_word_boundaries {
            regex_param(
                "regex",
                &crate::extract::patterns::ascii_word_boundaries(&p.regex),
            )?
        } else {
            regex_param("regex", &p.regex)?
        },
        label: p.label,
        max_per_field: p.max_per_field.max(1),
        contains: if p.contains.is_empty() {
            None
        } else {
            Some(Contains::build(&p.contains, p.after.as_deref())?)
        },
    })
}

impl Kind for Pattern {
    fn run(&self, cx: &Context, out: &mut Vec<Draft>) {
        for field in &cx.record.fields {
            let wanted = self.fields.is_empty()
                || (self.keys.may_hold(&field.key) && self.fields.contains(field.key.as_ref()));
            if !wanted {
                continue;
            }
            let text = &field.text.text;
            if self.contains.as_ref().is_some_and(|ac| !ac.is_match(text)) {
                continue;
            }
            for c in self.regex.captures_iter(text).take(self.max_per_field) {
                let Some(m) = c.name("m").or_else(|| c.get(0)) else {
                    continue;
                };
                if m.as_str().is_empty() {
                    continue;
                }
                let what = key_label(&field.key);
                let place = format!("the {what}");
                let vars = vec![
                    ("match", m.as_str().to_string()),
                    ("field", what.clone()),
                    ("place", place.clone()),
                ];
                let label = match &self.label {
                    Some(t) => crate::check::render_template(t, &vars),
                    None => "here".to_string(),
                };
                out.push(Draft {
                    message: format!(
                        "{place} {} \"{}\"",
                        verb(&place, "contains", "contain"),
                        m.as_str()
                    ),
                    vars,
                    labels: vec![Label::primary(field.text.span(m.start(), m.end()), label)],
                    ..Draft::default()
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `holds_either` says what `memchr2` says, for every length under
    /// 32 and the byte pairs `encoding-damage` uses, on random bytes that
    /// are mostly neither (each length with one of them placed at random,
    /// and with none).
    #[test]
    fn holds_either_is_memchr2() {
        let mut rng = crate::testing::Xorshift::new(0x9e37_79b9_7f4a_7c15);
        let pairs = [(b'?', 0xEF), (b'?', b'?'), (0x00, 0xFF), (b'=', b'1')];
        let (mut yes, mut no) = (0, 0);
        for (a, b) in pairs {
            for n in 0..32 {
                for round in 0..200 {
                    let mut t: Vec<u8> = (0..n)
                        .map(|_| {
                            let x = rng.below(256) as u8;
                            if x == a || x == b {
                                x ^ 0x40
                            } else {
                                x
                            }
                        })
                        .collect();
                    if n > 0 && round % 2 == 0 {
                        let at = rng.below(n as u64) as usize;
                        t[at] = if round % 4 == 0 { a } else { b };
                    }
                    let want = memchr::memchr2(a, b, &t).is_some();
                    assert_eq!(holds_either(a, b, &t), want, "{a} {b} {t:?}");
                    if want {
                        yes += 1;
                    } else {
                        no += 1;
                    }
                }
            }
        }
        assert!(yes > 10_000 && no > 10_000, "{yes} {no}");
    }

    /// Every key of a set may be held; keys that differ from all of them
    /// in first byte or length are not (an empty key and one of 200
    /// bytes among them).
    #[test]
    fn key_shapes_hold_every_key_of_the_set() {
        let long = "x".repeat(200);
        let sets: Vec<Vec<String>> = vec![
            crate::record::keys::PROSE
                .iter()
                .map(|k| k.to_string())
                .collect(),
            vec!["".into(), "a".into(), long.clone()],
        ];
        for set in &sets {
            let shapes = KeyShapes::of(set);
            for k in set {
                assert!(shapes.may_hold(k), "{k:?}");
            }
        }
        let prose = KeyShapes::of(&sets[0]);
        for k in [
            "location.city",
            "contact.phone",
            "keyword",
            "arm.type",
            "",
            &long,
        ] {
            assert!(!prose.may_hold(k), "{k:?}");
        }
        let odd = KeyShapes::of(&sets[1]);
        for k in ["b", "ab", &"x".repeat(100), "y"] {
            assert!(!odd.may_hold(k), "{k:?}");
        }
        assert!(
            odd.may_hold(&"x".repeat(300)),
            "lengths past 127 are not told apart"
        );
    }

    /// The shipped checks with `after` skip no field their pattern matches
    /// in: on examples near their patterns (each sign, white space of one
    /// and more bytes, overlapping words), on random texts of such pieces
    /// and on the fixtures. The examples must match, so that the test
    /// cannot pass on a pattern that finds nothing.
    #[test]
    fn after_skips_no_field_with_a_match() {
        let checks = [
            include_str!("../../../checks/lost-superscript.toml"),
            include_str!("../../../checks/comparison-sign-lost.toml"),
        ];
        let examples = [
            "10×106 cells",
            "1.5 x 109/L",
            "1.0×10*6/kg",
            "2 X 108 copies",
            "3 *\u{2009}10\u{a0}*\u{a0}9 cfu",
            "5 ×\n\t1012/L",
            "x1010 5×1010/L",
            "(TBIL): = 1.5×ULN",
            "(LVEF): =50%",
            "(= 18 years old)",
            "ALT :\u{3000}=\u{2003}2.5 × ULN",
            "(\n= 7 days)",
        ];
        let pieces = [
            "1", "10", "0", "6", "9", "x", "X", "×", "*", " ", "\u{a0}", "\u{2009}", "\n", ":",
            "(", ")", "=", "mg", "/", "%", "cells", "a", ".", "=(",
        ];
        let mut texts: Vec<String> = examples.iter().map(|t| t.to_string()).collect();
        texts.extend(crate::extract::random_texts(
            &pieces,
            40_000,
            12,
            0x3c6e_f372_fe94_f82b,
        ));
        texts.extend(crate::extract::fixture_texts());
        let (mut matched, mut examples_matched) = (0, vec![false; examples.len()]);
        for check in checks {
            let table: toml::Table = toml::from_str(check).unwrap();
            let params = table["params"].as_table().unwrap();
            assert!(params.contains_key("after"));
            let p = pattern(params).unwrap();
            let gate = p.contains.as_ref().unwrap();
            for (k, t) in texts.iter().enumerate() {
                if p.regex.is_match(t) {
                    matched += 1;
                    if k < examples.len() {
                        examples_matched[k] = true;
                    }
                    assert!(gate.is_match(t), "{t:?}");
                }
            }
        }
        assert!(examples_matched.iter().all(|&m| m), "{examples_matched:?}");
        // the random texts and the fixtures match too
        assert!(matched > examples.len() + 50, "{matched}");
    }

    /// `after` finds a word after one of its characters, with white space
    /// between or not, also where an earlier occurrence of the word is not
    /// after one of them or overlaps it.
    #[test]
    fn after_finds_each_occurrence() {
        let c = Contains::build(&["??".to_string(), "10".to_string()], Some("x(")).unwrap();
        for (t, want) in [
            ("x10", true),
            ("x \u{2003}\n10", true),
            ("10 x10", true),
            ("y???", false),
            ("(???", true),
            ("?(??", true),
            ("(?x??", true),
            ("1 10 y10", false),
            ("x", false),
            ("x1 0", false),
            ("é10", false),
            ("x.10", false),
        ] {
            assert_eq!(c.is_match(t), want, "{t:?}");
        }
        assert!(Contains::build(&["a".to_string()], Some("x")).is_err());
    }

    /// The byte searchers find what the automaton they replace found, on
    /// words and texts made to be close (overlaps, non-ASCII bytes, the
    /// empty word).
    #[test]
    fn letter_free_words_are_found_as_the_automaton_found_them() {
        let lists: &[&[&str]] = &[
            &["="],
            &["10"],
            &["??", "\u{FFFD}"],
            &["1", "01", "0"],
            &[""],
            &["×", "x0"],
            &["=", "??", "\u{FFFD}"],
            &["0", "00", "=="],
            &["1", "2", "3", "="],
        ];
        let texts = [
            "",
            "=",
            "1",
            "0",
            "10",
            "01",
            "1 0",
            "x10",
            "×10",
            "?",
            "?x?",
            "a??",
            "\u{FFFD}",
            "\u{FFFC}",
            "é",
            "1×0",
            "x0",
            "X0",
            "==",
            "100",
            "a = 1",
            "?\u{FFFD}?",
        ];
        for words in lists {
            let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
            let c = Contains::build(&words, None).unwrap();
            let folded = words.iter().any(|w| w.contains('x'));
            assert_eq!(matches!(c, Contains::Folded(_)), folded, "{words:?}");
            // the automaton as it was built before
            let ac = aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(folded)
                .build(&words)
                .unwrap();
            for t in texts {
                assert_eq!(c.is_match(t), ac.is_match(t), "{words:?} in {t:?}");
            }
        }
    }
}
