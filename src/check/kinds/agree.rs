//! `agree`: every mention of one quantity must agree with the reference
//! value (structured enrollment vs counts stated in the text; structured age
//! limits vs ages in the criteria).
//!
//! ```toml
//! kind = "agree"
//! [params]
//! reference = "enrollment"                           # usually a structured fact
//! compare = ["enrollment.stated", "enrollment.groups"]
//! aggregate = "each"     # or "min" / "max": compare only the lowest / highest mention
//! tolerance = 0          # differences up to this are agreement
//! near = 0               # differences up to this are reported at `near_severity`
//! near_severity = "note"
//! skip_if_qualifier = "(?i)actual"   # optional: the reference field's qualifier
//!                                    # ("Actual" enrollment) makes text plans moot
//! ```

use super::common::{how_notes, number, place, ByPlace};
use super::{params, BuildError};
use crate::check::{Context, Draft, FactName, Kind, Label, Severity};
use crate::extract::Fact;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    reference: FactName,
    compare: Vec<FactName>,
    #[serde(default = "each")]
    aggregate: String,
    #[serde(default)]
    tolerance: f64,
    #[serde(default)]
    near: f64,
    #[serde(default)]
    near_severity: Option<String>,
    #[serde(default)]
    skip_if_qualifier: Option<String>,
}

fn each() -> String {
    "each".into()
}

pub struct Agree {
    p: Params,
    near_severity: Severity,
    skip_if_qualifier: Option<regex::Regex>,
}

pub fn build(table: &toml::Table) -> Result<Box<dyn Kind>, BuildError> {
    let p: Params = params(table)?;
    if !matches!(p.aggregate.as_str(), "each" | "min" | "max") {
        return Err(BuildError::Params(format!(
            "`aggregate` must be \"each\", \"min\" or \"max\", not {:?}",
            p.aggregate
        )));
    }
    if p.compare.is_empty() {
        return Err(BuildError::Params(
            "`compare` must name at least one fact".into(),
        ));
    }
    let near_severity = match &p.near_severity {
        None => Severity::Note,
        Some(s) => Severity::parse(s)
            .ok_or_else(|| BuildError::Params(format!("unknown `near_severity` {s:?}")))?,
    };
    let skip_if_qualifier = match &p.skip_if_qualifier {
        Some(r) => Some(
            regex::Regex::new(r)
                .map_err(|e| BuildError::Params(format!("bad `skip_if_qualifier` regex: {e}")))?,
        ),
        None => None,
    };
    Ok(Box::new(Agree {
        p,
        near_severity,
        skip_if_qualifier,
    }))
}

impl Kind for Agree {
    fn reads(&self) -> Vec<String> {
        let mut v = vec![self.p.reference.to_string()];
        v.extend(self.p.compare.iter().map(|n| n.to_string()));
        v
    }

    fn run(&self, cx: &Context, out: &mut Vec<Draft>) {
        let Some(reference) = cx
            .facts(&self.p.reference)
            .iter()
            .find(|f| number(&f.value).is_some())
        else {
            return;
        };
        if let Some(re) = &self.skip_if_qualifier {
            let q = cx
                .record
                .fields
                .get(reference.field)
                .and_then(|f| f.qualifier.as_ref());
            if q.is_some_and(|q| re.is_match(q.text.trim())) {
                return;
            }
        }
        let Some(ref_value) = number(&reference.value) else {
            return;
        };
        let mut mentions: Vec<&Fact> = self
            .p
            .compare
            .iter()
            .flat_map(|n| cx.facts(n))
            .filter(|f| number(&f.value).is_some() && f.span != reference.span)
            .collect();
        mentions.sort_by_key(|f| f.span.start);
        // With an aggregate, only the extreme mention speaks for the text
        // (criteria that give several age ranges for several cohorts).
        if self.p.aggregate != "each" && !mentions.is_empty() {
            let pick_min = self.p.aggregate == "min";
            let best = mentions
                .iter()
                .copied()
                .map(|f| (number(&f.value).unwrap_or(0.0), f))
                .fold(None::<(f64, &Fact)>, |acc, (v, f)| match acc {
                    Some((bv, _)) if (pick_min && v >= bv) || (!pick_min && v <= bv) => acc,
                    _ => Some((v, f)),
                });
            mentions = best.map(|(_, f)| vec![f]).unwrap_or_default();
        }
        let disagreeing: Vec<&Fact> = mentions
            .into_iter()
            .filter(|f| {
                (number(&f.value).unwrap_or(ref_value) - ref_value).abs() > self.p.tolerance + 1e-9
            })
            .collect();
        if disagreeing.is_empty() {
            return;
        }
        let all_near = disagreeing.iter().all(|f| {
            (number(&f.value).unwrap_or(ref_value) - ref_value).abs() <= self.p.near + 1e-9
        });

        let ref_text = reference.value.to_string();
        let mut labels = vec![Label::primary(
            reference.span,
            format!("{} is {}", place(cx, reference), ref_text),
        )];
        // "the brief summary states 40 and 2 groups × 23 = 46": one phrase per place
        let mut by_place = ByPlace::default();
        for f in &disagreeing {
            labels.push(Label::secondary(f.span, format!("{} stated here", f.value)));
            by_place.add(place(cx, f), f.value.to_string());
        }
        let by_place = by_place.into_list();
        let stated: Vec<String> = by_place
            .iter()
            .map(|(p, vs)| {
                format!(
                    "{p} {} {}",
                    super::common::verb(p, "states", "state"),
                    super::common::join_and(vs)
                )
            })
            .collect();
        let what = crate::record::keys::label(
            cx.record
                .fields
                .get(reference.field)
                .map(|f| f.key.as_ref())
                .unwrap_or(""),
        );
        let message = format!(
            "the {what} is {ref_text}, but {}",
            super::common::join_and(&stated)
        );
        let mut all: Vec<&Fact> = vec![reference];
        all.extend(disagreeing.iter().copied());
        let values: Vec<String> = disagreeing.iter().map(|f| f.value.to_string()).collect();
        out.push(
            Draft {
                message,
                labels,
                notes: how_notes(&all),
                demote_to: if all_near && self.p.near > 0.0 {
                    Some(self.near_severity)
                } else {
                    None
                },
                ..Draft::default()
            }
            .var("reference", ref_text)
            .var("what", what)
            .var("stated", super::common::join_and(&stated))
            .var("values", values.join(", ")),
        );
    }
}
