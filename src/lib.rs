//! trialint: a linter for clinical-trial registry records.
//!
//! Pipeline: `source` (detect and read a format) → `record` (fields with
//! spans) → `extract` (typed facts) → `check` (kinds run the TOML checks)
//! → `report` (human, json, ...). See DESIGN.md.

pub mod allocator;
pub mod app;
pub mod check;
pub mod cli;
pub mod config;
pub mod engine;
pub mod extract;
pub mod files;
pub mod progress;
pub mod record;
pub mod report;
pub mod request;
pub mod source;
pub mod span;
#[cfg(test)]
pub(crate) mod testing;
