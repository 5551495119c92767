//! Reader for legacy ClinicalTrials.gov `<clinical_study>` XML (the
//! AllPublicXML download and the classic API's `displayxml`).
//!
//! Every `<clinical_study>` element in the file (at any depth, so wrapped or
//! concatenated dumps work) becomes one record whose span is the element.
//! Field texts are the element's character data, decoded, with surrounding
//! white space trimmed; inner line breaks and indentation of textblocks are
//! kept as written so every span is exact. `<clinical_results>` is not read.

use super::xml_scan::{self as scan, Element};
use crate::record::{keys, EntityKind, Field, Record};

pub const FORMAT: &str = "ctgov-xml";

/// Read every record in the file.
pub fn read(text: &str) -> Result<Vec<Record>, String> {
    let doc = scan::parse(text)?;
    let mut studies = Vec::new();
    for r in doc.roots() {
        r.find_all("clinical_study", &mut studies);
    }
    Ok(studies.into_iter().map(read_study).collect())
}

/// Push the trimmed value of `el` under `key`, with the `type` attribute as
/// qualifier when it has one.
fn put(
    rec: &mut Record,
    entity: Option<usize>,
    key: &'static str,
    el: Option<Element>,
) -> Option<usize> {
    let el = el?;
    let qualifier = el.attr("type").map(|t| super::xml_text::trim(&t));
    Some(rec.push_field(Field {
        key: key.into(),
        text: el.value(),
        qualifier,
        entity,
        gate_words: Default::default(),
    }))
}

/// A `<x><textblock>..</textblock></x>` section (or plain text in `<x>`).
fn textblock(el: Option<Element>) -> Option<Element> {
    let el = el?;
    Some(el.child("textblock").unwrap_or(el))
}

