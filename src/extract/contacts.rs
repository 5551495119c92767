//! Extractor stub: filled in by the extractors work.

use super::Fact;
use crate::record::Record;

pub fn extract(_record: &Record, _out: &mut Vec<Fact>) {}

/// Whether two written names denote the same person.
pub fn same_person(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}
