//! The follow-up a primary outcome's time frame requires of every
//! participant: "12 months", "Week 48", "baseline to 1 year",
//! "1 year after transplantation" (`outcome.primary.follow-up`, Days).
//!
//! Stricter than `outcome.primary.time-frame` (the longest duration written
//! in the time frame): a time frame that gives only a bound or a typical
//! value gives no fact, because it does not say how long the last
//! participant must be followed: "up to 5 years", "within 30 days",
//! "through study completion, an average of 1 year", "until death or 2
//! years", "6-12 months", "every 3 months", "2 years before surgery".
//! Of what remains, the longest duration counts (the last visit).

use super::durations::{amount, unit_days};
use super::{names, Fact, Origin, Value};
use crate::record::{keys, EntityKind, Record};
use regex::Regex;
use std::sync::LazyLock;

/// "12 months", "one year", "48-week", "1.5 years".
static AMOUNT_UNIT: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(
        r"(?i)\b(\d+(?:\.\d+)?|[a-z]+)[- ]?(years?|yrs?|months?|mos?|weeks?|wks?|days?)\b",
    )
    .unwrap()
});

/// "Week 48", "Day 28", "Month 12" (a visit).
static UNIT_AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(r"(?i)\b(years?|months?|weeks?|days?)\s*(\d+(?:\.\d+)?)\b")
        .unwrap()
});

/// Words that make a time frame a bound, an average or a schedule rather
/// than a follow-up every participant completes.
static HEDGE: LazyLock<Regex> = LazyLock::new(|| {
    crate::extract::patterns::compile(
        r"(?ix)
        \bup\s*-?\s*to\b | \bupto\b | \bwithin\b | \baverage | \bmean\b | \bmedian\b
        | \bmax(?:imum|imal)?\b | \bmin(?:imum)?\b | \buntil\b | \btill\b | \bthrough | \bthru\b
        | \bend\s+of\s+(?:the\s+)?(?:study|trial|follow) | \bcompletion\b | \bwhichever\b
        | \bor\b | \bevery\b | \beach\b | \bper\b | \bapprox | \babout\b | \baround\b
        | \bbefore\b | \bprior\b | \bpre- | \bpreceding\b | \bago\b | \bof\s+age\b | \bold\b
        | \bas\s+long\b | \bexpected\b | \bestimated\b | \bduration\b | \bperiod\b
        | \d\s*(?:-|–|to)\s*\d+(?:\.\d+)?\s*-?\s*(?:years?|yrs?|months?|mos?|weeks?|wks?|days?)\b
        | (?:years?|yrs?|months?|mos?|weeks?|wks?|days?)\s*(?:-|–|to)\s*\d
        | \brange\b
        ",
    )
    .unwrap()
});

/// The follow-up a time frame requires, in days, with its span in the
/// decoded text; None when the time frame is hedged or names no duration.
pub fn follow_up(text: &str) -> Option<(f64, usize, usize)> {
    if HEDGE.is_match(text) {
        return None;
    }
    let mut best: Option<(f64, usize, usize)> = None;
    let mut consider = |v: Option<f64>, unit: &str, s: usize, e: usize| {
        let (Some(v), Some(d)) = (v, unit_days(unit)) else {
            return;
        };
        let days = v * d;
        if days <= 0.0 || days > 365.25 * 30.0 {
            return;
        }
        if best.is_none_or(|(b, _, _)| days > b) {
            best = Some((days, s, e));
        }
    };
    for c in AMOUNT_UNIT.captures_iter(text) {
        let (Some(n), Some(u), Some(m)) = (c.get(1), c.get(2), c.get(0)) else {
            continue;
        };
        consider(amount(n.as_str()), u.as_str(), m.start(), m.end());
    }
    if !may_hold_unit_amount(text) {
        return best;
    }
    for c in UNIT_AMOUNT.captures_iter(text) {
        let (Some(u), Some(n), Some(m)) = (c.get(1), c.get(2), c.get(0)) else {
            continue;
        };
        consider(amount(n.as_str()), u.as_str(), m.start(), m.end());
    }
    best
}

