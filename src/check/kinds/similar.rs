//! `similar`: two values that differ by a slip (phone numbers one digit
//! apart; organisation names one letter apart: "Drum Towel" / "Drum Tower").
//!
//! ```toml
//! kind = "similar"
//! [params]
//! facts = ["contact.phone"]
//! max_distance = 1     # edits (digits: substitutions between equal-length numbers)
//! min_length = 8       # shorter values are too easily close by chance
//! position = "any"    # digits only: "first-half" counts a difference only in
//!                      # the first half of the number (country and area code);
//!                      # colleagues' direct lines differ in their last digits
//! mode = "auto"        # "auto": digits or whole text; "words": one word of a
//!                      # name one edit from a word of another name, with the
//!                      # same word before or after it ("Drum Towel Hospital"
//!                      # / "Drum Tower Hospital")
//! ```

use super::common::owner_name;
use super::{params, BuildError};
use crate::check::{Context, Draft, Kind, Label};
use crate::extract::{Fact, Value};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    facts: Vec<String>,
    #[serde(default = "one")]
    max_distance: usize,
    #[serde(default = "eight")]
    min_length: usize,
    #[serde(default = "auto")]
    mode: String,
    #[serde(default = "any")]
    position: String,
}

fn any() -> String {
    "any".into()
}

fn auto() -> String {
    "auto".into()
}

fn one() -> usize {
    1
}
fn eight() -> usize {
    8
}

pub struct Similar {
    p: Params,
}

pub fn build(table: &toml::Table) -> Result<Box<dyn Kind>, BuildError> {
    let p: Params = params(table)?;
    if !matches!(p.position.as_str(), "any" | "first-half") {
        return Err(BuildError::Params(format!(
            "`position` must be \"any\" or \"first-half\", not {:?}",
            p.position
        )));
    }
    if !matches!(p.mode.as_str(), "auto" | "words") {
        return Err(BuildError::Params(format!(
            "`mode` must be \"auto\" or \"words\", not {:?}",
            p.mode
        )));
    }
    Ok(Box::new(Similar { p }))
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

/// A word of `a` and a word of `b` one edit apart (not a plural), with an
/// equal neighbour: the words that differ, as written in lower case.
fn word_slip(a: &str, b: &str, min_len: usize, max_distance: usize) -> Option<(String, String)> {
    let (wa, wb) = (words(a), words(b));
    for (i, x) in wa.iter().enumerate() {
        if x.chars().count() < min_len || wb.contains(x) {
            continue;
        }
        for (j, y) in wb.iter().enumerate() {
            if y.chars().count() < min_len || wa.contains(y) {
                continue;
            }
            if format!("{x}s") == *y
                || format!("{y}s") == *x
                || x.chars().any(|c| c.is_ascii_digit())
            {
                continue;
            }
            let d = strsim::levenshtein(x, y);
            if d == 0 || d > max_distance {
                continue;
            }
            // "oncología" / "oncologia": a spelling variant, not a slip
            if fold_accents(x) == fold_accents(y) {
                continue;
            }
            let before = i > 0 && j > 0 && wa[i - 1] == wb[j - 1];
            let after = i + 1 < wa.len() && j + 1 < wb.len() && wa[i + 1] == wb[j + 1];
            // A slip at the first or last letter is also how languages
            // inflect and truncate ("centro" / "centre", "universitario" /
            // "universitari", "lake" / "wake"): then both neighbours must be
            // the same ("Drum Towel Hospital" / "Drum Tower Hospital").
            let edge = x.chars().next() != y.chars().next()
                || x.chars().next_back() != y.chars().next_back();
            if (edge && before && after) || (!edge && (before || after)) {
                return Some((x.clone(), y.clone()));
            }
        }
    }
    None
}

/// Lower-case letters without their accents (Latin letters only).
fn fold_accents(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' | 'č' | 'ć' => 'c',
            'ğ' => 'g',
            'ı' => 'i',
            'ş' | 'ș' | 'š' | 'ś' => 's',
            'ț' | 'ţ' => 't',
            'ă' => 'a',
            'ž' | 'ź' | 'ż' => 'z',
            'ł' => 'l',
            'ñ' => 'n',
            'ý' | 'ÿ' => 'y',
            c => c,
        })
        .collect()
}

fn value(f: &Fact) -> Option<&str> {
    match &f.value {
        Value::Str(s) | Value::Term(s) => Some(s),
        _ => None,
    }
}

/// Distance between two values: substitutions for equal-length digit
/// strings (a mistyped digit), edit distance for other text.
fn distance(a: &str, b: &str) -> usize {
    let digits = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
    if digits(a) && digits(b) {
        if a.len() != b.len() {
            return usize::MAX;
        }
        return a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).count();
    }
    strsim::levenshtein(&a.to_lowercase(), &b.to_lowercase())
}

impl Similar {
    /// With `position = "first-half"`, whether a one-digit difference between
    /// two digit strings is where a slip sends calls astray (country or area
    /// code) rather than in the last digits, where colleagues' lines differ;
    /// and not a trunk prefix written for "+" ("8926..." / "+7926...").
    fn digit_slip_counts(&self, a: &str, b: &str, fa: &Fact, fb: &Fact) -> bool {
        if self.p.position != "first-half"
            || a.len() != b.len()
            || !a.bytes().all(|c| c.is_ascii_digit())
        {
            return true;
        }
        let Some(i) = a.bytes().zip(b.bytes()).position(|(x, y)| x != y) else {
            return true;
        };
        let intl = |f: &Fact| {
            let q = f.quote.trim_start();
            q.starts_with('+') || q.starts_with("00")
        };
        if i == 0 && intl(fa) != intl(fb) {
            return false;
        }
        i < a.len() / 2
    }

