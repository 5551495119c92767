//! `similar`: two values that differ by a slip (phone numbers one digit
//! apart; organisation names one letter apart: "Drum Towel" / "Drum Tower").
//!
//! ```toml
//! kind = "similar"
//! [params]
//! facts = ["contact.phone"]
//! max_distance = 1     # edits (digits: substitutions between equal-length numbers)
//! min_length = 8       # shorter values are too easily close by chance
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
    Ok(Box::new(Similar { p: params(table)? }))
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
            for i in 0..distinct.len() {
                for j in i + 1..distinct.len() {
                    let (a, fa) = distinct[i];
                    let (b, fb) = distinct[j];
                    let d = distance(a, b);
                    if d == 0 || d > self.p.max_distance {
                        continue;
                    }
                    let who = |f: &Fact| {
                        owner_name(cx, f)
                            .map(|n| format!(" for {n}"))
                            .unwrap_or_default()
                    };
                    let message = format!(
                        "\"{}\" and \"{}\" differ by {} character{}: one is probably a typo of the other",
                        fa.quote.trim(),
                        fb.quote.trim(),
                        d,
                        if d == 1 { "" } else { "s" }
                    );
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
