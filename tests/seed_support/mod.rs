//! Helpers shared by the seed tests (seeds.rs and the catalogue seed tests).
#![allow(dead_code)]

use trialint::engine::{self, Options};

pub fn run_seed(name: &str) -> engine::Run {
    let checks = trialint::app::load_catalogue(&[]).expect("shipped checks load");
    let opts = Options {
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
        jobs: 1,
    };
    engine::run(&[format!("fixtures/seeds/{name}")], &checks, &opts)
}

/// The source text at each label of the first finding of `check`.
pub fn labelled(run: &engine::Run, check: &str) -> Vec<String> {
    let f = run
        .findings
        .iter()
        .find(|f| f.check == check)
        .unwrap_or_else(|| {
            panic!(
                "no `{check}` finding; got {:?}",
                run.findings.iter().map(|f| &f.check).collect::<Vec<_>>()
            )
        });
    let text = &run.sources[f.file].text;
    f.labels
        .iter()
        .map(|l| text[l.span.start..l.span.end].to_string())
        .collect()
}

pub fn has(labels: &[String], needle: &str) -> bool {
    labels.iter().any(|l| l.contains(needle))
}
