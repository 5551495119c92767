//! `required`: a field that must be present and not empty, optionally only
//! when a condition holds (see `implies` for conditions).
//!
//! ```toml
//! kind = "required"
//! message = "the record has no {field}"     # {field}
//! [params]
//! field = "brief_summary"
//! when = { field = "study_type", equals = "INTERVENTIONAL" }   # optional
//! empty_only = false         # optional: report only a field that is there but empty
//! ```
//!
//! A missing field gives a finding labelled at the `when` condition's
//! witness if there is one, else at the record's identifier (no label when
//! the record has none); an empty field (only white space) is labelled
//! where it is.

use super::common::{key_label, verb};
use super::implies::{conds, Cond, RawConds};
use super::{params, BuildError};
use crate::check::{Context, Draft, Kind, Label};
use crate::extract::user::known_key;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    field: String,
    #[serde(default)]
    when: Option<RawConds>,
    #[serde(default)]
    empty_only: bool,
}

pub struct Required {
    field: String,
    when: Vec<Cond>,
    empty_only: bool,
}

pub fn build(table: &toml::Table) -> Result<Box<dyn Kind>, BuildError> {
    let p: Params = params(table)?;
    if !known_key(&p.field) {
        return Err(BuildError::Params(format!(
            "unknown field key `{}` (a record key such as `brief_summary` or `arm.type`)",
            p.field
        )));
    }
    Ok(Box::new(Required {
        field: p.field,
        when: match &p.when {
            Some(w) => conds(w, "when")?,
            None => Vec::new(),
        },
        empty_only: p.empty_only,
    }))
}

impl Kind for Required {
    fn reads(&self) -> Vec<String> {
        self.when
            .iter()
            .filter_map(|c| c.fact().map(str::to_string))
            .collect()
    }

    fn run(&self, cx: &Context, out: &mut Vec<Draft>) {
        // Whether there is a finding is decided first (`Cond::holds` is
        // exactly whether `Cond::witnesses` lists a place): the field's
        // name, the list of its fields and the conditions' labels were
        // built for every record, and most records have the field.
        if !self.when.iter().all(|c| c.holds(cx)) {
            return;
        }
        let mut first = None;
        for f in cx.record.all(&self.field) {
            if !f.value().is_empty() {
                return;
            }
            first.get_or_insert(f);
        }
        if self.empty_only && first.is_none() {
            return;
        }
        let mut labels = Vec::new();
        for c in &self.when {
            let w = c.witnesses(cx);
            let Some(first) = w.first() else {
                return;
            };
            labels.push(Label::secondary(
                first.span,
                format!(
                    "the {} {} \"{}\"",
                    first.place,
                    verb(&first.place, "says", "say"),
                    first.text
                ),
            ));
        }
        let what = key_label(&self.field);
        let message = match first {
            Some(f) => {
                let empty = format!("the {what} {} empty", verb(&what, "is", "are"));
                labels.insert(0, Label::primary(f.span(), empty.clone()));
                empty
            }
            None => {
                match labels.first_mut() {
                    Some(l) => l.primary = true,
                    // Without a condition, point at the record's identifier
                    // so that the finding shows its file and record.
                    None => {
                        if let Some(id) = cx.record.get(crate::record::keys::ID) {
                            labels.push(Label::primary(
                                id.text.trimmed_view().whole_span(),
                                format!("this record has no {what}"),
                            ));
                        }
                    }
                }
                format!("the record has no {what}")
            }
        };
        out.push(
            Draft {
                message,
                labels,
                ..Draft::default()
            }
            .var("field", what),
        );
    }
}
