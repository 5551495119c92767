//! `date-status`: dates whose Actual/Estimated status contradicts a
//! reference day: an "Actual" date in the future (after `--as-of`, or after
//! the record's last update), an "Estimated" date already in the past when
//! the record was last updated.
//!
//! ```toml
//! kind = "date-status"
//! [params]
//! facts = ["date.start", "date.primary-completion", "date.completion"]
//! status = "actual"          # which dates: "actual" or "estimated"
//! relation = "after"         # reported when the date is "after" / "before" the reference
//! reference = "as-of"        # "as-of", or a date fact such as "date.last-update-submitted",
//!                            # or a list of date facts: the first the record has is used
//! when_status = ["recruiting"]   # optional: only records with one of these overall statuses
//! min_days = 0               # the date must be beyond the reference by more than this
//! ```
//!
//! A date known only to the month counts as "after" only when its first day
//! is after the reference, and "before" only when its last day is.

use super::common::join_and;
use super::{params, BuildError};
use crate::check::{Context, Draft, FactName, Kind, Label};
use crate::extract::{Date, DateStatus, Fact, Value};
use crate::record::keys;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    facts: Vec<FactName>,
    status: String,
    relation: String,
    reference: Reference,
    #[serde(default)]
    when_status: Vec<String>,
    #[serde(default)]
    min_days: i64,
}

/// One reference, or date facts to try in order.
#[derive(Deserialize)]
#[serde(untagged)]
enum Reference {
    One(FactName),
    FirstOf(Vec<FactName>),
}

impl Reference {
    /// The facts named, without a copy (asked for every record).
    fn list(&self) -> &[FactName] {
        match self {
            Reference::One(s) => std::slice::from_ref(s),
            Reference::FirstOf(v) => v,
        }
    }
    fn is_as_of(&self) -> bool {
        matches!(self, Reference::One(s) if &**s == "as-of")
    }
}

pub struct DateStatusKind {
    p: Params,
    status: DateStatus,
}

pub fn build(table: &toml::Table) -> Result<Box<dyn Kind>, BuildError> {
    let p: Params = params(table)?;
    // numbered before any record is checked (see `Context::facts`)
    std::sync::LazyLock::force(&super::common::STATUS);
    let status = match p.status.as_str() {
        "actual" => DateStatus::Actual,
        "estimated" => DateStatus::Estimated,
        s => {
            return Err(BuildError::Params(format!(
                "`status` must be \"actual\" or \"estimated\", not {s:?}"
            )))
        }
    };
    if p.reference.list().is_empty() {
        return Err(BuildError::Params("`reference` names no date".into()));
    }
    if !matches!(p.relation.as_str(), "after" | "before") {
        return Err(BuildError::Params(format!(
            "`relation` must be \"after\" or \"before\", not {:?}",
            p.relation
        )));
    }
    Ok(Box::new(DateStatusKind { p, status }))
}

fn date(f: &Fact) -> Option<Date> {
    match f.value {
        Value::Date(d) => Some(d),
        _ => None,
    }
}

fn field_label(cx: &Context, f: &Fact) -> &'static str {
    keys::label(
        cx.record
            .fields
            .get(f.field)
            .map(|x| x.key.as_ref())
            .unwrap_or(""),
    )
}

impl Kind for DateStatusKind {
    fn reads(&self) -> Vec<String> {
        let mut v: Vec<String> = self.p.facts.iter().map(|n| n.to_string()).collect();
        if !self.p.reference.is_as_of() {
            v.extend(self.p.reference.list().iter().map(|n| n.to_string()));
        }
        // the status, which `when_status` tests and a label quotes
        v.push(crate::extract::names::STATUS.to_string());
        v
    }

