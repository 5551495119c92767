//! Reader for the retired ClinicalTrials.gov classic API's JSON ("v1").
//!
//! Shapes: a full-studies response `{"FullStudiesResponse": {"FullStudies":
//! [{"Rank": 1, "Study": {...}}, ...]}}`, a wrapped study `{"Study": {...}}`,
//! a bare Study object (`{"ProtocolSection": ...}`, the shape of every file
//! in the corpus), a top-level array of either, and JSON Lines of any of
//! these. Each record's span is the Study object.
//!
//! Same spans approach as the v2 reader (borrowed raw leaves). v1 text is
//! plain text, not markdown, so only JSON escapes are undone.

#![allow(non_snake_case)]

use crate::record::{keys, EntityKind, Record};
use crate::source::ctgov_json::{
    document, for_each_document, for_each_element, offset, parse_at, position, raw_span, site_role,
    Fields,
};
use serde::Deserialize;
use serde_json::value::RawValue;

pub const FORMAT: &str = "ctgov-json-v1";

const NOT_A_STUDY: &str =
    "JSON document is not a ClinicalTrials.gov classic API (v1) study: no `ProtocolSection`";

type Raw<'a> = &'a RawValue;

/// Read every record in the file.
pub fn read(input: &str) -> Result<Vec<Record>, String> {
    let mut out = Vec::new();
    for_each_document(input, |n, doc| {
        top(input, doc, &mut out, false, &document(n))
    })?;
    Ok(out)
}

/// A top-level value, or an element of a top-level array.
fn top<'a>(
    input: &'a str,
    doc: Raw<'a>,
    out: &mut Vec<Record>,
    nested: bool,
    what: &str,
) -> Result<(), String> {
    match doc.get().as_bytes().first() {
        Some(b'[') if !nested => for_each_element(input, doc, |i, el| {
            top(
                input,
                el,
                out,
                true,
                &format!("element {} of the top-level array", i + 1),
            )
        }),
        Some(b'{') => {
            let t: Top = parse_at(input, doc)?;
            if t.ProtocolSection.is_some() {
                out.push(build(input, doc, t.ProtocolSection));
                Ok(())
            } else if let Some(study) = t.Study {
                one_study(input, study, out, "`Study`")
            } else if let Some(fsr) = t.FullStudiesResponse {
                let Some(list) = fsr.FullStudies else {
                    return Ok(());
                };
                if !list.get().starts_with('[') {
                    return Err(format!(
                        "`FullStudies` is not an array {}",
                        position(input, offset(input, list))
                    ));
                }
                for_each_element(input, list, |i, el| {
                    let what = format!("element {} of `FullStudies`", i + 1);
                    if !el.get().starts_with('{') {
                        return Err(not_a_study(input, el, &what));
                    }
                    let w: Wrapped = parse_at(input, el)?;
                    match w.Study {
                        Some(study) => one_study(input, study, out, &what),
                        None => Err(not_a_study(input, el, &what)),
                    }
                })
            } else {
                Err(not_a_study(input, doc, what))
            }
        }
        _ => Err(not_a_study(input, doc, what)),
    }
}

fn one_study<'a>(
    input: &'a str,
    study: Raw<'a>,
    out: &mut Vec<Record>,
    what: &str,
) -> Result<(), String> {
    if !study.get().starts_with('{') {
        return Err(not_a_study(input, study, what));
    }
    let s: StudyDoc = parse_at(input, study)?;
    if s.ProtocolSection.is_none() {
        return Err(not_a_study(input, study, what));
    }
    out.push(build(input, study, s.ProtocolSection));
    Ok(())
}

fn not_a_study(input: &str, raw: Raw, what: &str) -> String {
    let mut msg = if what.is_empty() {
        NOT_A_STUDY.to_string()
    } else {
        format!(
            "{NOT_A_STUDY} ({what}, {})",
            position(input, offset(input, raw))
        )
    };
    if raw.get().contains("\"protocolSection\"") {
        msg.push_str(" (it looks like API v2 JSON, with `protocolSection`)");
    }
    msg
}

