//! Reader for legacy ClinicalTrials.gov `<clinical_study>` XML (the
//! AllPublicXML download and the classic API's `displayxml`).
//!
//! Every `<clinical_study>` element in the file (at any depth, so wrapped or
//! concatenated dumps work) becomes one record whose span is the element.
//! Field texts are the element's character data, decoded, with surrounding
//! white space trimmed; inner line breaks and indentation of textblocks are
//! kept as written so every span is exact. `<clinical_results>` is not read,
//! and its content is checked but not made into elements
//! ([`scan::parse_skipping`]).

use super::xml_scan::{self as scan, same, Element};
use crate::record::{keys, EntityKind, Field, Record};

pub const FORMAT: &str = "ctgov-xml";

/// What the tree of a file leaves out: the results, which are not read
/// (unless a study is inside them: every study is read, at any depth).
const RESULTS: scan::Skip = scan::Skip {
    name: "clinical_results",
    unless: "clinical_study",
};

/// Read every record in the file.
pub fn read(text: &str) -> Result<Vec<Record>, String> {
    let doc = scan::parse_skipping(text, RESULTS)?;
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

/// The names of `<clinical_study>`'s children that [`read_study`] reads,
/// in the order the legacy schema writes them.
const STUDY_CHILDREN: &[&str] = &[
    "id_info",
    "brief_title",
    "acronym",
    "official_title",
    "sponsors",
    "source",
    "brief_summary",
    "detailed_description",
    "overall_status",
    "last_known_status",
    "why_stopped",
    "start_date",
    "completion_date",
    "primary_completion_date",
    "phase",
    "study_type",
    "study_design",
    "study_design_info",
    "primary_outcome",
    "secondary_outcome",
    "other_outcome",
    "number_of_arms",
    "number_of_groups",
    "enrollment",
    "condition",
    "arm_group",
    "intervention",
    "eligibility",
    "overall_official",
    "overall_contact",
    "overall_contact_backup",
    "location",
    "location_countries",
    "verification_date",
    "firstreceived_date",
    "study_first_submitted",
    "study_first_submitted_qc",
    "study_first_posted",
    "firstreceived_results_date",
    "results_first_submitted",
    "results_first_posted",
    "lastchanged_date",
    "last_update_submitted",
    "last_update_submitted_qc",
    "last_update_posted",
    "responsible_party",
    "keyword",
];

/// A list of names, found by length: a name is compared only with the
/// listed names of its length (at most five here).
struct Names {
    list: &'static [&'static str],
    /// `by_len[n]`: the places in `list` of the names `n` bytes long.
    by_len: Vec<Vec<u8>>,
}

impl Names {
    fn new(list: &'static [&'static str]) -> Names {
        assert!(list.len() <= usize::from(u8::MAX));
        let longest = list.iter().map(|n| n.len()).max().unwrap_or(0);
        let mut by_len = vec![Vec::new(); longest + 1];
        for (i, name) in list.iter().enumerate() {
            by_len[name.len()].push(i as u8);
        }
        Names { list, by_len }
    }

    /// The place of `name` in the list.
    fn place(&self, name: &str) -> Option<u8> {
        let same_len = self.by_len.get(name.len())?;
        same_len
            .iter()
            .copied()
            .find(|&i| same(self.list[usize::from(i)], name))
    }
}

fn study_names() -> &'static Names {
    static NAMES: std::sync::OnceLock<Names> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| Names::new(STUDY_CHILDREN))
}

/// An element's children with listed names, found by name without going
/// through all of them: `read_study` asks `<clinical_study>` (about 50
/// children) for about 65 names, and going through the children for each
/// took about 8 thousand instructions a benchmark record more than one
/// pass that notes each listed name's first child and count (sorting the
/// children by name instead took 27 thousand more).
struct ByName<'d> {
    names: &'static Names,
    /// Per listed name (by its place in the list): its first child.
    first: [Option<Element<'d>>; MAX_NAMES],
    /// Per listed name: how many children have it.
    count: [u32; MAX_NAMES],
}

/// The longest list of names a [`ByName`] indexes.
const MAX_NAMES: usize = 64;

impl<'d> ByName<'d> {
    fn new(parent: Element<'d>, names: &'static Names) -> ByName<'d> {
        assert!(names.list.len() <= MAX_NAMES);
        let mut by_name = ByName {
            names,
            first: [None; MAX_NAMES],
            count: [0; MAX_NAMES],
        };
        for c in parent.children() {
            if let Some(place) = names.place(c.name()) {
                let place = usize::from(place);
                by_name.first[place].get_or_insert(c);
                by_name.count[place] += 1;
            }
        }
        by_name
    }

    fn place(&self, name: &str) -> usize {
        let place = self.names.place(name);
        usize::from(place.unwrap_or_else(|| panic!("<{name}> is not a listed name")))
    }

    /// Every child named `name` (one of the list's), in document order:
    /// from the first to the last, usually side by side.
    fn all(&self, name: &'d str) -> impl Iterator<Item = Element<'d>> + 'd {
        let place = self.place(name);
        std::iter::successors(self.first[place], |e| e.next_sibling())
            .filter(move |e| same(e.name(), name))
            .take(self.count[place] as usize)
    }

    /// The first child named `name` (one of the list's).
    fn first(&self, name: &str) -> Option<Element<'d>> {
        self.first[self.place(name)]
    }
}

