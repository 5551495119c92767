//! Reader for the WHO ICTRP XML export (`<Trial>` elements, alone or inside
//! `<Trials_downloaded_from_ICTRP>`).
//!
//! Choices:
//! - Values are trimmed (the export pads them with a line break and
//!   indentation). Escaped line breaks (`&lt;br&gt;`, which the export uses
//!   inside values) become `\n`, mapped to the escaped tag as a unit; see
//!   [`decode_value`].
//! - `Inclusion_Criteria` is the `eligibility` field; `Exclusion_Criteria`
//!   goes into a separate field `x.exclusion_criteria`.
//! - `Inclusion_agemin`/`agemax` become `min_age`/`max_age` as written
//!   ("18 Years", "&gt;= 20age old"). If the unit comes in an element of its
//!   own (`Inclusion_agemin_unit`, not seen in the WHO export so far), it is
//!   kept as `x.age_min_unit` / `x.age_max_unit`.
//! - `Date_registration` is `first_submitted`; `Date_enrollement` (date of
//!   first enrolment) is `start_date`; `Target_size` is `enrollment`.
//! - The contact elements hold `;`-separated lists, one item per contact;
//!   item *i* of each list forms contact *i*. Its `contact.name` is first and
//!   last name joined by a space (glue with no source bytes of its own).
//! - `Study_design` is kept as `x.study_design`; when it is in the
//!   ClinicalTrials.gov form ("Allocation: Randomized. Intervention model:
//!   ..."), its parts also become `allocation`, `intervention_model`,
//!   `primary_purpose` and `masking`, each a slice of the text.
//! - In records that come from ClinicalTrials.gov (`Source_Register`), the
//!   `;`-joined conditions and outcomes are split, one field or outcome
//!   entity per item; elsewhere `;` may be part of the text and is kept.
//! - Every other element is kept as `x.<element name, lower case>`.

use super::xml_scan::Element;
use super::xml_text;
use crate::record::{keys, EntityKind, Record};
use crate::span::{Text, TextBuilder};

pub const FORMAT: &str = "ictrp-xml";

/// Read every record in the file.
pub fn read(text: &str) -> Result<Vec<Record>, String> {
    let doc = super::xml_scan::parse(text)?;
    let mut trials = Vec::new();
    for r in doc.roots() {
        r.find_all("Trial", &mut trials);
    }
    Ok(trials.into_iter().map(read_trial).collect())
}

/// Decode a value as this reader does: XML entities, then each escaped
/// `<br>` (`&lt;br&gt;`, `&lt;br/&gt;`, `&lt;br /&gt;`) to a line break.
pub fn decode_value(raw: &str, start: usize) -> Text {
    br_to_newlines(&xml_text::decode(raw, start))
}

/// Replace decoded `<br>` tags by `\n`, each mapped to the tag's source.
pub fn br_to_newlines(t: &Text) -> Text {
    let s = &t.text;
    if !s.contains('<') {
        return t.clone();
    }
    let mut b = TextBuilder::new();
    let mut last = 0;
    let mut i = 0;
    let bytes = s.as_bytes();
    while let Some(off) = memchr::memchr(b'<', &bytes[i..]) {
        let at = i + off;
        if let Some(len) = br_len(&s[at..]) {
            b.append(&t.slice(last, at));
            let sp = t.span(at, at + len);
            b.decoded("\n", sp.start, sp.end);
            last = at + len;
            i = last;
        } else {
            i = at + 1;
        }
    }
    if last == 0 {
        return t.clone();
    }
    b.append(&t.slice(last, s.len()));
    b.finish()
}

/// Length of a `<br>`, `<br/>` or `<br />` tag at the start of `s`.
fn br_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.len() < 4 || !b[1..3].eq_ignore_ascii_case(b"br") {
        return None;
    }
    let mut i = 3;
    while i < b.len() && b[i] == b' ' {
        i += 1;
    }
    if i < b.len() && b[i] == b'/' {
        i += 1;
    }
    (i < b.len() && b[i] == b'>').then_some(i + 1)
}

fn value(el: Element) -> Text {
    xml_text::trim(&br_to_newlines(&el.text()))
}

/// Split a text at `;`, trimming each piece; empty pieces are kept (so the
/// lists of a contact line up) as empty texts.
fn split_semi(t: &Text) -> Vec<Text> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in t.text.char_indices() {
        if c == ';' {
            out.push(xml_text::trim(&t.slice(start, i)));
            start = i + 1;
        }
    }
    out.push(xml_text::trim(&t.slice(start, t.text.len())));
    out
}