// ---------------------------------------------------------------------------
// The v1 schema, as far as trialint maps it. Field names are the JSON keys.

#[derive(Deserialize)]
struct Top<'a> {
    #[serde(borrow)]
    ProtocolSection: Option<Protocol<'a>>,
    #[serde(borrow)]
    Study: Option<Raw<'a>>,
    #[serde(borrow)]
    FullStudiesResponse: Option<FullStudiesResponse<'a>>,
}

#[derive(Deserialize)]
struct FullStudiesResponse<'a> {
    #[serde(borrow)]
    FullStudies: Option<Raw<'a>>,
}

#[derive(Deserialize)]
struct Wrapped<'a> {
    #[serde(borrow)]
    Study: Option<Raw<'a>>,
}

#[derive(Deserialize)]
struct StudyDoc<'a> {
    #[serde(borrow)]
    ProtocolSection: Option<Protocol<'a>>,
}

#[derive(Deserialize, Default)]
struct Protocol<'a> {
    #[serde(borrow)]
    IdentificationModule: Option<Identification<'a>>,
    #[serde(borrow)]
    StatusModule: Option<Status<'a>>,
    #[serde(borrow)]
    SponsorCollaboratorsModule: Option<Sponsors<'a>>,
    #[serde(borrow)]
    DescriptionModule: Option<Description<'a>>,
    #[serde(borrow)]
    ConditionsModule: Option<Conditions<'a>>,
    #[serde(borrow)]
    DesignModule: Option<Design<'a>>,
    #[serde(borrow)]
    ArmsInterventionsModule: Option<ArmsInterventions<'a>>,
    #[serde(borrow)]
    OutcomesModule: Option<Outcomes<'a>>,
    #[serde(borrow)]
    EligibilityModule: Option<Eligibility<'a>>,
    #[serde(borrow)]
    ContactsLocationsModule: Option<ContactsLocations<'a>>,
}

#[derive(Deserialize)]
struct Identification<'a> {
    #[serde(borrow)]
    NCTId: Option<Raw<'a>>,
    #[serde(borrow)]
    BriefTitle: Option<Raw<'a>>,
    #[serde(borrow)]
    OfficialTitle: Option<Raw<'a>>,
    #[serde(borrow)]
    Acronym: Option<Raw<'a>>,
    #[serde(borrow)]
    Organization: Option<Organization<'a>>,
}

#[derive(Deserialize)]
struct Organization<'a> {
    #[serde(borrow)]
    OrgFullName: Option<Raw<'a>>,
}

#[derive(Deserialize)]
struct Status<'a> {
    #[serde(borrow)]
    StatusVerifiedDate: Option<Raw<'a>>,
    #[serde(borrow)]
    OverallStatus: Option<Raw<'a>>,
    #[serde(borrow)]
    WhyStopped: Option<Raw<'a>>,
    #[serde(borrow)]
    StartDateStruct: Option<StartDate<'a>>,
    #[serde(borrow)]
    PrimaryCompletionDateStruct: Option<PrimaryCompletionDate<'a>>,
    #[serde(borrow)]
    CompletionDateStruct: Option<CompletionDate<'a>>,
    #[serde(borrow)]
    StudyFirstSubmitDate: Option<Raw<'a>>,
    #[serde(borrow)]
    StudyFirstSubmitQCDate: Option<Raw<'a>>,
    #[serde(borrow)]
    StudyFirstPostDateStruct: Option<StudyFirstPostDate<'a>>,
    #[serde(borrow)]
    LastUpdateSubmitDate: Option<Raw<'a>>,
    #[serde(borrow)]
    LastUpdatePostDateStruct: Option<LastUpdatePostDate<'a>>,
    #[serde(borrow)]
    ResultsFirstPostDateStruct: Option<ResultsFirstPostDate<'a>>,
}

#[derive(Deserialize)]
struct StartDate<'a> {
    #[serde(borrow)]
    StartDate: Option<Raw<'a>>,
    #[serde(borrow)]
    StartDateType: Option<Raw<'a>>,
}