    fn run(&self, cx: &Context, out: &mut Vec<Draft>) {
        let status_fact = cx.facts(&*super::common::STATUS).first();
        if !self.p.when_status.is_empty() {
            let Some(Value::Str(s)) = status_fact.map(|f| &f.value) else {
                return;
            };
            if !self.p.when_status.iter().any(|w| w == s) {
                return;
            }
        }
        // The reference is named (a date written out) only for a finding:
        // most records have none, and writing "today (2026-11-21)" for
        // each was most of this kind's allocations (with the set below and
        // the list of references copied for each record: 17 → 9.5 million
        // instructions per 1,000 records for the four checks).
        let (ref_day, ref_fact, ref_date) = if self.p.reference.is_as_of() {
            (cx.as_of, None, None)
        } else {
            let Some(f) = self
                .p
                .reference
                .list()
                .iter()
                .find_map(|r| cx.facts(r).first())
            else {
                return;
            };
            let Some(d) = date(f) else { return };
            // a reference known to the month: use its last day for "after"
            // and its first day for "before", so only certain cases count
            let day = if self.p.relation == "after" {
                d.last_day()
            } else {
                d.first_day()
            };
            let Some(day) = day else { return };
            (day, Some(f), Some(d))
        };
        let mut hits: Vec<(&Fact, Date, i64)> = Vec::new();
        // (fact name, date) already met: one label for a date repeated
        let mut reported = rustc_hash::FxHashSet::default();
        for name in &self.p.facts {
            for f in cx.facts(name) {
                let Some(d) = date(f) else { continue };
                if d.status != self.status {
                    continue;
                }
                let gap = if self.p.relation == "after" {
                    d.first_day().map(|x| (x - ref_day).num_days())
                } else {
                    d.last_day().map(|x| (ref_day - x).num_days())
                };
                // a page that repeats a date ("Est. completion date" in two
                // places) reports it once. Only dates reported are noted:
                // the gap is a function of the date, so a repeat of a date
                // not reported is not reported either, and most records
                // report none (a set filled for each was an allocation).
                if let Some(g) = gap {
                    if g > self.p.min_days && reported.insert((f.name.as_ref(), d)) {
                        hits.push((f, d, g));
                    }
                }
            }
        }
        if hits.is_empty() {
            return;
        }
        let ref_name = match (ref_fact, ref_date) {
            (Some(f), Some(d)) => format!("the {} ({d})", field_label(cx, f)),
            _ => format!("today ({})", cx.as_of),
        };
        let status_word = if self.status == DateStatus::Actual {
            "actual"
        } else {
            "estimated"
        };
        let rel = if self.p.relation == "after" {
            "after"
        } else {
            "before"
        };
        let parts: Vec<String> = hits
            .iter()
            .map(|(f, d, _)| format!("the {} {d}", field_label(cx, f)))
            .collect();
        let message = format!(
            "{} {} {status_word} but {rel} {ref_name}",
            join_and(&parts),
            if hits.len() == 1 { "is" } else { "are" }
        );
        let mut labels = Vec::new();
        for (k, (f, d, g)) in hits.iter().enumerate() {
            let msg = format!(
                "{status_word}: {d}, {g} days {rel} {}",
                if ref_fact.is_some() { "it" } else { "today" }
            );
            labels.push(if k == 0 {
                Label::primary(f.span, msg)
            } else {
                Label::secondary(f.span, msg)
            });
        }
        if let Some(rf) = ref_fact {
            labels.push(Label::secondary(
                rf.span,
                format!(
                    "{}: {}",
                    field_label(cx, rf),
                    date(rf).map(|d| d.to_string()).unwrap_or_default()
                ),
            ));
        }
        if let Some(sf) = status_fact {
            if !self.p.when_status.is_empty() {
                labels.push(Label::secondary(
                    sf.span,
                    format!("status: {}", sf.quote.trim()),
                ));
            }
        }
        let max_gap = hits.iter().map(|h| h.2).max().unwrap_or(0);
        out.push(
            Draft {
                message,
                labels,
                ..Draft::default()
            }
            .var("dates", join_and(&parts))
            .var("reference", ref_name)
            .var("gap_days", max_gap.to_string()),
        );
    }
}
