//! The five seed pages this project started from: every named
//! inconsistency is reported with all conflicting places labelled, and the
//! whole rendered output is snapshotted.

use trialint::report::human::{self, HumanOptions};

mod seed_support;
use seed_support::{has, labelled, run_seed};

#[test]
fn seed_pages_render_as_snapshotted() {
    for seed in [
        "000_ee92221881a48b3d.txt",
        "001_6702f2c39154e7e6.txt",
        "002_33ef3bdcfb3cc050.txt",
        "003_fa63abf68c14ffa7.txt",
        "004_00d926961b63758f.txt",
    ] {
        let run = run_seed(seed);
        assert!(run.errors.is_empty(), "{seed}: {:?}", run.errors);
        let rendered = human::to_string(&run, &HumanOptions { quiet: false });
        insta::with_settings!({ snapshot_path => "snapshots/seeds", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(seed.split('_').next().unwrap(), rendered);
        });
    }
}

#[test]
fn seed_000_enrollment_158_vs_40_vs_two_groups_of_23() {
    let run = run_seed("000_ee92221881a48b3d.txt");
    let labels = labelled(&run, "enrollment-mismatch");
    assert!(has(&labels, "158"), "{labels:?}");
    assert!(
        labels
            .iter()
            .any(|l| l.trim() == "40" || l.starts_with("40")),
        "{labels:?}"
    );
    assert!(has(&labels, "23"), "{labels:?}");
    let f = run
        .findings
        .iter()
        .find(|f| f.check == "enrollment-mismatch")
        .unwrap();
    assert!(
        f.message.contains("158") && f.message.contains("46"),
        "{}",
        f.message
    );
}

#[test]
fn seed_000_start_equals_primary_completion() {
    let run = run_seed("000_ee92221881a48b3d.txt");
    let labels = labelled(&run, "start-equals-primary-completion");
    assert_eq!(
        labels,
        vec!["June 1, 2022".to_string(), "June 1, 2022".to_string()]
    );
    let f = run
        .findings
        .iter()
        .find(|f| f.check == "start-equals-primary-completion")
        .unwrap();
    assert_ne!(
        f.labels[0].span, f.labels[1].span,
        "both dates labelled, not one twice"
    );
}

#[test]
fn seed_000_cord_blood_vs_cord_derived_msc() {
    let run = run_seed("000_ee92221881a48b3d.txt");
    let labels = labelled(&run, "cell-source-conflict");
    assert!(
        labels
            .iter()
            .any(|l| l.to_lowercase().contains("cord blood")),
        "{labels:?}"
    );
    assert!(
        labels
            .iter()
            .any(|l| l.to_lowercase().contains("cord-derived")),
        "{labels:?}"
    );
}

#[test]
fn seed_000_one_phone_and_email_for_two_people() {
    let run = run_seed("000_ee92221881a48b3d.txt");
    let phones = labelled(&run, "contact-shared-phone");
    assert!(
        has(&phones, "+84 914740683") && has(&phones, "+84914740683"),
        "{phones:?}"
    );
    assert!(
        has(&phones, "Phuong Nguyen") && has(&phones, "Nguyen T Liem"),
        "{phones:?}"
    );
    let mails = labelled(&run, "contact-shared-email");
    assert_eq!(
        mails
            .iter()
            .filter(|l| l.as_str() == "v.phuongnh9@vinmec.com")
            .count(),
        2,
        "{mails:?}"
    );
}

#[test]
fn seed_000_day_180_and_270_vs_study_month_7_and_10() {
    // group B: "day 180 ± 14 and day 270 ± 14" in the description,
    // "Study Month 7, and Study Month 10" in its arm (day 180 is month 6)
    let run = run_seed("000_ee92221881a48b3d.txt");
    let labels = labelled(&run, "schedule-unit-mismatch");
    assert_eq!(
        labels,
        vec![
            "day 180 ± 14 and day 270 ± 14".to_string(),
            "Study Month 7, and Study Month 10".to_string()
        ]
    );
    let found: Vec<_> = run
        .findings
        .iter()
        .filter(|f| f.check == "schedule-unit-mismatch")
        .collect();
    assert_eq!(
        found.len(),
        1,
        "group A (day 0 and 90 = Month 0 and 3) converts"
    );
    assert!(
        found[0]
            .message
            .contains("day 180 is about month 5.9, not month 7"),
        "{}",
        found[0].message
    );
}

#[test]
fn seed_001_numbers_one_digit_apart() {
    let run = run_seed("001_6702f2c39154e7e6.txt");
    let labels = labelled(&run, "contact-phone-typo");
    assert!(
        has(&labels, "+862583107188") && has(&labels, "+862883107188"),
        "{labels:?}"
    );
    // the same person's number in two formats is not a finding
    assert!(!run
        .findings
        .iter()
        .any(|f| f.check == "contact-shared-phone"));
}

#[test]
fn negative_controls_stay_below_warning() {
    use trialint::check::Severity;
    let quiet = |seed: &str, check: &str| {
        let run = run_seed(seed);
        let bad: Vec<_> = run
            .findings
            .iter()
            .filter(|f| f.check == check && f.severity >= Severity::Warning)
            .map(|f| f.message.clone())
            .collect();
        assert!(bad.is_empty(), "{seed} {check}: {bad:?}");
    };
    // "< 40 years" with a maximum age of 39 is consistent
    quiet("001_6702f2c39154e7e6.txt", "age-max-mismatch");
    quiet("001_6702f2c39154e7e6.txt", "age-min-mismatch");
    // "Twenty-two subjects" with enrollment 22 is consistent
    quiet("003_fa63abf68c14ffa7.txt", "enrollment-mismatch");
    // "Umbilical cord blood & umbilical cord derived MSCs" names two products
    quiet("004_00d926961b63758f.txt", "cell-source-conflict");
}
