//! `defined-term`: within one entity, the body must speak of what the title
//! names. An outcome titled "... Sexual Quality of Life Questionnaire
//! (SQoL-M)" whose description says "IIEF includes 11 items" describes
//! another outcome's instrument.
//!
//! ```toml
//! kind = "defined-term"
//! [params]
//! title = "outcome.measure"
//! body = "outcome.description"
//! ```
//!
//! Terms are abbreviations defined in parentheses in any title of the record
//! ("International Index of Erectile Function (IIEF)"). Reported when the
//! body names another entity's term (one its own title does not name) and
//! none of its own, the two terms are
//! not one inside the other ("IIEF" / "IIEF-EF", "HDL-C" / "Non-HDL-C"), and
//! the body looks copied from the other entity's body: at least
//! `min_copy_similarity` of their words are shared (Jaccard, 0 turns the
//! test off). Without the copy test most findings are one measure defined
//! through another ("Minimal symptom expression (MSE): MG-ADL of 0 or 1").
//!
//! ```toml
//! min_copy_similarity = 0.5   # optional, default 0.5
//! ```

use super::{params, BuildError};
use crate::check::{Context, Draft, Kind, Label};
use regex::Regex;
use serde::Deserialize;
use std::sync::LazyLock;

/// An abbreviation in parentheses: 2-12 characters, at least two capitals.
static DEFINED: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"\(([A-Za-z0-9][A-Za-z0-9\-]{1,11})\)").unwrap()
});

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    title: String,
    body: String,
    #[serde(default = "half")]
    min_copy_similarity: f64,
}

fn half() -> f64 {
    0.5
}

/// Shared words of two texts over all their words (lower-cased).
fn word_similarity(a: &str, b: &str) -> f64 {
    let words = |s: &str| -> std::collections::BTreeSet<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| w.to_lowercase())
            .collect()
    };
    let (x, y) = (words(a), words(b));
    let union = x.union(&y).count();
    if union == 0 {
        return 0.0;
    }
    x.intersection(&y).count() as f64 / union as f64
}

/// One term inside the other ("IIEF" / "IIEF-EF", "PRO" / "PROs").
fn nested(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    a.contains(&b) || b.contains(&a)
}

pub struct DefinedTerm {
    p: Params,
}

pub fn build(table: &toml::Table) -> Result<Box<dyn Kind>, BuildError> {
    Ok(Box::new(DefinedTerm { p: params(table)? }))
}

fn is_abbreviation(s: &str) -> bool {
    s.chars().filter(|c| c.is_ascii_uppercase()).count() >= 2
        && !s.chars().all(|c| c.is_ascii_digit() || c == '-')
}

/// Whole-word occurrences of `term` in `text`.
fn find_word(text: &str, term: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(term) {
        let s = from + i;
        let e = s + term.len();
        let before = text[..s]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after = text[e..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric() && c != '-');
        if before && after {
            return Some(s);
        }
        from = e;
    }
    None
}

impl Kind for DefinedTerm {
    fn run(&self, cx: &Context, out: &mut Vec<Draft>) {
        // (entity, term, title field index, offset) for every defined term
        let mut defined: Vec<(usize, String, usize, usize)> = Vec::new();
        for (i, f) in cx.record.fields.iter().enumerate() {
            if f.key != self.p.title {
                continue;
            }
            let Some(e) = f.entity else { continue };
            for c in DEFINED.captures_iter(&f.text.text) {
                let Some(m) = c.get(1) else { continue };
                if is_abbreviation(m.as_str()) {
                    defined.push((e, m.as_str().to_string(), i, m.start()));
                }
            }
        }
        for f in cx.record.fields.iter().filter(|f| f.key == self.p.body) {
            let Some(e) = f.entity else { continue };
            let own: Vec<&(usize, String, usize, usize)> =
                defined.iter().filter(|d| d.0 == e).collect();
            if own.is_empty() || own.iter().any(|d| find_word(&f.text.text, &d.1).is_some()) {
                continue;
            }
            let body_of = |entity: usize| {
                cx.record
                    .fields
                    .iter()
                    .find(|g| g.key == self.p.body && g.entity == Some(entity))
                    .map(|g| g.text.text.as_str())
            };
            // the entity's own titles: a term they also name is its own too
            let own_titles: Vec<&str> = cx
                .record
                .fields
                .iter()
                .filter(|g| g.key == self.p.title && g.entity == Some(e))
                .map(|g| g.text.text.as_str())
                .collect();
            let Some((other, at)) = defined
                .iter()
                .filter(|d| d.0 != e && !own.iter().any(|o| o.1 == d.1 || nested(&o.1, &d.1)))
                .filter(|d| !own_titles.iter().any(|t| find_word(t, &d.1).is_some()))
                .filter(|d| {
                    self.p.min_copy_similarity <= 0.0
                        || body_of(d.0).is_some_and(|b| {
                            word_similarity(b, &f.text.text) >= self.p.min_copy_similarity
                        })
                })
                .find_map(|d| find_word(&f.text.text, &d.1).map(|at| (d, at)))
            else {
                continue;
            };
            let own_term = &own[0];
            let own_field = &cx.record.fields[own_term.2];
            let other_field = &cx.record.fields[other.2];
            out.push(
                Draft {
                    message: format!("an outcome titled with \"{}\" is described in terms of \"{}\", the instrument of another outcome", own_term.1, other.1),
                    labels: vec![
                        Label::primary(f.text.span(at, at + other.1.len()), format!("\"{}\" here", other.1)),
                        Label::secondary(own_field.text.span(own_term.3, own_term.3 + own_term.1.len()), "this outcome's instrument"),
                        Label::secondary(other_field.text.span(other.3, other.3 + other.1.len()), format!("\"{}\" is defined for this outcome", other.1)),
                    ],
                    notes: vec!["the description was probably copied from another outcome and not edited".into()],
                    ..Draft::default()
                }
                .var("title_term", own_term.1.clone())
                .var("body_term", other.1.clone()),
            );
        }
    }
}
