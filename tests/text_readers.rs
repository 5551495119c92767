//! Integration tests for the page-text readers, on the seed fixtures and on
//! hand-made variants.

use trialint::record::{keys, EntityKind, Record};
use trialint::source::text::{detect, read_page, read_text, Layout};
use trialint::span::{Text, TextBuilder};

fn seed(name: &str) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/seeds");
    let entry = std::fs::read_dir(dir)
        .expect("fixtures/seeds")
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().starts_with(name))
        .expect("seed file");
    std::fs::read_to_string(entry.path()).expect("utf-8 seed")
}

/// Every field (and qualifier) of a record read from verbatim text points at
/// exactly its own bytes.
fn assert_spans(src: &str, r: &Record) {
    for f in &r.fields {
        let sp = f.span();
        assert_eq!(
            &src[sp.start..sp.end],
            f.text.text,
            "span of {} does not round-trip",
            f.key
        );
        if let Some(q) = &f.qualifier {
            let qs = q.whole_span();
            assert_eq!(
                &src[qs.start..qs.end],
                q.text,
                "qualifier span of {}",
                f.key
            );
        }
    }
    assert!(r.span.end <= src.len());
}

fn read(name: &str) -> (String, Record) {
    let src = seed(name);
    let r = read_text(&src);
    assert_spans(&src, &r);
    (src, r)
}

fn vals<'a>(r: &'a Record, key: &'a str) -> Vec<&'a str> {
    r.all(key).map(|f| f.text.as_str()).collect()
}

fn one<'a>(r: &'a Record, key: &str) -> &'a str {
    r.get(key)
        .map(|f| f.text.as_str())
        .unwrap_or_else(|| panic!("no field {key}"))
}

fn qual<'a>(r: &'a Record, key: &str) -> Option<&'a str> {
    r.get(key)
        .and_then(|f| f.qualifier.as_ref())
        .map(|q| q.text.as_str())
}

/// Entities of a kind, each as its (key, value) pairs.
fn entities(r: &Record, kind: EntityKind) -> Vec<usize> {
    (0..r.entities.len())
        .filter(|&e| r.entities[e].kind == kind)
        .collect()
}

fn eget<'a>(r: &'a Record, e: usize, key: &str) -> Option<&'a str> {
    r.entity_get(e, key).map(|f| f.text.as_str())
}

fn role(r: &Record, e: usize) -> &str {
    r.entities[e].role.as_deref().unwrap_or("")
}

#[test]
fn each_seed_is_detected_as_its_layout() {
    let expect = [
        ("000", Layout::CtgovClassic, "text:ctgov-classic"),
        ("001", Layout::BasicInformation, "text:basic-information"),
        ("002", Layout::StudyOverview, "text:study-overview"),
        ("003", Layout::StudyOverview, "text:study-overview"),
        ("004", Layout::TrialDetails, "text:trial-details"),
    ];
    for (n, layout, format) in expect {
        let src = seed(n);
        assert_eq!(detect(&src), layout, "seed {n}");
        assert_eq!(read_text(&src).format, format, "seed {n}");
    }
}

mod ctgov_classic {
    use super::*;

    #[test]
    fn identification_dates_and_design() {
        let (_, r) = read("000");
        assert_eq!(r.id.as_deref(), Some("NCT05345418"));
        assert_eq!(one(&r, keys::TITLE), "Umbilical Cord-Derived Mesenchymal Stem Cell (VCELL 1) for Male Patients With Sexual Deficiency");
        assert_eq!(one(&r, keys::STATUS), "Recruiting");
        assert_eq!(
            vals(&r, keys::FIRST_POSTED),
            vec!["April 25, 2022", "April 25, 2022"]
        );
        assert_eq!(one(&r, keys::LAST_UPDATE_POSTED), "August 24, 2022");
        assert_eq!(one(&r, keys::VERIFIED_DATE), "August 2022");
        assert_eq!(one(&r, keys::ENROLLMENT), "158 participants");
        assert_eq!(qual(&r, keys::ENROLLMENT), Some("Estimated"));
        assert_eq!(one(&r, keys::START_DATE), "June 1, 2022");
        assert_eq!(qual(&r, keys::START_DATE), Some("Actual"));
        assert_eq!(one(&r, keys::PRIMARY_COMPLETION_DATE), "June 1, 2022");
        assert_eq!(qual(&r, keys::PRIMARY_COMPLETION_DATE), Some("Actual"));
        assert_eq!(one(&r, keys::COMPLETION_DATE), "June 30, 2024");
        assert_eq!(qual(&r, keys::COMPLETION_DATE), Some("Estimated"));
        assert!(one(&r, keys::OFFICIAL_TITLE).starts_with("Evaluation of the Safety"));
        assert!(one(&r, keys::OFFICIAL_TITLE).ends_with("Randomised Crossover Trial"));
        assert_eq!(one(&r, keys::STUDY_TYPE), "Interventional (Clinical Trial)");
        assert_eq!(one(&r, keys::ALLOCATION), "Randomized");
        assert_eq!(one(&r, keys::INTERVENTION_MODEL), "Crossover Assignment");
        assert_eq!(one(&r, keys::MASKING), "None (Open Label)");
        assert_eq!(one(&r, keys::PRIMARY_PURPOSE), "Other");
        assert_eq!(vals(&r, keys::PHASE), vec!["Phase 1", "Phase 2"]);
        assert_eq!(vals(&r, keys::CONDITION), vec!["Sexual Dysfunction Male"]);
        assert!(one(&r, keys::BRIEF_SUMMARY).starts_with("Sexual functional deficiency occurs"));
        assert!(one(&r, keys::BRIEF_SUMMARY).ends_with("sexual hormone deficiency in males."));
        let dd = one(&r, keys::DETAILED_DESCRIPTION);
        assert!(dd.starts_with("The primary outcome are:"));
        assert!(dd.ends_with("T cell immunophenotype at day 90 ± 7, day 180 ± 14, and day 365 ± 14 after the first UC-MSC infusion."));
        assert_eq!(vals(&r, "x.org_study_id"), vec!["ISC.21.08"]);
        assert_eq!(
            one(&r, keys::RESPONSIBLE_PARTY),
            "Vinmec Research Institute of Stem Cell and Gene Technology"
        );
    }

