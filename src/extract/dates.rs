//! Dates of the record: one [`Date`] fact per date field, with the status
//! its qualifier gives (Actual / Estimated).
//!
//! Accepted forms: "June 1, 2022", "Jun 1, 2022", "1 June 2022", "June 2022",
//! "2022-06-01", "2022-06", "2022/06/01", "2014-05-20 00:00:00", and
//! "20/05/2014" (day first only when the day is > 12, or when the record is
//! an ICTRP export, which writes dd/mm/yyyy). Anything else gives no fact.

use super::names;
use super::{Date, DateStatus, Fact, Origin, Value};
use crate::record::{keys, Record};

fn fact_name(key: &str) -> Option<&'static str> {
    Some(match key {
        keys::START_DATE => names::DATE_START,
        keys::PRIMARY_COMPLETION_DATE => names::DATE_PRIMARY_COMPLETION,
        keys::COMPLETION_DATE => names::DATE_COMPLETION,
        keys::FIRST_SUBMITTED => names::DATE_FIRST_SUBMITTED,
        keys::FIRST_POSTED => names::DATE_FIRST_POSTED,
        keys::LAST_UPDATE_SUBMITTED => names::DATE_LAST_UPDATE_SUBMITTED,
        keys::LAST_UPDATE_POSTED => names::DATE_LAST_UPDATE_POSTED,
        keys::RESULTS_FIRST_POSTED => names::DATE_RESULTS_FIRST_POSTED,
        keys::VERIFIED_DATE => names::DATE_VERIFIED,
        _ => return None,
    })
}

pub fn extract(record: &Record, out: &mut Vec<Fact>) {
    let day_first = record.format.contains("ictrp");
    for (i, f) in record.fields.iter().enumerate() {
        let Some(name) = fact_name(&f.key) else {
            continue;
        };
        let t = f.text.as_str();
        let trimmed = t.trim();
        if trimmed.is_empty() {
            continue;
        }
        let mut status = f
            .qualifier
            .as_ref()
            .map(|q| status_of(q.as_str()))
            .unwrap_or(DateStatus::Unspecified);
        // a qualifier left in the value: "June 1, 2022 (Actual)", "[Anticipated]"
        let (trimmed, inline) = split_inline_qualifier(trimmed);
        if status == DateStatus::Unspecified {
            if let Some(q) = inline {
                status = status_of(q);
            }
        }
        let Some((year, month, day, used)) = parse_date_prefix(trimmed, day_first) else {
            continue;
        };
        let start = t.len() - t.trim_start().len();
        let date = Date {
            year,
            month,
            day,
            status,
        };
        out.push(Fact::new(
            name,
            Value::Date(date),
            f.text.span(start, start + used),
            i,
            Origin::Field,
            &trimmed[..used],
        ));
    }
}

/// Split "June 1, 2022 (Actual)" into the date and the qualifier.
fn split_inline_qualifier(s: &str) -> (&str, Option<&str>) {
    let t = s.trim_end();
    if let Some(close) = t.chars().last().filter(|c| *c == ')' || *c == ']') {
        let open = if close == ')' { '(' } else { '[' };
        if let Some(p) = t.rfind(open) {
            let q = &t[p + 1..t.len() - 1];
            if status_of(q) != DateStatus::Unspecified {
                return (t[..p].trim_end(), Some(q));
            }
        }
    }
    (s, None)
}

/// The status a qualifier gives: "Actual"; "Estimated", "Anticipated",
/// "Expected", "Est.", "Planned" (any case); anything else Unspecified.
pub fn status_of(q: &str) -> DateStatus {
    let l = q
        .trim()
        .trim_matches(|c: char| c == '(' || c == ')' || c == '[' || c == ']')
        .trim();
    // compared without ASCII case in place (a lower-cased copy was an
    // allocation per date)
    let starts =
        |w: &str| l.len() >= w.len() && l.as_bytes()[..w.len()].eq_ignore_ascii_case(w.as_bytes());
    if starts("actual") {
        DateStatus::Actual
    } else if starts("est")
        || starts("anticipated")
        || starts("expected")
        || starts("planned")
        || starts("projected")
    {
        DateStatus::Estimated
    } else {
        DateStatus::Unspecified
    }
}

/// Parse a whole date string (a trailing time of day is allowed). Returns
/// (year, month, day).
pub fn parse_date(s: &str, day_first: bool) -> Option<(i32, Option<u32>, Option<u32>)> {
    let s = s.trim();
    let (y, m, d, _) = parse_date_prefix(s, day_first)?;
    Some((y, m, d))
}

