//! The seeds' inconsistencies found by part 1 of the catalogue (dates,
//! status, timeline, text damage), each with the places it labels, and the
//! negative controls on which these checks must stay quiet.

use trialint::check::Severity;
use trialint::engine::{self, Options};

fn run_seed(name: &str) -> engine::Run {
    let checks = trialint::app::load_catalogue(&[]).expect("shipped checks load");
    let opts = Options {
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
        jobs: 1,
    };
    engine::run(&[format!("fixtures/seeds/{name}")], &checks, &opts)
}

const S000: &str = "000_ee92221881a48b3d.txt";
const S001: &str = "001_6702f2c39154e7e6.txt";
const S002: &str = "002_33ef3bdcfb3cc050.txt";
const S003: &str = "003_fa63abf68c14ffa7.txt";
const S004: &str = "004_00d926961b63758f.txt";

/// The source text at each label of every finding of `check`, per finding.
fn labelled(run: &engine::Run, check: &str) -> Vec<Vec<String>> {
    let found: Vec<_> = run.findings.iter().filter(|f| f.check == check).collect();
    assert!(
        !found.is_empty(),
        "no `{check}` finding; got {:?}",
        run.findings.iter().map(|f| &f.check).collect::<Vec<_>>()
    );
    found
        .iter()
        .map(|f| {
            let text = &run.sources[f.file].text;
            f.labels
                .iter()
                .map(|l| text[l.span.start..l.span.end].to_string())
                .collect()
        })
        .collect()
}

fn message(run: &engine::Run, check: &str) -> String {
    run.findings
        .iter()
        .find(|f| f.check == check)
        .map(|f| f.message.clone())
        .unwrap_or_default()
}

fn has(labels: &[String], needle: &str) -> bool {
    labels.iter().any(|l| l.contains(needle))
}

#[test]
fn seed_000_actual_primary_completion_while_recruiting() {
    let run = run_seed(S000);
    let l = &labelled(&run, "recruiting-with-actual-completion")[0];
    assert!(has(l, "Recruiting"), "{l:?}");
    assert!(has(l, "June 1, 2022"), "{l:?}");
}

#[test]
fn seed_001_lost_superscript() {
    let run = run_seed(S001);
    let all = labelled(&run, "lost-superscript");
    assert!(all.iter().any(|l| has(l, "10×106 cells")), "{all:?}");
}

#[test]
fn seed_002_empty_conditions_star_exponent_and_item_3_twice() {
    let run = run_seed(S002);
    labelled(&run, "conditions-empty");
    assert!(message(&run, "conditions-empty").contains("empty"));
    let all = labelled(&run, "lost-superscript");
    assert!(all.iter().any(|l| has(l, "1.0×10*6/")), "{all:?}");
    let l = &labelled(&run, "duplicate-item-number")[0];
    assert_eq!(l.len(), 2, "{l:?}");
    assert!(l.iter().all(|x| x.starts_with('3')), "{l:?}");
}

#[test]
fn seed_003_retrospective_registration_and_infeasible_primary_completion() {
    let run = run_seed(S003);
    let l = &labelled(&run, "retrospective-registration")[0];
    assert!(has(l, "November 28, 2023"), "{l:?}");
    assert!(has(l, "December 12, 2023"), "{l:?}");
    assert!(
        message(&run, "retrospective-registration").contains("14 days"),
        "{}",
        message(&run, "retrospective-registration")
    );
    let l = &labelled(&run, "primary-completion-too-early")[0];
    assert!(has(l, "December 1, 2024"), "{l:?}");
    assert!(has(l, "November 28, 2023"), "{l:?}");
    assert!(has(l, "1 year"), "{l:?}");
    assert_eq!(
        l.iter().filter(|x| x.contains("1 year")).count(),
        2,
        "{l:?}"
    );
}

#[test]
fn seed_004_question_marks_and_lost_comparison_signs() {
    let run = run_seed(S004);
    let all = labelled(&run, "encoding-damage");
    assert!(all.iter().any(|l| has(l, "???")), "{all:?}");
    let all = labelled(&run, "comparison-sign-lost");
    assert!(all.iter().any(|l| has(l, "= 1.5×ULN")), "{all:?}");
    assert!(all.iter().any(|l| has(l, "=50%")), "{all:?}");
}

/// The checks of this part raise no warning or error on what the seeds
/// state correctly: "1×10^6cells" (003) and "5-8×10^7" (004), the time
/// frame "Up to two years" (004), the "Study Contact" of 002.
#[test]
fn negative_controls_stay_quiet() {
    let mine = [
        "lost-superscript",
        "primary-completion-too-early",
        "recruiting-without-contact",
        "encoding-damage",
        "comparison-sign-lost",
        "duplicate-item-number",
        "conditions-empty",
    ];
    for (seed, quiet) in [
        (S003, &["lost-superscript", "duplicate-item-number"][..]),
        (
            S004,
            &["lost-superscript", "primary-completion-too-early"][..],
        ),
        (
            S002,
            &["recruiting-without-contact", "primary-completion-too-early"][..],
        ),
        (
            S001,
            &[
                "encoding-damage",
                "comparison-sign-lost",
                "conditions-empty",
            ][..],
        ),
    ] {
        let run = run_seed(seed);
        for f in &run.findings {
            if quiet.contains(&f.check.as_str()) {
                assert!(
                    f.severity < Severity::Warning || !mine.contains(&f.check.as_str()),
                    "{seed}: unexpected {}: {}",
                    f.check,
                    f.message
                );
            }
        }
    }
}