    #[test]
    fn arms_interventions_outcomes() {
        let (_, r) = read("000");
        let arms = entities(&r, EntityKind::Arm);
        assert_eq!(arms.len(), 2);
        assert_eq!(eget(&r, arms[0], keys::ARM_TYPE), Some("Experimental"));
        assert_eq!(
            eget(&r, arms[0], keys::ARM_LABEL),
            Some("Umbilical Cord-Derived Mesenchymal Stem Cell, then Placebo (group A)")
        );
        assert!(eget(&r, arms[0], keys::ARM_DESCRIPTION)
            .unwrap()
            .starts_with("Cohort 1 will receive"));
        assert_eq!(eget(&r, arms[1], keys::ARM_TYPE), Some("Active Comparator"));
        assert_eq!(
            eget(&r, arms[1], keys::ARM_DESCRIPTION),
            Some("Cohort 2 will receive two single intravenous dose of UC MSCs of 1.5 million cells per kilogram body weight on their Study Month 7, and Study Month 10")
        );
        for a in &arms {
            assert_eq!(
                eget(&r, *a, keys::ARM_INTERVENTION),
                Some("Biological: Umbilical Cord-Derived Mesenchymal Stem Cell for Male Patients with Sexual Deficiency")
            );
        }
        let ivs = entities(&r, EntityKind::Intervention);
        assert_eq!(ivs.len(), 1);
        assert_eq!(
            eget(&r, ivs[0], keys::INTERVENTION_TYPE),
            Some("Biological")
        );
        assert!(eget(&r, ivs[0], keys::INTERVENTION_DESCRIPTION)
            .unwrap()
            .starts_with("Patients will receive two administrations"));
        let outs = entities(&r, EntityKind::PrimaryOutcome);
        assert_eq!(outs.len(), 5);
        assert_eq!(
            eget(&r, outs[1], keys::OUTCOME_MEASURE),
            Some("Testosterone levels")
        );
        assert_eq!(
            eget(&r, outs[1], keys::OUTCOME_TIME_FRAME),
            Some("up to the 12-month period following treatment")
        );
        assert_eq!(
            eget(&r, outs[1], keys::OUTCOME_DESCRIPTION),
            Some("To evaluate the Testosterone levels of the patients with sexual functional deficiency")
        );
        assert_eq!(
            eget(&r, outs[4], keys::OUTCOME_DESCRIPTION),
            Some("IIEF includes 11 items")
        );
    }

    #[test]
    fn eligibility() {
        let (_, r) = read("000");
        assert_eq!(one(&r, keys::MIN_AGE), "50 Years");
        assert_eq!(one(&r, keys::MAX_AGE), "70 Years");
        assert_eq!(vals(&r, keys::AGE_GROUP), vec!["Adult", "Older Adult"]);
        assert_eq!(one(&r, keys::SEX), "Male");
        assert_eq!(
            one(&r, keys::GENDER_DESCRIPTION),
            "males with sexual hormone deficiency"
        );
        assert_eq!(one(&r, keys::HEALTHY_VOLUNTEERS), "No");
        let el = one(&r, keys::ELIGIBILITY);
        assert!(el.starts_with("Inclusion Criteria:\n- Males with sexual hormone deficiency"));
        assert!(el.contains("Exclusion Criteria:\n- The patient had surgery"));
        assert!(el.contains("\nThe patient is taking anti-rejection drugs.\n"));
        assert!(el.ends_with("- The patient is a smoker."));
    }

    #[test]
    fn contacts_and_locations() {
        let (_, r) = read("000");
        let people = entities(&r, EntityKind::Contact);
        let central: Vec<usize> = people
            .iter()
            .copied()
            .filter(|&e| role(&r, e) == "central contact")
            .collect();
        assert_eq!(central.len(), 2);
        assert_eq!(
            eget(&r, central[0], keys::CONTACT_NAME),
            Some("Phuong Nguyen, MSC")
        );
        assert_eq!(
            eget(&r, central[0], keys::CONTACT_PHONE),
            Some("+84 914740683")
        );
        assert_eq!(
            eget(&r, central[0], keys::CONTACT_EMAIL),
            Some("v.phuongnh9@vinmec.com")
        );
        assert_eq!(
            eget(&r, central[1], keys::CONTACT_NAME),
            Some("Liem Nguyen, PhD")
        );
        assert_eq!(eget(&r, central[1], keys::CONTACT_PHONE), None);
        assert_eq!(
            eget(&r, central[1], keys::CONTACT_EMAIL),
            Some("v.liemnt@vinmec.com")
        );
        let locs = entities(&r, EntityKind::Location);
        assert_eq!(locs.len(), 1);
        assert_eq!(
            eget(&r, locs[0], keys::LOCATION_FACILITY),
            Some("Vinmec Research Institute of Stem Cell and Gene Technology")
        );
        assert_eq!(eget(&r, locs[0], keys::LOCATION_STATUS), Some("Recruiting"));
        assert_eq!(eget(&r, locs[0], keys::LOCATION_CITY), Some("Hanoi"));
        assert_eq!(eget(&r, locs[0], keys::LOCATION_COUNTRY), Some("Vietnam"));
        let site: Vec<usize> = people
            .iter()
            .copied()
            .filter(|&e| role(&r, e) == "site contact")
            .collect();
        assert_eq!(site.len(), 1);
        assert_eq!(r.entities[site[0]].parent, Some(locs[0]));
        assert_eq!(
            eget(&r, site[0], keys::CONTACT_NAME),
            Some("Nguyen T Liem, Prof")
        );
        assert_eq!(eget(&r, site[0], keys::CONTACT_PHONE), Some("+84914740683"));
        assert_eq!(
            eget(&r, site[0], keys::CONTACT_EMAIL),
            Some("v.phuongnh9@vinmec.com")
        );
        let pi: Vec<usize> = people
            .iter()
            .copied()
            .filter(|&e| role(&r, e) == "principal investigator")
            .collect();
        assert_eq!(pi.len(), 1);
        assert_eq!(
            eget(&r, pi[0], keys::CONTACT_NAME),
            Some("Tan Sinh Nguyen, Dr")
        );
        assert_eq!(
            eget(&r, pi[0], keys::CONTACT_AFFILIATION),
            Some("Vinmec Times City International Hospitalme")
        );
    }
}

mod basic_information {
    use super::*;

    #[test]
    fn values() {
        let (_, r) = read("001");
        assert_eq!(r.id.as_deref(), Some("NCT05308342"));
        assert_eq!(one(&r, keys::LAST_UPDATE_POSTED), "2022-04-04");
        assert_eq!(one(&r, keys::STATUS), "UNKNOWN");
        assert_eq!(vals(&r, keys::PHASE), vec!["NA"]);
        assert_eq!(one(&r, keys::ENROLLMENT), "66 participants");
        assert_eq!(one(&r, keys::STUDY_TYPE), "INTERVENTIONAL");
        assert_eq!(one(&r, keys::START_DATE), "2019-11-20");
        assert_eq!(one(&r, keys::COMPLETION_DATE), "2023-12-01");
        assert!(one(&r, keys::BRIEF_SUMMARY).starts_with("This study was a single-center"));
        assert!(one(&r, keys::DETAILED_DESCRIPTION).starts_with("According to the enrollment"));
        assert_eq!(
            vals(&r, keys::CONDITION),
            vec!["Premature Ovarian Insufficiency"]
        );
        assert_eq!(one(&r, keys::ALLOCATION), "RANDOMIZED");
        assert_eq!(one(&r, keys::INTERVENTION_MODEL), "PARALLEL");
        assert_eq!(one(&r, keys::PRIMARY_PURPOSE), "TREATMENT");
        assert_eq!(one(&r, keys::MASKING), "TRIPLE");
        assert_eq!(one(&r, keys::MIN_AGE), "20 Years");
        assert_eq!(one(&r, keys::MAX_AGE), "39 Years");
        assert_eq!(one(&r, keys::SEX), "FEMALE");
        assert_eq!(one(&r, keys::HEALTHY_VOLUNTEERS), "No");
        assert_eq!(one(&r, keys::LEAD_SPONSOR), "Li-jun Ding");
        assert_eq!(one(&r, keys::RESPONSIBLE_PARTY), "Li-jun Ding");
        let el = one(&r, keys::ELIGIBILITY);
        assert!(el.starts_with("Inclusion Criteria\n\n1. Those who meet"));
        assert!(el.contains("20 years old ≤ age \\< 40 years old;"));
        assert!(el.ends_with("8. Male azoospermia or severe oligozoospermia."));
    }

