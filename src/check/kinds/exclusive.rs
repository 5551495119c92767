//! `exclusive`: two term classes must not both describe the same thing
//! (MSCs from umbilical cord BLOOD in one place, from cord TISSUE in another).
//!
//! ```toml
//! kind = "exclusive"
//! [params]
//! a = "cell-source.cord-blood-msc"
//! b = "cell-source.cord-tissue-msc"
//! unless = ["cell-source.combination"]   # the record names both as two products
//! ```

use super::common::{join_and, place};
use super::{params, BuildError};
use crate::check::{Context, Draft, FactName, Kind, Label};
use crate::extract::Fact;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    a: FactName,
    b: FactName,
    #[serde(default)]
    unless: Vec<FactName>,
    /// Secondary labels shown at most (the rest are counted in a note).
    #[serde(default = "four")]
    max_labels: usize,
}

fn four() -> usize {
    4
}

pub struct Exclusive {
    p: Params,
}

pub fn build(table: &toml::Table) -> Result<Box<dyn Kind>, BuildError> {
    Ok(Box::new(Exclusive { p: params(table)? }))
}

/// Mentions written out in full first, then those read through a
/// definition (an abbreviation), each group in source order; one mention per
/// distinct wording comes before repeats, so labels show the variety.
fn explicit_first(mut v: Vec<&Fact>) -> Vec<&Fact> {
    let mut seen: Vec<String> = Vec::new();
    let mut firsts = Vec::new();
    let mut rest = Vec::new();
    v.sort_by_key(|f| (f.how.is_some(), f.span.start));
    for f in v {
        let key = f.quote.trim().to_lowercase();
        if seen.contains(&key) {
            rest.push(f);
        } else {
            seen.push(key);
            firsts.push(f);
        }
    }
    firsts.extend(rest);
    firsts
}

impl Kind for Exclusive {
    fn reads(&self) -> Vec<String> {
        let mut v = vec![self.p.a.to_string(), self.p.b.to_string()];
        v.extend(self.p.unless.iter().map(|n| n.to_string()));
        v
    }

    fn run(&self, cx: &Context, out: &mut Vec<Draft>) {
        let a = explicit_first(cx.facts(&self.p.a).iter().collect());
        let b = explicit_first(cx.facts(&self.p.b).iter().collect());
        if a.is_empty() || b.is_empty() || self.p.unless.iter().any(|u| !cx.facts(u).is_empty()) {
            return;
        }
        let mut labels = Vec::new();
        let a_term = a[0].quote.trim().to_string();
        let b_term = b[0].quote.trim().to_string();
        for (k, f) in a.iter().take(self.p.max_labels).enumerate() {
            let msg = format!("\"{}\" in {}", f.quote.trim(), place(cx, f));
            labels.push(if k == 0 {
                Label::primary(f.span, msg)
            } else {
                Label::secondary(f.span, msg)
            });
        }
        for f in b.iter().take(self.p.max_labels) {
            labels.push(Label::secondary(
                f.span,
                format!("\"{}\" in {}", f.quote.trim(), place(cx, f)),
            ));
        }
        let mut notes: Vec<String> = Vec::new();
        let hidden =
            a.len().saturating_sub(self.p.max_labels) + b.len().saturating_sub(self.p.max_labels);
        if hidden > 0 {
            notes.push(format!("{hidden} more mention(s) not labelled"));
        }
        // how abbreviations were read: one note, naming the other spellings
        let read: Vec<(&str, &str)> = a
            .iter()
            .take(self.p.max_labels)
            .chain(b.iter().take(self.p.max_labels))
            .filter_map(|f| f.how.as_deref().map(|h| (f.quote.trim(), h)))
            .collect();
        if let Some((_, first)) = read.first() {
            let others: Vec<String> = read[1..].iter().map(|(q, _)| format!("\"{q}\"")).collect();
            if others.is_empty() {
                notes.push(first.to_string());
            } else {
                notes.push(format!("{first}; likewise {}", join_and(&others)));
            }
        }
        let message = format!(
            "the record describes its product as \"{a_term}\" ({} mention{}) and as \"{b_term}\" ({} mention{})",
            a.len(),
            if a.len() == 1 { "" } else { "s" },
            b.len(),
            if b.len() == 1 { "" } else { "s" }
        );
        out.push(
            Draft {
                message,
                labels,
                notes,
                ..Draft::default()
            }
            .var("a", a_term)
            .var("b", b_term),
        );
    }
}
