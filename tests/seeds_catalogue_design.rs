//! The seeds' secondary inconsistencies that part 2 of the catalogue
//! (design, phase, outcomes, names and contacts, eligibility) must find,
//! each with its labels; and the negative controls it must leave quiet.

use trialint::check::Severity;
use trialint::engine;

mod seed_support;
use seed_support::{has, labelled, run_seed};

const PART2: &[&str] = &[
    "randomized-single-arm",
    "single-group-several-arms",
    "multi-group-one-arm",
    "groups-stated-mismatch",
    "masking-without-placebo",
    "blinded-title-open-label",
    "placebo-open-label",
    "phase-na-drug",
    "phase-title-mismatch",
    "outcome-instrument-mismatch",
    "org-name-typo",
    "phone-invalid",
    "email-names-other-person",
    "sex-criteria-contradiction",
    "sex-all-criteria-one-sex",
    "age-limit-empty",
];

/// Warnings and errors of part 2's checks in a run.
fn part2_warnings(run: &engine::Run) -> Vec<String> {
    run.findings
        .iter()
        .filter(|f| PART2.contains(&f.check.as_str()) && f.severity >= Severity::Warning)
        .map(|f| format!("{}: {}", f.check, f.message))
        .collect()
}

#[test]
fn seed_000_sqol_m_outcome_described_with_iief() {
    let run = run_seed("000_ee92221881a48b3d.txt");
    let labels = labelled(&run, "outcome-instrument-mismatch");
    assert_eq!(labels.len(), 3, "{labels:?}");
    assert_eq!(labels[0], "IIEF", "{labels:?}");
    assert!(has(&labels, "SQoL-M"), "{labels:?}");
}

#[test]
fn seed_000_liem_listed_with_phuongs_email() {
    let run = run_seed("000_ee92221881a48b3d.txt");
    let labels = labelled(&run, "email-names-other-person");
    assert!(has(&labels, "v.phuongnh9@vinmec.com"), "{labels:?}");
    assert!(has(&labels, "Phuong Nguyen"), "{labels:?}");
    assert!(has(&labels, "Nguyen T Liem"), "{labels:?}");
}

#[test]
fn seed_000_phase_i_iia_title_is_consistent_with_phase_1_2() {
    let run = run_seed("000_ee92221881a48b3d.txt");
    assert!(!run
        .findings
        .iter()
        .any(|f| f.check == "phase-title-mismatch"));
}

#[test]
fn seed_000_placebo_with_open_label_is_a_note() {
    let run = run_seed("000_ee92221881a48b3d.txt");
    let f = run
        .findings
        .iter()
        .find(|f| f.check == "placebo-open-label")
        .expect("placebo-open-label note");
    assert_eq!(f.severity, Severity::Note);
    let labels = labelled(&run, "placebo-open-label");
    assert!(has(&labels, "None (Open Label)"), "{labels:?}");
    assert!(has(&labels, "Placebo"), "{labels:?}");
}

#[test]
fn seed_001_drum_towel_vs_drum_tower() {
    let run = run_seed("001_6702f2c39154e7e6.txt");
    let labels = labelled(&run, "org-name-typo");
    assert!(has(&labels, "Drum Tower Hospital"), "{labels:?}");
    assert!(has(&labels, "Drum Towel Hospital"), "{labels:?}");
}

#[test]
fn seed_001_not_applicable_phase_with_a_drug_is_a_note() {
    let run = run_seed("001_6702f2c39154e7e6.txt");
    let labels = labelled(&run, "phase-na-drug");
    assert!(has(&labels, "NA"), "{labels:?}");
    assert!(has(&labels, "DRUG"), "{labels:?}");
}

#[test]
fn seed_002_phone_8610_13671005510() {
    let run = run_seed("002_33ef3bdcfb3cc050.txt");
    let labels = labelled(&run, "phone-invalid");
    assert_eq!(labels, vec!["8610-13671005510".to_string()]);
}

#[test]
fn seed_004_n_a_and_older() {
    let run = run_seed("004_00d926961b63758f.txt");
    let labels = labelled(&run, "age-limit-empty");
    assert_eq!(labels, vec!["N/A".to_string()]);
    let f = run
        .findings
        .iter()
        .find(|f| f.check == "age-limit-empty")
        .unwrap();
    assert!(f.message.contains("N/A and older"), "{}", f.message);
}

#[test]
fn negative_controls_stay_quiet() {
    // seed 001: "Male azoospermia" (exclusion criteria, the partner) in a
    // female-only trial; "< 40 years" vs max 39. Seed 003: "Twenty-two
    // subjects" vs 22. Seed 004: "Umbilical cord blood & umbilical cord
    // derived MSCs".
    for seed in [
        "001_6702f2c39154e7e6.txt",
        "003_fa63abf68c14ffa7.txt",
        "004_00d926961b63758f.txt",
    ] {
        let run = run_seed(seed);
        let sex: Vec<_> = run
            .findings
            .iter()
            .filter(|f| f.check.starts_with("sex-"))
            .collect();
        assert!(sex.is_empty(), "{seed}: {sex:?}");
        let w = part2_warnings(&run);
        // seed 001's only part-2 warning is the Drum Towel typo
        assert!(
            w.iter().all(|m| m.starts_with("org-name-typo")),
            "{seed}: {w:?}"
        );
    }
}
