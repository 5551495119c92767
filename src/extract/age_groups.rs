//! The age groups a record lists (ClinicalTrials.gov's standard ages:
//! `stdAges` in API v2 JSON, `StdAgeList` in v1 JSON, "(Adult, Older
//! Adult)" after the age limits on study pages): `age.group`, normalised to
//! "child", "adult" or "older-adult" (Str), one fact per listed group.

use super::{names, Fact, Origin, Value};
use crate::record::{keys, Record};

/// "CHILD", "Child", "Children" → "child"; "OLDER_ADULT", "Older Adults" →
/// "older-adult".
pub fn normalise(s: &str) -> Option<&'static str> {
    let l: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '_' | '-' => ' ',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    match l.split_whitespace().collect::<Vec<_>>().join(" ").as_str() {
        "child" | "children" => Some("child"),
        "adult" | "adults" => Some("adult"),
        "older adult" | "older adults" => Some("older-adult"),
        _ => None,
    }
}

pub fn extract(record: &Record, out: &mut Vec<Fact>) {
    for (i, f) in record.fields.iter().enumerate() {
        if f.key != keys::AGE_GROUP {
            continue;
        }
        let t = f.text.trimmed_view();
        let Some(g) = normalise(t.text) else {
            continue;
        };
        out.push(Fact::new(
            names::AGE_GROUP,
            Value::Str(g.into()),
            t.whole_span(),
            i,
            Origin::Field,
            t.text,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_names() {
        assert_eq!(normalise("OLDER_ADULT"), Some("older-adult"));
        assert_eq!(normalise(" Older Adult "), Some("older-adult"));
        assert_eq!(normalise("Children"), Some("child"));
        assert_eq!(normalise("ADULT"), Some("adult"));
        assert_eq!(normalise("Elderly"), None);
    }
}