    #[test]
    fn boilerplate_is_not_a_value() {
        let (_, r) = read("001");
        for f in &r.fields {
            let t = f.text.as_str();
            assert!(
                !t.contains("Review the sponsor-provided synopsis"),
                "{}",
                f.key
            );
            assert!(!t.contains("Get a concise snapshot"), "{}", f.key);
            assert!(
                !t.contains("Phase 1 Clinical Trial of CordSTEM-ST"),
                "{}",
                f.key
            );
            assert!(!t.contains("NCT06132542"), "{}", f.key);
        }
    }

    #[test]
    fn arms_and_interventions() {
        let (_, r) = read("001");
        let arms = entities(&r, EntityKind::Arm);
        assert_eq!(arms.len(), 2);
        assert_eq!(
            eget(&r, arms[0], keys::ARM_LABEL),
            Some("UC-MSCs+hormone replacement group")
        );
        assert_eq!(eget(&r, arms[0], keys::ARM_TYPE), Some("EXPERIMENTAL"));
        assert!(eget(&r, arms[0], keys::ARM_DESCRIPTION)
            .unwrap()
            .starts_with("Group A was"));
        let a0: Vec<&str> = r
            .entity_fields(arms[0])
            .filter(|f| f.key == keys::ARM_INTERVENTION)
            .map(|f| f.text.as_str())
            .collect();
        assert_eq!(
            a0,
            vec![
                "transplantation of human UC-MSCs into ovaries of POI patients",
                "hormone replacement treatment"
            ]
        );
        assert_eq!(
            eget(&r, arms[1], keys::ARM_LABEL),
            Some("hormone replacement group")
        );
        assert_eq!(eget(&r, arms[1], keys::ARM_TYPE), Some("ACTIVE_COMPARATOR"));
        let ivs = entities(&r, EntityKind::Intervention);
        assert_eq!(ivs.len(), 2);
        assert_eq!(eget(&r, ivs[0], keys::INTERVENTION_TYPE), Some("PROCEDURE"));
        assert_eq!(
            eget(&r, ivs[1], keys::INTERVENTION_NAME),
            Some("hormone replacement treatment")
        );
        assert_eq!(eget(&r, ivs[1], keys::INTERVENTION_TYPE), Some("DRUG"));
        assert_eq!(eget(&r, ivs[1], keys::INTERVENTION_OTHER_NAME), Some("HRT"));
    }

    #[test]
    fn people_and_sites() {
        let (_, r) = read("001");
        let people = entities(&r, EntityKind::Contact);
        let by_role = |ro: &str| -> Vec<usize> {
            people
                .iter()
                .copied()
                .filter(|&e| role(&r, e) == ro)
                .collect()
        };
        let pi = by_role("principal investigator");
        assert_eq!(pi.len(), 1);
        assert_eq!(
            eget(&r, pi[0], keys::CONTACT_NAME),
            Some("Guangshu Han, phD")
        );
        assert_eq!(
            eget(&r, pi[0], keys::CONTACT_AFFILIATION),
            Some("The Affiliated Nanjing Drum Tower Hospital of Nanjing University Medical School")
        );
        let central = by_role("central contact");
        assert_eq!(central.len(), 2);
        assert_eq!(
            eget(&r, central[0], keys::CONTACT_NAME),
            Some("Haixiang Sun, phD")
        );
        assert_eq!(
            eget(&r, central[0], keys::CONTACT_PHONE),
            Some("+862583107188")
        );
        assert_eq!(
            eget(&r, central[1], keys::CONTACT_NAME),
            Some("Lijun Ding, phD")
        );
        assert_eq!(
            eget(&r, central[1], keys::CONTACT_PHONE),
            Some("+862883107188")
        );
        let locs = entities(&r, EntityKind::Location);
        assert_eq!(locs.len(), 1);
        assert_eq!(
            eget(&r, locs[0], keys::LOCATION_FACILITY),
            Some("Reproductive Medicine Center, The affiliated Drum Towel Hospital of Nanjing University Medical School")
        );
        assert_eq!(eget(&r, locs[0], keys::LOCATION_CITY), Some("Nanjing"));
        assert_eq!(eget(&r, locs[0], keys::LOCATION_COUNTRY), Some("China"));
        assert_eq!(eget(&r, locs[0], keys::LOCATION_STATUS), Some("RECRUITING"));
        let fac = by_role("facility contact");
        assert_eq!(fac.len(), 1);
        assert_eq!(eget(&r, fac[0], keys::CONTACT_NAME), Some("Haixiang Sun"));
        assert_eq!(eget(&r, fac[0], "x.contact.role"), Some("primary"));
        assert_eq!(
            eget(&r, fac[0], keys::CONTACT_PHONE),
            Some("+86 25 8310 7188")
        );
        assert_eq!(r.entities[fac[0]].parent, Some(locs[0]));
    }
}

mod study_overview {
    use super::*;