#[derive(Deserialize)]
struct PrimaryCompletionDate<'a> {
    #[serde(borrow)]
    PrimaryCompletionDate: Option<Raw<'a>>,
    #[serde(borrow)]
    PrimaryCompletionDateType: Option<Raw<'a>>,
}

#[derive(Deserialize)]
struct CompletionDate<'a> {
    #[serde(borrow)]
    CompletionDate: Option<Raw<'a>>,
    #[serde(borrow)]
    CompletionDateType: Option<Raw<'a>>,
}

#[derive(Deserialize)]
struct StudyFirstPostDate<'a> {
    #[serde(borrow)]
    StudyFirstPostDate: Option<Raw<'a>>,
    #[serde(borrow)]
    StudyFirstPostDateType: Option<Raw<'a>>,
}

#[derive(Deserialize)]
struct LastUpdatePostDate<'a> {
    #[serde(borrow)]
    LastUpdatePostDate: Option<Raw<'a>>,
    #[serde(borrow)]
    LastUpdatePostDateType: Option<Raw<'a>>,
}

#[derive(Deserialize)]
struct ResultsFirstPostDate<'a> {
    #[serde(borrow)]
    ResultsFirstPostDate: Option<Raw<'a>>,
    #[serde(borrow)]
    ResultsFirstPostDateType: Option<Raw<'a>>,
}

#[derive(Deserialize)]
struct Sponsors<'a> {
    #[serde(borrow)]
    ResponsibleParty: Option<ResponsibleParty<'a>>,
    #[serde(borrow)]
    LeadSponsor: Option<LeadSponsor<'a>>,
    #[serde(borrow)]
    CollaboratorList: Option<CollaboratorList<'a>>,
}

#[derive(Deserialize)]
struct ResponsibleParty<'a> {
    #[serde(borrow)]
    ResponsiblePartyInvestigatorFullName: Option<Raw<'a>>,
    #[serde(borrow)]
    ResponsiblePartyInvestigatorAffiliation: Option<Raw<'a>>,
}

#[derive(Deserialize)]
struct LeadSponsor<'a> {
    #[serde(borrow)]
    LeadSponsorName: Option<Raw<'a>>,
}

#[derive(Deserialize)]
struct CollaboratorList<'a> {
    #[serde(borrow)]
    Collaborator: Option<Vec<Collaborator<'a>>>,
}

#[derive(Deserialize)]
struct Collaborator<'a> {
    #[serde(borrow)]
    CollaboratorName: Option<Raw<'a>>,
}

#[derive(Deserialize)]
struct Description<'a> {
    #[serde(borrow)]
    BriefSummary: Option<Raw<'a>>,
    #[serde(borrow)]
    DetailedDescription: Option<Raw<'a>>,
}

#[derive(Deserialize)]
struct Conditions<'a> {
    #[serde(borrow)]
    ConditionList: Option<ConditionList<'a>>,
    #[serde(borrow)]
    KeywordList: Option<KeywordList<'a>>,
}

#[derive(Deserialize)]
struct ConditionList<'a> {
    #[serde(borrow)]
    Condition: Option<Vec<Raw<'a>>>,
}

#[derive(Deserialize)]
struct KeywordList<'a> {
    #[serde(borrow)]
    Keyword: Option<Vec<Raw<'a>>>,
}

#[derive(Deserialize)]
struct Design<'a> {
    #[serde(borrow)]
    StudyType: Option<Raw<'a>>,
    #[serde(borrow)]
    PhaseList: Option<PhaseList<'a>>,
    #[serde(borrow)]
    DesignInfo: Option<DesignInfo<'a>>,
    #[serde(borrow)]
    EnrollmentInfo: Option<EnrollmentInfo<'a>>,
}

#[derive(Deserialize)]
struct PhaseList<'a> {
    #[serde(borrow)]
    Phase: Option<Vec<Raw<'a>>>,
}

