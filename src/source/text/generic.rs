//! `text:generic`: text of no known layout. Finds what it can: a registry id,
//! `Label: value` lines for common labels, a title (the first non-empty
//! line), and puts the whole text into `detailed_description` so the text
//! extractors still read it.

use super::lines::{
    find_registry_id, parse_ages, split_commas, split_qualifier, sub, trim_range, Line, Out, R,
};
use crate::record::{keys, Record};
use crate::span::Text;

const LABELS: &[(&str, &str)] = &[
    ("nct number", keys::ID),
    ("nct id", keys::ID),
    ("clinicaltrials.gov identifier", keys::ID),
    ("trial id", keys::ID),
    ("registration number", keys::ID),
    ("official title", keys::OFFICIAL_TITLE),
    ("scientific title", keys::OFFICIAL_TITLE),
    ("brief title", keys::TITLE),
    ("public title", keys::TITLE),
    ("acronym", keys::ACRONYM),
    ("overall status", keys::STATUS),
    ("recruitment status", keys::STATUS),
    ("status", keys::STATUS),
    ("study start date", keys::START_DATE),
    ("start date", keys::START_DATE),
    ("date of first enrolment", keys::START_DATE),
    ("primary completion date", keys::PRIMARY_COMPLETION_DATE),
    ("study completion date", keys::COMPLETION_DATE),
    ("completion date", keys::COMPLETION_DATE),
    ("first posted", keys::FIRST_POSTED),
    ("first submitted", keys::FIRST_SUBMITTED),
    ("last update posted", keys::LAST_UPDATE_POSTED),
    ("last updated", keys::LAST_UPDATE_POSTED),
    ("last verified", keys::VERIFIED_DATE),
    ("target sample size", keys::ENROLLMENT),
    ("sample size", keys::ENROLLMENT),
    ("enrollment", keys::ENROLLMENT),
    ("enrolment", keys::ENROLLMENT),
    ("study type", keys::STUDY_TYPE),
    ("phase", keys::PHASE),
    ("allocation", keys::ALLOCATION),
    ("intervention model", keys::INTERVENTION_MODEL),
    ("masking", keys::MASKING),
    ("primary purpose", keys::PRIMARY_PURPOSE),
    ("minimum age", keys::MIN_AGE),
    ("maximum age", keys::MAX_AGE),
    ("inclusion agemin", keys::MIN_AGE),
    ("inclusion agemax", keys::MAX_AGE),
    ("ages eligible for study", "ages"),
    ("age group", "ages"),
    ("ages", "ages"),
    ("age", "ages"),
    ("sexes eligible for study", keys::SEX),
    ("sex", keys::SEX),
    ("gender", keys::SEX),
    ("accepts healthy volunteers", keys::HEALTHY_VOLUNTEERS),
    ("healthy volunteers", keys::HEALTHY_VOLUNTEERS),
    ("conditions", keys::CONDITION),
    ("condition", keys::CONDITION),
    ("keywords", keys::KEYWORD),
    ("lead sponsor", keys::LEAD_SPONSOR),
    ("sponsor", keys::LEAD_SPONSOR),
    ("collaborators", keys::COLLABORATOR),
    ("responsible party", keys::RESPONSIBLE_PARTY),
];

/// "Label: value" or "Label value" for a known label; qualifiers in front
/// ("Estimated Enrollment") or in parentheses ("Enrollment (Actual)").
fn labelled(s: &str, r: R) -> Option<(&'static str, Option<R>, R)> {
    let t = sub(s, r);
    // The label part: up to a colon if there is one early in the line.
    let colon = t.find(':').filter(|&c| c <= 60);
    let label_r = match colon {
        Some(c) => (r.0, r.0 + c),
        None => r,
    };
    let (q, base) = split_qualifier(s, label_r);
    let lt = sub(s, base);
    let lower = lt.to_ascii_lowercase();
    for (label, key) in LABELS {
        if !lower.starts_with(label) {
            continue;
        }
        let after = &lt[label.len()..];
        let value = match colon {
            // "Enrollment: 120": the label must be all there is before the colon.
            Some(c) => {
                if !after.trim().is_empty() {
                    continue;
                }
                trim_range(s, r.0 + c + 1, r.1)
            }
            // "Minimum age 18 Years": a word break after the label.
            None => {
                if !after.starts_with(' ') {
                    continue;
                }
                trim_range(s, base.0 + label.len(), r.1)
            }
        };
        // A qualifier may also trail the value: "120 (Actual)".
        let (vq, vr) = split_qualifier(s, value);
        let (q, value) = match (q, vq) {
            (Some(q), _) => (Some(q), value),
            (None, Some(vq)) => (Some(vq), vr),
            (None, None) => (None, value),
        };
        return Some((key, q, value));
    }
    None
}

pub fn read(page: &Text, lines: &[Line]) -> Record {
    let s = page.text.as_str();
    let mut out = Out::new(page, "text:generic");
    if let Some(first) = lines.iter().find(|l| !l.is_blank()) {
        out.push(keys::TITLE, first.range());
    }
    let mut id_found = false;
    for l in lines.iter().filter(|l| !l.is_blank()) {
        let Some((key, q, v)) = labelled(s, l.range()) else {
            continue;
        };
        if v.0 >= v.1 {
            continue;
        }
        match key {
            keys::ID => {
                if let Some((a, b)) = find_registry_id(sub(s, v)) {
                    out.id((v.0 + a, v.0 + b));
                    id_found = true;
                }
            }
            "ages" => {
                let a = parse_ages(s, v);
                if let Some(m) = a.min {
                    out.push(keys::MIN_AGE, m);
                }
                if let Some(m) = a.max {
                    out.push(keys::MAX_AGE, m);
                }
                for g in a.groups {
                    out.push(keys::AGE_GROUP, g);
                }
            }
            keys::CONDITION | keys::KEYWORD | keys::COLLABORATOR => {
                for p in split_commas(s, v) {
                    out.push(key, p);
                }
            }
            _ => {
                out.push_q(key, v, q);
            }
        }
    }
    if !id_found {
        if let Some((a, b)) = find_registry_id(s) {
            out.id((a, b));
        }
    }
    let whole = trim_range(s, 0, s.len());
    if whole.0 < whole.1 {
        out.push(keys::DETAILED_DESCRIPTION, whole);
    }
    out.finish()
}