    #[test]
    fn seed_002_values() {
        let (src, r) = read("002");
        assert_eq!(r.id, None);
        assert_eq!(
            one(&r, keys::TITLE),
            "Mesenchymal Stem Cells Treatment for AIDS Patients at Late Stage"
        );
        assert_eq!(
            vals(&r, keys::LAST_UPDATE_SUBMITTED),
            vec!["January 10, 2024", "January 10, 2024"]
        );
        assert_eq!(
            one(&r, keys::ORGANIZATION),
            "Cell Energy Life Sciences Group Co. LTD"
        );
        assert!(one(&r, keys::OFFICIAL_TITLE).starts_with("A Double-blind, Randomized"));
        assert!(one(&r, keys::BRIEF_SUMMARY).starts_with("The goal of this study"));
        assert_eq!(one(&r, keys::STATUS), "Recruiting");
        // The Conditions section is there but empty: an empty field at its heading.
        let c: Vec<_> = r.all(keys::CONDITION).collect();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].text.as_str(), "");
        let at = src.find("\nConditions\n").unwrap() + 1;
        assert_eq!(c[0].span().start, at);
        assert!(one(&r, keys::DETAILED_DESCRIPTION)
            .starts_with("Mesenchymal stem cells (MSCs) possess"));
        assert_eq!(one(&r, keys::STUDY_TYPE), "Interventional");
        assert_eq!(one(&r, keys::ENROLLMENT), "150");
        assert_eq!(qual(&r, keys::ENROLLMENT), Some("Estimated"));
        assert_eq!(vals(&r, keys::PHASE), vec!["Phase 2", "Phase 1"]);
        assert_eq!(vals(&r, keys::AGE_GROUP), vec!["Adult", "Older Adult"]);
        assert_eq!(one(&r, keys::HEALTHY_VOLUNTEERS), "No");
        let el = one(&r, keys::ELIGIBILITY);
        assert!(el.starts_with("Inclusion Criteria:\n\n  1. Confirmed HIV infection"));
        assert!(el.contains("3. No serious AIDS related events. 3. could understand"));
        assert!(el.ends_with("13. Other serious situations that may hinder clinical trials."));
        assert_eq!(one(&r, keys::PRIMARY_PURPOSE), "Treatment");
        assert_eq!(one(&r, keys::ALLOCATION), "Randomized");
        assert_eq!(one(&r, keys::INTERVENTION_MODEL), "Parallel Assignment");
        assert_eq!(one(&r, keys::MASKING), "Double");
        assert_eq!(one(&r, keys::START_DATE), "December 10, 2023");
        assert_eq!(qual(&r, keys::START_DATE), Some("Actual"));
        assert_eq!(qual(&r, keys::PRIMARY_COMPLETION_DATE), Some("Estimated"));
        assert_eq!(one(&r, keys::COMPLETION_DATE), "July 10, 2026");
        assert_eq!(one(&r, keys::FIRST_SUBMITTED), "May 15, 2023");
        assert_eq!(one(&r, keys::FIRST_SUBMITTED_QC), "July 2, 2023");
        assert_eq!(one(&r, keys::FIRST_POSTED), "July 11, 2023");
        assert_eq!(qual(&r, keys::FIRST_POSTED), Some("Actual"));
        assert_eq!(one(&r, keys::LAST_UPDATE_POSTED), "January 11, 2024");
        assert_eq!(one(&r, keys::VERIFIED_DATE), "January 1, 2024");
        assert_eq!(vals(&r, "x.org_study_id"), vec!["2022YFC2304403"]);
        for f in &r.fields {
            assert!(!f.text.as_str().contains("This information was retrieved"));
            assert!(!f.text.as_str().contains("Subscribe"));
        }
    }

    #[test]
    fn seed_002_people_and_locations() {
        let (_, r) = read("002");
        let people = entities(&r, EntityKind::Contact);
        let by_role = |ro: &str| -> Vec<usize> {
            people
                .iter()
                .copied()
                .filter(|&e| role(&r, e) == ro)
                .collect()
        };
        let central = by_role("central contact");
        assert_eq!(central.len(), 1);
        assert_eq!(
            eget(&r, central[0], keys::CONTACT_NAME),
            Some("Fu-Sheng Wang, Doctor")
        );
        assert_eq!(
            eget(&r, central[0], keys::CONTACT_PHONE),
            Some("8610-13671005510")
        );
        assert_eq!(
            eget(&r, central[0], keys::CONTACT_EMAIL),
            Some("fswang302@163.com")
        );
        let backup = by_role("central contact backup");
        assert_eq!(backup.len(), 1);
        assert_eq!(eget(&r, backup[0], keys::CONTACT_NAME), Some(""));
        let locs = entities(&r, EntityKind::Location);
        let facilities: Vec<_> = locs
            .iter()
            .map(|&l| eget(&r, l, keys::LOCATION_FACILITY).unwrap())
            .collect();
        assert_eq!(
            facilities,
            vec![
                "Beijing YouAn Hospital",
                "Beijing 302 Hospital",
                "Shenzhen Third People's Hospital",
                "The Fifth Hospital of Shijiazhuang"
            ]
        );
        assert_eq!(eget(&r, locs[2], keys::LOCATION_CITY), Some("Shenzhen"));
        assert_eq!(eget(&r, locs[2], keys::LOCATION_COUNTRY), Some("China"));
        assert_eq!(eget(&r, locs[2], keys::LOCATION_STATUS), Some("Recruiting"));
        let site = by_role("site contact");
        assert_eq!(site.len(), 3);
        assert_eq!(
            eget(&r, site[0], keys::CONTACT_NAME),
            Some("Li-Jun Sun, Doctor")
        );
        assert_eq!(r.entities[site[0]].parent, Some(locs[0]));
        let pis = by_role("principal investigator");
        let site_pi: Vec<usize> = pis
            .iter()
            .copied()
            .filter(|&e| r.entities[e].parent.is_some())
            .collect();
        assert_eq!(site_pi.len(), 1);
        assert_eq!(r.entities[site_pi[0]].parent, Some(locs[1]));
        let overall: Vec<usize> = pis
            .iter()
            .copied()
            .filter(|&e| r.entities[e].parent.is_none())
            .collect();
        assert_eq!(overall.len(), 1);
        assert_eq!(
            eget(&r, overall[0], keys::CONTACT_NAME),
            Some("Fu-Sheng Wang, Doctor")
        );
        assert_eq!(
            eget(&r, overall[0], keys::CONTACT_AFFILIATION),
            Some("Beijing 302 Hospital")
        );
    }

    #[test]
    fn seed_002_arms_and_outcomes() {
        let (_, r) = read("002");
        let arms = entities(&r, EntityKind::Arm);
        assert_eq!(arms.len(), 3);
        assert_eq!(
            eget(&r, arms[0], keys::ARM_TYPE),
            Some("Placebo Comparator")
        );
        assert_eq!(eget(&r, arms[0], keys::ARM_LABEL), Some("placebo control"));
        assert_eq!(eget(&r, arms[0], keys::ARM_DESCRIPTION), Some("use saline"));
        assert_eq!(eget(&r, arms[1], keys::ARM_TYPE), Some("Experimental"));
        assert_eq!(
            eget(&r, arms[1], keys::ARM_DESCRIPTION),
            Some("transplant mesenchymal stem cells for 3 times")
        );
        let ivs = entities(&r, EntityKind::Intervention);
        assert_eq!(ivs.len(), 2);
        assert_eq!(
            eget(&r, ivs[0], keys::INTERVENTION_DESCRIPTION),
            Some("saline is used as placebo in the placebo comparator group")
        );
        assert_eq!(
            eget(&r, ivs[1], keys::INTERVENTION_OTHER_NAME),
            Some("umbilical cord derived MSCs")
        );
        let p = entities(&r, EntityKind::PrimaryOutcome);
        assert_eq!(p.len(), 2);
        assert_eq!(
            eget(&r, p[0], keys::OUTCOME_MEASURE),
            Some("Number of participants with side effects in MSCs treatment groups")
        );
        assert_eq!(eget(&r, p[0], keys::OUTCOME_TIME_FRAME), Some("48 weeks"));
        assert!(eget(&r, p[0], keys::OUTCOME_DESCRIPTION)
            .unwrap()
            .starts_with("Investiagte the number"));
        let s = entities(&r, EntityKind::SecondaryOutcome);
        assert_eq!(s.len(), 1);
        assert_eq!(
            eget(&r, s[0], keys::OUTCOME_MEASURE),
            Some("HIV RNA viral load")
        );
    }

    #[test]
    fn seed_003_values() {
        let (src, r) = read("003");
        assert_eq!(one(&r, keys::ENROLLMENT), "22");
        assert_eq!(vals(&r, keys::PHASE), vec!["Not Applicable"]);
        assert_eq!(
            one(&r, keys::ORGANIZATION),
            "Xingshun Qi, General Hospital of Shenyang Military Region"
        );
        // No Conditions section at all: no condition field.
        assert_eq!(r.all(keys::CONDITION).count(), 0);
        // Study Contact is there but empty.
        let central: Vec<usize> = entities(&r, EntityKind::Contact)
            .into_iter()
            .filter(|&e| role(&r, e) == "central contact")
            .collect();
        assert_eq!(central.len(), 1);
        let name = r.entity_get(central[0], keys::CONTACT_NAME).unwrap();
        assert_eq!(name.text.as_str(), "");
        assert_eq!(name.span().start, src.find("Study Contact\n").unwrap());
        let locs = entities(&r, EntityKind::Location);
        assert_eq!(locs.len(), 1);
        assert_eq!(eget(&r, locs[0], keys::LOCATION_CITY), Some("Shenyang"));
        assert_eq!(eget(&r, locs[0], keys::LOCATION_COUNTRY), Some("China"));
        assert_eq!(
            eget(&r, locs[0], keys::LOCATION_FACILITY),
            Some("General Hospital of Northern Theater Command")
        );
        let arms = entities(&r, EntityKind::Arm);
        assert_eq!(arms.len(), 2);
        assert_eq!(
            eget(&r, arms[1], keys::ARM_LABEL),
            Some("medium-high-dose stem cell group (3×10^6cells/kg per infusion)")
        );
        let ivs = entities(&r, EntityKind::Intervention);
        assert_eq!(ivs.len(), 1);
        assert_eq!(
            eget(&r, ivs[0], keys::INTERVENTION_OTHER_NAME),
            Some("UC-MSCs")
        );
        let s = entities(&r, EntityKind::SecondaryOutcome);
        assert_eq!(s.len(), 2);
        assert_eq!(
            eget(&r, s[0], keys::OUTCOME_TIME_FRAME),
            Some("1, 4, 8, 12, 24, and 48 weeks")
        );
        let pi: Vec<usize> = entities(&r, EntityKind::Contact)
            .into_iter()
            .filter(|&e| role(&r, e) == "principal investigator")
            .collect();
        assert_eq!(
            eget(&r, pi[0], keys::CONTACT_NAME),
            Some("Mengfan Ruan, MM")
        );
        assert_eq!(one(&r, keys::FIRST_POSTED), "December 12, 2023");
        assert_eq!(qual(&r, keys::FIRST_POSTED), Some("Estimated"));
    }

    /// HAND-MADE variant of the study-overview layout (not a real page):
    /// sections reordered (dates first, design before eligibility), the
    /// Conditions list filled, Study Contact Backup and the locations
    /// missing, a Sexes Eligible section added.
    #[test]
    fn hand_made_variant_reordered_and_missing_sections() {
        let src = "\
Some Invented Study Of Things

March 3, 2024 updated by: Example University

An Official Title Without A Period

A short brief summary of the invented study.

Study record dates

Study Major Dates

Study Start (Anticipated)

April 1, 2024

Study Overview

Conditions

  • Asthma
  • Chronic Cough

Status

Not yet recruiting

Enrollment (Actual)

40

Study Plan

Design Details

  • Primary Purpose: Prevention
  • Masking: None (Open Label)

Participation Criteria

Sexes Eligible for Study

All

Description

Inclusion Criteria:

  1. adults
  1. duplicated number kept

Study Contact

  • Name: Jane Roe, MD
  • Email: jane@example.org
";
        assert_eq!(detect(src), Layout::StudyOverview);
        let r = read_text(src);
        assert_spans(src, &r);
        assert_eq!(r.format, "text:study-overview");
        assert_eq!(
            one(&r, keys::OFFICIAL_TITLE),
            "An Official Title Without A Period"
        );
        assert_eq!(
            one(&r, keys::BRIEF_SUMMARY),
            "A short brief summary of the invented study."
        );
        assert_eq!(one(&r, keys::START_DATE), "April 1, 2024");
        assert_eq!(qual(&r, keys::START_DATE), Some("Anticipated"));
        assert_eq!(vals(&r, keys::CONDITION), vec!["Asthma", "Chronic Cough"]);
        assert_eq!(one(&r, keys::STATUS), "Not yet recruiting");
        assert_eq!(one(&r, keys::ENROLLMENT), "40");
        assert_eq!(qual(&r, keys::ENROLLMENT), Some("Actual"));
        assert_eq!(one(&r, keys::PRIMARY_PURPOSE), "Prevention");
        assert_eq!(one(&r, keys::MASKING), "None (Open Label)");
        assert_eq!(one(&r, keys::SEX), "All");
        assert_eq!(
            one(&r, keys::ELIGIBILITY),
            "Inclusion Criteria:\n\n  1. adults\n  1. duplicated number kept"
        );
        let people = entities(&r, EntityKind::Contact);
        assert_eq!(people.len(), 1);
        assert_eq!(
            eget(&r, people[0], keys::CONTACT_NAME),
            Some("Jane Roe, MD")
        );
        assert_eq!(
            eget(&r, people[0], keys::CONTACT_EMAIL),
            Some("jane@example.org")
        );
        assert!(entities(&r, EntityKind::Location).is_empty());
        assert!(r.get(keys::PHASE).is_none());
    }
}