    fn run_words(&self, facts: &[&Fact], out: &mut Vec<Draft>) {
        let mut seen: Vec<(String, String)> = Vec::new();
        for i in 0..facts.len() {
            for j in i + 1..facts.len() {
                let (Some(a), Some(b)) = (value(facts[i]), value(facts[j])) else {
                    continue;
                };
                let Some((x, y)) = word_slip(a, b, 4, self.p.max_distance) else {
                    continue;
                };
                let key = if x < y {
                    (x.clone(), y.clone())
                } else {
                    (y.clone(), x.clone())
                };
                if seen.contains(&key) {
                    continue;
                }
                seen.push(key);
                let (fa, fb) = (facts[i], facts[j]);
                out.push(
                    Draft {
                        message: format!("\"{x}\" and \"{y}\" in two names of what looks like one organisation: one is probably a typo"),
                        labels: vec![
                            Label::primary(fa.span, format!("\"{x}\" here")),
                            Label::secondary(fb.span, format!("\"{y}\" here")),
                        ],
                        notes: vec![format!("\"{}\" and \"{}\" differ only in these words", fa.quote.trim(), fb.quote.trim())],
                        ..Draft::default()
                    }
                    .var("a", x)
                    .var("b", y),
                );
            }
        }
    }
}

impl Kind for Similar {
    fn reads(&self) -> Vec<String> {
        self.p.facts.clone()
    }

    fn run(&self, cx: &Context, out: &mut Vec<Draft>) {
        for name in &self.p.facts {
            let facts = cx.facts(name);
            // distinct values, each with its first occurrence
            let mut distinct: Vec<(&str, &Fact)> = Vec::new();
            for f in &facts {
                if let Some(v) = value(f) {
                    if v.chars().count() >= self.p.min_length
                        && !distinct.iter().any(|(w, _)| *w == v)
                    {
                        distinct.push((v, f));
                    }
                }
            }
            if self.p.mode == "words" {
                self.run_words(&facts, out);
                continue;
            }
            for i in 0..distinct.len() {
                for j in i + 1..distinct.len() {
                    let (a, fa) = distinct[i];
                    let (b, fb) = distinct[j];
                    let d = distance(a, b);
                    if d == 0 || d > self.p.max_distance {
                        continue;
                    }
                    if !self.digit_slip_counts(a, b, fa, fb) {
                        continue;
                    }
                    let who = |f: &Fact| {
                        owner_name(cx, f)
                            .map(|n| format!(" for {n}"))
                            .unwrap_or_default()
                    };
                    let message = match a.bytes().zip(b.bytes()).position(|(x, y)| x != y) {
                        Some(k) if d == 1 && a.bytes().all(|c| c.is_ascii_digit()) && a.len() == b.len() => format!(
                            "the phone numbers \"{}\" and \"{}\" differ only in digit {} ({} / {}): one is probably a typo of the other",
                            fa.quote.trim(),
                            fb.quote.trim(),
                            k + 1,
                            &a[k..k + 1],
                            &b[k..k + 1]
                        ),
                        _ => format!(
                            "\"{}\" and \"{}\" differ by {} character{}: one is probably a typo of the other",
                            fa.quote.trim(),
                            fb.quote.trim(),
                            d,
                            if d == 1 { "" } else { "s" }
                        ),
                    };
                    out.push(
                        Draft {
                            message,
                            labels: vec![
                                Label::primary(
                                    fb.span,
                                    format!("\"{}\"{}", fb.quote.trim(), who(fb)),
                                ),
                                Label::secondary(
                                    fa.span,
                                    format!("\"{}\"{}", fa.quote.trim(), who(fa)),
                                ),
                            ],
                            notes: vec![format!("compared as \"{a}\" and \"{b}\"")],
                            ..Draft::default()
                        }
                        .var("a", fa.quote.trim())
                        .var("b", fb.quote.trim()),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_slips_need_a_shared_neighbour() {
        let a = "Reproductive Medicine Center, The affiliated Drum Towel Hospital of Nanjing University Medical School";
        let b = "The Affiliated Nanjing Drum Tower Hospital of Nanjing University Medical School";
        assert_eq!(
            word_slip(a, b, 4, 1),
            Some(("towel".into(), "tower".into()))
        );
        assert_eq!(
            word_slip("Linyi Central Hospital", "Linyi People's Hospital", 4, 1),
            None
        );
        assert_eq!(
            word_slip("Children's Hospital", "Childrens Hospital", 4, 1),
            None
        );
        assert_eq!(word_slip("Mayo Clinic", "Mayo Clinics", 4, 1), None);
        assert_eq!(
            word_slip("Instituto de Oncología", "Instituto de Oncologia", 4, 1),
            None
        );
        assert_eq!(word_slip("Centro Medico", "Centre Medico", 4, 1), None);
        assert_eq!(
            word_slip("Ohio State University", "Ohio State Universtity", 4, 1),
            Some(("university".into(), "universtity".into()))
        );
    }
}
