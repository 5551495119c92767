//! `bands`: categories a record lists must be the ones its numeric limits
//! cover. ClinicalTrials.gov's age groups (Child 0-17, Adult 18-64, Older
//! Adult 65+) against the minimum and maximum age: a minimum of 18 with
//! Child listed, or a maximum of 60 with Older Adult listed, or limits of 16
//! to 70 years without Child.
//!
//! ```toml
//! kind = "bands"
//! [params]
//! min = "age.min"            # facts with the limits (a number each)
//! max = "age.max"
//! listed = "age.group"       # the listed bands (a Str fact per band, its key below)
//! min_field = "min_age"      # optional: the record keys the limits are read from;
//! max_field = "max_age"      # a limit written with digits but not read skips the record
//! [params.bands.child]       # one table per band: values from `from` (inclusive)
//! from = 0                   # to `to` (exclusive; omit for no end)
//! to = 18
//! label = "Child"
//! range = "birth to 17 years"
//! ```
//!
//! A limit that is absent, or written without digits ("N/A", "None"), is no
//! limit; but a record that gives neither limit in any form (a page that
//! shows only the groups) is not checked. The bands the limits cover are those that overlap [min, max]
//! (the maximum counts as a whole unit: a maximum of 17 years does not
//! reach Adult at 18). Records that list no band are not checked. One
//! finding per record, when the listed bands and the covered bands differ.

use super::common::{join_and, number};
use super::{params, BuildError};
use crate::check::{Context, Draft, FactName, Kind, Label};
use crate::extract::{Fact, Value};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Band {
    from: f64,
    #[serde(default)]
    to: Option<f64>,
    label: String,
    range: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    min: FactName,
    max: FactName,
    listed: FactName,
    #[serde(default)]
    min_field: Option<String>,
    #[serde(default)]
    max_field: Option<String>,
    bands: BTreeMap<String, Band>,
}

pub struct Bands {
    p: Params,
    /// Band keys in the order of their ranges.
    order: Vec<String>,
}

pub fn build(table: &toml::Table) -> Result<Box<dyn Kind>, BuildError> {
    let p: Params = params(table)?;
    if p.bands.is_empty() {
        return Err(BuildError::Params(
            "`bands` must define at least one band".into(),
        ));
    }
    for (k, b) in &p.bands {
        if b.to.is_some_and(|t| t <= b.from) {
            return Err(BuildError::Params(format!(
                "band `{k}`: `to` must be above `from`"
            )));
        }
    }
    let mut order: Vec<String> = p.bands.keys().cloned().collect();
    order.sort_by(|a, b| p.bands[a].from.total_cmp(&p.bands[b].from));
    Ok(Box::new(Bands { p, order }))
}

/// A limit: its fact, or none; `Err` when the field holds a value with
/// digits that was not read (the record cannot be judged).
fn limit<'a>(
    cx: &Context<'a>,
    fact: &FactName,
    field: Option<&str>,
) -> Result<Option<&'a Fact>, ()> {
    if let Some(f) = cx.facts(fact).first() {
        return Ok(Some(f));
    }
    let unread = field.is_some_and(|k| {
        cx.record
            .all(k)
            .any(|f| f.value().bytes().any(|b| b.is_ascii_digit()))
    });
    if unread {
        Err(())
    } else {
        Ok(None)
    }
}

impl Kind for Bands {
    fn reads(&self) -> Vec<String> {
        vec![
            self.p.min.to_string(),
            self.p.max.to_string(),
            self.p.listed.to_string(),
        ]
    }

