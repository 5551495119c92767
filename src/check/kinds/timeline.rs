//! `timeline`: a period must fit between two dates: start + the longest
//! primary outcome time frame (+ an enrollment period stated in the text)
//! cannot end after the primary completion date.
//!
//! ```toml
//! kind = "timeline"
//! [params]
//! start = "date.start"
//! end = "date.primary-completion"
//! durations = ["enrollment.period", "outcome.primary.time-frame"]  # the longest of each, added
//! slack_days = 31
//! skip_status = ["terminated", "withdrawn"]   # optional: overall statuses not checked
//! ```
//!
//! A study that stopped early reaches its primary completion when it stops,
//! before the planned follow-up: name such statuses in `skip_status`.

use super::{params, BuildError};
use crate::check::{Context, Draft, FactName, Kind, Label};
use crate::extract::{Date, Fact, Value};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    start: FactName,
    end: FactName,
    durations: Vec<FactName>,
    #[serde(default = "month")]
    slack_days: i64,
    #[serde(default)]
    skip_status: Vec<String>,
}

fn month() -> i64 {
    31
}

pub struct Timeline {
    p: Params,
}

pub fn build(table: &toml::Table) -> Result<Box<dyn Kind>, BuildError> {
    // numbered before any record is checked (see `Context::facts`)
    std::sync::LazyLock::force(&super::common::STATUS);
    Ok(Box::new(Timeline { p: params(table)? }))
}

fn date(f: &Fact) -> Option<Date> {
    match f.value {
        Value::Date(d) => Some(d),
        _ => None,
    }
}

fn days(f: &Fact) -> Option<f64> {
    match f.value {
        Value::Days(d) => Some(d),
        _ => None,
    }
}

impl Kind for Timeline {
    fn reads(&self) -> Vec<String> {
        let mut v = vec![self.p.start.to_string(), self.p.end.to_string()];
        v.extend(self.p.durations.iter().map(|n| n.to_string()));
        // the status, when `skip_status` tests it
        if !self.p.skip_status.is_empty() {
            v.push(crate::extract::names::STATUS.to_string());
        }
        v
    }

    fn run(&self, cx: &Context, out: &mut Vec<Draft>) {
        if !self.p.skip_status.is_empty() {
            if let Some(Value::Str(s)) = cx.facts(&*super::common::STATUS).first().map(|f| &f.value)
            {
                if self.p.skip_status.iter().any(|u| u == s.as_str()) {
                    return;
                }
            }
        }
        let (Some(sf), Some(ef)) = (
            cx.facts(&self.p.start).first(),
            cx.facts(&self.p.end).first(),
        ) else {
            return;
        };
        let (Some(sd), Some(ed)) = (date(sf), date(ef)) else {
            return;
        };
        let (Some(first), Some(last)) = (sd.first_day(), ed.last_day()) else {
            return;
        };
        let mut parts: Vec<&Fact> = Vec::new();
        let mut total = 0.0;
        for name in &self.p.durations {
            let longest = cx
                .facts(name)
                .iter()
                .filter(|f| days(f).is_some())
                .max_by(|a, b| days(a).unwrap_or(0.0).total_cmp(&days(b).unwrap_or(0.0)));
            if let Some(f) = longest {
                total += days(f).unwrap_or(0.0);
                parts.push(f);
            }
        }
        if parts.is_empty() {
            return;
        }
        let available = (last - first).num_days();
        let needed = total.round() as i64;
        if needed <= available + self.p.slack_days {
            return;
        }
        let earliest = first + chrono::Duration::days(needed);
        let what_end = crate::record::keys::label(
            cx.record
                .fields
                .get(ef.field)
                .map(|f| f.key.as_ref())
                .unwrap_or(""),
        );
        let message = format!(
            "the {what_end} ({ed}) is {available} days after the start ({sd}), but the record describes {needed} days of study before it (earliest {earliest})"
        );
        let mut labels = vec![
            Label::primary(ef.span, format!("{what_end}: {ed}")),
            Label::secondary(sf.span, format!("start: {sd}")),
        ];
        let mut notes = Vec::new();
        for f in &parts {
            labels.push(Label::secondary(
                f.span,
                format!("{} days", days(f).unwrap_or(0.0).round()),
            ));
            if let Some(h) = &f.how {
                notes.push(h.clone());
            }
        }
        out.push(
            Draft {
                message,
                labels,
                notes,
                ..Draft::default()
            }
            .var("end", ed.to_string())
            .var("start", sd.to_string())
            .var("needed_days", needed.to_string())
            .var("earliest", earliest.to_string()),
        );
    }
}