/// Parse a date that makes up the whole of `s`, allowing a trailing
/// midnight time ("00:00:00") that is not part of the returned length.
fn parse_date_prefix(s: &str, day_first: bool) -> Option<(i32, Option<u32>, Option<u32>, usize)> {
    // a trailing time of day (ICTRP "2014-05-20 00:00:00") is allowed
    let (core, _) = split_time(s);
    let core = core.trim_end();
    let (y, m, d) = parse_core(core, day_first)?;
    Some((y, m, d, core.len()))
}

fn split_time(s: &str) -> (&str, &str) {
    if let Some(p) = s.rfind(' ') {
        let t = &s[p + 1..];
        let tb = t.as_bytes();
        let is_time = tb.len() >= 5
            && tb
                .iter()
                .all(|c| c.is_ascii_digit() || *c == b':' || *c == b'.')
            && tb[2] == b':';
        if is_time {
            return (&s[..p], t);
        }
    }
    if let Some(p) = s.find('T') {
        // ISO "2022-06-01T00:00:00"
        let t = &s[p + 1..];
        if p == 10 && t.as_bytes().first().is_some_and(|c| c.is_ascii_digit()) && t.contains(':') {
            return (&s[..p], t);
        }
    }
    (s, "")
}

/// The months' names, January first.
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_of(w: &str) -> Option<u32> {
    // compared in ASCII case, not lower-cased into a string of its own
    // (an allocation per word of every date)
    let l = w.trim_end_matches('.').as_bytes();
    let is = |name: &str| l.eq_ignore_ascii_case(name.as_bytes());
    for (i, name) in MONTHS.iter().enumerate() {
        if is(name)
            || (l.len() >= 3
                && name.len() >= l.len()
                && name.as_bytes()[..l.len()].eq_ignore_ascii_case(l)
                && (l.len() == 3 || is("sept")))
            || (is("sept") && i == 8)
        {
            return Some(i as u32 + 1);
        }
    }
    None
}

fn valid(y: i32, m: Option<u32>, d: Option<u32>) -> Option<(i32, Option<u32>, Option<u32>)> {
    if !(1900..=2200).contains(&y) {
        return None;
    }
    if let Some(m) = m {
        if !(1..=12).contains(&m) {
            return None;
        }
        if let Some(d) = d {
            chrono::NaiveDate::from_ymd_opt(y, m, d)?;
        }
    } else if d.is_some() {
        return None;
    }
    Some((y, m, d))
}