fn read_study(s: Element) -> Record {
    let mut rec = Record::new(FORMAT);
    rec.span = s.span();
    // Room for every field from the start (as the JSON reader makes): a
    // study's fields are far fewer than one per 64 bytes of its markup,
    // and a vector grown by doubling copies itself at every step.
    let len = rec.span.end.saturating_sub(rec.span.start);
    rec.fields.reserve(len / 64 + 16);
    let top = |name: &str| s.child(name);

    if let Some(id) = s.path(&["id_info", "nct_id"]) {
        let t = id.value();
        if !t.text.is_empty() {
            rec.id = Some(t.text.to_string());
        }
        rec.push(keys::ID, t);
    }
    if let Some(ids) = s.child("id_info") {
        put(&mut rec, None, "x.org_study_id", ids.child("org_study_id"));
        for e in ids.children_named("secondary_id") {
            put(&mut rec, None, "x.secondary_id", Some(e));
        }
        for e in ids.children_named("nct_alias") {
            put(&mut rec, None, "x.nct_alias", Some(e));
        }
    }
    put(&mut rec, None, keys::TITLE, top("brief_title"));
    put(&mut rec, None, keys::OFFICIAL_TITLE, top("official_title"));
    put(&mut rec, None, keys::ACRONYM, top("acronym"));

    // organisations
    if let Some(sp) = s.child("sponsors") {
        put(
            &mut rec,
            None,
            keys::LEAD_SPONSOR,
            sp.path(&["lead_sponsor", "agency"]),
        );
        for c in sp.children_named("collaborator") {
            put(&mut rec, None, keys::COLLABORATOR, c.child("agency"));
        }
    }
    put(&mut rec, None, keys::ORGANIZATION, top("source"));
    if let Some(rp) = s.child("responsible_party") {
        let main = rp
            .child("investigator_full_name")
            .or_else(|| rp.child("name_title"))
            .or_else(|| rp.child("responsible_party_type"));
        put(&mut rec, None, keys::RESPONSIBLE_PARTY, main);
        put(
            &mut rec,
            None,
            "x.responsible_party.type",
            rp.child("responsible_party_type"),
        );
        put(
            &mut rec,
            None,
            "x.responsible_party.title",
            rp.child("investigator_title"),
        );
        put(
            &mut rec,
            None,
            "x.responsible_party.affiliation",
            rp.child("investigator_affiliation")
                .or_else(|| rp.child("organization")),
        );
    }

    // descriptions
    put(
        &mut rec,
        None,
        keys::BRIEF_SUMMARY,
        textblock(top("brief_summary")),
    );
    put(
        &mut rec,
        None,
        keys::DETAILED_DESCRIPTION,
        textblock(top("detailed_description")),
    );

    // status and dates
    put(&mut rec, None, keys::STATUS, top("overall_status"));
    put(
        &mut rec,
        None,
        "x.last_known_status",
        top("last_known_status"),
    );
    put(&mut rec, None, keys::WHY_STOPPED, top("why_stopped"));
    put(&mut rec, None, keys::START_DATE, top("start_date"));
    put(
        &mut rec,
        None,
        keys::PRIMARY_COMPLETION_DATE,
        top("primary_completion_date"),
    );
    put(
        &mut rec,
        None,
        keys::COMPLETION_DATE,
        top("completion_date"),
    );
    put(
        &mut rec,
        None,
        keys::FIRST_SUBMITTED,
        top("study_first_submitted").or_else(|| top("firstreceived_date")),
    );
    put(
        &mut rec,
        None,
        keys::FIRST_SUBMITTED_QC,
        top("study_first_submitted_qc"),
    );
    put(
        &mut rec,
        None,
        keys::FIRST_POSTED,
        top("study_first_posted"),
    );
    put(
        &mut rec,
        None,
        keys::LAST_UPDATE_SUBMITTED,
        top("last_update_submitted").or_else(|| top("lastchanged_date")),
    );
    put(
        &mut rec,
        None,
        "x.last_update_submitted_qc",
        top("last_update_submitted_qc"),
    );
    put(
        &mut rec,
        None,
        keys::LAST_UPDATE_POSTED,
        top("last_update_posted"),
    );
    put(
        &mut rec,
        None,
        "x.results_first_submitted",
        top("results_first_submitted"),
    );
    put(
        &mut rec,
        None,
        keys::RESULTS_FIRST_POSTED,
        top("results_first_posted"),
    );
    put(
        &mut rec,
        None,
        "x.first_received_results",
        top("firstreceived_results_date"),
    );
    put(
        &mut rec,
        None,
        keys::VERIFIED_DATE,
        top("verification_date"),
    );

    // design
    put(&mut rec, None, keys::STUDY_TYPE, top("study_type"));
    for p in s.children_named("phase") {
        put(&mut rec, None, keys::PHASE, Some(p));
    }
    put(&mut rec, None, keys::ENROLLMENT, top("enrollment"));
    put(&mut rec, None, "x.number_of_arms", top("number_of_arms"));
    put(
        &mut rec,
        None,
        "x.number_of_groups",
        top("number_of_groups"),
    );
    put(&mut rec, None, "x.study_design", top("study_design"));
    if let Some(d) = s.child("study_design_info") {
        put(&mut rec, None, keys::ALLOCATION, d.child("allocation"));
        put(
            &mut rec,
            None,
            keys::INTERVENTION_MODEL,
            d.child("intervention_model"),
        );
        put(
            &mut rec,
            None,
            "x.intervention_model_description",
            d.child("intervention_model_description"),
        );
        put(
            &mut rec,
            None,
            keys::PRIMARY_PURPOSE,
            d.child("primary_purpose"),
        );
        put(&mut rec, None, keys::MASKING, d.child("masking"));
        put(
            &mut rec,
            None,
            "x.masking_description",
            d.child("masking_description"),
        );
        put(
            &mut rec,
            None,
            "x.observational_model",
            d.child("observational_model"),
        );
        put(
            &mut rec,
            None,
            "x.time_perspective",
            d.child("time_perspective"),
        );
    }
    for c in s.children_named("condition") {
        put(&mut rec, None, keys::CONDITION, Some(c));
    }
    for k in s.children_named("keyword") {
        put(&mut rec, None, keys::KEYWORD, Some(k));
    }

    // eligibility
    if let Some(el) = s.child("eligibility") {
        put(
            &mut rec,
            None,
            "x.study_pop",
            textblock(el.child("study_pop")),
        );
        put(
            &mut rec,
            None,
            "x.sampling_method",
            el.child("sampling_method"),
        );
        put(
            &mut rec,
            None,
            keys::ELIGIBILITY,
            textblock(el.child("criteria")),
        );
        put(&mut rec, None, keys::SEX, el.child("gender"));
        put(&mut rec, None, "x.gender_based", el.child("gender_based"));
        put(
            &mut rec,
            None,
            keys::GENDER_DESCRIPTION,
            el.child("gender_description"),
        );
        put(&mut rec, None, keys::MIN_AGE, el.child("minimum_age"));
        put(&mut rec, None, keys::MAX_AGE, el.child("maximum_age"));
        put(
            &mut rec,
            None,
            keys::HEALTHY_VOLUNTEERS,
            el.child("healthy_volunteers"),
        );
    }

    // arms and interventions
    for a in s.children_named("arm_group") {
        let e = rec.add_entity(EntityKind::Arm, None, None);
        put(
            &mut rec,
            Some(e),
            keys::ARM_LABEL,
            a.child("arm_group_label"),
        );
        put(&mut rec, Some(e), keys::ARM_TYPE, a.child("arm_group_type"));
        put(
            &mut rec,
            Some(e),
            keys::ARM_DESCRIPTION,
            a.child("description"),
        );
    }
    for i in s.children_named("intervention") {
        let e = rec.add_entity(EntityKind::Intervention, None, None);
        put(
            &mut rec,
            Some(e),
            keys::INTERVENTION_TYPE,
            i.child("intervention_type"),
        );
        put(
            &mut rec,
            Some(e),
            keys::INTERVENTION_NAME,
            i.child("intervention_name"),
        );
        put(
            &mut rec,
            Some(e),
            keys::INTERVENTION_DESCRIPTION,
            i.child("description"),
        );
        for o in i.children_named("other_name") {
            put(&mut rec, Some(e), keys::INTERVENTION_OTHER_NAME, Some(o));
        }
        for l in i.children_named("arm_group_label") {
            put(&mut rec, Some(e), "x.intervention.arm_label", Some(l));
        }
    }

    // outcomes
    for (tag, kind) in [
        ("primary_outcome", EntityKind::PrimaryOutcome),
        ("secondary_outcome", EntityKind::SecondaryOutcome),
        ("other_outcome", EntityKind::OtherOutcome),
    ] {
        for o in s.children_named(tag) {
            let e = rec.add_entity(kind, None, None);
            put(&mut rec, Some(e), keys::OUTCOME_MEASURE, o.child("measure"));
            put(
                &mut rec,
                Some(e),
                keys::OUTCOME_TIME_FRAME,
                o.child("time_frame"),
            );
            put(
                &mut rec,
                Some(e),
                keys::OUTCOME_DESCRIPTION,
                o.child("description"),
            );
        }
    }

    // people
    for c in s.children_named("overall_contact") {
        contact(&mut rec, c, "central contact", None);
    }
    for c in s.children_named("overall_contact_backup") {
        contact(&mut rec, c, "central contact backup", None);
    }
    for c in s.children_named("overall_official") {
        contact(&mut rec, c, "overall official", None);
    }

    // locations
    for l in s.children_named("location") {
        let e = rec.add_entity(EntityKind::Location, None, None);
        let fac = l.child("facility");
        put(
            &mut rec,
            Some(e),
            keys::LOCATION_FACILITY,
            fac.and_then(|f| f.child("name")),
        );
        if let Some(addr) = fac.and_then(|f| f.child("address")) {
            put(&mut rec, Some(e), keys::LOCATION_CITY, addr.child("city"));
            put(&mut rec, Some(e), "x.location.state", addr.child("state"));
            put(&mut rec, Some(e), "x.location.zip", addr.child("zip"));
            put(
                &mut rec,
                Some(e),
                keys::LOCATION_COUNTRY,
                addr.child("country"),
            );
        }
        put(&mut rec, Some(e), keys::LOCATION_STATUS, l.child("status"));
        for c in l.children_named("contact") {
            contact(&mut rec, c, "site contact", Some(e));
        }
        for c in l.children_named("contact_backup") {
            contact(&mut rec, c, "site contact backup", Some(e));
        }
        for c in l.children_named("investigator") {
            contact(&mut rec, c, "site investigator", Some(e));
        }
    }
    if let Some(lc) = s.child("location_countries") {
        for c in lc.children_named("country") {
            put(&mut rec, None, "x.location_country", Some(c));
        }
    }
    rec
}

/// A `contact_struct` or `investigator_struct`.
fn contact(rec: &mut Record, c: Element, role: &str, parent: Option<usize>) {
    let e = rec.add_entity(EntityKind::Contact, Some(role.to_string()), parent);
    put(rec, Some(e), keys::CONTACT_NAME, c.child("last_name"));
    put(rec, Some(e), "x.contact.first_name", c.child("first_name"));
    put(
        rec,
        Some(e),
        "x.contact.middle_name",
        c.child("middle_name"),
    );
    put(rec, Some(e), "x.contact.degrees", c.child("degrees"));
    put(rec, Some(e), "x.contact.role", c.child("role"));
    put(
        rec,
        Some(e),
        keys::CONTACT_AFFILIATION,
        c.child("affiliation"),
    );
    put(rec, Some(e), keys::CONTACT_PHONE, c.child("phone"));
    put(rec, Some(e), "x.contact.phone_ext", c.child("phone_ext"));
    put(rec, Some(e), keys::CONTACT_EMAIL, c.child("email"));
}
