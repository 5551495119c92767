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

use super::common::place;
use super::{params, BuildError};
use crate::check::{Context, Draft, Kind, Label};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    a: String,
    b: String,
    #[serde(default)]
    unless: Vec<String>,
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

impl Kind for Exclusive {
    fn reads(&self) -> Vec<String> {
        let mut v = vec![self.p.a.clone(), self.p.b.clone()];
        v.extend(self.p.unless.iter().cloned());
        v
    }

    fn run(&self, cx: &Context, out: &mut Vec<Draft>) {
        let a = cx.facts(&self.p.a);
        let b = cx.facts(&self.p.b);
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
        for f in a.iter().chain(b.iter()) {
            if let Some(h) = &f.how {
                if !notes.contains(h) {
                    notes.push(h.clone());
                }
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
