//! Organisation names as the record lists them: sponsors, collaborators,
//! the responsible party, facilities and affiliations.

use super::{names, Fact, Origin, Value};
use crate::record::{keys, Record};

const ORG_KEYS: &[&str] = &[
    keys::LEAD_SPONSOR,
    keys::COLLABORATOR,
    keys::RESPONSIBLE_PARTY,
    keys::ORGANIZATION,
    keys::LOCATION_FACILITY,
    keys::CONTACT_AFFILIATION,
];

pub fn extract(record: &Record, out: &mut Vec<Fact>) {
    for (i, f) in record.fields.iter().enumerate() {
        if !ORG_KEYS.contains(&f.key.as_ref()) {
            continue;
        }
        let t = f.text.trimmed_view();
        // (the letters counted up to the fourth: all of them were counted,
        // a Unicode class lookup per character of every name)
        if t.text.chars().filter(|c| c.is_alphabetic()).take(4).count() < 4 {
            continue;
        }
        out.push(
            Fact::new(
                names::ORG_NAME,
                Value::Str(t.text.into()),
                t.whole_span(),
                i,
                Origin::Field,
                t.text,
            )
            .with_owner(f.entity),
        );
    }
}