const CTGOV_INTERVENTION_TYPES: &[&str] = &[
    "Drug",
    "Device",
    "Biological",
    "Procedure",
    "Radiation",
    "Behavioral",
    "Genetic",
    "Dietary Supplement",
    "Combination Product",
    "Diagnostic Test",
    "Other",
];

fn read_trial(t: Element) -> Record {
    let mut rec = Record::new(FORMAT);
    rec.span = t.span();
    let mut contacts: Vec<(&str, Text)> = Vec::new();
    // Records that come from ClinicalTrials.gov join list items with `;`.
    let ctgov = t.child("Source_Register").is_some_and(|e| {
        e.text()
            .text
            .trim()
            .eq_ignore_ascii_case("ClinicalTrials.gov")
    });
    for c in t.children() {
        let v = value(c);
        let name = c.name();
        match name {
            "TrialID" => {
                if !v.text.is_empty() {
                    rec.id = Some(v.text.to_string());
                }
                rec.push(keys::ID, v);
            }
            "Public_title" => push(&mut rec, keys::TITLE, v),
            "Scientific_title" => push(&mut rec, keys::OFFICIAL_TITLE, v),
            "Acronym" => push(&mut rec, keys::ACRONYM, v),
            "Recruitment_Status" => push(&mut rec, keys::STATUS, v),
            "Date_registration" => push(&mut rec, keys::FIRST_SUBMITTED, v),
            "Date_enrollement" | "Date_enrolment" => push(&mut rec, keys::START_DATE, v),
            "Target_size" => push(&mut rec, keys::ENROLLMENT, v),
            "Study_type" => push(&mut rec, keys::STUDY_TYPE, v),
            "Phase" => push(&mut rec, keys::PHASE, v),
            "Study_design" => {
                design_parts(&mut rec, &v);
                push(&mut rec, "x.study_design", v);
            }
            "Inclusion_agemin" => push(&mut rec, keys::MIN_AGE, v),
            "Inclusion_agemax" => push(&mut rec, keys::MAX_AGE, v),
            "Inclusion_agemin_unit" => push(&mut rec, "x.age_min_unit", v),
            "Inclusion_agemax_unit" => push(&mut rec, "x.age_max_unit", v),
            "Inclusion_gender" => push(&mut rec, keys::SEX, v),
            "Inclusion_Criteria" => push(&mut rec, keys::ELIGIBILITY, v),
            "Exclusion_Criteria" => push(&mut rec, "x.exclusion_criteria", v),
            "Condition" if ctgov => {
                for p in split_semi(&v).into_iter().filter(|p| !p.text.is_empty()) {
                    rec.push(keys::CONDITION, p);
                }
            }
            "Condition" => push(&mut rec, keys::CONDITION, v),
            "Intervention" => interventions(&mut rec, v),
            "Primary_outcome" => outcome(&mut rec, EntityKind::PrimaryOutcome, v, ctgov),
            "Secondary_outcome" => outcome(&mut rec, EntityKind::SecondaryOutcome, v, ctgov),
            "Primary_sponsor" => push(&mut rec, keys::LEAD_SPONSOR, v),
            "Secondary_sponsor" | "Secondary_Sponsor" => push(&mut rec, keys::COLLABORATOR, v),
            "Countries" => {
                for p in split_semi(&v) {
                    if !p.text.is_empty() {
                        rec.push("x.country", p);
                    }
                }
            }
            "Contact_Firstname"
            | "Contact_Lastname"
            | "Contact_Email"
            | "Contact_Tel"
            | "Contact_Affiliation"
            | "Contact_Address" => contacts.push((name, v)),
            _ => {
                let key = format!("x.{}", name.to_ascii_lowercase());
                rec.push(key, v);
            }
        }
    }
    read_contacts(&mut rec, &contacts);
    rec
}

fn push(rec: &mut Record, key: &'static str, v: Text) {
    rec.push(key, v);
}