#[derive(Deserialize)]
struct DesignInfo<'a> {
    #[serde(borrow)]
    DesignAllocation: Option<Raw<'a>>,
    #[serde(borrow)]
    DesignInterventionModel: Option<Raw<'a>>,
    #[serde(borrow)]
    DesignPrimaryPurpose: Option<Raw<'a>>,
    #[serde(borrow)]
    DesignMaskingInfo: Option<DesignMaskingInfo<'a>>,
}

#[derive(Deserialize)]
struct DesignMaskingInfo<'a> {
    #[serde(borrow)]
    DesignMasking: Option<Raw<'a>>,
}

#[derive(Deserialize)]
struct EnrollmentInfo<'a> {
    #[serde(borrow)]
    EnrollmentCount: Option<Raw<'a>>,
    #[serde(borrow)]
    EnrollmentType: Option<Raw<'a>>,
}

#[derive(Deserialize)]
struct ArmsInterventions<'a> {
    #[serde(borrow)]
    ArmGroupList: Option<ArmGroupList<'a>>,
    #[serde(borrow)]
    InterventionList: Option<InterventionList<'a>>,
}

#[derive(Deserialize)]
struct ArmGroupList<'a> {
    #[serde(borrow)]
    ArmGroup: Option<Vec<ArmGroup<'a>>>,
}

#[derive(Deserialize)]
struct ArmGroup<'a> {
    #[serde(borrow)]
    ArmGroupLabel: Option<Raw<'a>>,
    #[serde(borrow)]
    ArmGroupType: Option<Raw<'a>>,
    #[serde(borrow)]
    ArmGroupDescription: Option<Raw<'a>>,
    #[serde(borrow)]
    ArmGroupInterventionList: Option<ArmGroupInterventionList<'a>>,
}

#[derive(Deserialize)]
struct ArmGroupInterventionList<'a> {
    #[serde(borrow)]
    ArmGroupInterventionName: Option<Vec<Raw<'a>>>,
}

#[derive(Deserialize)]
struct InterventionList<'a> {
    #[serde(borrow)]
    Intervention: Option<Vec<Intervention<'a>>>,
}

#[derive(Deserialize)]
struct Intervention<'a> {
    #[serde(borrow)]
    InterventionType: Option<Raw<'a>>,
    #[serde(borrow)]
    InterventionName: Option<Raw<'a>>,
    #[serde(borrow)]
    InterventionDescription: Option<Raw<'a>>,
    #[serde(borrow)]
    InterventionOtherNameList: Option<InterventionOtherNameList<'a>>,
}

#[derive(Deserialize)]
struct InterventionOtherNameList<'a> {
    #[serde(borrow)]
    InterventionOtherName: Option<Vec<Raw<'a>>>,
}

#[derive(Deserialize)]
struct Outcomes<'a> {
    #[serde(borrow)]
    PrimaryOutcomeList: Option<PrimaryOutcomeList<'a>>,
    #[serde(borrow)]
    SecondaryOutcomeList: Option<SecondaryOutcomeList<'a>>,
    #[serde(borrow)]
    OtherOutcomeList: Option<OtherOutcomeList<'a>>,
}

#[derive(Deserialize)]
struct PrimaryOutcomeList<'a> {
    #[serde(borrow)]
    PrimaryOutcome: Option<Vec<PrimaryOutcome<'a>>>,
}

#[derive(Deserialize)]
struct PrimaryOutcome<'a> {
    #[serde(borrow)]
    PrimaryOutcomeMeasure: Option<Raw<'a>>,
    #[serde(borrow)]
    PrimaryOutcomeDescription: Option<Raw<'a>>,
    #[serde(borrow)]
    PrimaryOutcomeTimeFrame: Option<Raw<'a>>,
}

#[derive(Deserialize)]
struct SecondaryOutcomeList<'a> {
    #[serde(borrow)]
    SecondaryOutcome: Option<Vec<SecondaryOutcome<'a>>>,
}

