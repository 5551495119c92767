//! Every shipped check has fixtures that fail (the rendered finding is
//! snapshotted) and fixtures that pass (negative controls):
//!
//! ```text
//! fixtures/checks/<check>/fail/<case>.<ext>   must produce a finding of <check>
//! fixtures/checks/<check>/pass/<case>.<ext>   must produce no warning or error of <check>
//! ```
//!
//! Real records are symlinked from fixtures/seeds or copied from the corpus;
//! hand-made variants are named `handmade-*`.

use std::path::{Path, PathBuf};
use trialint::check::{Check, Severity};
use trialint::engine::{self, Options};
use trialint::report::human::{self, HumanOptions};

fn as_of() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

fn catalogue() -> Vec<Check> {
    trialint::app::load_catalogue(&[]).expect("shipped checks load")
}

fn cases(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn run_one(check: &str, path: &Path) -> engine::Run {
    let checks: Vec<Check> = catalogue()
        .into_iter()
        .filter(|c| c.name == check)
        .collect();
    let opts = Options {
        as_of: as_of(),
        jobs: 1,
    };
    engine::run(&[path.to_string_lossy().into_owned()], &checks, &opts)
}

#[test]
fn every_check_has_fail_and_pass_fixtures() {
    let mut missing = Vec::new();
    for c in catalogue() {
        let base = Path::new("fixtures/checks").join(&c.name);
        if cases(&base.join("fail")).is_empty() {
            missing.push(format!("{}: no fail fixture", c.name));
        }
        if cases(&base.join("pass")).is_empty() {
            missing.push(format!("{}: no pass fixture", c.name));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn fail_fixtures_fire_and_match_their_snapshots() {
    let mut problems = Vec::new();
    for c in catalogue() {
        for case in cases(&Path::new("fixtures/checks").join(&c.name).join("fail")) {
            let run = run_one(&c.name, &case);
            if !run.errors.is_empty() {
                problems.push(format!("{}: read error {:?}", case.display(), run.errors));
                continue;
            }
            if !run.findings.iter().any(|f| f.check == c.name) {
                problems.push(format!(
                    "{}: expected a `{}` finding, got none",
                    case.display(),
                    c.name
                ));
                continue;
            }
            let rendered = human::to_string(&run, &HumanOptions { quiet: true });
            let name = format!(
                "{}__{}",
                c.name,
                case.file_stem().unwrap().to_string_lossy()
            );
            insta::with_settings!({ snapshot_path => "snapshots/checks", prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(name, rendered);
            });
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn pass_fixtures_stay_quiet() {
    let mut problems = Vec::new();
    for c in catalogue() {
        for case in cases(&Path::new("fixtures/checks").join(&c.name).join("pass")) {
            let run = run_one(&c.name, &case);
            if !run.errors.is_empty() {
                problems.push(format!("{}: read error {:?}", case.display(), run.errors));
            }
            for f in run
                .findings
                .iter()
                .filter(|f| f.check == c.name && f.severity >= Severity::Warning)
            {
                problems.push(format!(
                    "{}: unexpected {} `{}`: {}",
                    case.display(),
                    f.severity,
                    f.check,
                    f.message
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn readme_lists_every_check() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let missing: Vec<String> = catalogue()
        .into_iter()
        .map(|c| c.name)
        .filter(|n| !readme.contains(&format!("`{n}`")))
        .collect();
    assert!(missing.is_empty(), "README's check table is stale (run the corpus_report example with --update); missing: {missing:?}");
}