/// ClinicalTrials.gov-style design text: "Allocation: Randomized.
/// Intervention model: Parallel Assignment. Primary purpose: Treatment.
/// Masking: Double (Participant, Investigator)."
fn design_parts(rec: &mut Record, v: &Text) {
    let s = v.text.as_str();
    for (label, key) in [
        ("Allocation:", keys::ALLOCATION),
        ("Intervention model:", keys::INTERVENTION_MODEL),
        ("Primary purpose:", keys::PRIMARY_PURPOSE),
        ("Masking:", keys::MASKING),
    ] {
        let Some(at) = s.find(label) else { continue };
        let vs = at + label.len();
        // The value runs to ". " / "." at the end / ";" / a line break,
        // whichever comes first, ignoring dots inside parentheses.
        let rest = &s[vs..];
        let mut depth = 0i32;
        let mut end = rest.len();
        for (i, c) in rest.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                ';' | '\n' => {
                    end = i;
                    break;
                }
                '.' if depth <= 0
                    && rest[i + 1..]
                        .chars()
                        .next()
                        .is_none_or(|n| n.is_whitespace()) =>
                {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        let part = xml_text::trim(&v.slice(vs, vs + end));
        if !part.text.is_empty() {
            rec.push(key, part);
        }
    }
}

fn interventions(rec: &mut Record, v: Text) {
    let pieces = split_semi(&v);
    let typed: Option<Vec<(Text, Text)>> = pieces
        .iter()
        .filter(|p| !p.text.is_empty())
        .map(|p| {
            let (ty, _) = p.text.split_once(": ")?;
            if !CTGOV_INTERVENTION_TYPES.contains(&ty) {
                return None;
            }
            let name_start = ty.len() + 2;
            Some((
                p.slice(0, ty.len()),
                xml_text::trim(&p.slice(name_start, p.text.len())),
            ))
        })
        .collect();
    match typed {
        Some(list) if pieces.len() > 1 || !list.is_empty() => {
            for (ty, name) in list {
                let e = rec.add_entity(EntityKind::Intervention, None, None);
                rec.push_in(e, keys::INTERVENTION_TYPE, ty);
                rec.push_in(e, keys::INTERVENTION_NAME, name);
            }
        }
        _ => {
            let e = rec.add_entity(EntityKind::Intervention, None, None);
            rec.push_in(e, keys::INTERVENTION_NAME, v);
        }
    }
}

fn outcome(rec: &mut Record, kind: EntityKind, v: Text, split: bool) {
    let items = if split { split_semi(&v) } else { vec![v] };
    let n = items.len();
    for item in items {
        if item.text.is_empty() && n > 1 {
            continue;
        }
        let e = rec.add_entity(kind, None, None);
        rec.push_in(e, keys::OUTCOME_MEASURE, item);
    }
}

fn read_contacts(rec: &mut Record, lists: &[(&str, Text)]) {
    let split: Vec<(&str, Vec<Text>)> = lists.iter().map(|(n, t)| (*n, split_semi(t))).collect();
    let n = split.iter().map(|(_, v)| v.len()).max().unwrap_or(0);
    let get = |name: &str, i: usize| -> Option<&Text> {
        split
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v.get(i))
            .filter(|t| !t.text.is_empty())
    };
    for i in 0..n {
        let first = get("Contact_Firstname", i);
        let last = get("Contact_Lastname", i);
        let email = get("Contact_Email", i);
        let tel = get("Contact_Tel", i);
        let aff = get("Contact_Affiliation", i);
        let addr = get("Contact_Address", i);
        if first.is_none()
            && last.is_none()
            && email.is_none()
            && tel.is_none()
            && aff.is_none()
            && addr.is_none()
        {
            continue;
        }
        let e = rec.add_entity(EntityKind::Contact, Some("contact".to_string()), None);
        let name = match (first, last) {
            (Some(f), Some(l)) if f.text != l.text => {
                let mut b = TextBuilder::new();
                b.append(f);
                b.synthetic(" ", f.whole_span().end);
                b.append(l);
                Some(b.finish())
            }
            (Some(f), _) => Some(f.clone()),
            (None, Some(l)) => Some(l.clone()),
            (None, None) => None,
        };
        if let Some(name) = name {
            rec.push_in(e, keys::CONTACT_NAME, name);
        }
        for (key, v) in [
            (keys::CONTACT_EMAIL, email),
            (keys::CONTACT_PHONE, tel),
            (keys::CONTACT_AFFILIATION, aff),
            ("x.contact.address", addr),
        ] {
            if let Some(v) = v {
                rec.push_in(e, key, v.clone());
            }
        }
    }
}
