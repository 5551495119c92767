//! `order`: dates must come in order (start ≤ primary completion ≤
//! completion; submitted ≤ posted), or must not coincide.
//!
//! ```toml
//! kind = "order"
//! [params]
//! pairs = [["date.start", "date.primary-completion"], ["date.primary-completion", "date.completion"]]
//! flag = "reversed"      # "reversed": later is before earlier; "equal": same day
//! min_gap_days = 0       # with "reversed": report only when the gap exceeds this
//! unless_status = ["withdrawn"]   # optional: overall statuses for which the rule does not hold
//! ```
//!
//! Dates are compared at the precision both share: "June 2022" is neither
//! before nor after "2022-06-15". `equal` needs both dates to the day.

use super::common::place;
use super::{params, BuildError};
use crate::check::{Context, Draft, FactName, Kind, Label};
use crate::extract::{Date, DateStatus, Fact, Value};
use serde::Deserialize;
use std::cmp::Ordering;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    pairs: Vec<[FactName; 2]>,
    #[serde(default = "reversed")]
    flag: String,
    #[serde(default)]
    min_gap_days: i64,
    #[serde(default)]
    unless_status: Vec<String>,
}

fn reversed() -> String {
    "reversed".into()
}

pub struct Order {
    p: Params,
}

pub fn build(table: &toml::Table) -> Result<Box<dyn Kind>, BuildError> {
    let p: Params = params(table)?;
    // numbered before any record is checked (see `Context::facts`)
    std::sync::LazyLock::force(&super::common::STATUS);
    if !matches!(p.flag.as_str(), "reversed" | "equal") {
        return Err(BuildError::Params(format!(
            "`flag` must be \"reversed\" or \"equal\", not {:?}",
            p.flag
        )));
    }
    Ok(Box::new(Order { p }))
}

fn date_of(v: &Value) -> Option<Date> {
    match v {
        Value::Date(d) => Some(*d),
        _ => None,
    }
}

fn status_word(d: &Date) -> &'static str {
    match d.status {
        DateStatus::Actual => " (actual)",
        DateStatus::Estimated => " (estimated)",
        DateStatus::Unspecified => "",
    }
}

impl Kind for Order {
    fn reads(&self) -> Vec<String> {
        self.p
            .pairs
            .iter()
            .flat_map(|[a, b]| [a.to_string(), b.to_string()])
            // the status, when `unless_status` tests it
            .chain(
                (!self.p.unless_status.is_empty())
                    .then(|| crate::extract::names::STATUS.to_string()),
            )
            .collect()
    }

    fn run(&self, cx: &Context, out: &mut Vec<Draft>) {
        if !self.p.unless_status.is_empty() {
            let status = cx.facts(&*super::common::STATUS);
            if status
                .iter()
                .any(|f| matches!(&f.value, Value::Str(v) if self.p.unless_status.iter().any(|u| u == v.as_str())))
            {
                return;
            }
        }
        for [earlier_name, later_name] in &self.p.pairs {
            let (Some(e), Some(l)) = (cx.facts(earlier_name).first(), cx.facts(later_name).first())
            else {
                continue;
            };
            let (Some(ed), Some(ld)) = (date_of(&e.value), date_of(&l.value)) else {
                continue;
            };
            // The fields' names, named only for a finding (a pure function
            // of the fact, so asking later changes nothing): each was a
            // `match` over the keys' strings for every pair of dates.
            let what = |f: &Fact| {
                crate::record::keys::label(
                    cx.record
                        .fields
                        .get(f.field)
                        .map(|f| f.key.as_ref())
                        .unwrap_or(""),
                )
            };
            match self.p.flag.as_str() {
                "equal" => {
                    if ed.day.is_none() || ld.day.is_none() || ed.cmp_common(&ld) != Ordering::Equal
                    {
                        continue;
                    }
                    let (e_what, l_what) = (what(e), what(l));
                    let message = format!("the {l_what} is the same day as the {e_what} ({ld})");
                    out.push(
                        Draft {
                            message,
                            labels: vec![
                                Label::primary(l.span, format!("{l_what}: {ld}{}", status_word(&ld))),
                                Label::secondary(e.span, format!("{e_what}: {ed}{}", status_word(&ed))),
                            ],
                            notes: vec![format!(
                                "a study whose {l_what} equals its {e_what} collected no data in between; usually one of the two dates was copied into the other field"
                            )],
                            ..Draft::default()
                        }
                        .var("earlier", ed.to_string())
                        .var("later", ld.to_string()),
                    );
                }
                _ => {
                    if ld.cmp_common(&ed) != Ordering::Less {
                        continue;
                    }
                    let gap = match (ld.last_day(), ed.first_day()) {
                        (Some(a), Some(b)) => (b - a).num_days(),
                        _ => 0,
                    };
                    if gap <= self.p.min_gap_days {
                        continue;
                    }
                    let (e_what, l_what) = (what(e), what(l));
                    let message = format!("the {l_what} ({ld}) is before the {e_what} ({ed})");
                    out.push(
                        Draft {
                            message,
                            labels: vec![
                                Label::primary(
                                    l.span,
                                    format!("{l_what}: {ld}{}", status_word(&ld)),
                                ),
                                Label::secondary(
                                    e.span,
                                    format!("{e_what}: {ed}{}, {gap} days later", status_word(&ed)),
                                ),
                            ],
                            notes: vec![format!("read from {} and {}", place(cx, l), place(cx, e))],
                            ..Draft::default()
                        }
                        .var("earlier", ed.to_string())
                        .var("later", ld.to_string())
                        .var("gap_days", gap.to_string()),
                    );
                }
            }
        }
    }
}
