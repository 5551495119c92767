//! One record model for every format: the same study read from API v2 JSON
//! and from legacy XML gives the same facts, and the same checks fire on them.

use std::collections::BTreeSet;
use trialint::check::Check;
use trialint::engine::{self, Options};

fn as_of() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

/// Checks that compare facts the two formats both carry (the JSON export is
/// newer, so status and update dates may legitimately differ between them;
/// those checks are left out).
fn comparable(c: &Check) -> bool {
    !matches!(c.group.as_str(), "status" | "dates") && c.name != "recruiting-without-contact"
}

fn fired(path: &str) -> BTreeSet<(String, String)> {
    let checks: Vec<Check> = trialint::app::load_catalogue(&[])
        .unwrap()
        .into_iter()
        .filter(comparable)
        .collect();
    let run = engine::run(
        &[path.to_string()],
        &checks,
        &Options {
            as_of: as_of(),
            jobs: 1,
        },
    );
    assert!(run.errors.is_empty(), "{path}: {:?}", run.errors);
    run.findings
        .iter()
        // which check fired on how many places; the quoted text of a
        // structured field is each format's own wording ("DOUBLE" /
        // "Double (Participant, Investigator)"), and offsets differ
        .map(|f| (f.check.clone(), format!("{} labels", f.labels.len())))
        .collect()
}

fn facts(path: &str) -> BTreeSet<(String, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    let src = trialint::source::SourceFile::new(path, text);
    let records = trialint::source::read(&src).unwrap();
    trialint::extract::extract(&records[0])
        .into_iter()
        .filter(|f| {
            let n = f.name.as_ref();
            n.starts_with("enrollment")
                // legacy XML carries no age groups (stdAges)
                || (n.starts_with("age.") && n != "age.group")
                || n.starts_with("criteria.")
                || n == "date.start"
                || n.starts_with("contact.")
        })
        .map(|f| (f.name.to_string(), f.value.to_string()))
        .collect()
}

#[test]
fn the_same_study_in_json_and_xml_gives_the_same_facts_and_findings() {
    for id in ["NCT00498680", "NCT00492635", "NCT02513394"] {
        let json = format!("fixtures/formats/same-study/{id}.json");
        let xml = format!("fixtures/formats/same-study/{id}.xml");
        assert_eq!(
            facts(&json),
            facts(&xml),
            "{id}: facts differ between JSON and XML"
        );
        assert_eq!(
            fired(&json),
            fired(&xml),
            "{id}: findings differ between JSON and XML"
        );
    }
    // and the comparison is not vacuous: NCT00498680 has an enrollment mismatch
    assert!(fired("fixtures/formats/same-study/NCT00498680.json")
        .iter()
        .any(|(c, _)| c == "enrollment-mismatch"));
}
