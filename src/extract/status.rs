//! The overall recruitment status, normalised across formats
//! ("RECRUITING", "Recruiting", "Active, not recruiting",
//! "ACTIVE_NOT_RECRUITING" → "recruiting", "active-not-recruiting").

use super::{names, Fact, Origin, Value};
use crate::record::{keys, Record};

/// The normalised form of a status as written, or None if unknown.
pub fn normalize(s: &str) -> Option<&'static str> {
    let k: String = s
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect();
    let k = k.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(match k.as_str() {
        "recruiting" => "recruiting",
        "not yet recruiting" => "not-yet-recruiting",
        "active not recruiting" => "active-not-recruiting",
        "enrolling by invitation" => "enrolling-by-invitation",
        "completed" => "completed",
        "terminated" => "terminated",
        "withdrawn" => "withdrawn",
        "suspended" => "suspended",
        "unknown" | "unknown status" => "unknown",
        "available" => "available",
        "no longer available" => "no-longer-available",
        "temporarily not available" => "temporarily-not-available",
        "approved for marketing" => "approved-for-marketing",
        "withheld" => "withheld",
        _ => return None,
    })
}

pub fn extract(record: &Record, out: &mut Vec<Fact>) {
    for (i, f) in record.fields.iter().enumerate() {
        if f.key != keys::STATUS {
            continue;
        }
        if let Some(n) = normalize(&f.text.text) {
            let t = f.text.trimmed_view();
            out.push(Fact::new(
                names::STATUS,
                Value::Str(n.into()),
                t.whole_span(),
                i,
                Origin::Field,
                t.text,
            ));
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_from_every_format_agree() {
        assert_eq!(normalize("RECRUITING"), Some("recruiting"));
        assert_eq!(
            normalize("Active, not recruiting"),
            Some("active-not-recruiting")
        );
        assert_eq!(
            normalize("ACTIVE_NOT_RECRUITING"),
            Some("active-not-recruiting")
        );
        assert_eq!(normalize("Not yet recruiting"), Some("not-yet-recruiting"));
        assert_eq!(normalize("Recruiting soon"), None);
    }
}