fn num(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn parse_core(s: &str, day_first: bool) -> Option<(i32, Option<u32>, Option<u32>)> {
    let b = s.as_bytes();
    if b.is_empty() {
        return None;
    }
    // numeric forms
    if b.iter()
        .all(|c| c.is_ascii_digit() || *c == b'-' || *c == b'/' || *c == b'.')
    {
        let sep = if s.contains('-') {
            '-'
        } else if s.contains('/') {
            '/'
        } else {
            '.'
        };
        // (at most four parts are read: no list is allocated for them)
        let parts: smallvec::SmallVec<[&str; 4]> = s.split(sep).collect();
        if parts.iter().any(|p| p.is_empty()) {
            return None;
        }
        return match parts.as_slice() {
            [y] if y.len() == 4 => valid(num(y)? as i32, None, None),
            [y, m] if y.len() == 4 && m.len() <= 2 => valid(num(y)? as i32, Some(num(m)?), None),
            [m, y] if y.len() == 4 && m.len() <= 2 => valid(num(y)? as i32, Some(num(m)?), None),
            [y, m, d] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => {
                valid(num(y)? as i32, Some(num(m)?), Some(num(d)?))
            }
            [a, c, y] if y.len() == 4 && a.len() <= 2 && c.len() <= 2 => {
                let (a, c) = (num(a)?, num(c)?);
                let (m, d) = if day_first || a > 12 {
                    (c, a)
                } else if c > 12 || a == c {
                    (a, c) // mm/dd/yyyy, unambiguous
                } else {
                    return None; // ambiguous
                };
                valid(num(y)? as i32, Some(m), Some(d))
            }
            _ => None,
        };
    }
    // word forms: "June 1, 2022", "Jun 1 2022", "1 June 2022", "June 2022", "1-Jun-2022"
    let words: smallvec::SmallVec<[&str; 4]> = s
        .split(|c: char| c.is_whitespace() || c == ',' || c == '-' || c == '/')
        .filter(|w| !w.is_empty())
        .collect();
    match words.as_slice() {
        [m, y] => {
            let m = month_of(m)?;
            valid(year4(y)?, Some(m), None)
        }
        [a, c, y] => {
            if let Some(m) = month_of(a) {
                valid(year4(y)?, Some(m), Some(day(c)?))
            } else {
                let m = month_of(c)?;
                valid(year4(y)?, Some(m), Some(day(a)?))
            }
        }
        _ => None,
    }
}

fn year4(s: &str) -> Option<i32> {
    if s.len() == 4 {
        num(s).map(|y| y as i32)
    } else {
        None
    }
}

fn day(s: &str) -> Option<u32> {
    let s = s.trim_end_matches(|c: char| c.is_ascii_alphabetic()); // 1st, 2nd, 20th
    if s.len() > 2 {
        return None;
    }
    num(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Field;
    use crate::span::{Span, Text};

    /// `month_of` as it was written: the word lower-cased into a string,
    /// then compared.
    fn month_of_lowered(w: &str) -> Option<u32> {
        let l = w.trim_end_matches('.').to_ascii_lowercase();
        MONTHS
            .iter()
            .position(|name| {
                l == *name
                    || (l.len() >= 3 && name.starts_with(&l) && (l.len() == 3 || l == "sept"))
            })
            .or((l == "sept").then_some(8))
            .map(|i| i as u32 + 1)
    }

    /// Comparing in ASCII case answers as lower-casing first did: every
    /// prefix of every month name in three cases, with a stop, cut short,
    /// with a letter that is not ASCII.
    #[test]
    fn months_compared_in_ascii_case_are_the_lowered_ones() {
        let others = ["sept", "mai", "juin", "dez"];
        let names = MONTHS.iter().chain(&others);
        let mut words = vec![
            String::new(),
            ".".into(),
            "é".into(),
            "Mä".into(),
            "ſept".into(),
        ];
        for n in names {
            for k in 0..=n.len() {
                let w = &n[..k];
                words.extend([
                    w.to_string(),
                    w.to_uppercase(),
                    format!("{w}."),
                    format!("{w}x"),
                ]);
                let mut title = w.to_string();
                if let Some(c) = title.get_mut(0..1) {
                    c.make_ascii_uppercase();
                }
                words.push(title);
            }
        }
        for w in &words {
            assert_eq!(month_of(w), month_of_lowered(w), "{w:?}");
        }
    }

    fn p(s: &str) -> Option<(i32, Option<u32>, Option<u32>)> {
        parse_date(s, false)
    }

    #[test]
    fn formats() {
        assert_eq!(p("June 1, 2022"), Some((2022, Some(6), Some(1))));
        assert_eq!(p("Jun 1, 2022"), Some((2022, Some(6), Some(1))));
        assert_eq!(p("Sept 3, 2021"), Some((2021, Some(9), Some(3))));
        assert_eq!(p("1 June 2022"), Some((2022, Some(6), Some(1))));
        assert_eq!(p("June 2022"), Some((2022, Some(6), None)));
        assert_eq!(p("April 2026"), Some((2026, Some(4), None)));
        assert_eq!(p("2022-06-01"), Some((2022, Some(6), Some(1))));
        assert_eq!(p("2022-06"), Some((2022, Some(6), None)));
        assert_eq!(p("2022/06/01"), Some((2022, Some(6), Some(1))));
        assert_eq!(p("20/05/2014"), Some((2014, Some(5), Some(20))));
        assert_eq!(p("05/20/2014"), Some((2014, Some(5), Some(20))));
        assert_eq!(p("05/06/2014"), None);
        assert_eq!(
            parse_date("05/06/2014", true),
            Some((2014, Some(6), Some(5)))
        );
        assert_eq!(
            parse_date("2014-05-20 00:00:00", true),
            Some((2014, Some(5), Some(20)))
        );
        assert_eq!(p("2022-02-30"), None);
        assert_eq!(p("June 31, 2022"), None);
        assert_eq!(p("Junk 2022"), None);
        assert_eq!(p("TBD"), None);
        assert_eq!(p(""), None);
        assert_eq!(p("2022"), Some((2022, None, None)));
    }

    fn field(key: &str, text: &str, q: Option<&str>, at: usize) -> Field {
        Field {
            key: key.to_string().into(),
            text: Text::verbatim(text, at),
            qualifier: q.map(|q| Text::verbatim(q, 0)),
            entity: None,
            gate_words: Default::default(),
        }
    }

    #[test]
    fn facts_with_status_and_span() {
        let mut r = Record::new("ctgov-json");
        r.push_field(field(keys::START_DATE, "June 1, 2022", Some("Actual"), 100));
        r.push_field(field(
            keys::PRIMARY_COMPLETION_DATE,
            "April 2025",
            Some("Est."),
            200,
        ));
        r.push_field(field(
            keys::COMPLETION_DATE,
            "2023-12-01",
            Some("ESTIMATED"),
            300,
        ));
        r.push_field(field(
            keys::FIRST_POSTED,
            "2022-04",
            Some("Anticipated"),
            400,
        ));
        r.push_field(field(keys::VERIFIED_DATE, "August 2022", None, 500));
        r.push_field(field(keys::LAST_UPDATE_POSTED, "not a date", None, 600));
        r.push_field(field(keys::TITLE, "June 1, 2022", None, 700));
        let mut out = Vec::new();
        extract(&r, &mut out);
        assert_eq!(out.len(), 5);
        assert_eq!(out[0].name, names::DATE_START);
        assert_eq!(
            out[0].value,
            Value::Date(Date {
                year: 2022,
                month: Some(6),
                day: Some(1),
                status: DateStatus::Actual
            })
        );
        assert_eq!(out[0].span, Span::new(100, 112));
        assert_eq!(out[0].origin, Origin::Field);
        assert_eq!(out[1].name, names::DATE_PRIMARY_COMPLETION);
        assert_eq!(
            out[1].value,
            Value::Date(Date {
                year: 2025,
                month: Some(4),
                day: None,
                status: DateStatus::Estimated
            })
        );
        assert!(matches!(
            out[2].value,
            Value::Date(Date {
                status: DateStatus::Estimated,
                ..
            })
        ));
        assert!(matches!(
            out[3].value,
            Value::Date(Date {
                status: DateStatus::Estimated,
                ..
            })
        ));
        assert_eq!(out[4].name, names::DATE_VERIFIED);
        assert!(matches!(
            out[4].value,
            Value::Date(Date {
                status: DateStatus::Unspecified,
                ..
            })
        ));
    }

    #[test]
    fn inline_qualifier() {
        let mut r = Record::new("text");
        r.push_field(field(keys::START_DATE, "June 1, 2022 (Actual)", None, 0));
        r.push_field(field(
            keys::COMPLETION_DATE,
            "June 2024 [Anticipated]",
            None,
            50,
        ));
        let mut out = Vec::new();
        extract(&r, &mut out);
        assert_eq!(out.len(), 2);
        assert!(matches!(
            out[0].value,
            Value::Date(Date {
                status: DateStatus::Actual,
                day: Some(1),
                ..
            })
        ));
        assert_eq!(out[0].quote, "June 1, 2022");
        assert!(matches!(
            out[1].value,
            Value::Date(Date {
                status: DateStatus::Estimated,
                day: None,
                ..
            })
        ));
    }

    #[test]
    fn ictrp_day_first_and_time() {
        let mut r = Record::new("ictrp-xml");
        r.push_field(field(keys::START_DATE, "05/06/2014", None, 10));
        r.push_field(field(
            keys::FIRST_SUBMITTED,
            " 2014-05-20 00:00:00",
            None,
            30,
        ));
        let mut out = Vec::new();
        extract(&r, &mut out);
        assert_eq!(out.len(), 2);
        assert!(matches!(
            out[0].value,
            Value::Date(Date {
                year: 2014,
                month: Some(6),
                day: Some(5),
                ..
            })
        ));
        assert!(matches!(
            out[1].value,
            Value::Date(Date {
                year: 2014,
                month: Some(5),
                day: Some(20),
                ..
            })
        ));
        assert_eq!(out[1].span, Span::new(31, 41));
        assert_eq!(out[1].quote, "2014-05-20");
    }

    #[test]
    fn no_panic() {
        for s in [
            "-",
            "/",
            "--",
            "2022--01",
            "June",
            ", 2022",
            "ü 2022",
            "99/99/9999",
            "T:",
            "2022-06-01T",
            "1 2 3 4",
        ] {
            let _ = parse_date(s, true);
            let _ = parse_date(s, false);
        }
    }
}
