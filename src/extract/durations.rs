//! Durations: outcome time frames ("12 months", "48 weeks", "up to the
//! 12-month period following treatment", "Up to two years") and enrollment
//! periods stated in the text ("enrolled over a period of 1 year").

use super::numbers::parse_number;
use super::{names, Fact, Origin, Value};
use crate::record::{keys, EntityKind, Record};
use regex::Regex;
use std::sync::LazyLock;

/// A number (digits or words) and a unit of time.
static DURATION: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?i)\b(\d+(?:\.\d+)?|[a-z]+(?:[- ][a-z]+)?)[- ]?(years?|yrs?|months?|mos?|weeks?|wks?|days?)\b").unwrap()
});

/// "enrolled over a period of 1 year", "recruitment will last 18 months".
static ENROLLMENT_PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?i)\b(?:enrolled|recruited|recruitment|enrollment|enrolment)\b[^.;]{0,40}?\b(?:over|during|for|last(?:s|ing)?)\s+(?:a\s+period\s+of\s+|the\s+next\s+|approximately\s+|about\s+)?(\d+(?:\.\d+)?|[a-z]+(?:[- ][a-z]+)?)[- ]?(years?|months?|weeks?)\b").unwrap()
});

/// Days in a unit ("years", "mo", "weeks", "days").
/// The words every match of [`ENROLLMENT_PERIOD`] holds ("enrolled",
/// "recruitment", ...), in ASCII letters of either case. The pattern is
/// compiled in Unicode mode (its `[^.;]`), but none of the letters of these
/// words has another case than its ASCII one (as "s" has "ſ").
pub(super) const ENROL_WORDS: &[&str] = &["enrol", "recruit"];

static ENROL: LazyLock<crate::extract::patterns::Keywords> =
    LazyLock::new(|| crate::extract::patterns::keywords(ENROL_WORDS));

pub(crate) fn unit_days(unit: &str) -> Option<f64> {
    // the first letters compared without case, in place (a lower-cased
    // copy was an allocation per unit read)
    let u = unit.as_bytes();
    let first = u.first()?.to_ascii_lowercase();
    Some(if first == b'y' {
        365.25
    } else if u.len() >= 2 && u[..2].eq_ignore_ascii_case(b"mo") {
        30.44
    } else if first == b'w' {
        7.0
    } else if first == b'd' {
        1.0
    } else {
        return None;
    })
}

/// A number written in digits or words.
pub(crate) fn amount(s: &str) -> Option<f64> {
    if let Ok(v) = s.parse::<f64>() {
        return Some(v);
    }
    parse_number(s).map(|n| n as f64)
}

/// The longest duration written in a time frame, in days, with its span in
/// the decoded text.
pub fn longest(text: &str) -> Option<(f64, usize, usize)> {
    let mut best: Option<(f64, usize, usize)> = None;
    for c in DURATION.captures_iter(text) {
        let (Some(n), Some(u), Some(m)) = (c.get(1), c.get(2), c.get(0)) else {
            continue;
        };
        let (Some(v), Some(d)) = (amount(n.as_str()), unit_days(u.as_str())) else {
            continue;
        };
        // "Day 1" or "Week 12" name a visit, not a length, unless it is the
        // whole time frame: those read the same, so keep them.
        let days = v * d;
        if days <= 0.0 || days > 365.25 * 50.0 {
            continue;
        }
        if best.is_none_or(|(b, _, _)| days > b) {
            best = Some((days, m.start(), m.end()));
        }
    }
    best
}

fn describe(days: f64) -> String {
    if days >= 365.0 {
        format!("{:.1} years", days / 365.25)
    } else if days >= 28.0 {
        format!("{:.1} months", days / 30.44)
    } else {
        format!("{days:.0} days")
    }
}

/// The longest duration in each primary outcome's time frame.
pub fn time_frames(record: &Record, out: &mut Vec<Fact>) {
    for (i, f) in record.fields.iter().enumerate() {
        if f.key == keys::OUTCOME_TIME_FRAME {
            let primary = f
                .entity
                .and_then(|e| record.entities.get(e))
                .is_some_and(|e| e.kind == EntityKind::PrimaryOutcome);
            if !primary {
                continue;
            }
            if let Some((days, s, e)) = longest(&f.text.text) {
                out.push(
                    Fact::new(
                        names::PRIMARY_TIME_FRAME,
                        Value::Days(days),
                        f.text.span(s, e),
                        i,
                        Origin::Text,
                        &f.text.text[s..e],
                    )
                    .with_owner(f.entity)
                    .with_how(format!(
                        "\"{}\" read as {}",
                        &f.text.text[s..e],
                        describe(days)
                    )),
                );
            }
        }
    }
}

/// The enrollment periods stated in the summary and the description.
pub fn enrollment_periods(record: &Record, out: &mut Vec<Fact>) {
    for (i, f) in record.fields.iter().enumerate() {
        if f.key == keys::DETAILED_DESCRIPTION || f.key == keys::BRIEF_SUMMARY {
            // Not searched when the field's gate words, if another gate
            // has asked for them, say it holds neither word: most
            // summaries and descriptions (the search reads every byte;
            // the gate words are not searched for this alone, which costs
            // more than the pattern)
            if ENROL.known_in_field(f) == Some(false) {
                continue;
            }
            for c in ENROLLMENT_PERIOD.captures_iter(&f.text.text) {
                let (Some(n), Some(u), Some(m)) = (c.get(1), c.get(2), c.get(0)) else {
                    continue;
                };
                let (Some(v), Some(d)) = (amount(n.as_str()), unit_days(u.as_str())) else {
                    continue;
                };
                let days = v * d;
                out.push(
                    Fact::new(
                        names::ENROLLMENT_PERIOD,
                        Value::Days(days),
                        f.text.span(n.start(), u.end()),
                        i,
                        Origin::Text,
                        &f.text.text[m.start()..m.end()],
                    )
                    .with_how(format!(
                        "\"{}\" read as an enrollment period of {}",
                        &f.text.text[n.start()..u.end()],
                        describe(days)
                    )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_enrollment_period_holds_a_gate_word() {
        crate::extract::assert_every_match_holds_a_gate_word(
            &ENROLLMENT_PERIOD,
            &ENROL,
            &[
                "Patients will be ENROLLED over a period of 2 years.",
                "Recruitment will last 6 months",
                "enrolment during twenty weeks",
            ],
        );
    }

    #[test]
    fn longest_duration_in_a_time_frame() {
        assert_eq!(longest("48 weeks").map(|x| x.0.round()), Some(336.0));
        assert_eq!(
            longest("Baseline, week 12 and 24 months").map(|x| x.0.round()),
            Some(731.0)
        );
        assert_eq!(
            longest("up to the 12-month period following treatment").map(|x| x.0.round()),
            Some(365.0)
        );
        assert_eq!(longest("at discharge"), None);
    }
}