mod trial_details {
    use super::*;

    #[test]
    fn values() {
        let (_, r) = read("004");
        assert_eq!(r.id.as_deref(), Some("NCT05794425"));
        assert!(vals(&r, keys::STATUS).iter().all(|s| *s == "Recruiting"));
        assert_eq!(vals(&r, keys::PHASE), vec!["Phase 1/Phase 2"]);
        // Present but empty.
        assert_eq!(vals(&r, keys::FIRST_SUBMITTED), vec![""]);
        assert_eq!(vals(&r, keys::LAST_UPDATE_POSTED), vec![""]);
        assert_eq!(one(&r, keys::START_DATE), "August 1, 2023");
        assert_eq!(qual(&r, keys::START_DATE), None);
        assert_eq!(
            vals(&r, keys::COMPLETION_DATE),
            vec!["April 2026", "April 2026"]
        );
        assert!(r.all(keys::COMPLETION_DATE).all(|f| f
            .qualifier
            .as_ref()
            .map(|q| q.text.as_str())
            == Some("Est.")));
        assert_eq!(one(&r, keys::PRIMARY_COMPLETION_DATE), "April 2025");
        assert_eq!(qual(&r, keys::PRIMARY_COMPLETION_DATE), Some("Est."));
        assert_eq!(one(&r, keys::VERIFIED_DATE), "November 2023");
        assert_eq!(
            one(&r, keys::ORGANIZATION),
            "Shandong Qilu Stem Cells Engineering Co., Ltd."
        );
        assert_eq!(one(&r, keys::STUDY_TYPE), "Interventional");
        assert!(one(&r, keys::BRIEF_SUMMARY)
            .starts_with("The multicenter collaborative clinical study"));
        assert_eq!(one(&r, keys::ENROLLMENT), "100");
        assert_eq!(one(&r, keys::HEALTHY_VOLUNTEERS), "No");
        assert_eq!(one(&r, keys::SEX), "All");
        assert_eq!(one(&r, keys::MIN_AGE), "N/A");
        assert!(r.get(keys::MAX_AGE).is_none());
        let el = one(&r, keys::ELIGIBILITY);
        assert!(el.starts_with("Inclusion Criteria: 1. Patients with bone marrow failure"));
        assert!(el.ends_with("consider inappropriate for inclusion."));
    }

