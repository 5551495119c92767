//! Extractor stub: filled in by the extractors work.

use super::Fact;
use crate::record::Record;

pub fn extract(_record: &Record, _out: &mut Vec<Fact>) {}