/// A `<x><textblock>..</textblock></x>` section (or plain text in `<x>`).
fn textblock(el: Option<Element>) -> Option<Element> {
    let el = el?;
    Some(el.child("textblock").unwrap_or(el))
}

fn read_study(s: Element) -> Record {
    let mut rec = Record::new(FORMAT);
    rec.span = s.span();
    // every field is read from an element of the study (one each, or two
    // for a few), which the parsed document counts
    rec.reserve_for(
        rec.span.end.saturating_sub(rec.span.start),
        s.descendants() + 1,
    );
    let children = ByName::new(s, study_names());
    let top = |name: &str| children.first(name);

    if let Some(id) = top("id_info").and_then(|ids| ids.child("nct_id")) {
        let t = id.value();
        if !t.text.is_empty() {
            rec.id = Some(t.text.to_string());
        }
        rec.push(keys::ID, t);
    }
    if let Some(ids) = top("id_info") {
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
    if let Some(sp) = top("sponsors") {
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
    if let Some(rp) = top("responsible_party") {
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
    for p in children.all("phase") {
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
    if let Some(d) = top("study_design_info") {
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
    for c in children.all("condition") {
        put(&mut rec, None, keys::CONDITION, Some(c));
    }
    for k in children.all("keyword") {
        put(&mut rec, None, keys::KEYWORD, Some(k));
    }

    // eligibility
    if let Some(el) = top("eligibility") {
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
    for a in children.all("arm_group") {
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
    for i in children.all("intervention") {
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
        for o in children.all(tag) {
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
    for c in children.all("overall_contact") {
        contact(&mut rec, c, "central contact", None);
    }
    for c in children.all("overall_contact_backup") {
        contact(&mut rec, c, "central contact backup", None);
    }
    for c in children.all("overall_official") {
        contact(&mut rec, c, "overall official", None);
    }

    // locations
    for l in children.all("location") {
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
    if let Some(lc) = top("location_countries") {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `ByName` finds what going through the children finds (`child`,
    /// `children_named`), for every listed name, on generated studies
    /// (listed names in any order, repeated, unlisted names and names
    /// of a listed one's length among them) and the corpus's XML files.
    #[test]
    fn by_name_finds_what_the_children_hold() {
        let pieces = [
            "<phase>1</phase>",
            "<phase/>",
            "<condition>a</condition>",
            "<keyword>k</keyword>",
            "<id_info/>",
            "<acronym>x</acronym>",
            "<location/>",
            "<sponsors/>",
            "<brief_title>t</brief_title>",
            "<why_stopped/>",
            "<eligibility/>",
            // unlisted, some of a listed name's length
            "<phasf/>",
            "<keywore/>",
            "<oversight_info/>",
            "<required_header/>",
            "<x/>",
            "text",
        ];
        let docs = crate::extract::random_texts(&pieces, 5_000, 12, 0x5eed_b1a3);
        let files: Vec<String> = crate::source::corpus_files(&["ctgov-xml"])
            .into_iter()
            .map(|(_, src)| src)
            .collect();
        let srcs = docs
            .iter()
            .map(|d| format!("<clinical_study>{d}</clinical_study>"));
        let (mut found, mut studies) = (0, 0);
        for src in srcs.chain(files.iter().cloned()) {
            let Ok(doc) = scan::parse(&src) else { continue };
            let mut all = Vec::new();
            for r in doc.roots() {
                r.find_all("clinical_study", &mut all);
            }
            for s in all {
                studies += 1;
                let by_name = ByName::new(s, study_names());
                for &name in STUDY_CHILDREN {
                    let spans = |it: &mut dyn Iterator<Item = Element>| {
                        it.map(|e| e.span()).collect::<Vec<_>>()
                    };
                    let expected = spans(&mut s.children_named(name));
                    assert_eq!(spans(&mut by_name.all(name)), expected, "{name} {src:?}");
                    assert_eq!(
                        by_name.first(name).map(|e| e.span()),
                        s.child(name).map(|e| e.span()),
                        "{name} {src:?}"
                    );
                    found += expected.len();
                }
            }
        }
        assert!(studies > 4_000 && found > 20_000, "{studies} {found}");
    }
}