    #[test]
    fn entities_and_sponsors() {
        let (_, r) = read("004");
        let c = entities(&r, EntityKind::Contact);
        assert_eq!(c.len(), 1);
        assert_eq!(role(&r, c[0]), "central contact");
        assert_eq!(eget(&r, c[0], keys::CONTACT_NAME), Some("zhe Yu, MD"));
        assert_eq!(eget(&r, c[0], keys::CONTACT_PHONE), Some("86-18753103739"));
        assert_eq!(
            eget(&r, c[0], keys::CONTACT_EMAIL),
            Some("doctoryu1120@163.com")
        );
        let ivs = entities(&r, EntityKind::Intervention);
        assert_eq!(ivs.len(), 2);
        assert_eq!(eget(&r, ivs[0], keys::INTERVENTION_TYPE), Some("Drug"));
        assert_eq!(
            eget(&r, ivs[0], keys::INTERVENTION_NAME),
            Some("Cyclosporine A")
        );
        assert_eq!(
            eget(&r, ivs[0], keys::INTERVENTION_DESCRIPTION),
            Some("3-5 mg per kilogram per day.")
        );
        assert_eq!(
            eget(&r, ivs[1], keys::INTERVENTION_TYPE),
            Some("Biological")
        );
        assert_eq!(
            eget(&r, ivs[1], keys::INTERVENTION_NAME),
            Some("Umbilical cord blood & Umbilical cord derived mesenchymal stem cells")
        );
        let locs = entities(&r, EntityKind::Location);
        assert_eq!(locs.len(), 8);
        assert_eq!(eget(&r, locs[0], keys::LOCATION_COUNTRY), Some("China"));
        assert!(eget(&r, locs[7], keys::LOCATION_FACILITY)
            .unwrap()
            .starts_with("Yantai Ludong Hospital"));
        assert_eq!(
            one(&r, keys::LEAD_SPONSOR),
            "Shandong Qilu Stem Cells Engineering Co., Ltd."
        );
        let col = vals(&r, keys::COLLABORATOR);
        assert_eq!(col.len(), 33);
        assert_eq!(col[0], "Air Force Hospital of Western War Zone");
        assert_eq!(col[32], "Zigong No.1 Peoples Hospital");
        assert_eq!(entities(&r, EntityKind::PrimaryOutcome).len(), 1);
        assert_eq!(entities(&r, EntityKind::SecondaryOutcome).len(), 2);
        // "See also" lists other studies.
        assert!(r
            .fields
            .iter()
            .all(|f| !f.text.as_str().contains("NCT04478227")));
    }
}

mod generic {
    use super::*;

    #[test]
    fn free_text_yields_what_it_can() {
        let src = "A Study of Something\n\nThis trial (NCT01234567) tests a thing.\nEnrollment: 120 (Actual)\nStart Date: May 2020\nMinimum age 18 Years\nSex: All\n";
        assert_eq!(detect(src), Layout::Generic);
        let r = read_text(src);
        assert_spans(src, &r);
        assert_eq!(r.format, "text:generic");
        assert_eq!(r.id.as_deref(), Some("NCT01234567"));
        assert_eq!(one(&r, keys::TITLE), "A Study of Something");
        assert_eq!(one(&r, keys::ENROLLMENT), "120");
        assert_eq!(qual(&r, keys::ENROLLMENT), Some("Actual"));
        assert_eq!(one(&r, keys::START_DATE), "May 2020");
        assert_eq!(one(&r, keys::MIN_AGE), "18 Years");
        assert_eq!(one(&r, keys::SEX), "All");
        assert_eq!(one(&r, keys::DETAILED_DESCRIPTION), src.trim());
    }

    #[test]
    fn other_registry_ids_and_empty_input() {
        let src = "EudraCT 2019-001234-56 protocol synopsis\nEnrollment: 12";
        let r = read_text(src);
        assert_spans(src, &r);
        assert_eq!(r.id.as_deref(), Some("2019-001234-56"));
        assert_eq!(one(&r, keys::ENROLLMENT), "12");
        let r = read_text("");
        assert_eq!(r.format, "text:generic");
        assert!(r.fields.is_empty());
    }
}

/// HAND-MADE variants (invented pages, not real records) of the other three
/// layouts, with sections the seeds do not have.
mod hand_made {
    use super::*;

    const CLASSIC: &str = r#"An Invented Trial of Nothing
ClinicalTrials.gov Identifier: NCT09999999 |
Recruitment Status :
Not yet recruiting
First Posted : March 1, 2024
Last Update Posted : March 2, 2024
Sponsor:
Example Pharma Inc.
Collaborators:
Example University
Another Hospital
Information provided by (Responsible Party):
Example Pharma Inc.
|
Condition or disease | Intervention/treatment | Phase |
---|---|---|
Asthma | Drug: Placebo | Phase 3 |
Chronic Cough | Drug: Examplumab | |
Brief Summary:
A short summary.
Detailed Description:
A longer description.
Second paragraph of it.
Study Type : | Interventional (Clinical Trial) |
Anticipated Enrollment : | 30 participants |
Estimated Study Start Date : | April 2024 |
Arm | Intervention/treatment |
---|---|
Placebo Comparator: Placebo
Takes a placebo |
Drug: Placebo
Saline. |
Experimental: Drug
Takes the drug |
Drug: Examplumab
10 mg. |
Primary Outcome Measures :
- Cough count [ Time Frame: 12 weeks ]
Secondary Outcome Measures :
- Quality of life [ Time Frame: 24 weeks ]Questionnaire score
Ages Eligible for Study: | 18 Years and older (Adult, Older Adult) |
Sexes Eligible for Study: | All |
Criteria
Inclusion Criteria:
- Adults

Exclusion Criteria:
- Smokers

Contact: Ann Example | 555-123-4567 | ann@example.org |
United States, Ohio | |
Ohio Clinic | Not yet recruiting |
Columbus, Ohio, United States, 43210 | |
Contact: Bob Example 555-765-4321 bob@example.org |
Principal Investigator: Carl Example
Texas Clinic | Recruiting |
Dallas, Texas, United States | |
Study Director: | Dana Example | Example Pharma Inc. |
"#;

    const BASIC: &str = r#"An Invented Basic Study

NCT ID: NCT08888888

Last Updated: 2024-01-02

Basic Information

Get a concise snapshot of the trial, including recruitment status, study phase, enrollment targets, and key timeline milestones.

Recruitment Status

RECRUITING

Clinical Phase

PHASE1, PHASE2

Total Enrollment (Estimated)

40 participants

Study Start Date

2024-02-01

Conditions

See the medical conditions and disease areas that this research is targeting or investigating.

Asthma

Chronic Cough

Study Groups

Review each arm or cohort in the study, along with the interventions and objectives associated with them.

Placebo arm

Group Type PLACEBO_COMPARATOR

saline

Intervention Type DRUG

Drug arm

Takes the drug daily.

Group Type EXPERIMENTAL

examplumab

Intervention Type DRUG

10 mg daily

Brief Summary

Review the sponsor-provided synopsis that highlights what the study is about and why it is being conducted.

One summary paragraph.

Second summary paragraph.

Sponsors

Meet the organizations funding or collaborating on the study and learn about their roles.

Example Pharma

INDUSTRY

Sponsor Role lead

Example University

OTHER

Sponsor Role collaborator

Locations

Explore where the study is taking place and check the recruitment status at each participating site.

Ohio Clinic

Columbus, Ohio, United States

Site Status RECRUITING

Texas Clinic

Dallas, Texas, United States

Site Status NOT_YET_RECRUITING
"#;