    fn run(&self, cx: &Context, out: &mut Vec<Draft>) {
        let listed = cx.facts(&self.p.listed);
        if listed.is_empty() {
            return;
        }
        let (Ok(min), Ok(max)) = (
            limit(cx, &self.p.min, self.p.min_field.as_deref()),
            limit(cx, &self.p.max, self.p.max_field.as_deref()),
        ) else {
            return;
        };
        // Neither limit given at all: a page that shows only the groups
        // ("Ages Eligible for Study: Adult, Older Adult") says nothing of
        // the limits, so "no limits" cannot be told from "not shown".
        let field_given = |k: &Option<String>| {
            k.as_deref()
                .is_some_and(|k| cx.record.all(k).next().is_some())
        };
        if min.is_none()
            && max.is_none()
            && !field_given(&self.p.min_field)
            && !field_given(&self.p.max_field)
        {
            return;
        }
        let lo = min
            .and_then(|f| number(&f.value))
            .unwrap_or(f64::NEG_INFINITY);
        let hi = max.and_then(|f| number(&f.value)).unwrap_or(f64::INFINITY);
        if lo > hi {
            return; // limits out of order: another check's business
        }
        let covers = |b: &Band| lo < b.to.unwrap_or(f64::INFINITY) && hi >= b.from;
        let key_of = |f: &Fact| match &f.value {
            Value::Str(s) | Value::Term(s) => Some(s.to_string()),
            _ => None,
        };
        let listed_keys: Vec<String> = listed.iter().filter_map(key_of).collect();
        let expected: Vec<&String> = self
            .order
            .iter()
            .filter(|k| covers(&self.p.bands[*k]))
            .collect();
        let extra: Vec<&Fact> = listed
            .iter()
            .filter(|f| key_of(f).is_some_and(|k| self.p.bands.get(&k).is_some_and(|b| !covers(b))))
            .collect();
        let missing: Vec<&String> = expected
            .iter()
            .copied()
            .filter(|k| !listed_keys.contains(k))
            .collect();
        if extra.is_empty() && missing.is_empty() {
            return;
        }
        let label = |k: &String| self.p.bands[k].label.clone();
        let limits = match (min, max) {
            (Some(a), Some(b)) => format!("{} to {}", a.quote.trim(), b.quote.trim()),
            (Some(a), None) => format!("{} and over", a.quote.trim()),
            (None, Some(b)) => format!("up to {}", b.quote.trim()),
            (None, None) => "no limits".to_string(),
        };
        let mut shown: Vec<String> = Vec::new();
        for f in listed {
            let name = key_of(f)
                .and_then(|k| self.p.bands.get(&k))
                .map(|b| b.label.clone())
                .unwrap_or_else(|| f.quote.trim().to_string());
            if !shown.contains(&name) {
                shown.push(name);
            }
        }
        let expected_labels: Vec<String> = expected.iter().map(|k| label(k)).collect();
        let mut problems: Vec<String> = Vec::new();
        for f in &extra {
            if let Some(b) = key_of(f).and_then(|k| self.p.bands.get(&k)) {
                problems.push(format!("{} is {}", b.label, b.range));
            }
        }
        for k in &missing {
            let b = &self.p.bands[*k];
            problems.push(format!("{} ({}) is not listed", b.label, b.range));
        }
        let message = format!(
            "the age groups are {}, but the age limits ({limits}) cover {}",
            join_and(&shown),
            if expected_labels.is_empty() {
                "none of them".to_string()
            } else {
                join_and(&expected_labels)
            }
        );
        let mut labels = Vec::new();
        let mut primary = true;
        for (f, what) in [(min, "minimum"), (max, "maximum")] {
            if let Some(f) = f {
                let text = format!("the {what} age is {}", f.value);
                labels.push(if primary {
                    Label::primary(f.span, text)
                } else {
                    Label::secondary(f.span, text)
                });
                primary = false;
            }
        }
        for f in listed {
            let text = match key_of(f).and_then(|k| self.p.bands.get(&k)) {
                Some(b) if !covers(b) => format!("{}: {}, outside the limits", b.label, b.range),
                _ => "listed".to_string(),
            };
            labels.push(if primary {
                Label::primary(f.span, text)
            } else {
                Label::secondary(f.span, text)
            });
            primary = false;
        }
        let mut notes = Vec::new();
        if min.is_none() {
            notes.push("no minimum age: read as no lower limit".to_string());
        }
        if max.is_none() {
            notes.push("no maximum age: read as no upper limit".to_string());
        }
        let mut all: Vec<&Fact> = min.into_iter().chain(max).collect();
        all.extend(listed.iter());
        for h in super::common::how_notes(&all) {
            notes.push(h);
        }
        out.push(
            Draft {
                message,
                labels,
                notes,
                ..Draft::default()
            }
            .var("groups", join_and(&shown))
            .var("limits", limits)
            .var("expected", join_and(&expected_labels))
            .var("problems", join_and(&problems)),
        );
    }
}
