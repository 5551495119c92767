//! `schedule`: one schedule written in two units must convert. A record that
//! gives a group's infusions as "day 180 ± 14 and day 270 ± 14" in the
//! description and as "Study Month 7, and Study Month 10" in the arm (day
//! 180 is month 6) contradicts itself about when the visits are.
//!
//! ```toml
//! kind = "schedule"
//! [params]
//! within_owner = ["schedule.outcome"]   # lists compared within one owner (one outcome;
//!                                       # lists without an owner are not compared)
//! within_record = ["schedule.design"]   # lists compared across the whole record
//! ```
//!
//! Two lists (Schedule facts) are taken to describe the same visits in two
//! units, and reported, only when all of these hold:
//!
//! - they are in different units and have the same number of points (two or more);
//! - they are evenly matched: each gap between consecutive points converts
//!   (90 days and 3 months), so one list is the other moved in time;
//! - every point disagrees: no day that "day 180" can mean is a day "month
//!   7" can mean (a day is ±1 for day 0 / day 1 conventions, a week is its
//!   first to last day, a month 28 to 31 days, a year 48 weeks to 366
//!   days, each ±3 days or so);
//! - the shift between them is less than half the smallest gap, so each
//!   point is nearer its counterpart than any other visit (a schedule
//!   "days 1 and 8" of a cycle that starts "weeks 9 and 10" is relative, not
//!   a conversion);
//! - neither list converts correctly to some other list of the same group
//!   (then the record states both schedules, and it is not clear which
//!   one the odd list describes).

use super::common::{join_and, place, verb};
use super::{params, BuildError};
use crate::check::{Context, Draft, FactName, Kind, Label};
use crate::extract::schedule::{Schedule, TimeUnit};
use crate::extract::{Fact, Value};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    #[serde(default)]
    within_owner: Vec<FactName>,
    #[serde(default)]
    within_record: Vec<FactName>,
}

pub struct ScheduleKind {
    p: Params,
}

pub fn build(table: &toml::Table) -> Result<Box<dyn Kind>, BuildError> {
    let p: Params = params(table)?;
    if p.within_owner.is_empty() && p.within_record.is_empty() {
        return Err(BuildError::Params(
            "name at least one fact in `within_owner` or `within_record`".into(),
        ));
    }
    Ok(Box::new(ScheduleKind { p }))
}

fn overlaps(a: (f64, f64), b: (f64, f64)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

/// Every point of `a` can mean a day its counterpart in `b` can mean.
pub fn converts(a: &Schedule, b: &Schedule) -> bool {
    a.at.len() == b.at.len()
        && a.at
            .iter()
            .zip(&b.at)
            .all(|(x, y)| overlaps(a.unit.day_range(*x), b.unit.day_range(*y)))
}

fn gaps(s: &Schedule) -> Vec<f64> {
    s.at.windows(2).map(|w| w[1] - w[0]).collect()
}

/// `a` and `b` look like one schedule converted wrongly (see the module docs).
pub fn misconverted(a: &Schedule, b: &Schedule) -> bool {
    if a.unit == b.unit || a.at.len() != b.at.len() || a.at.len() < 2 {
        return false;
    }
    let (ga, gb) = (gaps(a), gaps(b));
    if !ga
        .iter()
        .zip(&gb)
        .all(|(x, y)| overlaps(a.unit.day_range(*x), b.unit.day_range(*y)))
    {
        return false;
    }
    if a.at
        .iter()
        .zip(&b.at)
        .any(|(x, y)| overlaps(a.unit.day_range(*x), b.unit.day_range(*y)))
    {
        return false;
    }
    let days =
        |s: &Schedule| -> Vec<f64> { s.at.iter().map(|n| n * s.unit.nominal_days()).collect() };
    let (da, db) = (days(a), days(b));
    let shift = da.iter().zip(&db).map(|(x, y)| y - x).sum::<f64>() / da.len() as f64;
    let min_gap = ga
        .iter()
        .map(|g| g * a.unit.nominal_days())
        .chain(gb.iter().map(|g| g * b.unit.nominal_days()))
        .fold(f64::INFINITY, f64::min);
    shift.abs() < min_gap / 2.0
}

fn schedule(f: &Fact) -> Option<&Schedule> {
    match &f.value {
        Value::Schedule(s) => Some(s),
        _ => None,
    }
}

/// "day 180 is about month 5.9".
fn in_unit(n: f64, from: TimeUnit, to: TimeUnit) -> String {
    let v = n * from.nominal_days() / to.nominal_days();
    let shown = if to == TimeUnit::Day || (v - v.round()).abs() < 0.05 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    };
    format!("{} {}", to.name(), shown)
}

impl ScheduleKind {
    fn group(&self, cx: &Context, facts: &[&Fact], out: &mut Vec<Draft>) {
        let mut reported: Vec<(Schedule, Schedule)> = Vec::new();
        for (i, fa) in facts.iter().enumerate() {
            let Some(a) = schedule(fa) else { continue };
            for fb in &facts[i + 1..] {
                let Some(b) = schedule(fb) else { continue };
                if !misconverted(a, b) {
                    continue;
                }
                let explained = |s: &Schedule| {
                    facts
                        .iter()
                        .filter_map(|f| schedule(f))
                        .any(|o| o.unit != s.unit && converts(s, o))
                };
                if explained(a) || explained(b) {
                    continue;
                }
                if reported
                    .iter()
                    .any(|(x, y)| (x == a && y == b) || (x == b && y == a))
                {
                    continue;
                }
                reported.push((a.clone(), b.clone()));
                out.push(draft(cx, fa, a, fb, b));
            }
        }
    }
}