/// Whether [`UNIT_AMOUNT`] may match `text`: a match's amount starts with
/// a digit that follows a unit word and ASCII spaces (the pattern is
/// compiled without Unicode mode: `\s` is ASCII, and `(?i)` folds ASCII
/// letters only). Most time frames ("12 months") have no digit after a
/// unit, and the search (a pass of its own over a text that two other
/// patterns read too) is not run: it was 0.5% of the time samples.
fn may_hold_unit_amount(text: &str) -> bool {
    let b = text.as_bytes();
    let mut digits = std::iter::successors(super::numbers::next_digit(b, 0), |&d| {
        super::numbers::next_digit(b, d + 1)
    });
    digits.any(|d| {
        let mut e = d;
        while e > 0 && matches!(b[e - 1], b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
            e -= 1;
        }
        let before = &b[..e];
        let before = before
            .strip_suffix(b"s")
            .or_else(|| before.strip_suffix(b"S"))
            .unwrap_or(before);
        [&b"year"[..], b"month", b"week", b"day"].iter().any(|w| {
            before.len() >= w.len() && before[before.len() - w.len()..].eq_ignore_ascii_case(w)
        })
    })
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

pub fn extract(record: &Record, out: &mut Vec<Fact>) {
    for (i, f) in record.fields.iter().enumerate() {
        if f.key != keys::OUTCOME_TIME_FRAME {
            continue;
        }
        let primary = f
            .entity
            .and_then(|e| record.entities.get(e))
            .is_some_and(|e| e.kind == EntityKind::PrimaryOutcome);
        if !primary {
            continue;
        }
        if let Some((days, s, e)) = follow_up(&f.text.text) {
            let q = &f.text.text[s..e];
            out.push(
                Fact::new(
                    names::PRIMARY_FOLLOW_UP,
                    Value::Days(days),
                    f.text.span(s, e),
                    i,
                    Origin::Text,
                    q,
                )
                .with_owner(f.entity)
                .with_how(format!(
                    "the primary outcome time frame \"{}\" read as a follow-up of {} for every participant",
                    f.text.text.trim(),
                    describe(days)
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(t: &str) -> Option<i64> {
        follow_up(t).map(|x| x.0.round() as i64)
    }

    #[test]
    fn follow_up_of_a_time_frame() {
        assert_eq!(days("1 year"), Some(365));
        assert_eq!(days("48 weeks"), Some(336));
        assert_eq!(days("Baseline, week 12 and 24 months"), Some(731));
        assert_eq!(days("Week 52"), Some(364));
        assert_eq!(days("baseline to 12 months"), Some(365));
        assert_eq!(days("Day 1 to Day 28"), Some(28));
    }

    /// The gate before [`UNIT_AMOUNT`] passes every text it matches, on
    /// the fixtures and generated time frames; the pattern's `\s` and
    /// case folding are ASCII.
    #[test]
    fn unit_amount_gate_passes_every_match() {
        const PIECES: &[&str] = &[
            "Week", "week", "WEEKS", "Day", "days", "Month", "months", "Year", "yearS", "wk", "yr",
            "mo", " ", "  ", "\t", "\n", "\u{a0}", "1", "12", "3.5", ".", ",", "-", "to",
            "baseline", "s", "S", "ſ", "and", "é",
        ];
        let mut texts = crate::extract::fixture_texts();
        for t in crate::extract::fixture_texts() {
            texts.extend(t.split('"').map(str::to_string));
        }
        texts.extend(crate::extract::random_texts(PIECES, 30_000, 8, 0x7f3));
        let (mut matched, mut skipped) = (0, 0);
        for t in &texts {
            if UNIT_AMOUNT.is_match(t) {
                matched += 1;
                assert!(may_hold_unit_amount(t), "{t:?}");
            }
            skipped += usize::from(!may_hold_unit_amount(t));
        }
        assert!(matched > 1000 && skipped > 1000, "{matched} {skipped}");
        assert!(!UNIT_AMOUNT.is_match("day\u{a0}1") && !UNIT_AMOUNT.is_match("dayſ 1"));
        assert!(UNIT_AMOUNT.is_match("Days\x0b1"));
    }

    #[test]
    fn bounds_and_averages_are_not_a_follow_up() {
        assert_eq!(days("Up to two years"), None);
        assert_eq!(days("up to 5 years"), None);
        assert_eq!(days("within 30 days"), None);
        assert_eq!(days("through study completion, an average of 1 year"), None);
        assert_eq!(days("From randomization until death or 2 years"), None);
        assert_eq!(days("6-12 months"), None);
        assert_eq!(days("Range of 6 months to 5 years of recruitment"), None);
        assert_eq!(days("every 3 months for 2 years"), None);
        assert_eq!(days("at discharge"), None);
    }
}