#[derive(Deserialize)]
struct SecondaryOutcome<'a> {
    #[serde(borrow)]
    SecondaryOutcomeMeasure: Option<Raw<'a>>,
    #[serde(borrow)]
    SecondaryOutcomeDescription: Option<Raw<'a>>,
    #[serde(borrow)]
    SecondaryOutcomeTimeFrame: Option<Raw<'a>>,
}

#[derive(Deserialize)]
struct OtherOutcomeList<'a> {
    #[serde(borrow)]
    OtherOutcome: Option<Vec<OtherOutcome<'a>>>,
}

#[derive(Deserialize)]
struct OtherOutcome<'a> {
    #[serde(borrow)]
    OtherOutcomeMeasure: Option<Raw<'a>>,
    #[serde(borrow)]
    OtherOutcomeDescription: Option<Raw<'a>>,
    #[serde(borrow)]
    OtherOutcomeTimeFrame: Option<Raw<'a>>,
}

#[derive(Deserialize)]
struct Eligibility<'a> {
    #[serde(borrow)]
    EligibilityCriteria: Option<Raw<'a>>,
    #[serde(borrow)]
    HealthyVolunteers: Option<Raw<'a>>,
    #[serde(borrow)]
    Gender: Option<Raw<'a>>,
    #[serde(borrow)]
    GenderDescription: Option<Raw<'a>>,
    #[serde(borrow)]
    MinimumAge: Option<Raw<'a>>,
    #[serde(borrow)]
    MaximumAge: Option<Raw<'a>>,
    #[serde(borrow)]
    StdAgeList: Option<StdAgeList<'a>>,
}

#[derive(Deserialize)]
struct StdAgeList<'a> {
    #[serde(borrow)]
    StdAge: Option<Vec<Raw<'a>>>,
}

#[derive(Deserialize)]
struct ContactsLocations<'a> {
    #[serde(borrow)]
    CentralContactList: Option<CentralContactList<'a>>,
    #[serde(borrow)]
    OverallOfficialList: Option<OverallOfficialList<'a>>,
    #[serde(borrow)]
    LocationList: Option<LocationList<'a>>,
}

#[derive(Deserialize)]
struct CentralContactList<'a> {
    #[serde(borrow)]
    CentralContact: Option<Vec<CentralContact<'a>>>,
}

#[derive(Deserialize)]
struct CentralContact<'a> {
    #[serde(borrow)]
    CentralContactName: Option<Raw<'a>>,
    #[serde(borrow)]
    CentralContactPhone: Option<Raw<'a>>,
    #[serde(borrow)]
    CentralContactEMail: Option<Raw<'a>>,
}

#[derive(Deserialize)]
struct OverallOfficialList<'a> {
    #[serde(borrow)]
    OverallOfficial: Option<Vec<OverallOfficial<'a>>>,
}

#[derive(Deserialize)]
struct OverallOfficial<'a> {
    #[serde(borrow)]
    OverallOfficialName: Option<Raw<'a>>,
    #[serde(borrow)]
    OverallOfficialAffiliation: Option<Raw<'a>>,
}

#[derive(Deserialize)]
struct LocationList<'a> {
    #[serde(borrow)]
    Location: Option<Vec<Location<'a>>>,
}

#[derive(Deserialize)]
struct Location<'a> {
    #[serde(borrow)]
    LocationFacility: Option<Raw<'a>>,
    #[serde(borrow)]
    LocationStatus: Option<Raw<'a>>,
    #[serde(borrow)]
    LocationCity: Option<Raw<'a>>,
    #[serde(borrow)]
    LocationCountry: Option<Raw<'a>>,
    #[serde(borrow)]
    LocationContactList: Option<LocationContactList<'a>>,
}

#[derive(Deserialize)]
struct LocationContactList<'a> {
    #[serde(borrow)]
    LocationContact: Option<Vec<LocationContact<'a>>>,
}

#[derive(Deserialize)]
struct LocationContact<'a> {
    #[serde(borrow)]
    LocationContactName: Option<Raw<'a>>,
    #[serde(borrow)]
    LocationContactPhone: Option<Raw<'a>>,
    #[serde(borrow)]
    LocationContactEMail: Option<Raw<'a>>,
}