fn draft(cx: &Context, fa: &Fact, a: &Schedule, fb: &Fact, b: &Schedule) -> Draft {
    let (pa, pb) = (place(cx, fa), place(cx, fb));
    let (qa, qb) = (one_line(&fa.quote), one_line(&fb.quote));
    let converted: Vec<String> =
        a.at.iter()
            .zip(&b.at)
            .map(|(x, y)| {
                format!(
                    "{} {} is about {}, not {} {}",
                    a.unit.name(),
                    fmt_num(*x),
                    in_unit(*x, a.unit, b.unit),
                    b.unit.name(),
                    fmt_num(*y)
                )
            })
            .collect();
    let same_place = pa == pb;
    let message = if same_place {
        format!(
            "{pa} {} the same schedule as \"{qa}\" and as \"{qb}\", but they do not convert: {}",
            verb(&pa, "gives", "give"),
            converted[0]
        )
    } else {
        format!(
            "{pa} {} \"{qa}\", but {pb} {} the same schedule as \"{qb}\": {}",
            verb(&pa, "gives", "give"),
            verb(&pb, "gives", "give"),
            converted[0]
        )
    };
    let labels = vec![
        Label::primary(fa.span, format!("{} here", a.describe())),
        Label::secondary(
            fb.span,
            format!(
                "{} here: about {}",
                b.describe(),
                join_and(
                    &b.at
                        .iter()
                        .map(|y| in_unit(*y, b.unit, a.unit))
                        .collect::<Vec<_>>()
                )
            ),
        ),
    ];
    let mut notes = Vec::new();
    for f in [fa, fb] {
        if let Some(h) = &f.how {
            if !notes.contains(h) {
                notes.push(h.clone());
            }
        }
    }
    notes.push(format!(
        "the gaps between the points agree, so both describe the same visits; {}",
        converted.join("; ")
    ));
    Draft {
        message,
        labels,
        notes,
        ..Draft::default()
    }
    .var("first", qa)
    .var("first_place", pa.trim_start_matches("the ").to_string())
    .var("second", qb)
    .var("second_place", pb.trim_start_matches("the ").to_string())
    .var("conversion", converted.join("; "))
}

fn fmt_num(n: f64) -> String {
    if (n - n.round()).abs() < 1e-9 {
        format!("{}", n.round() as i64)
    } else {
        format!("{n}")
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Kind for ScheduleKind {
    fn reads(&self) -> Vec<String> {
        let mut v: Vec<String> = self.p.within_owner.iter().map(|n| n.to_string()).collect();
        v.extend(self.p.within_record.iter().map(|n| n.to_string()));
        v
    }

    fn run(&self, cx: &Context, out: &mut Vec<Draft>) {
        let mut owned: Vec<&Fact> = self
            .p
            .within_owner
            .iter()
            .flat_map(|n| cx.facts(n))
            // a list whose outcome is not known is compared with nothing
            .filter(|f| f.owner.is_some())
            .collect();
        owned.sort_by_key(|f| (f.owner, f.span.start));
        for chunk in owned.chunk_by(|x, y| x.owner == y.owner) {
            self.group(cx, chunk, out);
        }
        let mut all: Vec<&Fact> = self
            .p
            .within_record
            .iter()
            .flat_map(|n| cx.facts(n))
            .collect();
        all.sort_by_key(|f| f.span.start);
        self.group(cx, &all, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(unit: TimeUnit, at: &[f64]) -> Schedule {
        Schedule {
            unit,
            at: at.to_vec(),
        }
    }

    #[test]
    fn a_wrong_conversion_is_found() {
        use TimeUnit::*;
        assert!(misconverted(
            &s(Day, &[180.0, 270.0]),
            &s(Month, &[7.0, 10.0])
        ));
        assert!(misconverted(&s(Week, &[4.0, 8.0]), &s(Day, &[20.0, 48.0])));
    }

    #[test]
    fn right_conversions_and_other_visits_are_not() {
        use TimeUnit::*;
        // converts
        assert!(!misconverted(&s(Day, &[0.0, 90.0]), &s(Month, &[0.0, 3.0])));
        assert!(!misconverted(
            &s(Day, &[180.0, 270.0]),
            &s(Month, &[6.0, 9.0])
        ));
        assert!(!misconverted(&s(Day, &[7.0, 14.0]), &s(Week, &[1.0, 2.0])));
        assert!(!misconverted(
            &s(Day, &[168.0, 336.0]),
            &s(Month, &[6.0, 12.0])
        ));
        // different spacing: other visits
        assert!(!misconverted(
            &s(Week, &[4.0, 9.0, 14.0, 18.0]),
            &s(Month, &[3.0, 6.0, 9.0, 12.0])
        ));
        // far apart: a relative schedule (days of a cycle that starts in week 9)
        assert!(!misconverted(&s(Day, &[1.0, 8.0]), &s(Week, &[9.0, 10.0])));
        // same unit, different lengths
        assert!(!misconverted(&s(Day, &[1.0, 8.0]), &s(Day, &[2.0, 9.0])));
        assert!(!misconverted(
            &s(Day, &[90.0, 180.0, 365.0]),
            &s(Month, &[7.0, 10.0])
        ));
    }
}