    const DETAILS: &str = r#"Clinical Trial Details — Status: Completed

Administrative data

NCT number NCT07777777
Status Completed
Phase Phase 3
First received May 1, 2019
Last updated June 1, 2021
Start date June 1, 2019
Completion date May 1, 2021

Study information

Verified date June 2021
Source Example Pharma Inc.
Contact
Study type Interventional

Clinical Trial Summary

Short summary.

Clinical Trial Description

Longer description.
More of it.

Conditions

Asthma

Recruitment information / eligibility

Status Completed
Enrollment 250
Accepts healthy volunteers Yes
Gender Female
Age group 18 Years to 65 Years
Eligibility Inclusion: adults.

Intervention

Drug: Examplumab
10 mg.
Other: Saline

Sponsors (1)

Lead Sponsor Collaborator
Example Pharma Inc.

Outcome

Type Measure Description Time frame Safety issue
Primary Cough count Counted 12 weeks
"#;

    #[test]
    fn classic_variant() {
        assert_eq!(detect(CLASSIC), Layout::CtgovClassic);
        let r = read_text(CLASSIC);
        assert_spans(CLASSIC, &r);
        assert_eq!(r.id.as_deref(), Some("NCT09999999"));
        assert_eq!(one(&r, keys::STATUS), "Not yet recruiting");
        assert_eq!(one(&r, keys::LEAD_SPONSOR), "Example Pharma Inc.");
        assert_eq!(
            vals(&r, keys::COLLABORATOR),
            vec!["Example University", "Another Hospital"]
        );
        assert_eq!(one(&r, keys::RESPONSIBLE_PARTY), "Example Pharma Inc.");
        assert_eq!(vals(&r, keys::CONDITION), vec!["Asthma", "Chronic Cough"]);
        assert_eq!(vals(&r, keys::PHASE), vec!["Phase 3"]);
        assert_eq!(one(&r, keys::BRIEF_SUMMARY), "A short summary.");
        assert_eq!(
            one(&r, keys::DETAILED_DESCRIPTION),
            "A longer description.\nSecond paragraph of it."
        );
        assert_eq!(qual(&r, keys::ENROLLMENT), Some("Anticipated"));
        assert_eq!(one(&r, keys::START_DATE), "April 2024");
        assert_eq!(one(&r, keys::MIN_AGE), "18 Years");
        assert!(r.get(keys::MAX_AGE).is_none());
        assert_eq!(
            one(&r, keys::ELIGIBILITY),
            "Inclusion Criteria:\n- Adults\n\nExclusion Criteria:\n- Smokers"
        );
        let arms = entities(&r, EntityKind::Arm);
        assert_eq!(arms.len(), 2);
        assert_eq!(
            eget(&r, arms[1], keys::ARM_INTERVENTION),
            Some("Drug: Examplumab")
        );
        let ivs = entities(&r, EntityKind::Intervention);
        assert_eq!(ivs.len(), 2);
        assert_eq!(
            eget(&r, ivs[1], keys::INTERVENTION_DESCRIPTION),
            Some("10 mg.")
        );
        assert_eq!(entities(&r, EntityKind::PrimaryOutcome).len(), 1);
        let sec = entities(&r, EntityKind::SecondaryOutcome);
        assert_eq!(
            eget(&r, sec[0], keys::OUTCOME_DESCRIPTION),
            Some("Questionnaire score")
        );
        let locs = entities(&r, EntityKind::Location);
        assert_eq!(locs.len(), 2);
        assert_eq!(
            eget(&r, locs[0], keys::LOCATION_COUNTRY),
            Some("United States")
        );
        assert_eq!(eget(&r, locs[0], keys::LOCATION_CITY), Some("Columbus"));
        assert_eq!(
            eget(&r, locs[1], keys::LOCATION_FACILITY),
            Some("Texas Clinic")
        );
        let people = entities(&r, EntityKind::Contact);
        let site_pi: Vec<usize> = people
            .iter()
            .copied()
            .filter(|&e| role(&r, e) == "principal investigator")
            .collect();
        assert_eq!(r.entities[site_pi[0]].parent, Some(locs[0]));
        let official: Vec<usize> = people
            .iter()
            .copied()
            .filter(|&e| role(&r, e) == "overall official")
            .collect();
        assert_eq!(
            eget(&r, official[0], keys::CONTACT_NAME),
            Some("Dana Example")
        );
        assert_eq!(
            eget(&r, official[0], keys::CONTACT_AFFILIATION),
            Some("Example Pharma Inc.")
        );
    }

    #[test]
    fn basic_information_variant() {
        assert_eq!(detect(BASIC), Layout::BasicInformation);
        let r = read_text(BASIC);
        assert_spans(BASIC, &r);
        assert_eq!(vals(&r, keys::PHASE), vec!["PHASE1", "PHASE2"]);
        assert_eq!(one(&r, keys::ENROLLMENT), "40 participants");
        assert_eq!(qual(&r, keys::ENROLLMENT), Some("Estimated"));
        assert_eq!(vals(&r, keys::CONDITION), vec!["Asthma", "Chronic Cough"]);
        assert_eq!(
            one(&r, keys::BRIEF_SUMMARY),
            "One summary paragraph.\n\nSecond summary paragraph."
        );
        assert_eq!(one(&r, keys::LEAD_SPONSOR), "Example Pharma");
        assert_eq!(vals(&r, keys::COLLABORATOR), vec!["Example University"]);
        let arms = entities(&r, EntityKind::Arm);
        assert_eq!(arms.len(), 2);
        assert_eq!(eget(&r, arms[0], keys::ARM_DESCRIPTION), None);
        assert_eq!(eget(&r, arms[0], keys::ARM_INTERVENTION), Some("saline"));
        assert_eq!(
            eget(&r, arms[1], keys::ARM_DESCRIPTION),
            Some("Takes the drug daily.")
        );
        let locs = entities(&r, EntityKind::Location);
        assert_eq!(locs.len(), 2);
        assert_eq!(eget(&r, locs[1], keys::LOCATION_CITY), Some("Dallas"));
        assert_eq!(
            eget(&r, locs[1], keys::LOCATION_STATUS),
            Some("NOT_YET_RECRUITING")
        );
    }

    #[test]
    fn trial_details_variant() {
        assert_eq!(detect(DETAILS), Layout::TrialDetails);
        let r = read_text(DETAILS);
        assert_spans(DETAILS, &r);
        assert_eq!(one(&r, keys::FIRST_SUBMITTED), "May 1, 2019");
        assert_eq!(qual(&r, keys::COMPLETION_DATE), None);
        assert_eq!(
            one(&r, keys::DETAILED_DESCRIPTION),
            "Longer description.\nMore of it."
        );
        assert_eq!(vals(&r, keys::CONDITION), vec!["Asthma"]);
        assert_eq!(one(&r, keys::MIN_AGE), "18 Years");
        assert_eq!(one(&r, keys::MAX_AGE), "65 Years");
        // "Contact" with nothing after it: an empty name.
        let c = entities(&r, EntityKind::Contact);
        assert_eq!(eget(&r, c[0], keys::CONTACT_NAME), Some(""));
        let ivs = entities(&r, EntityKind::Intervention);
        assert_eq!(ivs.len(), 2);
        assert_eq!(eget(&r, ivs[1], keys::INTERVENTION_TYPE), Some("Other"));
        assert_eq!(eget(&r, ivs[1], keys::INTERVENTION_NAME), Some("Saline"));
        assert_eq!(one(&r, keys::LEAD_SPONSOR), "Example Pharma Inc.");
        assert!(r.get(keys::COLLABORATOR).is_none());
    }
}