// ---------------------------------------------------------------------------
// Mapping onto canonical keys

fn build(input: &str, raw: Raw, p: Option<Protocol>) -> Record {
    let mut f = Fields::new(input, FORMAT, raw_span(input, raw), false);
    let p = p.unwrap_or_default();

    if let Some(m) = &p.IdentificationModule {
        f.set_id(m.NCTId);
        f.put(keys::ID, m.NCTId);
        f.put(keys::TITLE, m.BriefTitle);
        f.put(keys::OFFICIAL_TITLE, m.OfficialTitle);
        f.put(keys::ACRONYM, m.Acronym);
    }
    if let Some(m) = &p.StatusModule {
        f.put(keys::STATUS, m.OverallStatus);
        f.put(keys::WHY_STOPPED, m.WhyStopped);
        if let Some(d) = &m.StartDateStruct {
            f.put_q(keys::START_DATE, d.StartDate, d.StartDateType);
        }
        if let Some(d) = &m.PrimaryCompletionDateStruct {
            f.put_q(
                keys::PRIMARY_COMPLETION_DATE,
                d.PrimaryCompletionDate,
                d.PrimaryCompletionDateType,
            );
        }
        if let Some(d) = &m.CompletionDateStruct {
            f.put_q(
                keys::COMPLETION_DATE,
                d.CompletionDate,
                d.CompletionDateType,
            );
        }
        f.put(keys::FIRST_SUBMITTED, m.StudyFirstSubmitDate);
        f.put(keys::FIRST_SUBMITTED_QC, m.StudyFirstSubmitQCDate);
        if let Some(d) = &m.StudyFirstPostDateStruct {
            f.put_q(
                keys::FIRST_POSTED,
                d.StudyFirstPostDate,
                d.StudyFirstPostDateType,
            );
        }
        f.put(keys::LAST_UPDATE_SUBMITTED, m.LastUpdateSubmitDate);
        if let Some(d) = &m.LastUpdatePostDateStruct {
            f.put_q(
                keys::LAST_UPDATE_POSTED,
                d.LastUpdatePostDate,
                d.LastUpdatePostDateType,
            );
        }
        if let Some(d) = &m.ResultsFirstPostDateStruct {
            f.put_q(
                keys::RESULTS_FIRST_POSTED,
                d.ResultsFirstPostDate,
                d.ResultsFirstPostDateType,
            );
        }
        f.put(keys::VERIFIED_DATE, m.StatusVerifiedDate);
    }
    if let Some(m) = &p.DesignModule {
        f.put(keys::STUDY_TYPE, m.StudyType);
        f.put_each(
            keys::PHASE,
            m.PhaseList.as_ref().and_then(|l| l.Phase.as_ref()),
        );
        if let Some(e) = &m.EnrollmentInfo {
            f.put_q(keys::ENROLLMENT, e.EnrollmentCount, e.EnrollmentType);
        }
        if let Some(di) = &m.DesignInfo {
            f.put(keys::ALLOCATION, di.DesignAllocation);
            f.put(keys::INTERVENTION_MODEL, di.DesignInterventionModel);
            if let Some(mi) = &di.DesignMaskingInfo {
                f.put(keys::MASKING, mi.DesignMasking);
            }
            f.put(keys::PRIMARY_PURPOSE, di.DesignPrimaryPurpose);
        }
    }
    if let Some(m) = &p.EligibilityModule {
        f.put(keys::MIN_AGE, m.MinimumAge);
        f.put(keys::MAX_AGE, m.MaximumAge);
        f.put(keys::SEX, m.Gender);
        f.put_each(
            keys::AGE_GROUP,
            m.StdAgeList.as_ref().and_then(|l| l.StdAge.as_ref()),
        );
        f.put(keys::HEALTHY_VOLUNTEERS, m.HealthyVolunteers);
        f.put(keys::GENDER_DESCRIPTION, m.GenderDescription);
        f.put(keys::ELIGIBILITY, m.EligibilityCriteria);
    }
    if let Some(m) = &p.DescriptionModule {
        f.put(keys::BRIEF_SUMMARY, m.BriefSummary);
        f.put(keys::DETAILED_DESCRIPTION, m.DetailedDescription);
    }
    if let Some(m) = &p.ConditionsModule {
        f.put_each(
            keys::CONDITION,
            m.ConditionList.as_ref().and_then(|l| l.Condition.as_ref()),
        );
        f.put_each(
            keys::KEYWORD,
            m.KeywordList.as_ref().and_then(|l| l.Keyword.as_ref()),
        );
    }
    if let Some(m) = &p.ArmsInterventionsModule {
        for a in m
            .ArmGroupList
            .iter()
            .flat_map(|l| l.ArmGroup.iter().flatten())
        {
            let e = f.entity(EntityKind::Arm, None, None);
            f.put_in(e, keys::ARM_LABEL, a.ArmGroupLabel);
            f.put_in(e, keys::ARM_TYPE, a.ArmGroupType);
            f.put_in(e, keys::ARM_DESCRIPTION, a.ArmGroupDescription);
            let names = a
                .ArmGroupInterventionList
                .as_ref()
                .and_then(|l| l.ArmGroupInterventionName.as_ref());
            f.put_each_in(e, keys::ARM_INTERVENTION, names);
        }
        for i in m
            .InterventionList
            .iter()
            .flat_map(|l| l.Intervention.iter().flatten())
        {
            let e = f.entity(EntityKind::Intervention, None, None);
            f.put_in(e, keys::INTERVENTION_TYPE, i.InterventionType);
            f.put_in(e, keys::INTERVENTION_NAME, i.InterventionName);
            f.put_in(e, keys::INTERVENTION_DESCRIPTION, i.InterventionDescription);
            let other = i
                .InterventionOtherNameList
                .as_ref()
                .and_then(|l| l.InterventionOtherName.as_ref());
            f.put_each_in(e, keys::INTERVENTION_OTHER_NAME, other);
        }
    }
    if let Some(m) = &p.OutcomesModule {
        let outcome = |f: &mut Fields, kind, measure, description, time_frame| {
            let e = f.entity(kind, None, None);
            f.put_in(e, keys::OUTCOME_MEASURE, measure);
            f.put_in(e, keys::OUTCOME_DESCRIPTION, description);
            f.put_in(e, keys::OUTCOME_TIME_FRAME, time_frame);
        };
        for o in m
            .PrimaryOutcomeList
            .iter()
            .flat_map(|l| l.PrimaryOutcome.iter().flatten())
        {
            outcome(
                &mut f,
                EntityKind::PrimaryOutcome,
                o.PrimaryOutcomeMeasure,
                o.PrimaryOutcomeDescription,
                o.PrimaryOutcomeTimeFrame,
            );
        }
        for o in m
            .SecondaryOutcomeList
            .iter()
            .flat_map(|l| l.SecondaryOutcome.iter().flatten())
        {
            outcome(
                &mut f,
                EntityKind::SecondaryOutcome,
                o.SecondaryOutcomeMeasure,
                o.SecondaryOutcomeDescription,
                o.SecondaryOutcomeTimeFrame,
            );
        }
        for o in m
            .OtherOutcomeList
            .iter()
            .flat_map(|l| l.OtherOutcome.iter().flatten())
        {
            outcome(
                &mut f,
                EntityKind::OtherOutcome,
                o.OtherOutcomeMeasure,
                o.OtherOutcomeDescription,
                o.OtherOutcomeTimeFrame,
            );
        }
    }
    if let Some(m) = &p.ContactsLocationsModule {
        for c in m
            .CentralContactList
            .iter()
            .flat_map(|l| l.CentralContact.iter().flatten())
        {
            let e = f.entity(EntityKind::Contact, Some("central contact".into()), None);
            f.put_in(e, keys::CONTACT_NAME, c.CentralContactName);
            f.put_in(e, keys::CONTACT_PHONE, c.CentralContactPhone);
            f.put_in(e, keys::CONTACT_EMAIL, c.CentralContactEMail);
        }
        for o in m
            .OverallOfficialList
            .iter()
            .flat_map(|l| l.OverallOfficial.iter().flatten())
        {
            let e = f.entity(EntityKind::Contact, Some("overall official".into()), None);
            f.put_in(e, keys::CONTACT_NAME, o.OverallOfficialName);
            f.put_in(e, keys::CONTACT_AFFILIATION, o.OverallOfficialAffiliation);
        }
        for l in m
            .LocationList
            .iter()
            .flat_map(|l| l.Location.iter().flatten())
        {
            let e = f.entity(EntityKind::Location, None, None);
            let facility = f.put_in(e, keys::LOCATION_FACILITY, l.LocationFacility);
            f.put_in(e, keys::LOCATION_CITY, l.LocationCity);
            f.put_in(e, keys::LOCATION_COUNTRY, l.LocationCountry);
            f.put_in(e, keys::LOCATION_STATUS, l.LocationStatus);
            let contacts = l
                .LocationContactList
                .as_ref()
                .and_then(|c| c.LocationContact.as_ref());
            if contacts.is_some_and(|c| !c.is_empty()) {
                let role = site_role(facility.map(|i| &f.rec.fields[i].text));
                for c in contacts.into_iter().flatten() {
                    let ce = f.entity(EntityKind::Contact, Some(role.clone()), Some(e));
                    f.put_in(ce, keys::CONTACT_NAME, c.LocationContactName);
                    f.put_in(ce, keys::CONTACT_PHONE, c.LocationContactPhone);
                    f.put_in(ce, keys::CONTACT_EMAIL, c.LocationContactEMail);
                }
            }
        }
    }
    if let Some(m) = &p.SponsorCollaboratorsModule {
        if let Some(l) = &m.LeadSponsor {
            f.put(keys::LEAD_SPONSOR, l.LeadSponsorName);
        }
        for c in m
            .CollaboratorList
            .iter()
            .flat_map(|l| l.Collaborator.iter().flatten())
        {
            f.put(keys::COLLABORATOR, c.CollaboratorName);
        }
        if let Some(rp) = &m.ResponsibleParty {
            let (name, aff) = (
                rp.ResponsiblePartyInvestigatorFullName,
                rp.ResponsiblePartyInvestigatorAffiliation,
            );
            if name.is_some() || aff.is_some() {
                let e = f.entity(EntityKind::Contact, Some("responsible party".into()), None);
                f.put_in(e, keys::RESPONSIBLE_PARTY, name);
                f.put_in(e, keys::CONTACT_AFFILIATION, aff);
            }
        }
    }
    if let Some(m) = &p.IdentificationModule {
        if let Some(o) = &m.Organization {
            f.put(keys::ORGANIZATION, o.OrgFullName);
        }
    }
    f.rec
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_three_shapes() {
        let bare = r#"{"ProtocolSection": {"IdentificationModule": {"NCTId": "NCT00000001"},
            "DesignModule": {"EnrollmentInfo": {"EnrollmentCount": "40", "EnrollmentType": "Anticipated"}}}}"#;
        let r = read(bare).unwrap();
        assert_eq!(r[0].id.as_deref(), Some("NCT00000001"));
        let e = r[0].get(keys::ENROLLMENT).unwrap();
        assert_eq!(e.text.text, "40");
        assert_eq!(e.qualifier.as_ref().unwrap().text, "Anticipated");

        let wrapped = format!("{{\"Study\": {bare}}}");
        let r = read(&wrapped).unwrap();
        assert_eq!(r[0].span, crate::span::Span::new(10, 10 + bare.len()));

        let full = format!("{{\"FullStudiesResponse\": {{\"FullStudies\": [{{\"Rank\": 1, \"Study\": {bare}}}, {{\"Rank\": 2, \"Study\": {bare}}}]}}}}");
        assert_eq!(read(&full).unwrap().len(), 2);
        assert!(read("{\"Rank\": 1}")
            .unwrap_err()
            .contains("no `ProtocolSection`"));
    }
}
