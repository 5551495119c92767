//! The enrollment's type: whether the structured enrollment is an actual
//! count or an estimate ("Actual Enrollment : 40 participants",
//! `"enrollmentInfo": {"count": 40, "type": "ESTIMATED"}`,
//! `<enrollment type="Anticipated">`).
//!
//! Gives `enrollment.actual` or `enrollment.estimated` (Int, the count) at
//! the enrollment value, quoted with its qualifier as written ("40 (Actual)"),
//! so that checks can compare the enrollment type with the overall status.
//! An enrollment without a qualifier, or whose value is not a whole number,
//! gives neither.

use super::dates::status_of;
use super::numbers::parse_number;
use super::{names, DateStatus, Fact, Origin, Value};
use crate::record::{keys, Record};

pub fn extract(record: &Record, out: &mut Vec<Fact>) {
    for (i, f) in record.fields.iter().enumerate() {
        if f.key != keys::ENROLLMENT {
            continue;
        }
        let Some(q) = &f.qualifier else { continue };
        let name = match status_of(q.as_str()) {
            DateStatus::Actual => names::ENROLLMENT_ACTUAL,
            DateStatus::Estimated => names::ENROLLMENT_ESTIMATED,
            DateStatus::Unspecified => continue,
        };
        let t = f.text.as_str();
        let lead = t.len() - t.trim_start().len();
        let digits = t[lead..]
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b',')
            .count();
        let digits = t[lead..lead + digits].trim_end_matches(',').len();
        if digits == 0 {
            continue;
        }
        // "12.5" or "12abc" is not a count
        if t[lead + digits..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '.')
        {
            continue;
        }
        let Some(n) = parse_number(&t[lead..lead + digits]) else {
            continue;
        };
        let qual = q.as_str().trim();
        let mut qual_shown = qual.to_string();
        if qual.chars().all(|c| !c.is_lowercase()) {
            // "ACTUAL" -> "Actual"
            let lower = qual.to_lowercase();
            let mut cs = lower.chars();
            qual_shown = cs
                .next()
                .map(|c| c.to_uppercase().chain(cs).collect())
                .unwrap_or_default();
        }
        out.push(Fact::new(
            name,
            Value::Int(n),
            f.text.span(lead, lead + digits),
            i,
            Origin::Field,
            format!("{} ({qual_shown})", &t[lead..lead + digits]),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Field;
    use crate::span::Text;

    fn run(value: &str, q: Option<&str>) -> Vec<Fact> {
        let mut r = Record::new("test");
        r.push_field(Field {
            key: keys::ENROLLMENT.into(),
            text: Text::verbatim(value, 0),
            qualifier: q.map(|q| Text::verbatim(q, 100)),
            entity: None,
            gate_words: Default::default(),
        });
        let mut out = Vec::new();
        extract(&r, &mut out);
        out
    }

    #[test]
    fn enrollment_type_from_its_qualifier() {
        let f = run("40", Some("ACTUAL"));
        assert_eq!(f[0].name, names::ENROLLMENT_ACTUAL);
        assert_eq!(f[0].value, Value::Int(40));
        assert_eq!(f[0].quote, "40 (Actual)");
        let f = run("1,200 participants", Some("Anticipated"));
        assert_eq!(f[0].name, names::ENROLLMENT_ESTIMATED);
        assert_eq!(f[0].value, Value::Int(1200));
        assert!(run("40", None).is_empty());
        assert!(run("12.5", Some("Actual")).is_empty());
        assert!(run("N/A", Some("Actual")).is_empty());
    }
}