/// Text extracted from HTML: the page's map points into other bytes. Fields
/// must carry that map, not offsets of the decoded string.
#[test]
fn spans_follow_the_offset_map() {
    let plain = seed("002");
    // The "source": every bullet written as an entity, after a prefix.
    let prefix = "<html><body><pre>";
    let source = format!("{prefix}{}", plain.replace('•', "&bull;"));
    let mut b = TextBuilder::new();
    let mut i = prefix.len();
    let rest = &source[prefix.len()..];
    let mut k = 0;
    while k < rest.len() {
        if rest[k..].starts_with("&bull;") {
            b.decoded("•", i, i + 6);
            i += 6;
            k += 6;
        } else {
            let next = rest[k..]
                .find("&bull;")
                .map(|n| k + n)
                .unwrap_or(rest.len());
            b.verbatim(&rest[k..next], i);
            i += next - k;
            k = next;
        }
    }
    let page: Text = b.finish();
    assert_eq!(page.text, plain);
    let r = read_page(&page);
    assert_eq!(r.format, "text:study-overview");
    let verbatim = read_text(&plain);
    assert_eq!(r.fields.len(), verbatim.fields.len());
    for f in &r.fields {
        let sp = f.span();
        let src = &source[sp.start..sp.end];
        assert_eq!(src.replace("&bull;", "•"), f.text.text, "{}", f.key);
    }
    // An empty field sits at its heading in the source too.
    let c = r.get(keys::CONDITION).unwrap();
    assert_eq!(c.span().start, source.find("\nConditions\n").unwrap() + 1);
}

/// No panics and round-tripping spans on truncated and sliced seeds.
#[test]
fn cut_seeds_never_panic() {
    for n in ["000", "001", "002", "003", "004"] {
        let src = seed(n);
        let cuts: Vec<usize> = (0..src.len())
            .step_by(53)
            .filter(|&c| src.is_char_boundary(c))
            .collect();
        for c in cuts {
            for piece in [&src[..c], &src[c..]] {
                let r = read_text(piece);
                assert_spans(piece, &r);
            }
        }
    }
}

#[test]
fn odd_inputs_never_panic() {
    let odd = [
        "\u{feff}",
        "\n\n\n",
        "•",
        "  • \n    • Contact:\n      •",
        "Time Frame:\nTime Frame:",
        "Contact: | | |\nPrincipal Investigator: |",
        "Sponsors (x)\nLead Sponsor Collaborator\n,,,",
        "Clinical Trial Details — Status:\nAdministrative data\nStudy information\nNCT number\nAge group\nEligibility",
        "Basic Information\nStudy Groups\nGroup Type\nIntervention Type\nCentral Contacts\nRole:\nSite Status",
        "Study Overview\nParticipation Criteria\nStudy Plan\nArms and Interventions\nOther Names:\n  • x\nExperimental:\nDrug:",
        "Arm | Intervention/treatment |\n---|---|\n|\n|\n- [ Time Frame: ]\n- a [",
        "Ages Eligible for Study: | to |\nEstimated Enrollment : |\nRecruitment Status :\nClinicalTrials.gov Identifier: |\nStudy Type : | x |",
        "é\r\nè\rê\n\u{a0}Enrollment:\u{a0}12\u{a0}",
    ];
    for s in odd {
        let r = read_text(s);
        assert_spans(s, &r);
    }
}

#[test]
#[ignore]
fn print_seeds() {
    let extra = std::env::var("TEXT_FILE").ok();
    for n in ["000", "001", "002", "003", "004"] {
        let r = match &extra {
            Some(p) => read_text(&std::fs::read_to_string(p).unwrap()),
            None => read_text(&seed(n)),
        };
        println!("==== {n} {} {:?}", r.format, r.id);
        for f in &r.fields {
            let ent = f
                .entity
                .map(|e| format!("[{e}:{:?}:{}]", r.entities[e].kind, role(&r, e)));
            println!(
                "{:<26} {:<36} q={:?} {:?}",
                f.key,
                ent.unwrap_or_default(),
                f.qualifier.as_ref().map(|q| &q.text),
                f.text.text
            );
        }
    }
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    const PIECES: &[&str] = &[
        "\n",
        "\n\n",
        "  ",
        "    • ",
        "• ",
        "|",
        " | ",
        ":",
        "Contact:",
        "Principal Investigator:",
        "é",
        "—",
        "×",
        "±",
        "\u{a0}",
        "\r\n",
        "Time Frame: ",
        "[ Time Frame: ",
        "]",
        "(",
        ")",
        "Est. ",
        "Estimated ",
        "(Actual)",
        "Study Overview",
        "Participation Criteria",
        "Study Plan",
        "Arms and Interventions",
        "Experimental: ",
        "Drug: ",
        "Other Names:",
        "Basic Information",
        "Study Groups",
        "Group Type ",
        "Intervention Type ",
        "Role: ",
        "Site Status ",
        "Central Contacts",
        "Clinical Trial Details",
        "Administrative data",
        "Study information",
        "Sponsors (3)",
        "Lead Sponsor Collaborator",
        "Co., Ltd. ",
        ", ",
        "Age group ",
        "NCT number ",
        "NCT01234567",
        "Study Type : | ",
        "Estimated Enrollment : | ",
        "Ages Eligible for Study: | ",
        " to ",
        " and older",
        "Condition or disease | Intervention/treatment | Phase |",
        "---|---|",
        "Arm | Intervention/treatment |",
        "- ",
        "Inclusion Criteria:",
        "Exclusion Criteria:",
        "Recruiting",
        "a@b.co",
        "+84 914740683",
        "12",
        "Years",
        "Study Locations",
        "Enrollment (Estimated)",
        "Conditions",
        "Description",
        "Primary Outcome Measures",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn fragments_never_panic(idx in proptest::collection::vec(0..PIECES.len(), 0..80)) {
            let s: String = idx.iter().map(|&i| PIECES[i]).collect();
            let r = read_text(&s);
            assert_spans(&s, &r);
        }

        #[test]
        fn fragments_under_each_layout_never_panic(
            head in 0..HEADS.len(),
            idx in proptest::collection::vec(0..PIECES.len(), 0..120),
        ) {
            let body: String = idx.iter().map(|&i| PIECES[i]).collect();
            // The layout's headings first, then the noise, then the headings again
            // so the noise lands inside sections.
            let s = format!("{}\n{}\n{}", HEADS[head], body, HEADS[head]);
            let r = read_text(&s);
            assert_spans(&s, &r);
            prop_assert_ne!(r.format.as_str(), "text:generic");
        }
    }

    const HEADS: &[&str] = &[
        "Title\nClinicalTrials.gov Identifier: NCT01234567 |\nStudy Type : | x |\nAllocation: | y |\nMasking: | z |\nPrimary Purpose: | w |\nOfficial Title: | t |\n",
        "Title\n\nBasic Information\n\nRecruitment Status\n\nX\n\nStudy Groups\n\nCentral Contacts\n",
        "Title\n\nStudy Overview\n\nParticipation Criteria\n\nStudy Plan\n\nDesign Details\n",
        "Clinical Trial Details — Status: X\n\nAdministrative data\n\nStudy information\n\nClinical Trial Summary\n",
    ];
}
